// `etcd-advisor observe` end to end against real 3-member etcd clusters on loopback: a stalled peer path, a throttled disk, Ctrl-C, bad usage.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startTestCluster, writeFor, type TestCluster } from '../support/etcd-cluster.js';
import { ETCD_3_4 } from '../support/etcd-versions.js';
import { canThrottle, throttleWrites } from '../support/slow-disk.js';

const dirs: string[] = [];
let cluster: TestCluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  cluster = null;
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function outDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'obs-cli-'));
  dirs.push(d);
  return d;
}

async function readReport(dir: string): Promise<Report> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
}

const check = (r: Report, id: string) => r.checks.filter((c) => c.id === id);

/** The member that leads, from each member's own /metrics. */
async function leaderOf(c: TestCluster) {
  for (const m of c.members) {
    const text = await (await fetch(`${m.metricsUrl}/metrics`)).text();
    if (/^etcd_server_is_leader 1$/m.test(text)) return m;
  }
  throw new Error('no member leads');
}

describe('observe: a stalled peer path', () => {
  it('counts the leader changes and failed heartbeats, blames the network and names the stalled member and the slowest pair', async () => {
    cluster = await startTestCluster({ hosts: ['127.0.0.30', '127.0.0.31', '127.0.0.32'], binary: ETCD_3_4.binary, proxies: true, parentDir: '/dev/shm' });
    // rafthttp sends a member's messages over the connections its peers open to its own peer URL: stalling the
    // leader's proxy silences its heartbeats. 120 ms each way, and nothing for 2.5 s every 8 s, longer than the 1 s
    // election timeout: the followers elect another leader.
    const stalled = await leaderOf(cluster);
    stalled.proxy!.delayMs = 120;
    stalled.proxy!.stall = { everyMs: 8000, forMs: 2500, firstAtMs: stalled.proxy!.elapsedMs() + 4000 };
    const out = await outDir();
    const r = await runCli(['observe', '--endpoints', cluster.endpoints.join(','), '--for', '40s', '--every', '2s', '--out', out], { timeout: 120_000 });
    const report = await readReport(out);
    const summary = report.checks
      .filter((c) => c.id.startsWith('observe.'))
      .map((c) => `${c.status} ${c.title}: ${c.message}`)
      .join('\n');
    expect(r.stderr, summary).toBe('');
    const changes = check(report, 'observe.leader-changes')[0]!;
    expect(changes.value as number, summary).toBeGreaterThanOrEqual(1);
    expect(['warn', 'fail']).toContain(changes.status);
    const cause = check(report, 'observe.root-cause')[0]!;
    expect(cause.value, summary).toBe('network');
    expect(cause.message).toContain(`The network on ${stalled.name} (${stalled.clientUrl})`);
    // The slowest pair is the one the rule names, and it leads to the stalled member.
    const slowest = check(report, 'observe.peer-rtt').sort((a, b) => (b.value as number) - (a.value as number))[0]!;
    const pair = slowest.title.split(': ').pop()!;
    expect(pair).toMatch(new RegExp(`→ ${stalled.name}$`));
    expect(cause.message).toContain(`slowest pair ${pair}`);
    expect(slowest.value as number).toBeGreaterThan(150);
    // The advice sizes the election timeout from the RTT etcd itself measured.
    const election = report.advice.flags.find((f) => f.flag === 'election-timeout')!;
    expect(election.basis).toContain('etcd peer RTT p99');
    expect(Number(election.value)).toBeGreaterThanOrEqual(10 * (slowest.value as number) * 0.99);
    // Warnings: the etcd alerts for RTT and leader changes are warnings too; the exit code says so (0, warnings allowed).
    expect(
      report.checks.filter((c) => c.status === 'fail'),
      summary,
    ).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Root cause');
  });
});

describe('observe: a slow disk under one member', () => {
  it('sees its fsync p99 cross 10 ms, blames the disk and names that member', async () => {
    expect(await canThrottle(), 'this machine has no cgroup io (v2) or blkio (v1) controller to make a slow disk with').toBe(true);
    // m1 and m2 keep their data on tmpfs, where fsync is free; m3's is on the real disk, its writes capped at 20 IOPS.
    const slowParent = await outDir();
    cluster = await startTestCluster({
      hosts: ['127.0.0.37', '127.0.0.38', '127.0.0.39'],
      binary: ETCD_3_4.binary,
      parentDir: '/dev/shm',
      dataDirOf: (i) => (i === 2 ? slowParent : undefined),
    });
    const slow = cluster.members[2]!;
    const throttle = await throttleWrites(slow.pid, slow.dataDir, 20);
    try {
      const out = await outDir();
      const [r] = await Promise.all([
        runCli(
          [
            'observe',
            '--endpoints',
            cluster.endpoints.join(','),
            '--metrics-urls',
            cluster.members.map((m) => m.metricsUrl).join(','),
            '--for',
            '20s',
            '--every',
            '2s',
            '--out',
            out,
          ],
          { timeout: 120_000 },
        ),
        writeFor(cluster.endpoints, 18_000),
      ]);
      const report = await readReport(out);
      const summary = report.checks
        .filter((c) => c.id.startsWith('observe.'))
        .map((c) => `${c.status} ${c.title}: ${c.message}`)
        .join('\n');
      const fsync = check(report, 'observe.wal-fsync');
      const slowCheck = fsync.find((c) => c.title.includes(slow.clientUrl))!;
      expect(slowCheck.value as number, summary).toBeGreaterThan(10);
      expect(['warn', 'fail']).toContain(slowCheck.status);
      for (const c of fsync.filter((x) => x !== slowCheck)) expect(c.status, summary).toBe('pass');
      const cause = check(report, 'observe.root-cause')[0]!;
      expect(cause.value, summary).toBe('disk');
      expect(cause.message).toContain(`The disk on ${slow.name} (${slow.clientUrl})`);
      expect(r.exitCode).toBe(report.verdict === 'not-qualified' ? 1 : 0);
      // The fsync tail etcd measured is what the election timeout outlasts.
      const election = report.advice.flags.find((f) => f.flag === 'election-timeout');
      expect(election?.basis ?? '', summary).toContain('etcd WAL fsync p99.9');
    } finally {
      await throttle.remove();
    }
  });
});

describe('observe: a healthy cluster, Ctrl-C and bad usage', () => {
  it('ends the window on Ctrl-C: writes what it scraped, marked interrupted, judges none of it and exits 130', async () => {
    cluster = await startTestCluster({ hosts: ['127.0.0.50', '127.0.0.51', '127.0.0.52'], binary: ETCD_3_4.binary, parentDir: '/dev/shm' });
    const out = join(await outDir(), 'report');
    const child = runCli(['observe', '--endpoints', cluster.endpoints.join(','), '--for', '5m', '--every', '1s', '--out', out], { timeout: 120_000 });
    // The CLI takes seconds to start on a busy machine: Ctrl-C once the window is open (its report directory is made first).
    const interrupt = async () => {
      while (!existsSync(out)) await new Promise((res) => setTimeout(res, 200));
      await writeFor(cluster!.endpoints, 4000);
      child.kill('SIGINT');
    };
    const [r] = await Promise.all([child, interrupt()]);
    expect(r.stderr).toContain('SIGINT received: finishing early');
    const report = await readReport(out);
    const o = report.artifacts.observation!;
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.data.endedEarly).toBe('interrupted');
    expect(o.data.requestedSec).toBe(300);
    expect(o.data.durationSec).toBeLessThan(30);
    expect(o.data.members.every((m) => m.scrapes >= 3 && m.figures!.walFsync!.count > 0)).toBe(true);
    // What was scraped is kept, but a window cut short is no window: no observe check, no flag, no etcd.conf.
    expect(r.exitCode, String(r.stderr)).toBe(130);
    expect(report.verdict).toBe('incomplete');
    expect(report.artifacts.interruption).toMatchObject({ signal: 'SIGINT', cutShort: ['observation'], notStarted: ['cluster'] });
    expect(check(report, 'run.interrupted')[0]!.message).toContain('the observation window, which is not judged');
    expect(report.checks.filter((c) => c.id.startsWith('observe.'))).toEqual([]);
    expect(report.advice.flags).toEqual([]);
    expect(r.stderr).toContain('marked interrupted (verdict incomplete, not judged)');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Observed window');
    expect(html).toContain('WAL fsync p99 per member');
    // The section is in the page's navigation, and its many-column member table scrolls in its own box.
    expect(html).toContain('<a href="#observe">observed window</a>');
    expect(html).toContain('<div class="scroll"><table class="dense">');
    for (const f of ['report.csv', 'summary.md']) expect((await readFile(join(out, f), 'utf8')).length).toBeGreaterThan(0);
    expect(existsSync(join(out, 'etcd.conf'))).toBe(false);
    expect(existsSync(join(out, 'etcd.service'))).toBe(false);
  });

  it('with no member answering: incomplete (exit 3), no flag advised, no etcd.conf, the title names the cluster', async () => {
    const out = join(await outDir(), 'report');
    const r = await runCli(['observe', '--endpoints', 'http://127.0.0.1:1', '--for', '3s', '--every', '1s', '--out', out], { timeout: 60_000 });
    expect(r.exitCode, String(r.stdout)).toBe(3);
    const report = await readReport(out);
    expect(report.verdict).toBe('incomplete');
    expect(report.advice.flags).toEqual([]);
    expect(report.advice.unitSettings).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.checks.find((c) => c.title === 'Flags for the members')!.message).toMatch(/no member answered/);
    expect(existsSync(join(out, 'etcd.conf'))).toBe(false);
    expect(existsSync(join(out, 'etcd.service'))).toBe(false);
    const summary = await readFile(join(out, 'summary.md'), 'utf8');
    expect(summary.split('\n')[0]).toBe('# etcd-advisor: cluster 127.0.0.1:1');
    // grpc-js's own words never reach the operator.
    expect(`${String(r.stdout)}${summary}`).not.toMatch(/Resolution note|No connection established|14 UNAVAILABLE/);
  });

  it('refuses bad usage with one line naming the flag, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['observe'], /give --endpoints/],
      [['observe', '--endpoints', 'http://127.0.0.33:2379', '--for', 'soon'], /--for "soon" is not a duration/],
      [['observe', '--endpoints', 'http://127.0.0.33:2379', '--every', '100ms'], /--every "100ms": must be from/],
      [['observe', '--endpoints', 'http://127.0.0.33:2379', '--for', '10s', '--every', '1m'], /--every 1m is longer than --for 10s/],
      [
        ['observe', '--endpoints', 'http://127.0.0.33:2379,http://127.0.0.34:2379', '--metrics-urls', 'http://127.0.0.33:2381'],
        /--metrics-urls gives 1 URL\(s\) for 2 endpoint\(s\)/,
      ],
      [['observe', '--endpoints', 'https://127.0.0.33:2379', '--cacert', '/nonexistent/ca.pem'], /--cacert/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(String(r.stderr)).toMatch(message);
      expect(String(r.stderr)).not.toMatch(/\n\s+at /);
    }
  });
});
