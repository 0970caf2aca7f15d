// `etcd-advisor load` as an operator runs it: JSON with stable names, one-line usage errors, help with examples, Ctrl-C that deletes the run's keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcd3Client } from '../../src/etcd/client.js';
import { startTestEtcd } from '../load/real-etcd.js';
import { runCli } from '../support/cli.js';

describe('etcd-advisor load', () => {
  it('--json prints the phases with their stable names, against a throwaway etcd', async () => {
    const r = await runCli(['load', '--scenario', 'quick', '--duration', '2s', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(String(r.stdout)) as {
      phases: Record<string, unknown>[];
      embedded: boolean;
      client: string;
      deletedKeys: number;
      checks: { id: string; status: string; message: string }[];
      verdict: string;
    };
    expect(out).toMatchObject({ embedded: true, client: 'lean', verdict: 'qualified' });
    expect(out.deletedKeys).toBeGreaterThan(0);
    const [p] = out.phases;
    // The raw figures the advisor decides "client-limited" from; its load.phase check says whether the client was the limit.
    for (const key of ['name', 'requests', 'errors', 'durationSec', 'ratePerSec', 'latencyUs', 'clientCpuPct', 'eventLoopUtilization', 'threads'])
      expect(p).toHaveProperty(key);
    const phaseCheck = out.checks.find((c) => c.id === 'load.phase');
    expect(['pass', 'info']).toContain(phaseCheck?.status);
    if (phaseCheck?.status === 'info') expect(phaseCheck.message).toMatch(/limited by the load generator/);
    expect(Object.keys(p!.latencyUs as object)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p99.9', 'max']));
    expect(p!.requests as number).toBeGreaterThan(100);
  });

  it('--threads splits the clients over worker threads and merges their histograms', async () => {
    const r = await runCli(['load', '--scenario', 'quick', '--duration', '2s', '--threads', '2', '--op', 'put=1,get=1,range:10=1', '--json']);
    expect(r.exitCode).toBe(0);
    const p = (
      JSON.parse(String(r.stdout)) as {
        phases: {
          requests: number;
          errors: number;
          conns: number;
          latencyUs: Record<string, number>;
          latencyByOpUs: Record<string, unknown>;
          rateSeries: number[];
        }[];
      }
    ).phases[0]!;
    expect(p.errors).toBe(0);
    expect(p.conns).toBe(2);
    expect(p.requests).toBeGreaterThan(100);
    expect(Object.keys(p.latencyByOpUs).sort()).toEqual(['get', 'put', 'range']);
    expect(p.rateSeries.reduce((a, b) => a + b, 0)).toBeGreaterThan(p.requests * 0.8);
    expect(p.latencyUs.p50!).toBeLessThanOrEqual(p.latencyUs.p99!);
  });

  it('ad hoc: --clients 500 --total 40000 --op put runs one closed phase as fast as etcd answers, and says so', async () => {
    const r = await runCli(['load', '--clients', '500', '--total', '40000', '--op', 'put']);
    expect(r.exitCode).toBe(0);
    const out = String(r.stdout);
    expect(out).toMatch(/^scenario ad-hoc against http:\/\/127\.0\.0\.1:\d+ \(throwaway etcd\)/);
    expect(out).toMatch(/^ad-hoc: closed model, 500 clients on 2 connection\(s\), \d+\.\d s$/m);
    const done = /^ {2}(\d+) requests, [\d.]+ req\/s, (\d+) errors/m.exec(out);
    expect(Number(done![1]) + Number(done![2])).toBe(40000);
    expect(out).not.toMatch(/target/);
  });

  it('a bad scenario value is one line on stderr and exit 2', async () => {
    const r = await runCli(['load', '--scenario', 'quick', '--clients', '0']);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim().split('\n')).toHaveLength(1);
    expect(String(r.stderr)).toMatch(/--clients: must be a positive whole number, got 0/);
    const missing = await runCli(['load', '--scenario', 'no-such']);
    expect(missing.exitCode).toBe(2);
    expect(String(missing.stderr)).toMatch(/no scenario named "no-such"/);
  });

  it('--help lists the workload flags and examples', async () => {
    const r = await runCli(['load', '--help']);
    for (const flag of [
      '--scenario',
      '--clients',
      '--conns',
      '--rate',
      '--total',
      '--duration',
      '--key-size',
      '--val-size',
      '--op',
      '--prefix',
      '--max-db-growth',
      '--client',
    ])
      expect(String(r.stdout)).toContain(flag);
    expect(String(r.stdout)).toMatch(/Examples:/);
  });

  describe('against --endpoints', () => {
    let etcd: Awaited<ReturnType<typeof startTestEtcd>>;
    beforeAll(async () => {
      etcd = await startTestEtcd();
    });
    afterAll(async () => {
      await etcd?.cleanup();
    });

    /** Starts a 60 s load under `prefix` and sends `signal` once it has written 50 keys there. */
    async function loadThenSignal(prefix: string, signal: 'SIGINT' | 'SIGTERM', extra: string[] = []) {
      const admin = await createEtcd3Client({ endpoints: [etcd.clientUrl] });
      const child = runCli(['load', '--endpoints', etcd.clientUrl, '--scenario', 'quick', '--duration', '60s', '--prefix', prefix, ...extra]);
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
      while ((await admin.getAll().prefix(prefix).count()) <= 50) await new Promise((res) => setTimeout(res, 200));
      child.kill(signal);
      const r = await child;
      const left = await admin.getAll().prefix(prefix).count();
      admin.close();
      return { r, stderr, left };
    }

    it('prints the footprint first, and on Ctrl-C stops, deletes exactly its keys and prints what it measured, not judged', async () => {
      const admin = await createEtcd3Client({ endpoints: [etcd.clientUrl] });
      await admin.put('/etcd-advisor/keep').value('not ours');
      const { r, stderr, left } = await loadThenSignal('/etcd-advisor/sigint/', 'SIGINT');
      expect(r.exitCode).toBe(130);
      expect(stderr).toMatch(/^footprint: up to 1000 keys .* under \/etcd-advisor\/sigint\//);
      expect(left).toBe(0);
      expect(await admin.get('/etcd-advisor/keep').string()).toBe('not ours');
      admin.close();
      // The phase as measured, its thresholds unjudged: an interrupted load is no verdict on etcd.
      const out = String(r.stdout);
      expect(out).toMatch(/stopped early: interrupted \(not judged\)/);
      expect(out).toMatch(/ERROR {2}Run interrupted: The run was stopped by SIGINT/);
      expect(out).not.toMatch(/^ {2}(ok {2}|FAIL) /m);
      expect(stderr).toContain('marked interrupted (verdict incomplete, not judged)');
    });

    it('on SIGTERM with --json: exit 143, the phases measured so far, verdict incomplete, no load check', async () => {
      const { r, left } = await loadThenSignal('/etcd-advisor/sigterm/', 'SIGTERM', ['--json']);
      expect(r.exitCode).toBe(143);
      expect(left).toBe(0);
      const out = JSON.parse(String(r.stdout)) as { interrupted: string; verdict: string; checks: { id: string }[]; phases: { requests: number }[] };
      expect(out).toMatchObject({ interrupted: 'SIGTERM', verdict: 'incomplete' });
      expect(out.checks.map((c) => c.id)).toEqual(['run.interrupted']);
      expect(out.phases[0]!.requests).toBeGreaterThan(50);
    });

    it('refuses a prefix that holds keys with exit 2', async () => {
      const r = await runCli(['load', '--endpoints', etcd.clientUrl, '--scenario', 'quick', '--prefix', '/etcd-advisor/']);
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr)).toMatch(/already holds 1 keys: refusing to write there/);
    });
  });
});
