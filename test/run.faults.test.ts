// The fault matrix of `run`: SIGINT, SIGTERM and SIGKILL of the tool in each phase (disk, network, load, report writing),
// with real fio, ping and a throwaway etcd: exit code, no process left, no scratch left, report complete-and-marked or absent.
import { existsSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { REPORT_FILES } from '../src/report/write.js';
import { claimOutDir } from '../src/util/out-dir.js';
import { sweepDeadScratch } from '../src/util/scratch.js';
import { runCli } from './support/cli.js';
import { fill, mountTmpfs } from './support/mounts.js';
import { processesMentioning } from './support/processes.js';

/** The peer every run of the matrix pings: an address of this file's own loopback range, so its ping is found by its command line. */
const PEER = '127.0.0.58';
type Phase = 'disk' | 'network' | 'load' | 'report';
type Signal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ea16-matrix-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
const has = async (needle: string, word: string) => (await processesMentioning(needle)).some((p) => p.includes(word));

/** Waits for the phase to be running, in the tool's children as /proc shows them (or, for the report, its first temporary file). */
async function reach(phase: Phase, dataDir: string, out: string): Promise<void> {
  if (phase === 'disk') return until('fio', () => has(dataDir, 'fio'));
  // RTT is measured alone, before fio (issue 12: a quiet network measurement), and the full run samples it for 30 s.
  if (phase === 'network') return until('ping alone', async () => (await has(PEER, 'ping')) && !(await has(dataDir, 'fio')));
  if (phase === 'load') {
    await until(
      'the throwaway etcd with fio and ping done',
      async () => (await has(dataDir, '--initial-cluster-state')) && !(await has(dataDir, 'fio')) && !(await has(PEER, 'ping')),
    );
    await sleep(1_500);
    return;
  }
  // The first temporary report file: the files are being written.
  return new Promise<void>((resolve) => {
    const w = watch(out, (_event, name) => {
      if (name !== null && String(name).endsWith('.tmp')) {
        w.close();
        resolve();
      }
    });
  });
}

describe.each(['disk', 'network', 'load', 'report'] as Phase[])('run interrupted in the %s phase', (phase) => {
  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as Signal[])(
    '%s',
    async (signal) => {
      const dir = join(work, `${phase}-${signal}`);
      const dataDir = join(dir, 'data');
      const out = join(dir, 'out');
      await mkdir(dataDir, { recursive: true });
      await mkdir(out, { recursive: true });
      // Its own process group, as a command started from a shell is: SIGINT goes to the group, as Ctrl-C on a terminal does.
      const child = runCli(['run', ...(phase === 'network' ? [] : ['--quick']), '--peers', PEER, '--data-dir', dataDir, '--out', out], {
        cwd: dir,
        detached: true,
      });
      const reached = reach(phase, dataDir, out);
      const ended = child.then(() => 'ended' as const);
      if ((await Promise.race([reached.then(() => 'reached' as const), ended])) === 'ended') {
        // The run finished before the phase was seen (the report phase lasts milliseconds): nothing to interrupt this time.
        expect(phase).toBe('report');
        return;
      }
      if (signal === 'SIGINT') process.kill(-child.pid!, 'SIGINT');
      else child.kill(signal);
      const t0 = Date.now();
      const r = await child;
      const stopSec = (Date.now() - t0) / 1000;

      // Nothing outlives the tool: fio and etcd (by their directory) and ping (by its peer) are gone within seconds, kill -9 included.
      await until('no process left', async () => (await processesMentioning(dataDir)).length === 0 && (await processesMentioning(PEER)).length === 0, 5_000);
      const reportPath = join(out, 'report.json');

      if (signal === 'SIGKILL') {
        expect(r.signal).toBe('SIGKILL');
        // A report is whole or absent; the dead run's scratch and temporary files go with the next run.
        if (existsSync(reportPath)) JSON.parse(await readFile(reportPath, 'utf8'));
        expect(phase === 'report' || !existsSync(reportPath)).toBe(true);
        await sweepDeadScratch(dataDir, 'etcd-advisor-');
        expect(await readdir(dataDir)).toEqual([]);
        const release = await claimOutDir(out, 'next-run');
        expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        await release();
        return;
      }

      expect(r.exitCode).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(stopSec).toBeLessThan(20);
      expect(await readdir(dataDir)).toEqual([]);
      expect((await readdir(out)).sort()).toEqual([...REPORT_FILES].sort());
      const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
      // Nothing blames etcd or the disk for the signal.
      expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(String(r.stdout)).not.toMatch(/NOT QUALIFIED|requests failed/);
      if (phase === 'report') {
        // The signal came while the files were written: they were finished, each whole.
        expect(String(r.stderr)).toMatch(new RegExp(`stopped by ${signal}`));
        return;
      }
      expect(report.verdict).toBe('incomplete');
      expect(report.artifacts.interruption).toMatchObject({ signal });
      expect(report.artifacts.interruption!.cutShort).toContain(phase);
      // A phase after the one interrupted never starts: no fio after a Ctrl-C during the RTT measurement.
      if (phase === 'network') {
        expect(report.artifacts.interruption!.notStarted).toEqual(expect.arrayContaining(['disk', 'load']));
        expect(report.artifacts.disk).toBeUndefined();
      }
      const interrupted = report.checks.find((c) => c.id === 'run.interrupted')!;
      expect(interrupted.status).toBe('error');
      expect(interrupted.message).toMatch(new RegExp(`stopped by ${signal}`));
      // The cut-short phase is not judged at all.
      const judged = report.checks.filter((c) => c.section === phase);
      expect(judged).toEqual([]);
      expect(String(r.stdout)).toMatch(/COULD NOT COMPLETE/);
    },
    120_000,
  );
});

describe('run and the places it writes', () => {
  const quickRun = (dir: string, args: string[]) => runCli(['run', '--quick', '--peers', PEER, ...args], { cwd: dir });

  it.each([
    ['a full filesystem', { size: '64k', fill: true, readOnly: false }, /^etcd-advisor: --out .*: cannot write there \(ENOSPC: no space left on device\)/],
    ['a read-only filesystem', { size: '64k', fill: false, readOnly: true }, /^etcd-advisor: --out .*: cannot write there \(EROFS: read-only file system\)/],
  ])('--out on %s is refused with its errno before anything is measured', async (name, mount, message) => {
    const dir = join(work, `out-${name.replace(/\W+/g, '-')}`);
    const out = join(dir, 'out');
    const dataDir = join(dir, 'data');
    await mkdir(dataDir, { recursive: true });
    const unmount = await mountTmpfs(out, mount.size, { readOnly: mount.readOnly });
    try {
      if (mount.fill) await fill(out);
      const t0 = Date.now();
      const r = await quickRun(dir, ['--out', out, '--data-dir', dataDir]);
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr)).toMatch(message);
      expect(String(r.stderr).trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      // No fio ran: the scratch directory was never made, and the answer came in seconds.
      expect(await readdir(dataDir)).toEqual([]);
      expect((Date.now() - t0) / 1000).toBeLessThan(8);
      expect((await readdir(out)).filter((f) => f !== 'filler')).toEqual([]);
    } finally {
      await unmount();
    }
  });

  it('--data-dir on a read-only filesystem says EROFS', async () => {
    const dir = join(work, 'data-ro');
    const dataDir = join(dir, 'data');
    const unmount = await mountTmpfs(dataDir, '64k', { readOnly: true });
    try {
      const r = await quickRun(dir, ['--out', join(dir, 'out'), '--data-dir', dataDir]);
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr)).toMatch(/^etcd-advisor: --data-dir .*: cannot write there \(EROFS: read-only file system\)/);
    } finally {
      await unmount();
    }
  });

  it('a second run aimed at the --out a live run holds is refused', async () => {
    const dir = join(work, 'held');
    const out = join(dir, 'out');
    await mkdir(dir, { recursive: true });
    const first = quickRun(dir, ['--out', out]);
    await until('the first run to hold --out', () => existsSync(join(out, '.etcd-advisor.lock')));
    const second = await quickRun(dir, ['--out', out]);
    expect(second.exitCode).toBe(2);
    expect(String(second.stderr)).toMatch(/--out .* is being written by another run \(pid \d+, run \S+, started .*\): give another --out/);
    const r = await first;
    expect([0, 1]).toContain(r.exitCode);
    expect((await readdir(out)).sort()).toEqual([...REPORT_FILES].sort());
  }, 120_000);

  it('a disk that fills during the run: the verdict and every check are printed, and the files it could not write are named', async () => {
    const dir = join(work, 'fills');
    const out = join(dir, 'out');
    await mkdir(dir, { recursive: true });
    const unmount = await mountTmpfs(out, '1m');
    try {
      const child = quickRun(dir, ['--out', out]);
      // Once --out has been proven writable and claimed, something else fills it.
      await until('the run to hold --out', () => existsSync(join(out, '.etcd-advisor.lock')));
      await fill(out);
      const r = await child;
      const stdout = String(r.stdout);
      expect(r.exitCode).toBe(3);
      expect(stdout).toMatch(/^\n?(QUALIFIED|NOT QUALIFIED|COULD NOT COMPLETE)/);
      // A title may wrap in its column of the table: its first words are on the row with the value.
      expect(stdout).toMatch(/(PASS|WARN|FAIL) +fdatasync p99 latency/);
      expect(stdout).toMatch(/Could not write:\n {2}.*report\.html: ENOSPC: no space left on device/);
      expect(String(r.stderr)).toMatch(
        /could not write \d of the report files in .* \(ENOSPC: no space left on device\); the verdict and checks are on stdout/,
      );
      // No half-written, 0-byte or temporary file is left.
      for (const f of await readdir(out)) {
        expect(f.endsWith('.tmp')).toBe(false);
        if (f !== 'filler') expect((await readFile(join(out, f))).length).toBeGreaterThan(0);
      }
    } finally {
      await unmount();
    }
  }, 120_000);
});
