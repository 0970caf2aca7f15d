// The issue 12 cases replayed against a real 3-member TLS cluster on 127.0.0.11-13: current values, this member's files, footprint, commands as printed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../src/model/check.js';
import { MS_US_SUSPECT_FACTOR } from '../src/lint/rules/common.js';
import type { Report } from '../src/model/report.js';
import { runCli } from './support/cli.js';
import { startTlsCluster, wipe, type TlsCluster } from './support/tls-cluster.js';
import { parseEnvironmentFile, spawnEtcd, type StartedEtcd } from './report/unit-systemd.js';

const GIB = 2 ** 30;

describe('run against a live 3-member TLS cluster (issue 12)', () => {
  let cluster: TlsCluster;
  let out: string;
  let report: Report;
  let terminal: string;
  let joined: StartedEtcd | undefined;
  let recipeUnit: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    cluster = await startTlsCluster(['127.0.0.11', '127.0.0.12', '127.0.0.13'], 'ea12m');
    out = await mkdtemp(join(tmpdir(), 'ea12-out-'));
    // Member 3 leaves and is added back, unstarted: the run is made on "its" node to produce its files.
    const m3 = cluster.members[2]!;
    await cluster.stop(m3.name);
    const list = JSON.parse((await cluster.ctl(['member', 'list', '-w', 'json'], cluster.endpoints.slice(0, 2))).stdout) as {
      members: { ID: bigint | number; name: string }[];
    };
    const id = /"ID":\s*(\d+),\s*"name":\s*"ea12m3"/.exec((await cluster.ctl(['member', 'list', '-w', 'json'], cluster.endpoints.slice(0, 2))).stdout)![1]!;
    expect(list.members.length).toBe(3);
    expect((await cluster.ctl(['member', 'remove', BigInt(id).toString(16)], cluster.endpoints.slice(0, 2))).exitCode).toBe(0);
    await wipe(m3);
    // etcd refuses a member add until the remaining members have been connected for its health interval (5 s).
    let added = await cluster.ctl(['member', 'add', m3.name, `--peer-urls=${m3.peerUrl}`], cluster.endpoints.slice(0, 2));
    for (let i = 0; i < 60 && added.exitCode !== 0 && /unhealthy cluster/.test(added.stderr); i++) {
      await new Promise((res) => setTimeout(res, 500));
      added = await cluster.ctl(['member', 'add', m3.name, `--peer-urls=${m3.peerUrl}`], cluster.endpoints.slice(0, 2));
    }
    expect(added.exitCode, added.stderr).toBe(0);

    // The blog recipe's unit for this member: etcd under ionice, and its ms/us timing mistake.
    recipeUnit = join(out, 'recipe.service');
    await writeFile(
      recipeUnit,
      `[Service]\nType=notify\nExecStart=/usr/bin/ionice -c2 -n0 /usr/bin/etcd --name=${m3.name} --data-dir=${m3.dataDir} \\\n  --heartbeat-interval=500 --election-timeout=5000 ${cluster.recipeFlags.join(' ')}\n`,
    );
    const dataDir = join(out, 'qualified');
    await execa('mkdir', ['-p', dataDir]);
    const r = await runCli(
      [
        'run',
        '--quick',
        '--endpoints',
        cluster.endpoints.slice(0, 2).join(','),
        '--cacert',
        cluster.ca.caCert,
        '--cert',
        cluster.cert,
        '--key',
        cluster.key,
        '--peers',
        '127.0.0.11,127.0.0.12',
        '--unit',
        recipeUnit,
        '--name',
        m3.name,
        '--advertise-client-urls',
        m3.clientUrl,
        '--data-dir',
        dataDir,
        '--target-data-dir',
        m3.dataDir,
        '--out',
        out,
      ],
      { timeout: 240_000 },
    );
    terminal = String(r.stdout);
    expect(r.exitCode, `${String(r.stderr)}\n${terminal}`).toBeLessThan(2);
    report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    for (const f of ['etcd.conf', 'etcd.service', 'summary.md', 'report.html']) files[f] = await readFile(join(out, f), 'utf8');
  }, 300_000);

  afterAll(async () => {
    await joined?.stop();
    await cluster?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  const flag = (name: string) => report.advice.flags.find((f) => f.flag === name)!;

  it('case 1: never advises the 8 GiB cluster below 8 GiB, keeps 10 MiB requests and snapshot-count 50000, and shows current -> recommended', () => {
    expect(Number(flag('quota-backend-bytes').value)).toBeGreaterThanOrEqual(8 * GIB);
    expect(flag('quota-backend-bytes').current?.value).toBe(String(8 * GIB));
    expect(flag('quota-backend-bytes').sameOnEveryMember).toMatch(/every member/);
    expect(Number(flag('max-request-bytes').value)).toBeGreaterThanOrEqual(10 * 2 ** 20);
    expect(flag('max-request-bytes').reason).toMatch(/request is too large/);
    expect(flag('snapshot-count').value).toBe(50000);
    expect(terminal).toMatch(/--quota-backend-bytes: 8589934592 -> 8589934592 {2}\(no change\) {2}\[same on every member\]/);
    expect(files['summary.md']).toMatch(/\| --snapshot-count \| 50000 \| 50000 \|/);
    expect(files['report.html']).toContain('<th>current</th>');
    expect(parseEnvironmentFile(files['etcd.conf']!).ETCD_QUOTA_BACKEND_BYTES).toBe(String(8 * GIB));
  });

  it("case 2: the files are this member's: name, URLs, full initial cluster, existing, TLS, the data directory", () => {
    const env = parseEnvironmentFile(files['etcd.conf']!);
    const [m1, m2, m3] = cluster.members;
    expect(env).toMatchObject({
      ETCD_NAME: m3!.name,
      ETCD_INITIAL_ADVERTISE_PEER_URLS: m3!.peerUrl,
      ETCD_ADVERTISE_CLIENT_URLS: m3!.clientUrl,
      ETCD_INITIAL_CLUSTER: `${m1!.name}=${m1!.peerUrl},${m2!.name}=${m2!.peerUrl},${m3!.name}=${m3!.peerUrl}`,
      ETCD_INITIAL_CLUSTER_STATE: 'existing',
      ETCD_DATA_DIR: m3!.dataDir,
      ETCD_CERT_FILE: cluster.cert,
      ETCD_TRUSTED_CA_FILE: cluster.ca.caCert,
      ETCD_PEER_CLIENT_CERT_AUTH: 'true',
    });
    // The run's client certificate stood in for the member's: the header and the terminal say so and name the flag.
    expect(files['etcd.conf']).toMatch(/^# ASSUMED/m);
    expect(files['etcd.conf']).toMatch(/cert-file=.*Give --cert-file to set it/);
    expect(terminal).toMatch(/etcd.service\/etcd.conf are for member ea12m3/);
    expect(terminal).toMatch(/Give --cert-file\./);
  });

  it('case 2: lint finds nothing in the generated files', async () => {
    const r = await runCli(['lint', join(out, 'etcd.service'), '--env-file', join(out, 'etcd.conf'), '--json']);
    const result = JSON.parse(String(r.stdout)) as { checks: Check[] };
    expect(
      result.checks.filter((c) => c.status !== 'info'),
      String(r.stdout),
    ).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it('case 2: the generated etcd.conf starts a member that joins the running cluster', async () => {
    const env = parseEnvironmentFile(files['etcd.conf']!);
    joined = spawnEtcd(['etcd'], env);
    await cluster.waitHealthy([cluster.members[2]!.clientUrl], 60_000);
    const list = (await cluster.ctl(['member', 'list'])).stdout;
    expect(list).toMatch(/started, ea12m3, https:\/\/127\.0\.0\.13/);
    expect(list).not.toMatch(/unstarted/);
  }, 90_000);

  it('case 6: terminal, summary.md and report.html say what the run left and how to reclaim it', () => {
    const load = report.artifacts.load!;
    expect(load.ok && load.data.revisionAfter! > load.data.revisionBefore!).toBe(true);
    for (const text of [terminal, files['summary.md']!, files['report.html']!]) {
      expect(text).toMatch(/What this run left in the cluster/);
      expect(text).toMatch(/revisions further on/);
      expect(text).toMatch(/defrag/);
    }
  });

  it('case 5: the reclaim commands work as printed: compaction, then defrag member by member, with the TLS flags of the call', async () => {
    const block = /```sh\n([\s\S]*?)```/.exec(files['summary.md']!)![1]!.trim().split('\n');
    expect(block.length).toBe(3);
    expect(block.every((c) => c.includes(`--cacert=${cluster.ca.caCert}`) && c.includes(`--key=${cluster.key}`))).toBe(true);
    for (const command of block) {
      const r = await execa('/bin/sh', ['-c', command], { reject: false, env: { ETCDCTL_API: '3', PATH: process.env.PATH } });
      expect(r.exitCode, `${command}\n${String(r.stderr)}`).toBe(0);
    }
  });

  it("cases 3 and 4: lint of the recipe unit against this run's report: ionice's -c2 -n0 are not etcd flags, 500/5000 is the ms/us mistake", async () => {
    expect(flag('heartbeat-interval').current?.value).toBe('500');
    const r = await runCli(['lint', recipeUnit, '--report', join(out, 'report.json'), '--json']);
    const { checks } = JSON.parse(String(r.stdout)) as { checks: Check[] };
    expect(
      checks.filter((c) => c.status === 'fail'),
      String(r.stdout),
    ).toEqual([]);
    const timing = checks.find((c) => c.id === 'risk.timing-rtt' && c.status === 'warn')?.message;
    // 500 ms reads as a microseconds mistake when it is at least 1000x the RTT p99: loopback under a busy machine may measure
    // more than 0.5 ms, and then 500/5000 is no finding (not more than 5x the advised 100/1000).
    const network = report.artifacts.network;
    const rtt = network?.ok ? Math.max(...network.data.peers.map((p) => p.rttMs.p99 ?? 0)) : NaN;
    if (rtt * MS_US_SUSPECT_FACTOR <= 500) {
      expect(timing, String(r.stdout)).toMatch(/Fix: the advisor recommends --heartbeat-interval=100 --election-timeout=1000/);
      expect(timing).toMatch(/microseconds/);
    } else expect(timing, `RTT p99 ${rtt} ms`).toBeUndefined();
    expect(checks.find((c) => c.id === 'unit.io-priority')?.status).toBe('info');
    expect(r.exitCode).toBe(0);
  });

  it('case 8: RTT was measured on its own, before fio and the load', () => {
    expect(report.run.notes.join(' ')).toMatch(/RTT was measured on its own, before fio and the load/);
  });
});
