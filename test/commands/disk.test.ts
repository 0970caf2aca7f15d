// `etcd-advisor disk`: exit codes, the --json shape operators script against, refusals, and Ctrl-C clean-up, through the built CLI and its library call (src/disk.ts).
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDisk } from '../../src/disk.js';
import type { DiskJson } from '../../src/report/terminal/disk.js';
import { CLI, runCli } from '../support/cli.js';
import { EXIT, UsageError } from '../../src/model/errors.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'fio');
const fixture = (name: string) => join(FIXTURES, name);

let dir: string;
let smallProfile: string;
let longProfile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea3-cmd-'));
  await writeFile(join(dir, 'keep.txt'), 'keep');
  smallProfile = join(dir, 'small.yaml');
  await writeFile(smallProfile, 'kind: disk-profile\nname: small\nfio:\n  rw: write\n  ioengine: sync\n  fdatasync: 1\n  bs: 2300\n  size: 512k\n');
  longProfile = join(dir, 'long.yaml');
  await writeFile(
    longProfile,
    'kind: disk-profile\nname: long\nfio:\n  rw: write\n  ioengine: sync\n  fdatasync: 1\n  bs: 2300\n  size: 1m\n  time_based: true\n  runtime: 60\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const onlyOurFiles = async () => expect((await readdir(dir)).sort()).toEqual(['keep.txt', 'long.yaml', 'small.yaml']);

function expectStableShape(json: DiskJson): void {
  expect(json.fio).not.toBeNull();
  const fio = json.fio!;
  expect(fio.version).toBe('fio-3.33');
  expect(typeof fio.writeIops).toBe('number');
  expect(typeof fio.bandwidthBytesPerSec).toBe('number');
  expect(Object.keys(fio.clatUs)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p99.9', 'min', 'max', 'avg', 'stdev']));
  expect(Array.isArray(json.checks)).toBe(true);
}

describe('runDisk --from (the library call behind the CLI)', () => {
  it('a fast disk: exit 0, fdatasync in microseconds under "syncUs"', async () => {
    const { json, exitCode } = await runDisk({ from: fixture('etcd-fdatasync.txt') });
    expect(exitCode).toBe(EXIT.ok);
    expectStableShape(json);
    expect(Object.keys(json.fio!.syncUs!)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p99.9', 'max']));
    expect(json.checks.find((c) => c.id === 'disk.fdatasync-p99')?.status).toBe('pass');
    expect(json.verdict).toBe('qualified');
  });

  it('the throttled disk: exit 1', async () => {
    const { json, exitCode } = await runDisk({ from: fixture('slow-disk.json') });
    expect(exitCode).toBe(EXIT.failed);
    expect(json.verdict).toBe('not-qualified');
    expect(
      json.checks
        .filter((c) => c.status === 'fail')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['disk.fdatasync-p99', 'disk.write-iops']);
  });

  it('no fdatasync in the output: syncUs null, a warning, nothing judged', async () => {
    const { json, exitCode } = await runDisk({ from: fixture('direct-8k-group.oneline.txt') });
    expect(exitCode).toBe(EXIT.ok);
    expect(json.fio!.syncUs).toBeNull();
    expect(json.checks.map((c) => `${c.id}:${c.status}`)).toEqual(['disk.sync-measured:warn']);
  });

  it('bad input names the file and what was expected', async () => {
    await expect(runDisk({ from: fixture('bad-ping.txt') })).rejects.toThrow(/--from .*bad-ping\.txt: this is not fio output/);
    await expect(runDisk({ from: fixture('bad-empty.txt') })).rejects.toThrow(UsageError);
    await expect(runDisk({ from: join(dir, 'nope.txt') })).rejects.toThrow(/nope\.txt: no such file/);
  });
});

describe('runDisk --dir with real fio', () => {
  it('measures with a profile file, records the command and the filesystem, leaves nothing', async () => {
    const { json, exitCode } = await runDisk({ dir, profile: smallProfile });
    expectStableShape(json);
    expect(json.fio!.syncUs).not.toBeNull();
    expect(json.disk!.profile).toBe('small');
    expect(json.disk!.command).toEqual(expect.arrayContaining(['fio', '--size=512k', '--output-format=json']));
    expect(json.disk!.filesystem?.type).toMatch(/\w/);
    expect(json.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['disk.fdatasync-p99', 'disk.fdatasync-tail', 'disk.write-iops', 'disk.filesystem']));
    expect([EXIT.ok, EXIT.failed]).toContain(exitCode);
    await onlyOurFiles();
  });

  it('fio missing: exit 3 with the reason in the checks', async () => {
    const { json, exitCode } = await runDisk({ dir, profile: smallProfile, fioBinary: join(dir, 'no-fio') });
    expect(exitCode).toBe(EXIT.incomplete);
    expect(json.fio).toBeNull();
    expect(json.error).toMatch(/fio is not installed/);
    expect(json.checks.some((c) => c.status === 'error' && /fio is not installed/.test(c.message))).toBe(true);
    await onlyOurFiles();
  });
});

describe('the built CLI', () => {
  // The global setup built dist/: these run what an operator runs.
  const cli = (args: string[], input?: string) => runCli(['disk', ...args], input !== undefined ? { input, stdin: 'pipe' } : {});

  it('--json prints only JSON on stdout, exit 1 for a failing disk', async () => {
    const r = await cli(['--from', fixture('slow-disk.txt'), '--json']);
    expect(r.exitCode).toBe(EXIT.failed);
    const json = JSON.parse(String(r.stdout)) as DiskJson;
    expect(json.fio!.syncUs!.p99).toBe(209_000);
    expect(r.stderr).toBe('');
  });

  it('reads a paste from stdin with --from -', async () => {
    const r = await cli(['--from', '-', '--json'], await readFile(fixture('etcd-fdatasync.json'), 'utf8'));
    expect(r.exitCode).toBe(EXIT.ok);
    expect((JSON.parse(String(r.stdout)) as DiskJson).fio!.version).toBe('fio-3.33');
  });

  const usage: [string, string[], RegExp][] = [
    ['truncated JSON', ['--from', fixture('bad-truncated.json')], /fio JSON is incomplete or malformed/],
    ['a missing directory', ['--dir', join(dir ?? '/tmp', 'missing')], /does not exist/],
    ['a file as --dir', ['--dir', fixture('etcd-fdatasync.txt')], /is not a directory/],
    ['neither --dir nor --from', [], /give --dir DIR to measure a disk, or --from FILE/],
    ['an unknown profile', ['--dir', '/tmp', '--profile', 'nope'], /no such profile/],
  ];
  for (const [what, args, message] of usage) {
    it(`${what}: exit 2, one line, no stack trace`, async () => {
      const r = await cli(args);
      expect(r.exitCode).toBe(EXIT.usage);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^etcd-advisor: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  }

  // As root every directory is writable: the refusal shows for another user, so run the CLI as nobody.
  it.skipIf(process.getuid?.() !== 0)('a directory this user cannot write: exit 2', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'ea3-ro-'));
    await chmod(parent, 0o755);
    const readOnly = join(parent, 'read-only');
    await mkdir(readOnly, { mode: 0o555 });
    try {
      const r = await execa('runuser', ['-u', 'nobody', '--', 'node', CLI, 'disk', '--dir', readOnly], { reject: false });
      expect(r.exitCode).toBe(EXIT.usage);
      expect(r.stderr).toMatch(/is not writable \(EACCES\)/);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('--help shows examples', async () => {
    const r = await cli(['--help']);
    expect(r.stdout).toMatch(/Examples:[\s\S]*disk --dir \/var\/lib\/etcd/);
  });

  it('Ctrl-C stops fio, removes its files and exits 130', async () => {
    const child = runCli(['disk', '--dir', dir, '--profile', longProfile, '--json']);
    let laidOut = false;
    for (let i = 0; i < 150 && !laidOut; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const work = (await readdir(dir)).find((f) => f.startsWith('etcd-advisor-fio-'));
      laidOut = work !== undefined && (await readdir(join(dir, work)).catch(() => [])).length > 0;
    }
    expect(laidOut).toBe(true);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(EXIT.interrupted);
    expect(r.stderr).toMatch(/SIGINT received/);
    await onlyOurFiles();
  });
});
