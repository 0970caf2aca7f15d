// Test helper: a real 3-member etcd cluster with TLS on both sides, on the loopback addresses a test owns, started as the blog recipe does.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePorts } from '../../src/util/ports.js';
import { makeTestCa, type TestCa } from './openssl.js';

export interface ClusterMemberSpec {
  name: string;
  ip: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
}

export interface TlsCluster {
  ca: TestCa;
  /** One certificate for every member and the client: SANs of every member IP, server and client auth. */
  cert: string;
  key: string;
  members: ClusterMemberSpec[];
  endpoints: string[];
  /** The recipe's flags every member runs with (quota 8 GiB, snapshot-count 50000, max-request-bytes 10 MiB). */
  recipeFlags: string[];
  /** etcdctl with the cluster's TLS flags. */
  ctl(args: string[], endpoints?: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }>;
  /** Starts (again) a member with --initial-cluster-state; `wrapper` goes before etcd (e.g. ionice -c2 -n0). */
  start(name: string, state?: 'new' | 'existing', initialCluster?: string): Promise<void>;
  stop(name: string): Promise<void>;
  waitHealthy(endpoints: string[], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const RECIPE_FLAGS = ['--quota-backend-bytes=8589934592', '--snapshot-count=50000', '--max-request-bytes=10485760'];

export async function startTlsCluster(ips: string[], prefix: string): Promise<TlsCluster> {
  const ca = await makeTestCa(`${prefix}-ca-`);
  const { cert, key } = await ca.issue(`${prefix}-member`, { sans: [...ips, '127.0.0.1'] });
  const members: ClusterMemberSpec[] = [];
  for (const [i, ip] of ips.entries()) {
    const name = `${prefix}${i + 1}`;
    const [clientPort, peerPort] = await freePorts(2, ip);
    members.push({
      name,
      ip,
      clientUrl: `https://${ip}:${clientPort}`,
      peerUrl: `https://${ip}:${peerPort}`,
      dataDir: join(ca.dir, `${name}.etcd`),
    });
  }
  const fullCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  const procs = new Map<string, ResultPromise>();
  const tlsFlags = [
    '--cert-file',
    cert,
    '--key-file',
    key,
    '--trusted-ca-file',
    ca.caCert,
    '--client-cert-auth',
    '--peer-cert-file',
    cert,
    '--peer-key-file',
    key,
    '--peer-trusted-ca-file',
    ca.caCert,
    '--peer-client-cert-auth',
  ];
  const ctl: TlsCluster['ctl'] = async (args, endpoints = members.map((m) => m.clientUrl)) => {
    const r = await execa(
      'etcdctl',
      [`--endpoints=${endpoints.join(',')}`, `--cacert=${ca.caCert}`, `--cert=${cert}`, `--key=${key}`, '--command-timeout=10s', ...args],
      { reject: false, env: { ETCDCTL_API: '3' } },
    );
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode };
  };
  const waitHealthy: TlsCluster['waitHealthy'] = async (endpoints, timeoutMs = 60_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const r = await ctl(['endpoint', 'health'], endpoints);
      if (r.exitCode === 0) return;
      if (Date.now() > until) throw new Error(`cluster not healthy: ${r.stderr}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  };
  const cluster: TlsCluster = {
    ca,
    cert,
    key,
    members,
    endpoints: members.map((m) => m.clientUrl),
    recipeFlags: RECIPE_FLAGS,
    ctl,
    waitHealthy,
    async start(name, state = 'new', initialCluster = fullCluster) {
      const m = members.find((x) => x.name === name)!;
      await mkdir(join(ca.dir), { recursive: true });
      // The recipe's ExecStart: etcd under ionice, as the issue's cluster ran.
      const argv = [
        '-c2',
        '-n0',
        'etcd',
        '--name',
        m.name,
        '--data-dir',
        m.dataDir,
        '--listen-client-urls',
        m.clientUrl,
        '--advertise-client-urls',
        m.clientUrl,
        '--listen-peer-urls',
        m.peerUrl,
        '--initial-advertise-peer-urls',
        m.peerUrl,
        '--initial-cluster',
        initialCluster,
        '--initial-cluster-state',
        state,
        '--initial-cluster-token',
        `${prefix}-token`,
        ...tlsFlags,
        ...RECIPE_FLAGS,
      ];
      procs.set(
        name,
        execa('ionice', argv, { reject: false, stdio: 'ignore', env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD_'))) }),
      );
    },
    async stop(name) {
      const p = procs.get(name);
      if (p === undefined) return;
      p.kill('SIGTERM');
      await p;
      procs.delete(name);
    },
    async close() {
      for (const name of [...procs.keys()]) await cluster.stop(name);
      await ca.remove();
    },
  };
  for (const m of members) await cluster.start(m.name);
  await waitHealthy(cluster.endpoints);
  return cluster;
}

/** Removes a member's data so that it can join again as a new member (after etcdctl member remove). */
export async function wipe(member: ClusterMemberSpec): Promise<void> {
  await rm(member.dataDir, { recursive: true, force: true });
}
