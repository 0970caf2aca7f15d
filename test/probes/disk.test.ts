// The disk probe with real fio on small files: what it records, what it refuses before writing, and that it leaves nothing behind.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTestDir, runDiskProbe, type FioProfile } from '../../src/probes/disk.js';
import { runCleanup } from '../../src/util/cleanup.js';
import { Progress } from '../../src/util/progress.js';

/** The etcd profile, 1 MiB instead of 22: about 450 fdatasyncs, well under a second. */
const SMALL_ETCD: FioProfile = { name: 'etcd-small', args: ['--rw=write', '--ioengine=sync', '--fdatasync=1', '--size=1m', '--bs=2300'], sizeBytes: 2 ** 20 };
/** Runs until stopped, to have something to interrupt. */
const LONG: FioProfile = {
  name: 'long',
  args: ['--rw=write', '--ioengine=sync', '--fdatasync=1', '--size=1m', '--bs=2300', '--time_based', '--runtime=60'],
  sizeBytes: 2 ** 20,
};

/** A block device to refuse, if this machine shows one. */
const blockDevice = readdirSync('/dev')
  .map((d) => `/dev/${d}`)
  .find((p) => {
    try {
      return statSync(p).isBlockDevice();
    } catch {
      return false;
    }
  });

let dir: string;
const existing = 'already-here.txt';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea3-disk-'));
  await writeFile(join(dir, existing), 'not yours');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectUntouched(): Promise<void> {
  expect(await readdir(dir)).toEqual([existing]);
  expect(await readFile(join(dir, existing), 'utf8')).toBe('not yours');
}

describe('runDiskProbe with real fio', () => {
  it('measures fdatasync, records fio version, command and filesystem, and removes its files', async () => {
    const result = await runDiskProbe({ dir, profile: SMALL_ETCD });
    expect(result.ok, result.ok ? '' : result.error).toBe(true);
    if (!result.ok) return;
    const { fio, command, filesystem, profile } = result.data;
    expect(profile).toBe('etcd-small');
    expect(fio.version).toMatch(/^fio-3\./);
    expect(command[0]).toBe('fio');
    expect(command).toEqual(expect.arrayContaining([...SMALL_ETCD.args, '--output-format=json']));
    expect(command.find((a) => a.startsWith('--directory='))).toMatch(new RegExp(`^--directory=${dir}/etcd-advisor-fio-`));
    // 1 MiB in whole 2300-byte writes (fio leaves the last partial block out).
    expect(fio.totalWriteIos).toBe(Math.floor(2 ** 20 / 2300));
    expect(fio.syncUs).not.toBeNull();
    expect(fio.syncUs!.p99).toBeGreaterThan(0);
    expect(fio.syncUs!['p99.9']).toBeGreaterThanOrEqual(fio.syncUs!.p99!);
    expect(fio.writeIops).toBeGreaterThan(0);
    expect(filesystem?.type).toMatch(/\w/);
    expect(filesystem?.options.length).toBeGreaterThan(0);
    await expectUntouched();
  });

  it('a profile without fdatasync gives no sync figures', async () => {
    const result = await runDiskProbe({
      dir,
      profile: {
        name: 'direct',
        args: ['--rw=write', '--ioengine=sync', '--direct=1', '--bs=8k', '--size=1m', '--numjobs=2', '--group_reporting'],
        sizeBytes: 2 * 2 ** 20,
      },
    });
    expect(result.ok && result.data.fio.syncUs).toBeNull();
    expect(result.ok && result.data.fio.totalWriteIos).toBe((2 * 2 ** 20) / 8192);
    await expectUntouched();
  });

  it('stops fio and removes its files on Ctrl-C (the clean-up the signal handler runs)', async () => {
    const started = Date.now();
    const probe = runDiskProbe({ dir, profile: LONG });
    // Wait until fio has laid out its file, then interrupt.
    for (let i = 0; i < 100; i++) {
      const work = (await readdir(dir)).find((f) => f.startsWith('etcd-advisor-fio-'));
      if (work !== undefined && (await readdir(join(dir, work))).length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await readdir(dir)).length).toBe(2);
    expect(await runCleanup()).toEqual([]);
    const result = await probe;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.kind).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(30_000);
    await expectUntouched();
  });
});

describe('what the probe refuses before writing anything', () => {
  it('a directory that does not exist', async () => {
    // Bad input is the result's error, not a throw: the command turns kind "bad-input" into exit 2.
    const r = await runDiskProbe({ dir: join(dir, 'missing'), profile: SMALL_ETCD });
    expect(r).toMatchObject({ ok: false, kind: 'bad-input' });
    expect(r.ok ? '' : r.error).toMatch(/does not exist/);
  });

  it('a file', async () => {
    await expect(checkTestDir(join(dir, existing))).rejects.toThrow(/is not a directory/);
    await expectUntouched();
  });

  it.skipIf(blockDevice === undefined)(`a block device (${blockDevice})`, async () => {
    await expect(checkTestDir(blockDevice!)).rejects.toThrow(/is a block device/);
  });

  it('a test that would leave less than the free-space margin', async () => {
    const free = (await import('node:fs/promises')).statfs;
    const s = await free(dir);
    const tooBig: FioProfile = { ...SMALL_ETCD, name: 'too-big', sizeBytes: s.bavail * s.bsize };
    const result = await runDiskProbe({ dir, profile: tooBig });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.kind).toBe('disk-full');
    expect(!result.ok && result.error).toMatch(/not enough free space .* must leave 512 MiB/);
    await expectUntouched();
  });

  it('fio missing: a typed error, files removed, and the progress phase closed', async () => {
    const progress = new Progress();
    const phases: string[] = [];
    progress.on('phase', ({ name }) => phases.push(`phase ${name}`));
    progress.on('done', ({ name, summary }) => phases.push(`done ${name}: ${summary}`));
    const result = await runDiskProbe({ dir, profile: SMALL_ETCD, fioBinary: join(dir, 'no-such-fio'), progress });
    expect(phases).toEqual(['phase disk', 'done disk: could not complete']);
    expect(!result.ok && result.kind).toBe('missing-tool');
    expect(!result.ok && result.error).toMatch(/fio is not installed/);
    expect((await stat(dir)).isDirectory()).toBe(true);
    await expectUntouched();
  });
});
