// `etcd-advisor advise` as a real process: the --json shape, what-if units, exit codes, --from a report, and the files --out writes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise as adviseLib } from '../../src/advisor/advise.js';
import type { Artifacts, PeerRtt } from '../../src/model/artifacts.js';
import { probeOk } from '../../src/model/probe.js';
import { assembleReport } from '../../src/run.js';
import { peerResult } from '../../src/probes/rtt-stats.js';
import { parseEnvironmentFile, unitSettings } from '../report/unit-systemd.js';
import { advise, ensureBuilt, type CliResult } from './advise-cli.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ea6-cli-'));
  await ensureBuilt();
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const json = (r: CliResult) =>
  JSON.parse(r.stdout) as {
    etcdVersion: string;
    flags: Record<string, number | string>;
    findings: { id: string; status: string; message: string }[];
    recommendations: { flag: string; basis: string; reason: string; ifIgnored: string }[];
  };

describe('advise --json', () => {
  it('prints the flags by etcd name and the findings, and nothing else on stdout', async () => {
    const r = await advise(['--rtt-ms', '0.5', '--etcd-version', '3.5', '--json']);
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out.flags).toMatchObject({
      'heartbeat-interval': 100,
      'election-timeout': 1000,
      'snapshot-count': 100000,
      'max-request-bytes': 1572864,
      'auto-compaction-retention': '1h',
    });
    expect(typeof out.flags['quota-backend-bytes']).toBe('number');
    expect(out.etcdVersion).toBe('3.5');
    expect(out.findings.map((f) => f.id)).toContain('advice.election-timeout');
    for (const rec of out.recommendations) {
      expect(rec.basis, rec.flag).not.toBe('');
      expect(rec.ifIgnored, rec.flag).not.toBe('');
    }
  });

  it('takes sizes and times with units', async () => {
    const out = json(
      await advise([
        '--rtt-p99-ms',
        '0.15s',
        '--fsync-p999-ms',
        '450ms',
        '--db-size',
        '3GiB',
        '--memory',
        '32GiB',
        '--disk-free',
        '500GB',
        '--largest-request',
        '4MiB',
        '--write-rate',
        '1k/s',
        '--json',
      ]),
    );
    expect(out.flags['heartbeat-interval']).toBe(150);
    expect(out.flags['election-timeout']).toBe(1500);
    expect(out.flags['quota-backend-bytes']).toBe(6 * 2 ** 30);
    expect(out.flags['max-request-bytes']).toBe(5 * 2 ** 20);
  });

  it('says "topology unsupported" and exits 1 when no valid election timeout exists, setting neither timing flag', async () => {
    const r = await advise(['--rtt-p99-ms', '6s', '--json']);
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.flags['heartbeat-interval']).toBeUndefined();
    expect(out.flags['election-timeout']).toBeUndefined();
    expect(out.findings.find((f) => f.id === 'advice.election-timeout')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/Topology unsupported/),
    });
  });

  it('puts what blocks the plan above the flag list in its text output', async () => {
    const r = await advise(['--rtt-p99-ms', '6s']);
    expect(r.code).toBe(1);
    const text = String(r.stdout);
    expect(text.indexOf('Needs attention:')).toBe(0);
    expect(text.indexOf('Topology unsupported')).toBeLessThan(text.indexOf('Recommended flags'));
  });
});

describe('bad input: one line on stderr, exit 2', () => {
  it.each([
    [['--db-size', '8XB'], /--db-size "8XB" is not a size/],
    [['--rtt-ms', 'fast'], /--rtt-ms "fast" is not a duration/],
    [['--etcd-version', '3.2'], /--etcd-version "3.2"/],
    [['--members', '0'], /--members/],
    [['--name', 'b', '--initial-cluster', 'a=http://127.0.0.1:2380'], /no member named "b"/],
    [['--cert-file', '/c.pem', '--listen-client-urls', 'http://127.0.0.1:2379'], /uses http:\/\/ but TLS files were given/],
    [['--cert-file', '/c.pem'], /TLS needs --key-file/],
    // The words lint prints for the same value (src/etcd/urls.ts is the one parser).
    [
      ['--name', 'a', '--initial-cluster', 'a=http://10.0.0.1:2380/x'],
      /^etcd-advisor: --initial-cluster: "http:\/\/10\.0\.0\.1:2380\/x": URL must not contain a path\n$/,
    ],
    [['--data-dir', '/var/lib/etcd\nExecStartPre=/bin/touch /run/pwned'], /--data-dir "\/var\/lib\/etcd\\x0aExecStartPre=.*must not hold a newline/],
    [['--initial-cluster-token', 'tok\nX=1'], /--initial-cluster-token "tok\\x0aX=1": use letters/],
    [['--cert-file', 'rel/c.pem', '--key-file', '/k.pem', '--trusted-ca-file', '/ca.pem'], /--cert-file "rel\/c.pem": give an absolute path/],
    [['--members', '1e9'], /--members 1000000000: must be from 1 to 15 members/],
    [['--memory', '0'], /--memory "0": must be from 64 MiB to 64 TiB/],
    [['--rtt-ms', '1e309'], /--rtt-ms "1e309" is not a duration/],
    [['--from', '/nonexistent/report.json'], /--from \/nonexistent\/report.json: no such file/],
  ])('%j', async (args, message) => {
    const r = await advise(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects a JSON file that is not a report', async () => {
    const path = join(scratch, 'not-a-report.json');
    await writeFile(path, '{"hello": 1}');
    const r = await advise(['--from', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from .*not-a-report\.json: schemaVersion missing is not one this etcd-advisor reads.*is this an etcd-advisor report.json/);
  });
});

describe('advise --from report.json', () => {
  it("advises from the run's measurements, and what-if values override them", async () => {
    // A peer measured at ~40 ms with one 1.2 s stall, as the network probe records it.
    // Probes are paced one at a time (src/probes/rtt-sampler.ts): the stalled one delays the next.
    const samples: { tMs: number; rttMs: number }[] = [];
    for (let i = 0, free = 0; i < 100; i++) {
      const tMs = Math.max(i * 200, free);
      const rttMs = i === 50 ? 1200 : 40 + (i % 7);
      samples.push({ tMs, rttMs });
      free = tMs + rttMs;
    }
    const peer: PeerRtt = peerResult({ host: '10.0.0.2', loopback: false }, 'http', samples, 200);
    const artifacts: Artifacts = {
      host: probeOk({
        hostname: 'node1.example',
        platform: 'linux',
        arch: 'x64',
        kernel: '6.1',
        cpuModel: 'cpu',
        cpus: 4,
        memoryBytes: 16 * 2 ** 30,
        nodeVersion: 'v20',
        etcdVersion: '3.5.17',
        fioVersion: null,
      }),
      network: probeOk({ peers: [peer], quantileMethod: 'test' }),
    };
    const report = assembleReport(artifacts, adviseLib(artifacts), {
      id: 'r1',
      argv: [],
      startedAt: '',
      finishedAt: '',
      durationSec: 0,
      quick: false,
      embeddedEtcd: true,
      scenario: 'none',
      notes: [],
    });
    const path = join(scratch, 'report.json');
    await writeFile(path, JSON.stringify(report));

    const out = json(await advise(['--from', path, '--json']));
    expect(out.etcdVersion).toBe('3.5');
    // The stall sizes the election timeout (2x the longest gap), not the heartbeat.
    expect(out.flags['heartbeat-interval']).toBe(100);
    expect(Number(out.flags['election-timeout'])).toBeGreaterThanOrEqual(2400);
    const hb = out.recommendations.find((r) => r.flag === 'heartbeat-interval')!;
    expect(hb.basis).toMatch(/10\.0\.0\.2.*held up by stalls/);

    const overridden = json(await advise(['--from', path, '--rtt-p99-ms', '400', '--etcd-version', '3.6', '--json']));
    expect(overridden.flags['heartbeat-interval']).toBe(400);
    expect(overridden.flags['snapshot-count']).toBe(10000);
    expect(overridden.recommendations.find((r) => r.flag === 'heartbeat-interval')!.basis).toMatch(/--rtt-p99-ms given by the operator/);
  });
});

describe('advise --out', () => {
  it('writes etcd.service without flags and etcd.conf with every option once, each tuned line with its reason', async () => {
    const dir = join(scratch, 'out');
    const r = await advise([
      '--rtt-p99-ms',
      '150',
      '--name',
      'n1',
      '--initial-cluster',
      'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380',
      '--advertise-client-urls',
      'https://10.0.0.1:2379',
      '--listen-client-urls',
      'https://10.0.0.1:2379,https://127.0.0.1:2379',
      '--cert-file',
      '/etc/etcd/pki/server.pem',
      '--key-file',
      '/etc/etcd/pki/server-key.pem',
      '--trusted-ca-file',
      '/etc/etcd/pki/ca.pem',
      '--out',
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const unit = await readFile(join(dir, 'etcd.service'), 'utf8');
    const conf = await readFile(join(dir, 'etcd.conf'), 'utf8');
    const service = unitSettings(unit);
    expect(service.get('ExecStart')).toEqual(['/usr/bin/etcd']);
    expect(service.get('IOSchedulingClass')).toEqual(['best-effort']);
    expect(service.get('IOSchedulingPriority')).toEqual(['0']);
    expect(service.get('LimitNOFILE')).toEqual(['40000']);
    const env = parseEnvironmentFile(conf);
    expect(env).toMatchObject({
      ETCD_NAME: 'n1',
      ETCD_INITIAL_ADVERTISE_PEER_URLS: 'https://10.0.0.1:2380',
      ETCD_LISTEN_PEER_URLS: 'https://10.0.0.1:2380',
      ETCD_CERT_FILE: '/etc/etcd/pki/server.pem',
      ETCD_PEER_CERT_FILE: '/etc/etcd/pki/server.pem',
      ETCD_PEER_TRUSTED_CA_FILE: '/etc/etcd/pki/ca.pem',
      ETCD_CLIENT_CERT_AUTH: 'true',
      ETCD_PEER_CLIENT_CERT_AUTH: 'true',
      ETCD_HEARTBEAT_INTERVAL: '150',
      ETCD_ELECTION_TIMEOUT: '1500',
    });
    // Each tuned line is preceded by a comment saying why.
    const lines = conf.split('\n');
    const at = lines.findIndex((l) => l.startsWith('ETCD_ELECTION_TIMEOUT='));
    expect(lines[at - 1]).toMatch(/^# --election-timeout: .*10x RTT p99/);
  });
});
