// A real three-member TLS etcd cluster on loopback, on 3.4.23 and 3.5.30: healthy, NOSPACE and its recovery, one member stopped; and a cluster mid-upgrade (3.4 and 3.5 members).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeCluster } from '../../src/status.js';
import { createEtcd3Client, type EtcdConnection } from '../../src/etcd/client.js';
import type { ClusterArtifact } from '../../src/model/artifacts.js';
import { runClusterProbe } from '../../src/probes/cluster.js';
import { freePorts } from '../../src/util/ports.js';
import { describeEtcd, ETCD_3_4, ETCD_3_5, requireEtcd } from '../support/etcd-versions.js';
import { startTestCluster } from '../support/etcd-cluster.js';
import { makeTestCa, type TestCa } from '../support/openssl.js';

// Its own loopback address: a port freePort found free on 127.0.0.1 could be taken by another file's throwaway etcd before this one binds it.
const HOST = '127.0.0.81';
const byId = (checks: ReturnType<typeof judgeCluster>, id: string) => checks.filter((c) => c.id === id);

/** Small enough to fill in a few seconds (the maintenance guide's own example uses 16 MB). */
const QUOTA_BYTES = 16 * 2 ** 20;

interface Member {
  name: string;
  clientUrl: string;
  proc: ResultPromise;
}

describeEtcd('a three-member TLS cluster', (release) => {
  let ca: TestCa;
  let dataRoot: string;
  let members: Member[] = [];
  let conn: EtcdConnection;

  async function etcdctl(args: string[]) {
    return execa(
      'etcdctl',
      ['--endpoints', conn.endpoints.join(','), '--cacert', conn.cacert!, '--cert', conn.cert!, '--key', conn.key!, '--command-timeout', '10s', ...args],
      { env: { ETCDCTL_API: '3' }, reject: false },
    );
  }

  beforeAll(async () => {
    await requireEtcd(release);
    ca = await makeTestCa('ea8-cluster-');
    dataRoot = await mkdtemp(join(tmpdir(), 'ea8-etcd-'));
    const server = await ca.issue('server', { sans: [HOST, 'localhost'] });
    const client = await ca.issue('client', { sans: [HOST] });
    const ports: number[] = [];
    ports.push(...(await freePorts(6, HOST)));
    const names = ['m1', 'm2', 'm3'];
    const peer = (i: number) => `https://${HOST}:${ports[2 * i + 1]}`;
    const initialCluster = names.map((n, i) => `${n}=${peer(i)}`).join(',');
    const tls = [
      '--cert-file',
      server.cert,
      '--key-file',
      server.key,
      '--trusted-ca-file',
      ca.caCert,
      '--client-cert-auth',
      '--peer-cert-file',
      server.cert,
      '--peer-key-file',
      server.key,
      '--peer-trusted-ca-file',
      ca.caCert,
      '--peer-client-cert-auth',
    ];
    members = names.map((name, i) => {
      const clientUrl = `https://${HOST}:${ports[2 * i]}`;
      const proc = execa(
        release.binary,
        [
          '--name',
          name,
          '--data-dir',
          join(dataRoot, name),
          '--quota-backend-bytes',
          String(QUOTA_BYTES),
          '--listen-client-urls',
          clientUrl,
          '--advertise-client-urls',
          clientUrl,
          '--listen-peer-urls',
          peer(i),
          '--initial-advertise-peer-urls',
          peer(i),
          '--initial-cluster',
          initialCluster,
          '--initial-cluster-state',
          'new',
          '--initial-cluster-token',
          `ea8-${process.pid}`,
          ...tls,
        ],
        { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', cleanup: true },
      );
      return { name, clientUrl, proc };
    });
    conn = { endpoints: members.map((m) => m.clientUrl), cacert: ca.caCert, cert: client.cert, key: client.key };
    const deadline = Date.now() + 30_000;
    while ((await etcdctl(['endpoint', 'health'])).exitCode !== 0) {
      if (Date.now() > deadline) throw new Error('the test cluster did not become healthy');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    for (const m of members) m.proc.kill('SIGKILL');
    await Promise.all(members.map((m) => m.proc));
    await rm(dataRoot, { recursive: true, force: true });
    await ca?.remove();
  });

  async function probe(timeoutMs = 3_000): Promise<ClusterArtifact> {
    const result = await runClusterProbe({ connection: conn, callTimeoutMs: timeoutMs });
    if (!result.ok) throw new Error(result.error);
    return result.data;
  }

  describe('runClusterProbe on a three-member TLS cluster', () => {
    it("reads each member's release", async () => {
      const cluster = await probe();
      expect(cluster.endpoints.map((e) => e.status!.version)).toEqual([release.version, release.version, release.version]);
      expect(byId(judgeCluster({ ok: true, data: cluster }), 'cluster.versions')[0]).toMatchObject({
        status: 'pass',
        message: `All 3 answering members run etcd ${release.version}.`,
      });
    });

    it('reads every member on its own, with exact ids and the quota from /metrics', async () => {
      const cluster = await probe();
      expect(cluster.endpoints.map((e) => e.error)).toEqual([undefined, undefined, undefined]);
      const statuses = cluster.endpoints.map((e) => e.status!);
      expect(new Set(statuses.map((s) => s.memberId)).size).toBe(3);
      expect(new Set(statuses.map((s) => s.leaderId)).size).toBe(1);
      expect(statuses.every((s) => s.version.startsWith('3.') && s.quotaBytes === QUOTA_BYTES && s.quotaSource === 'metrics')).toBe(true);
      expect(statuses.every((s) => BigInt(s.memberId).toString(16) === s.memberIdHex && s.raftAppliedIndex !== null && s.dbSizeInUseBytes !== null)).toBe(true);
      // etcdctl, reading the same members, agrees on every id.
      const table = await etcdctl(['-w', 'table', 'endpoint', 'status']);
      for (const s of statuses) expect(table.stdout).toContain(s.memberIdHex);
      expect(cluster.members!.map((m) => m.name).sort()).toEqual(['m1', 'm2', 'm3']);
      expect(cluster.alarms).toEqual([]);

      const checks = judgeCluster({ ok: true, data: cluster });
      expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
      expect(byId(checks, 'cluster.agreement')[0]!.message).toContain(`leader ${BigInt(statuses[0]!.leaderId).toString(16)}`);
    });

    it('cannot read a client-cert-auth cluster without a client certificate, and says so per endpoint', async () => {
      const result = await runClusterProbe({ connection: { endpoints: conn.endpoints, cacert: conn.cacert! }, callTimeoutMs: 2_000 });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.data.endpoints.every((e) => e.status === null && (e.error ?? '') !== '')).toBe(true);
      expect(byId(judgeCluster(result), 'cluster.members')[0]!.status).toBe('error');
    });

    it('reports NOSPACE with recovery steps that, followed, clear the alarm', async () => {
      const client = await createEtcd3Client(conn);
      const value = Buffer.alloc(1_000_000, 'x');
      let refused: string | null = null;
      try {
        for (let i = 0; i < 64 && refused === null; i++) {
          await client
            .put(`/ea8/fill/${i}`)
            .value(value)
            .catch((err: Error) => (refused = err.message));
        }
        expect(refused).toMatch(/database space exceeded/);

        const cluster = await probe();
        expect(cluster.alarms!.map((a) => a.alarm)).toContain('NOSPACE');
        const checks = judgeCluster({ ok: true, data: cluster });
        const alarm = byId(checks, 'cluster.alarms').find((c) => c.title.endsWith('NOSPACE'))!;
        expect(alarm.status).toBe('fail');
        const leader = cluster.endpoints.find((e) => e.status!.memberId === e.status!.leaderId)!.endpoint;
        const stepsOf = (message: string) =>
          message
            .split(/ \d+\. /)
            .slice(1)
            .map((s) => s.trim());
        const defrags = stepsOf(alarm.message).filter((s) => / defrag /.test(s + ' '));
        expect(defrags).toHaveLength(3);
        expect(defrags[2]).toContain(leader);
        expect(byId(checks, 'cluster.db-size').some((c) => c.status === 'fail' || c.status === 'warn')).toBe(true);

        // Follow the steps: the data is test filler, so step 1 is to delete it; reading the status again then gives
        // the compaction at the revision after the delete, and the etcdctl lines are run as given.
        await client.delete().prefix('/ea8/fill/');
        const fresh = byId(judgeCluster({ ok: true, data: await probe() }), 'cluster.alarms').find((c) => c.title.endsWith('NOSPACE'))!;
        for (const step of stepsOf(fresh.message).filter((s) => s.startsWith('etcdctl '))) {
          const args = step
            .replace(/\s+\(.*\)$/, '')
            .split(/\s+/)
            .slice(1);
          const endpoints = args.find((a) => a.startsWith('--endpoints='))!.slice('--endpoints='.length);
          const r = await execa(
            'etcdctl',
            [
              '--cacert',
              conn.cacert!,
              '--cert',
              conn.cert!,
              '--key',
              conn.key!,
              '--endpoints',
              endpoints,
              ...args.filter((a) => !a.startsWith('--endpoints=')),
            ],
            { env: { ETCDCTL_API: '3' }, reject: false },
          );
          expect(r.exitCode, `${step}: ${r.stderr}`).toBe(0);
        }
        await client.put('/ea8/after-recovery').value('ok');
        const after = judgeCluster({ ok: true, data: await probe() });
        expect(byId(after, 'cluster.alarms')[0]!.status).toBe('pass');
        expect(byId(after, 'cluster.db-size').every((c) => c.status === 'pass')).toBe(true);
      } finally {
        client.close();
      }
    });

    it('reads the two members still running when one is stopped, and says quorum holds', async () => {
      const stopped = members[2]!;
      stopped.proc.kill('SIGTERM');
      await stopped.proc;
      const t0 = Date.now();
      const cluster = await probe(1_500);
      expect(Date.now() - t0).toBeLessThan(10_000);
      const down = cluster.endpoints.find((e) => e.endpoint === stopped.clientUrl)!;
      expect(down.status).toBeNull();
      expect(down.error).toBeTruthy();
      expect(cluster.endpoints.filter((e) => e.status !== null)).toHaveLength(2);
      expect(cluster.members).toHaveLength(3);
      const checks = judgeCluster({ ok: true, data: cluster });
      const reach = byId(checks, 'cluster.members').find((c) => c.title.includes(stopped.clientUrl))!;
      expect(reach.status).toBe('warn');
      expect(reach.message).toContain('2 of 3 voting members answered; quorum is 2');
      expect(byId(checks, 'cluster.agreement')[0]!.status).toBe('pass');
    });
  });
});

describe('runClusterProbe with etcd auth', () => {
  it('reads a member with --user, after auth is enabled', async () => {
    const { startEmbeddedEtcd } = await import('../../src/etcd/embedded.js');
    const dataRoot = await mkdtemp(join(tmpdir(), 'ea8-auth-'));
    const etcd = await startEmbeddedEtcd({ parentDir: dataRoot, name: 'ea8-auth' });
    try {
      const ctl = (args: string[]) => execa('etcdctl', ['--endpoints', etcd.clientUrl, ...args], { env: { ETCDCTL_API: '3' }, reject: false });
      expect((await ctl(['user', 'add', 'root:ea8-secret'])).exitCode).toBe(0);
      expect((await ctl(['auth', 'enable'])).exitCode).toBe(0);
      const result = await runClusterProbe({ connection: { endpoints: [etcd.clientUrl], user: 'root', password: 'ea8-secret' }, callTimeoutMs: 3_000 });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.data.endpoints[0]!.status?.memberIdHex).toMatch(/^[0-9a-f]+$/);
      expect(result.data.members).toHaveLength(1);
      expect(result.data.alarms).toEqual([]);
      expect(judgeCluster(result).filter((c) => c.status !== 'pass')).toEqual([]);
    } finally {
      await etcd.stop();
      await rm(dataRoot, { recursive: true, force: true });
    }
  });
});

describe('a cluster mid-upgrade: two etcd 3.4.23 members and one 3.5.30', () => {
  it("reads each member's release and says the rolling upgrade is not finished", async () => {
    await requireEtcd(ETCD_3_4);
    await requireEtcd(ETCD_3_5);
    // Addresses of this suite's own loopback range, so that other suites' clusters never collide with it.
    const binaries = [ETCD_3_4.binary, ETCD_3_4.binary, ETCD_3_5.binary];
    const mixed = await startTestCluster({ hosts: ['127.0.0.44', '127.0.0.45', '127.0.0.46'], binaryOf: (i) => binaries[i]!, startTimeoutMs: 60_000 });
    const client = (i: number) => mixed.endpoints[i]!;
    try {
      const connection = { endpoints: mixed.endpoints };
      let cluster: ClusterArtifact | null = null;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const r = await runClusterProbe({ connection, callTimeoutMs: 2_000 });
        if (r.ok && r.data.endpoints.every((e) => e.status !== null && e.status.leaderId !== '0')) {
          cluster = r.data;
          break;
        }
        await new Promise((res) => setTimeout(res, 300));
      }
      expect(cluster, 'the mixed cluster became healthy').not.toBeNull();
      expect(cluster!.endpoints.map((e) => e.status!.version)).toEqual(['3.4.23', '3.4.23', ETCD_3_5.version]);
      const check = byId(judgeCluster({ ok: true, data: cluster! }), 'cluster.versions')[0]!;
      expect(check.status).toBe('warn');
      expect(check.message).toContain(`The cluster is mid-upgrade: 3.4.23 on ${client(0)}, ${client(1)}; ${ETCD_3_5.version} on ${client(2)}`);
      expect(check.message).toContain("speaks 3.4's protocol");
    } finally {
      await mixed.stop();
    }
  });
});
