// End-to-end: `etcd-advisor run` on the embedded default with real fio, ping and a throwaway etcd; Ctrl-C; fio missing.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { REPORT_FILES } from '../src/report/write.js';
import { CLI, runCli } from './support/cli.js';
import { lookupFlag } from '../src/etcd/flags.js';
import { describeEtcd, ETCD_3_5 } from './support/etcd-versions.js';
import { processesMentioning } from './support/processes.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ea-run-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function readReport(dir: string): Promise<Report> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
}

describeEtcd('run --quick on the embedded default', (etcd) => {
  let report: Report;
  let out: string;
  let dataDir: string;
  let result: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    out = join(work, `quick-out-${etcd.version}`);
    dataDir = join(work, `quick-data-${etcd.version}`);
    await mkdir(dataDir);
    result = await runCli(['run', '--quick', '--data-dir', dataDir, '--out', out, '--etcd-binary', etcd.binary]);
    report = await readReport(out);
  }, 90_000);

  it('exits with the verdict: 0 qualified or 1 not qualified, never incomplete when every tool is there', () => {
    expect(result.stderr).toBe('');
    expect([0, 1]).toContain(result.exitCode);
    expect(report.verdict).toBe(result.exitCode === 0 ? 'qualified' : 'not-qualified');
  });

  it('writes all six files and prints where they are', async () => {
    expect((await readdir(out)).sort()).toEqual([...REPORT_FILES].sort());
    for (const f of REPORT_FILES) expect(result.stdout).toContain(join(out, f));
  });

  it('records plausible fdatasync percentiles from fio', () => {
    const disk = report.artifacts.disk;
    expect(disk?.ok).toBe(true);
    if (!disk?.ok) return;
    const sync = disk.data.fio.syncUs;
    expect(sync).not.toBeNull();
    expect(sync!.p50).toBeGreaterThan(0);
    expect(sync!.p50!).toBeLessThanOrEqual(sync!.p99!);
    expect(sync!.p99!).toBeLessThanOrEqual(sync!['p99.9']!);
    expect(disk.data.fio.writeIops).toBeGreaterThan(0);
    expect(disk.data.command).toContain('--fdatasync=1');
  });

  it('records RTT samples to loopback and says they are only a baseline', () => {
    const net = report.artifacts.network;
    expect(net?.ok).toBe(true);
    if (!net?.ok) return;
    const peer = net.data.peers[0]!;
    expect(peer.loopback).toBe(true);
    expect(peer.received).toBeGreaterThan(10);
    expect(peer.samplesMs.length).toBe(peer.received);
    expect(peer.rttMs.p50!).toBeGreaterThan(0);
    expect(peer.rttMs.p50!).toBeLessThanOrEqual(peer.rttMs.p99!);
    expect(report.run.notes.join(' ')).toMatch(/loopback only.*baseline/);
  });

  it('records load latencies from the throwaway etcd', () => {
    const load = report.artifacts.load;
    expect(load?.ok).toBe(true);
    if (!load?.ok) return;
    expect(load.data.embedded).toBe(true);
    expect(load.data.etcdVersion).toBe(etcd.version);
    const phase = load.data.phases[0]!;
    expect(phase.requests).toBeGreaterThan(100);
    expect(phase.latencyUs.p50!).toBeGreaterThan(0);
    expect(phase.latencyUs.p50!).toBeLessThanOrEqual(phase.latencyUs.p99!);
    expect(phase.latencyUs.p99!).toBeLessThanOrEqual(phase.latencyUs.max!);
  });

  it('names the etcd it ran and advises for that release', () => {
    expect(report.artifacts.host.ok && report.artifacts.host.data).toMatchObject({ etcdVersion: etcd.version, etcdBinary: etcd.binary });
    expect(report.advice.etcdVersion).toBe(etcd.minor);
    const check = report.checks.find((c) => c.id === 'advice.etcd-version')!;
    expect(check).toMatchObject({
      status: 'info',
      value: `${etcd.version} -> ${etcd.minor}`,
      message: expect.stringContaining(`Measured with etcd ${etcd.version} (the throwaway member`),
    });
  });

  it('recommends heartbeat and election flags, and the unit and etcd.conf carry them', async () => {
    const flags = Object.fromEntries(report.advice.flags.map((f) => [f.flag, f.value]));
    expect(flags['heartbeat-interval']).toBe(100);
    expect(flags['election-timeout']).toBeGreaterThanOrEqual(1000);
    const conf = await readFile(join(out, 'etcd.conf'), 'utf8');
    expect(conf).toMatch(/^ETCD_HEARTBEAT_INTERVAL=100$/m);
    const unit = await readFile(join(out, 'etcd.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\S+$/m);
  });

  it('leaves nothing behind in the data directory and no etcd or fio running', async () => {
    expect(await readdir(dataDir)).toEqual([]);
    expect(await processesMentioning(dataDir)).toEqual([]);
  });
});

describe('run interrupted', () => {
  it('on SIGINT removes the scratch directory, stops etcd and fio, and exits non-zero', async () => {
    const dataDir = join(work, 'sigint-data');
    await mkdir(dataDir);
    const child = execa(process.execPath, [CLI, 'run', '--quick', '--data-dir', dataDir, '--out', join(work, 'sigint-out')], {
      reject: false,
      stdin: 'ignore',
    });
    // Interrupt while the throwaway etcd runs with its data in the scratch directory: the load phase.
    const etcdArg = `--data-dir ${dataDir}/etcd-advisor-`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await processesMentioning(etcdArg)).length === 0) await new Promise((r) => setTimeout(r, 100));
    expect(await processesMentioning(etcdArg)).toHaveLength(1);
    expect((await readdir(dataDir)).length).toBe(1);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('SIGINT');
    expect(await readdir(dataDir)).toEqual([]);
    expect(await processesMentioning(dataDir)).toEqual([]);
  }, 90_000);
});

describe('run with a --data-dir that does not exist', () => {
  it('exits 2 naming it, and leaves no empty report directory behind', async () => {
    const cwd = await mkdtemp(join(work, 'missing-data-dir-'));
    const r = await runCli(['run', '--quick', '--data-dir', './missing'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim()).toMatch(/^etcd-advisor: --data-dir \.\/missing does not exist/);
    expect(await readdir(join(cwd, 'reports'))).toEqual([]);
  });
});

describe('run --etcd-binary and --etcd-version', () => {
  it('measures with the binary given, advises for the release given, and warns that they differ; the files hold no flag 3.6 removed', async () => {
    const out = join(work, 'v36-out');
    const result = await runCli(['run', '--quick', '--out', out, '--etcd-version', '3.6'], { cwd: work, env: { ETCD_ADVISOR_ETCD_BINARY: ETCD_3_5.binary } });
    expect([0, 1]).toContain(result.exitCode);
    const report = await readReport(out);
    expect(report.artifacts.load?.ok && report.artifacts.load.data.etcdVersion).toBe(ETCD_3_5.version);
    expect(report.advice.etcdVersion).toBe('3.6');
    const check = report.checks.find((c) => c.id === 'advice.etcd-version')!;
    expect(check.status).toBe('warn');
    expect(check.value).toBe(`${ETCD_3_5.version} -> 3.6`);
    expect(check.message).toContain(`Measured with etcd ${ETCD_3_5.version}`);
    expect(check.message).toContain('the advice is for etcd 3.6');
    const conf = await readFile(join(out, 'etcd.conf'), 'utf8');
    const names = [...conf.matchAll(/^ETCD_([A-Z0-9_]+)=/gm)].map((m) => m[1]!.toLowerCase().replace(/_/g, '-'));
    expect(names.length).toBeGreaterThan(10);
    for (const n of names) expect(lookupFlag(n, '3.6'), `--${n} in a 3.6 etcd.conf`).toMatchObject({ known: true, deprecated: false });
  }, 120_000);

  it('refuses a binary that is not etcd before measuring anything (exit 2, naming the flag)', async () => {
    const result = await runCli(['run', '--quick', '--etcd-binary', '/bin/true', '--out', join(work, 'bad-binary-out')], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr).trim()).toBe('etcd-advisor: --etcd-binary /bin/true: not an etcd binary (`/bin/true --version` printed no "etcd Version:")');
    expect(existsSync(join(work, 'bad-binary-out', 'report.json'))).toBe(false);
  });
});

describe('run with fio missing from PATH', () => {
  it('exits 3, says the disk check could not run and why, and fills the other sections', async () => {
    const bin = join(work, 'bin-without-fio');
    await mkdir(bin);
    for (const tool of ['etcd', 'ping']) {
      const { stdout } = await execa('sh', ['-c', `command -v ${tool}`]);
      await symlink(stdout.trim(), join(bin, tool));
    }
    const out = join(work, 'nofio-out');
    const result = await runCli(['run', '--quick', '--out', out], { env: { PATH: bin }, extendEnv: false, cwd: work });
    expect(result.exitCode).toBe(3);
    const report = await readReport(out);
    expect(report.verdict).toBe('incomplete');
    expect(report.artifacts.disk?.ok).toBe(false);
    const diskErrors = report.checks.filter((c) => c.section === 'disk' && c.status === 'error');
    expect(diskErrors.length).toBeGreaterThan(0);
    expect(diskErrors[0]!.message).toMatch(/fio is not installed/);
    expect(report.artifacts.network?.ok).toBe(true);
    expect(report.artifacts.load?.ok).toBe(true);
    expect(report.advice.flags.map((f) => f.flag)).toContain('heartbeat-interval');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(work, 'reports', '.scratch'))).toBe(true);
    expect(await readdir(join(work, 'reports', '.scratch'))).toEqual([]);
  }, 90_000);
});

describe('run --method http without --peers', () => {
  it('measures the peer path of the throwaway etcd as the loopback baseline', async () => {
    const out = join(work, 'http-out');
    const result = await runCli(['run', '--quick', '--method', 'http', '--out', out], { cwd: work });
    expect([0, 1]).toContain(result.exitCode);
    const report = await readReport(out);
    const net = report.artifacts.network;
    expect(net?.ok).toBe(true);
    if (!net?.ok) return;
    const peer = net.data.peers[0]!;
    expect(peer.method).toBe('http');
    expect(peer.url ?? `${peer.host}:${peer.port}`).toMatch(/127\.0\.0\.1:\d+/);
    expect(peer.received).toBeGreaterThan(10);
    expect(report.run.notes.join(' ')).toMatch(/baseline/);
    expect(report.artifacts.load?.ok).toBe(true);
  }, 90_000);

  it('refuses --method tcp with --endpoints and no --peers: there is nothing of ours to measure', async () => {
    const result = await runCli(['run', '--quick', '--method', 'tcp', '--endpoints', 'http://127.0.0.1:2379'], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/needs --peers/);
  });
});

describe("run --endpoints against an operator's etcd", () => {
  it("loads it under its own prefix, leaves no key behind, and reports each member's status", async () => {
    const { startEmbeddedEtcd } = await import('../src/etcd/embedded.js');
    const { createEtcd3Client } = await import('../src/etcd/client.js');
    const etcd = await startEmbeddedEtcd({ parentDir: work, name: 'operator-member' });
    try {
      const client = await createEtcd3Client({ endpoints: [etcd.clientUrl] });
      await client.put('/operator/own-key').value('keep me');
      const out = join(work, 'endpoints-out');
      const result = await runCli(['run', '--quick', '--endpoints', etcd.clientUrl, '--out', out], { cwd: work });
      expect([0, 1]).toContain(result.exitCode);
      const report = await readReport(out);
      expect(report.run.embeddedEtcd).toBe(false);
      expect(report.artifacts.load?.ok && report.artifacts.load.data.endpoints).toEqual([etcd.clientUrl]);
      const cluster = report.artifacts.cluster;
      expect(cluster?.ok).toBe(true);
      if (!cluster?.ok) return;
      expect(cluster.data.endpoints[0]!.status?.version).toBe(etcd.version);
      expect(cluster.data.members?.map((m) => m.name)).toEqual(['operator-member']);
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).toContain('<h2 id="cluster">Cluster</h2>');
      expect(html).toMatch(/operator-member <span class="meta">[0-9a-f]+<\/span><\/td><td>leader<\/td>/);
      // The operator's key is untouched and none of the run's keys remain.
      expect(await client.get('/operator/own-key').string()).toBe('keep me');
      expect(await client.getAll().prefix('/etcd-advisor/').count()).toBe(0);
      client.close();
    } finally {
      await etcd.stop();
    }
  }, 90_000);
});
