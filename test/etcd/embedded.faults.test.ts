// A throwaway etcd that dies, freezes or runs out of space under the load is "the throwaway etcd exited/stopped answering" (exit 3) with etcd's own last error lines, never a verdict on the node.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdErrorLines } from '../../src/etcd/embedded.js';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { mountTmpfs } from '../support/mounts.js';
import { processesMentioning } from '../support/processes.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ea16-etcd-faults-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of the throwaway etcd whose data is under `dir`, once it runs. */
async function etcdUnder(dir: string): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const found = (await processesMentioning(dir)).find((p) => p.includes('--initial-cluster-state'));
    if (found !== undefined) return Number(found.split(':')[0]);
    await sleep(50);
  }
  throw new Error('the throwaway etcd did not start');
}

describe('etcdErrorLines', () => {
  it('takes etcd 3.4 capnslog errors and 3.5 zap errors, never the goroutine dump', () => {
    const capnslog = [
      '2026-12-01 09:35:31.250310 I | etcdserver: name = etcd-advisor',
      '2026-12-01 09:35:31.251000 C | etcdserver: create wal error: no space left on device',
      'panic: create wal error: no space left on device',
      '',
      'goroutine 1 [running]:',
      '\tgo.etcd.io/etcd/etcdserver.NewServer(0xc000, 0x0)',
      '\t/build/etcd/etcdserver/server.go:460 +0x3f0',
    ].join('\n');
    expect(etcdErrorLines(capnslog)).toEqual(['etcdserver: create wal error: no space left on device', 'panic: create wal error: no space left on device']);
    const zap = '{"level":"info","msg":"starting"}\n{"level":"fatal","msg":"failed to create WAL","error":"no space left on device"}\n';
    expect(etcdErrorLines(zap)).toEqual(['failed to create WAL: no space left on device']);
  });
});

describe('the throwaway etcd under the load', () => {
  const load = (dataDir: string, extra: string[] = []) =>
    runCli(['load', '--scenario', 'quick', '--duration', '15s', '--data-dir', dataDir, ...extra], { cwd: work });

  it.each([
    ['killed (kill -9)', 'SIGKILL', /^etcd-advisor: the throwaway etcd exited during the load \(killed by SIGKILL\)\. The load is not judged/],
    ['frozen (SIGSTOP)', 'SIGSTOP', /^etcd-advisor: the throwaway etcd stopped answering during the load/],
  ] as const)(
    '%s: exit 3 in its own words, no verdict, no clean-up advice, nothing left',
    async (_name, signal, message) => {
      const dataDir = join(work, signal);
      await mkdir(dataDir);
      const child = load(dataDir);
      const pid = await etcdUnder(dataDir);
      await sleep(2_000);
      process.kill(pid, signal);
      const r = await child;
      expect(r.exitCode).toBe(3);
      expect(String(r.stderr)).toMatch(message);
      expect(String(r.stderr) + String(r.stdout)).not.toMatch(/del --prefix|requests failed|NOT QUALIFIED/);
      expect(await processesMentioning(dataDir)).toEqual([]);
      expect(await readdir(dataDir)).toEqual([]);
    },
    90_000,
  );

  it('out of space when it starts: etcd\'s own "create wal error", not a Go stack line', async () => {
    const dataDir = join(work, 'tiny');
    const unmount = await mountTmpfs(dataDir, '40m');
    try {
      const r = await load(dataDir);
      expect(r.exitCode).toBe(3);
      expect(String(r.stderr)).toMatch(/could not start the throwaway etcd: etcd exited \(\d+\): .*create wal error: no space left on device/);
      expect(String(r.stderr)).not.toMatch(/goroutine|\.go:\d+/);
      expect(String(r.stderr).trim().split('\n')).toHaveLength(1);
    } finally {
      await unmount();
    }
  }, 90_000);

  it('out of space during load --val-size 64KiB: exited, with etcd\'s "no space left on device"', async () => {
    const dataDir = join(work, 'small');
    const unmount = await mountTmpfs(dataDir, '120m');
    try {
      const r = await load(dataDir, ['--val-size', '64KiB']);
      expect(r.exitCode).toBe(3);
      expect(String(r.stderr)).toMatch(/^etcd-advisor: the throwaway etcd exited during the load \(exit code \d+\): .*no space left on device/);
      expect(String(r.stderr)).not.toMatch(/del --prefix|goroutine/);
      expect(await processesMentioning(dataDir)).toEqual([]);
    } finally {
      await unmount();
    }
  }, 120_000);

  it("run --quick with the throwaway etcd killed: exit 3, the load is an error naming etcd's end, no check fails", async () => {
    const dataDir = join(work, 'run-killed');
    const out = join(work, 'run-killed-out');
    await mkdir(dataDir);
    const child = runCli(['run', '--quick', '--data-dir', dataDir, '--out', out], { cwd: work });
    const pid = await etcdUnder(dataDir);
    await sleep(1_500);
    process.kill(pid, 'SIGKILL');
    const r = await child;
    expect(r.exitCode).toBe(3);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.verdict).toBe('incomplete');
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    const loadChecks = report.checks.filter((c) => c.section === 'load');
    expect(loadChecks.map((c) => c.status)).toEqual(['error']);
    expect(loadChecks[0]!.message).toMatch(/the throwaway etcd exited during the load \(killed by SIGKILL\)/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(await readdir(dataDir)).toEqual([]);
  }, 90_000);
});
