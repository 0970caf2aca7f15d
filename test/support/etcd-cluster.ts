// A real multi-member etcd cluster on the caller's loopback addresses, optionally with a delay proxy in front of each member's peer port.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { createEtcd3Client } from '../../src/etcd/client.js';
import { freePorts } from '../../src/util/ports.js';
import { startDelayProxy, type DelayProxy } from './delay-proxy.js';

export interface ClusterMember {
  name: string;
  host: string;
  clientUrl: string;
  /** The peer URL the others use: the proxy's when there is one. */
  peerUrl: string;
  metricsUrl: string;
  dataDir: string;
  /** Traffic into this member's peer port passes through it (null without proxies). */
  proxy: DelayProxy | null;
  process: ResultPromise;
  pid: number;
  /** SIGKILL, as a crash: no clean shutdown. */
  kill(): Promise<void>;
}

export interface TestCluster {
  members: ClusterMember[];
  endpoints: string[];
  stop(): Promise<void>;
}

export interface TestClusterOptions {
  /** One loopback address per member, from the test file's own range. */
  hosts: string[];
  binary?: string;
  /** Member i's binary instead of `binary` (a cluster mid-upgrade). */
  binaryOf?: (i: number) => string;
  /** Put a delay proxy in front of every member's peer port (set delays and stalls on `member.proxy` later). */
  proxies?: boolean;
  /** Parent of the data directories; default a new temporary directory (tmpfs: /dev/shm, for a disk that is never the cause). */
  parentDir?: string;
  /** Another parent for member i's data directory (a real disk beside tmpfs ones). */
  dataDirOf?: (i: number) => string | undefined;
  /** Extra flags for member i. */
  extraArgs?: (i: number) => string[];
  startTimeoutMs?: number;
}

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
    async (r) => r.ok && ((await r.json()) as { health?: string }).health === 'true',
    () => false,
  );
}

export async function startTestCluster(options: TestClusterOptions): Promise<TestCluster> {
  const parent = await mkdtemp(join(options.parentDir ?? tmpdir(), 'obs-cluster-'));
  const specs = await Promise.all(
    options.hosts.map(async (host, i) => {
      const [client, peer, metrics] = (await freePorts(3, host)) as [number, number, number];
      const proxy = options.proxies ? await startDelayProxy({ targetHost: host, targetPort: peer, listenHost: host }) : null;
      return { name: `m${i + 1}`, host, client, peer, metrics, proxy };
    }),
  );
  const token = `obs-${process.pid}-${Date.now()}`;
  const initial = specs.map((s) => `${s.name}=http://${s.host}:${s.proxy?.port ?? s.peer}`).join(',');
  const members: ClusterMember[] = [];
  for (const [i, s] of specs.entries()) {
    const dataDir = join(options.dataDirOf?.(i) ?? parent, s.name);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const clientUrl = `http://${s.host}:${s.client}`;
    const peerUrl = `http://${s.host}:${s.proxy?.port ?? s.peer}`;
    const metricsUrl = `http://${s.host}:${s.metrics}`;
    const args = [
      '--name',
      s.name,
      '--data-dir',
      dataDir,
      '--listen-client-urls',
      clientUrl,
      '--advertise-client-urls',
      clientUrl,
      '--listen-peer-urls',
      `http://${s.host}:${s.peer}`,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--listen-metrics-urls',
      metricsUrl,
      '--initial-cluster',
      initial,
      '--initial-cluster-state',
      'new',
      '--initial-cluster-token',
      token,
      ...(options.extraArgs?.(i) ?? []),
    ];
    // No ETCD_* variable of the caller's may reach the members: etcd refuses a flag that an ETCD_ variable also sets.
    const child = execa(options.binaryOf?.(i) ?? options.binary ?? '/usr/bin/etcd', args, {
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'ignore',
      cleanup: true,
      env: { PATH: process.env.PATH ?? '' },
      extendEnv: false,
    });
    members.push({
      name: s.name,
      host: s.host,
      clientUrl,
      peerUrl,
      metricsUrl,
      dataDir,
      proxy: s.proxy,
      process: child,
      pid: child.pid ?? -1,
      async kill() {
        child.kill('SIGKILL');
        await child;
      },
    });
  }
  const stop = async () => {
    for (const m of members) {
      m.process.kill('SIGTERM');
      const timer = setTimeout(() => m.process.kill('SIGKILL'), 5000);
      await m.process;
      clearTimeout(timer);
      await m.proxy?.close();
    }
    await rm(parent, { recursive: true, force: true });
    for (const m of members) await rm(m.dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (const m of members) {
    while (!(await healthy(m.clientUrl))) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`etcd member ${m.name} at ${m.clientUrl} did not become healthy`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { members, endpoints: members.map((m) => m.clientUrl), stop };
}

/** Puts 256-byte values for `ms`, 8 at a time, through the first endpoint: every member's WAL then has fsyncs to count. */
export async function writeFor(endpoints: readonly string[], ms: number): Promise<number> {
  const client = await createEtcd3Client({ endpoints: [endpoints[0]!] });
  let n = 0;
  const end = Date.now() + ms;
  try {
    while (Date.now() < end) {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          client
            .put(`/obs/${n}-${i}`)
            .value('x'.repeat(256))
            .catch(() => undefined),
        ),
      );
      n += 8;
    }
  } finally {
    client.close();
  }
  return n;
}
