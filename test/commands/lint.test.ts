// `etcd-advisor lint` as operators run it: --json shape, exit codes, --env-file, bad input.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

async function cli(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const r = await runCli(args);
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const FIX = join(import.meta.dirname, '..', 'fixtures', 'lint');

describe('etcd-advisor lint', () => {
  it('prints only { checks, verdict } JSON on stdout and exits 1 when there is an error', async () => {
    const r = await cli(['lint', join(FIX, 'timing', 'too-short.service'), '--etcd-version', '3.4', '--json']);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout) as { checks: Record<string, unknown>[]; verdict: string };
    expect(out.verdict).toBe('not-qualified');
    expect(out.checks).toEqual([
      {
        status: 'fail',
        id: 'etcd.timing',
        section: 'lint',
        title: `${join(FIX, 'timing', 'too-short.service')}:4`,
        message: expect.stringContaining('Fix: --heartbeat-interval=100 --election-timeout=1000') as unknown,
        file: join(FIX, 'timing', 'too-short.service'),
        line: 4,
        flag: 'election-timeout',
        source: expect.stringContaining('ETCD-FACTS.md Heartbeat and election') as unknown,
      },
    ]);
  });

  it('exits 0 on a clean unit whose EnvironmentFile comes from --env-file, and prints a summary', async () => {
    const r = await cli([
      'lint',
      join(FIX, 'good-unit-envfile', 'etcd.service'),
      '--env-file',
      join(FIX, 'good-unit-envfile', 'etcd.conf'),
      '--etcd-version',
      '3.4',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('0 errors, 0 warnings.');
  });

  it('exits 0 with warnings only', async () => {
    const r = await cli(['lint', join(FIX, 'risks', 'etcd.conf'), '--etcd-version', '3.4']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/0 errors, 6 warnings/);
  });

  it('says in one line what is wrong with its input, exit 2', async () => {
    const missing = await cli(['lint', '/nonexistent/etcd.service']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim()).toBe('etcd-advisor: /nonexistent/etcd.service: no such file');
    const version = await cli(['lint', join(FIX, 'risks', 'etcd.conf'), '--etcd-version', 'latest']);
    expect(version.exitCode).toBe(2);
    expect(version.stderr).toMatch(/--etcd-version "latest": give one of 3\.4, 3\.5/);
  });

  it('has --help with an example', async () => {
    const r = await cli(['lint', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Examples:[\s\S]*etcd-advisor lint \/etc\/systemd\/system\/etcd.service/);
  });
});
