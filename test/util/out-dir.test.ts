// --out: made when missing, refused in one line when a file is in the way.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { OUT_LOCK_FILE, checkWritable, claimOutDir, ensureOutDir, prepareOutDir } from '../../src/util/out-dir.js';
import { fill, mountTmpfs } from '../support/mounts.js';

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

describe('checkWritable and claimOutDir', () => {
  it('answer a read-only and a full filesystem with the real errno, before anything is measured', async () => {
    const ro = join(dir, 'ro');
    const full = join(dir, 'full');
    const unmountRo = await mountTmpfs(ro, '64k', { readOnly: true });
    const unmountFull = await mountTmpfs(full, '64k');
    try {
      await expect(checkWritable(ro, '--out')).rejects.toThrow(
        /^--out .*\/ro: cannot write there \(EROFS: read-only file system\); give a directory you can write to$/,
      );
      await fill(full);
      await expect(checkWritable(full, '--out')).rejects.toThrow(
        /^--out .*\/full: cannot write there \(ENOSPC: no space left on device\) \(it needs about 256 KiB free\)/,
      );
      // The probe file does not stay behind.
      expect((await readdir(full)).sort()).toEqual(['filler']);
    } finally {
      await unmountRo();
      await unmountFull();
    }
  });

  it("refuse a second live run in the same --out, take over a dead run's lock, and sweep its temporary files", async () => {
    const out = join(dir, 'claimed');
    await ensureOutDir(out);
    const release = await claimOutDir(out, 'run-a');
    await expect(claimOutDir(out, 'run-b')).rejects.toThrow(
      /^--out .*claimed is being written by another run \(pid \d+, run run-a, started .*\): give another --out, or wait for it to finish$/,
    );
    await release();
    expect(existsSync(join(out, OUT_LOCK_FILE))).toBe(false);
    // A run killed with kill -9: its lock names a pid that is gone, and a temporary file carries that pid.
    await writeFile(join(out, OUT_LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 7, startTicks: 1, runId: 'dead', startedAt: 'then' }));
    await writeFile(join(out, `.report.json.${2 ** 22 + 7}-abcdef.tmp`), '{"half');
    await writeFile(join(out, `.report.json.${process.pid}-abcdef.tmp`), 'a live writer');
    const again = await claimOutDir(out, 'run-c');
    expect((await readdir(out)).sort()).toEqual([`.report.json.${process.pid}-abcdef.tmp`, OUT_LOCK_FILE].sort());
    await again();
  });
});

describe('prepareOutDir', () => {
  it('removes the directory it made when the run wrote nothing into it (a bad --data-dir refused next), and keeps one with a report', async () => {
    const empty = join(dir, 'prepared-empty');
    await (
      await prepareOutDir(empty, 'run-e')
    )();
    expect(existsSync(empty)).toBe(false);
    const written = join(dir, 'prepared-written');
    const release = await prepareOutDir(written, 'run-w');
    await writeFile(join(written, 'report.json'), '{}');
    await release();
    expect(await readdir(written)).toEqual(['report.json']);
    // A directory the operator made is theirs: it stays, even empty.
    const given = join(dir, 'prepared-given');
    await ensureOutDir(given);
    await (
      await prepareOutDir(given, 'run-g')
    )();
    expect(await readdir(given)).toEqual([]);
  });
});
