// notOnPath against real execa results: a command that is not installed, and one that ran and failed.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { notOnPath } from '../../src/util/tools.js';

describe('notOnPath', () => {
  it('is true for a command not on PATH, false for one that ran and failed', async () => {
    expect(notOnPath(await execa('etcd-advisor-no-such-tool', [], { reject: false }))).toBe(true);
    expect(notOnPath(await execa('false', [], { reject: false }))).toBe(false);
  });
});
