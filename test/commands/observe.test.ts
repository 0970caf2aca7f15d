// `etcd-advisor observe` end to end against real 3-member etcd clusters on loopback: a stalled peer path, a throttled disk, Ctrl-C, bad usage.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { startTestCluster, type TestCluster } from '../support/etcd-cluster.js';
import { ETCD_3_4 } from '../support/etcd-versions.js';

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
    const summary = report.checks.filter((c) => c.id.startsWith('observe.')).map((c) => `${c.status} ${c.title}: ${c.message}`).join('\n');
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
    expect(report.checks.filter((c) => c.status === 'fail'), summary).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Root cause');
  });
});
