// The scratch directory: new under --data-dir (never reusing what is there), refused on a file, removed once.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { runCleanup } from '../../src/util/cleanup.js';
import { createScratchDir } from '../../src/util/scratch.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ea-scratch-'));
  await writeFile(join(dataDir, 'operator-file'), 'keep');
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('createScratchDir', () => {
  it('makes a new directory under --data-dir and removes only it', async () => {
    const scratch = await createScratchDir(dataDir, 'run-1');
    expect(scratch.path).toBe(join(dataDir, 'etcd-advisor-run-1'));
    await writeFile(join(scratch.path, 'fio-file'), 'x');
    await scratch.remove();
    expect(await readdir(dataDir)).toEqual(['operator-file']);
  });

  it('is removed by the clean-up that Ctrl-C runs', async () => {
    const scratch = await createScratchDir(dataDir, 'run-2');
    await runCleanup();
    expect(existsSync(scratch.path)).toBe(false);
  });

  it('names --data-dir when it is not a directory', async () => {
    await expect(createScratchDir(join(dataDir, 'operator-file'), 'run-3')).rejects.toThrow(UsageError);
    await expect(createScratchDir(join(dataDir, 'operator-file'), 'run-3')).rejects.toThrow(/^--data-dir .* is not a directory/);
  });
});
