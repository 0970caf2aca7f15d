// --out: made when missing, refused in one line when a file is in the way.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { ensureOutDir } from '../../src/util/out-dir.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea-out-'));
  await writeFile(join(dir, 'a-file'), 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensureOutDir', () => {
  it('makes missing parents and accepts an existing directory', async () => {
    await ensureOutDir(join(dir, 'a', 'b'));
    await ensureOutDir(join(dir, 'a', 'b'));
    expect((await stat(join(dir, 'a', 'b'))).isDirectory()).toBe(true);
  });

  it.each([['a-file'], ['a-file/below']])('refuses %s: a file is in the way', async (name) => {
    await expect(ensureOutDir(join(dir, name))).rejects.toThrow(UsageError);
    await expect(ensureOutDir(join(dir, name), '--out')).rejects.toThrow(/^--out .*: a file is in the way; give a directory$/);
  });
});
