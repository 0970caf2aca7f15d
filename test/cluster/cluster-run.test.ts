// Three `etcd-advisor run --cluster` processes on 127.0.0.21-23 (Ctrl-C on .53-.55), real etcd members, the suite's delay proxy on every peer path.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterReport } from '../../src/cluster/report.js';
import type { Report } from '../../src/model/report.js';
import { roundSummary } from '../../src/cluster/report.js';
import { freePort } from '../../src/util/ports.js';
import { runCli } from '../support/cli.js';
import { startDelayProxy, type DelayProxy, type StallSchedule } from '../support/delay-proxy.js';
import { processesMentioning } from '../support/processes.js';
import { makeTestCa } from '../support/openssl.js';
import { parseEnvironmentFile, putGet, spawnEtcd, waitHealthy, type StartedEtcd } from '../report/unit-systemd.js';

const HOSTS = ['127.0.0.21', '127.0.0.22', '127.0.0.23'];
/** One-way delay each proxy adds: a round trip on a peer URL gains twice this. */
const DELAY_MS = 15;
/** The RTT matrix must show the added 2 x DELAY_MS within this (the p50 of an HTTP GET on a busy 2-core host). */
const RTT_TOLERANCE_MS = 20;
/**
 * A stall longer than etcd's default election timeout even at its randomized top (2 x 1000 ms), so that the defaults must
 * change leader; every 5 s, so that the --quick mesh (8 s) sees a whole one and sizes the election timeout from it.
 */
const STALL: StallSchedule = { everyMs: 5_000, forMs: 2_200, firstAtMs: 4_000 };
/** Ctrl-C on one node ends every node within this (stop key polled every 0.5 s, member stop, clean-up). */
const INTERRUPT_END_MS = 25_000;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ea13-cluster-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Trio {
  dirs: { data: string; out: string }[];
  proxies: DelayProxy[];
  runs: ResultPromise[];
  clusterArg: string;
}

/** Ports free on all three addresses: the three members use the same ones, as on three real hosts. */
async function commonFreePort(hosts: string[] = HOSTS): Promise<number> {
  for (;;) {
    const port = await freePort(hosts[0]);
    const free = await Promise.all(
      hosts.slice(1).map((h) =>
        import('node:net').then(
          ({ createServer }) =>
            new Promise<boolean>((r) => {
              const s = createServer();
              s.once('error', () => r(false));
              s.listen(port, h, () => s.close(() => r(true)));
            }),
        ),
      ),
    );
    if (free.every(Boolean)) return port;
  }
}

async function startTrio(
  tag: string,
  opts: { stall?: StallSchedule; args?: string[]; only?: number[]; wait?: number; perNode?: (i: number) => string[]; hosts?: string[] },
): Promise<Trio> {
  const hosts = opts.hosts ?? HOSTS;
  const clientPort = await commonFreePort(hosts);
  const peerPort = await commonFreePort(hosts);
  // Each member's peer URL in --cluster is a proxy on its own address in front of its real peer listener.
  const proxies: DelayProxy[] = [];
  for (const h of hosts)
    proxies.push(
      await startDelayProxy({ targetHost: h, targetPort: peerPort, listenHost: h, delayMs: DELAY_MS, ...(opts.stall ? { stall: opts.stall } : {}) }),
    );
  const clusterArg = hosts.map((h, i) => `n${i + 1}=${h}:${proxies[i]!.port}`).join(',');
  const dirs = hosts.map((_, i) => ({ data: join(root, `${tag}-d${i + 1}`), out: join(root, `${tag}-o${i + 1}`) }));
  const { mkdir } = await import('node:fs/promises');
  for (const d of dirs) await mkdir(d.data, { recursive: true });
  const runs = (opts.only ?? [0, 1, 2]).map((i) =>
    runCli([
      'run',
      '--cluster',
      clusterArg,
      '--name',
      `n${i + 1}`,
      '--data-dir',
      dirs[i]!.data,
      '--out',
      dirs[i]!.out,
      '--member-client-port',
      String(clientPort),
      '--member-peer-port',
      String(peerPort),
      '--run-label',
      tag,
      '--wait',
      `${opts.wait ?? 60}s`,
      '--quick',
      ...(opts.args ?? []),
      ...(opts.perNode?.(i) ?? []),
    ]),
  );
  return { dirs, proxies, runs, clusterArg };
}

async function closeProxies(t: Trio): Promise<void> {
  await Promise.all(t.proxies.map((p) => p.close()));
}

async function nothingLeft(t: Trio): Promise<void> {
  for (const d of t.dirs) {
    expect(await readdir(d.data), `scratch left in ${d.data}`).toEqual([]);
    expect(await processesMentioning(d.data), `processes left for ${d.data}`).toEqual([]);
  }
}

describe('run --cluster: three nodes, delayed and stalled peer paths, --validate', () => {
  let trio: Trio;
  let results: Awaited<ResultPromise>[];
  let report: ClusterReport;

  beforeAll(async () => {
    trio = await startTrio('validate', { stall: STALL, args: ['--validate'] });
    const started = Date.now();
    results = await Promise.all(trio.runs);
    // --quick with --validate: two load rounds and a restart under stalls, still well inside the 45 s of --quick alone x2.
    expect(Date.now() - started).toBeLessThan(150_000);
    await closeProxies(trio);
    // Say what the nodes said when the driver wrote no cluster report (stalls on a busy host are the usual suspect).
    for (const [i, r] of results.entries()) expect([0, 1], `n${i + 1} exit ${r.exitCode}: ${String(r.stderr)}`).toContain(r.exitCode);
    report = JSON.parse(await readFile(join(trio.dirs[0]!.out, 'cluster', 'cluster-report.json'), 'utf8')) as ClusterReport;
  }, 200_000);

  it('every node finishes with a report and leaves nothing behind', async () => {
    for (const [i, r] of results.entries()) {
      expect(r.exitCode, `n${i + 1}: ${String(r.stderr)}`).not.toBe(3);
      expect(r.exitCode, `n${i + 1}: ${String(r.stderr)}`).not.toBe(2);
      const node = JSON.parse(await readFile(join(trio.dirs[i]!.out, 'report.json'), 'utf8')) as {
        artifacts: { clusterRun?: { ok: boolean; data?: { self: string } } };
      };
      expect(node.artifacts.clusterRun?.ok).toBe(true);
      expect(node.artifacts.clusterRun?.data?.self).toBe(`n${i + 1}`);
      expect(await readFile(join(trio.dirs[i]!.out, 'cluster.md'), 'utf8')).toContain('RTT p99 matrix');
    }
    await nothingLeft(trio);
  });

  it('the RTT matrix shows the delay the proxies add on every pair', () => {
    const http = report.cluster.mesh.filter((l) => l.method === 'http');
    expect(http).toHaveLength(6);
    for (const l of http) {
      expect(l.p50Ms, `${l.from}->${l.to}`).not.toBeNull();
      expect(l.p50Ms!, `${l.from}->${l.to}`).toBeGreaterThanOrEqual(2 * DELAY_MS);
      expect(l.p50Ms!, `${l.from}->${l.to}`).toBeLessThan(2 * DELAY_MS + RTT_TOLERANCE_MS);
      // The stall shows as the longest gap between replies.
      expect(l.longestGapMs, `${l.from}->${l.to}`).toBeGreaterThan(STALL.forMs * 0.8);
    }
    expect(report.cluster.slowestPair).not.toBeNull();
  });

  it('under stalls the defaults change leader and the validated flags do not', () => {
    expect(report.cluster.rounds.map((r) => r.flags)).toEqual(['defaults', 'recommended']);
    const [defaults, recommended] = report.cluster.rounds.map(roundSummary);
    expect(defaults!.electionMs).toBe(1000);
    expect(recommended!.electionMs).toBeGreaterThanOrEqual(2 * STALL.forMs);
    expect(defaults!.leaderChanges).toBeGreaterThan(0);
    expect(recommended!.leaderChanges).toBe(0);
    // Every member's /metrics was read in both rounds: wal fsync came from etcd itself.
    for (const round of report.cluster.rounds)
      for (const m of round.metrics.filter((x) => x.phase === 'load')) expect(m.window?.walFsync?.count ?? 0, m.member).toBeGreaterThan(0);
    // One flag set, and it is what the second round ran with.
    const flags = Object.fromEntries(report.advice.flags.map((f) => [f.flag, f.value]));
    expect(flags['election-timeout']).toBe(recommended!.electionMs);
    expect(flags['heartbeat-interval']).toBe(recommended!.heartbeatMs);
  });

  it("each member's generated etcd.service + etcd.conf start a real 3-member cluster", async () => {
    const started: StartedEtcd[] = [];
    try {
      const confs = await Promise.all([1, 2, 3].map((i) => readFile(join(trio.dirs[0]!.out, 'cluster', `n${i}`, 'etcd.conf'), 'utf8')));
      const envs = confs.map(parseEnvironmentFile);
      expect(envs.map((e) => e.ETCD_NAME)).toEqual(['n1', 'n2', 'n3']);
      expect(new Set(envs.map((e) => e.ETCD_INITIAL_CLUSTER)).size).toBe(1);
      expect(new Set(envs.map((e) => e.ETCD_ELECTION_TIMEOUT)).size).toBe(1);
      // Each member's data directory is the one its node tested.
      expect(envs.map((e) => e.ETCD_DATA_DIR)).toEqual(trio.dirs.map((d) => d.data));
      for (const env of envs) started.push(spawnEtcd(['etcd'], env));
      await Promise.all(started.map((e, i) => waitHealthy(e, envs[i]!.ETCD_ADVERTISE_CLIENT_URLS!, 30_000)));
      expect(await putGet(envs[0]!.ETCD_ADVERTISE_CLIENT_URLS!, envs[2]!.ETCD_ADVERTISE_CLIENT_URLS!, 'ea13', 'three')).toBe('three');
    } finally {
      await Promise.all(started.map((e) => e.stop()));
      for (const d of trio.dirs) await rm(join(d.data, 'member'), { recursive: true, force: true });
    }
  });
});

describe('run --cluster: security, ports and endings', () => {
  it("forms the temporary cluster with mutual TLS from the given certificates, and each member's files name its own", async () => {
    const ca = await makeTestCa('ea13-ca-');
    // Loopback connections leave from 127.0.0.1, and etcd checks a peer's client certificate against its source address.
    const certs = await Promise.all(HOSTS.map((h, i) => ca.issue(`n${i + 1}`, { sans: [h, '127.0.0.1'] })));
    const trio = await startTrio('mtls', { perNode: (i) => ['--peer-cacert', ca.caCert, '--peer-cert', certs[i]!.cert, '--peer-key', certs[i]!.key] });
    try {
      const results = await Promise.all(trio.runs);
      for (const r of results) expect(r.exitCode, String(r.stderr)).toBeLessThanOrEqual(1);
      const report = JSON.parse(await readFile(join(trio.dirs[0]!.out, 'cluster', 'cluster-report.json'), 'utf8')) as ClusterReport;
      expect(report.cluster.security).toBe('mutual-tls');
      // One run: every node's report names the cluster report's run id.
      const ids = await Promise.all(
        trio.dirs.map(async (d) => (JSON.parse(await readFile(join(d.out, 'report.json'), 'utf8')) as { run: { id: string } }).run.id),
      );
      expect(ids).toEqual(HOSTS.map(() => report.run.id));
      for (const [i, c] of certs.entries()) {
        const env = parseEnvironmentFile(await readFile(join(trio.dirs[0]!.out, 'cluster', `n${i + 1}`, 'etcd.conf'), 'utf8'));
        expect(env.ETCD_PEER_CERT_FILE).toBe(c.cert);
        expect(env.ETCD_INITIAL_ADVERTISE_PEER_URLS).toBe(`https://${HOSTS[i]}:2380`);
      }
      await nothingLeft(trio);
    } finally {
      await closeProxies(trio);
      await ca.remove();
    }
  }, 120_000);

  it('refuses a member port that is taken, in one line, before starting anything', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    const port = await new Promise<number>((r) => server.listen(0, HOSTS[0], () => r((server.address() as { port: number }).port)));
    try {
      const r = await runCli(['run', '--cluster', `a=${HOSTS[0]},b=${HOSTS[1]}`, '--name', 'a', '--member-client-port', String(port), '--quick']);
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr).trim().split('\n')).toContainEqual(
        expect.stringMatching(new RegExp(`--member-client-port ${port}: ${HOSTS[0]!.replace(/\./g, '\\.')}:${port} is already in use`)),
      );
    } finally {
      server.close();
    }
  });

  it('Ctrl-C on one node ends every node within the stated time, each with an interrupted report or none, never a verdict, nothing left', async () => {
    const trio = await startTrio('interrupt', { hosts: ['127.0.0.53', '127.0.0.54', '127.0.0.55'] });
    try {
      // Wait until the members have met (n2 says so), then interrupt n2.
      const n2 = trio.runs[1]!;
      await new Promise<void>((resolve) => {
        n2.stderr!.on('data', (c: Buffer) => {
          if (c.toString().includes('all 3 members are up')) resolve();
        });
      });
      const sent = Date.now();
      n2.kill('SIGINT');
      const results = await Promise.all(trio.runs);
      expect(Date.now() - sent).toBeLessThan(INTERRUPT_END_MS);
      expect(results[1]!.exitCode).toBe(130);
      for (const i of [0, 2]) {
        expect(results[i]!.exitCode, String(results[i]!.stderr)).not.toBe(0);
        expect(String(results[i]!.stderr)).toContain('member n2 stopped the cluster run');
      }
      // The interrupted node writes what it measured, marked so; no node writes a verdict on a run cut short.
      const reportOf = async (i: number) => {
        const path = join(trio.dirs[i]!.out, 'report.json');
        return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as Report) : null;
      };
      const n2Report = await reportOf(1);
      expect(n2Report?.artifacts.interruption?.signal).toBe('SIGINT');
      for (const i of [0, 1, 2]) {
        const r = await reportOf(i);
        if (r !== null)
          expect({ verdict: r.verdict, interrupted: r.artifacts.interruption !== undefined }).toEqual({ verdict: 'incomplete', interrupted: true });
      }
      await nothingLeft(trio);
    } finally {
      await closeProxies(trio);
    }
  }, 120_000);

  it('a node that never comes is named in one line on the others', async () => {
    const trio = await startTrio('missing', { only: [0, 1], wait: 8 });
    // Nothing at all where n3 should be: not even its proxy.
    await trio.proxies[2]!.close();
    try {
      const results = await Promise.all(trio.runs);
      for (const r of results) {
        expect(r.exitCode).toBe(3);
        const lines = String(r.stderr)
          .split('\n')
          .filter((l) => l.includes('never came'));
        expect(lines, String(r.stderr)).toHaveLength(1);
        expect(lines[0]).toMatch(/n3 \(127\.0\.0\.23:\d+\) does not answer on its peer port/);
        expect(lines[0]).not.toMatch(/n1 \(|n2 \(/);
      }
      await nothingLeft({ ...trio, dirs: trio.dirs.slice(0, 2) });
    } finally {
      await closeProxies(trio);
    }
  }, 60_000);
});
