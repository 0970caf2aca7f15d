// `etcd-advisor status` on saved etcdctl JSON (recorded from a real cluster): output, exit codes, bad input.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

async function cli(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const r = await runCli(args);
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const FIX = join(import.meta.dirname, '..', 'fixtures', 'etcdctl');

describe('etcd-advisor status --from-status', () => {
  it('judges a saved NOSPACE cluster: exit 1, the alarm and its recovery steps in JSON', async () => {
    const r = await cli(['status', '--from-status', join(FIX, 'endpoint-status-nospace.json'), '--from-members', join(FIX, 'member-list.json'), '--json']);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout) as {
      cluster: { ok: boolean; data: { alarms: { alarm: string }[] } };
      checks: { id: string; status: string; message: string }[];
    };
    expect(out.cluster.data.alarms).toEqual([{ memberId: '15376326339224612996', memberIdHex: 'd563af5697f73084', alarm: 'NOSPACE' }]);
    const alarm = out.checks.find((c) => c.id === 'cluster.alarms')!;
    expect(alarm.status).toBe('fail');
    expect(alarm.message).toMatch(/compact 151 .*defrag .*alarm disarm/);
  });

  it('judges saved 3.4 output against the quota the operator gives (the recording ran with 16 MiB)', async () => {
    const r = await cli(['status', '--from-status', join(FIX, 'endpoint-status-nospace.json'), '--quota-backend-bytes', String(16 * 2 ** 20), '--json']);
    const checks = (JSON.parse(r.stdout) as { checks: { id: string; title: string; status: string }[] }).checks.filter(
      (c) => c.id === 'cluster.db-size' && !c.title.endsWith('spread'),
    );
    // 15998976, 16510976 and 16715776 bytes of 16777216: all past the 95% line when etcd raised NOSPACE.
    expect(checks.map((c) => c.status)).toEqual(['fail', 'fail', 'fail']);
  });

  it('passes a healthy saved cluster (exit 0) and prints each member', async () => {
    const r = await cli(['status', '--from-status', join(FIX, 'endpoint-status-healthy.json'), '--from-members', join(FIX, 'member-list.json')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/d563af5697f73084 {2}v3\.4\.23 {2}LEADER/);
  });

  it('rejects bad input in one line with exit 2', async () => {
    const none = await cli(['status']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/give --endpoints/);
    const notJson = await cli(['status', '--from-status', join(FIX, 'README.md')]);
    expect(notJson.exitCode).toBe(2);
    expect(notJson.stderr.trim().split('\n')).toHaveLength(1);
    // JSON.parse quotes the text it stopped at, newline included: the error is still one line.
    const garbage = await runCli(['status', '--from-status', '-'], { stdin: 'pipe', input: 'garbage\nmore\n' });
    expect(garbage.exitCode).toBe(2);
    expect(String(garbage.stderr).trim().split('\n'), String(garbage.stderr)).toEqual([
      expect.stringMatching(/^etcd-advisor: --from-status -: .*not valid JSON$/),
    ]);
    const both = await cli(['status', '--endpoints', 'http://127.0.0.1:1', '--from-status', join(FIX, 'member-list.json')]);
    expect(both.exitCode).toBe(2);
    const noCa = await cli(['status', '--endpoints', 'https://127.0.0.1:1', '--cacert', '/nonexistent/ca.pem']);
    expect(noCa.exitCode).toBe(2);
    expect(noCa.stderr.trim()).toBe('etcd-advisor: --cacert /nonexistent/ca.pem: no such file');
  });

  it('reports an unreachable cluster as incomplete (exit 3), not as a crash', async () => {
    const r = await cli(['status', '--endpoints', 'http://127.0.0.1:9', '--timeout', '500ms', '--json']);
    expect(r.exitCode).toBe(3);
    expect((JSON.parse(r.stdout) as { checks: { status: string }[] }).checks[0]!.status).toBe('error');
  });
});

describe('etcd-advisor status --help', () => {
  it('has an example', async () => {
    const r = await cli(['status', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Examples:[\s\S]*etcd-advisor status --endpoints/);
  });
});
