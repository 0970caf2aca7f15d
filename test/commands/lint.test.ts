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

  it('takes --env-file before the unit too, once per file, without swallowing the unit named after it', async () => {
    const unit = join(FIX, 'upgrade-34', 'etcd.service');
    const env = join(FIX, 'upgrade-34', 'etcd.conf');
    const before = await cli(['lint', '--env-file', env, unit, '--etcd-version', '3.4', '--json']);
    const after = await cli(['lint', unit, '--env-file', env, '--etcd-version', '3.4', '--json']);
    expect(before.stderr).toBe('');
    expect(before.exitCode).toBe(after.exitCode);
    expect(JSON.parse(before.stdout)).toEqual(JSON.parse(after.stdout));
    const twice = await cli(['lint', '--env-file', env, '--env-file', env, unit, '--etcd-version', '3.4']);
    expect(twice.stderr).toBe('');
    expect(twice.stdout).toContain('Linted');
    const bare = await cli(['lint', unit, '--env-file']);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr.trim().split('\n')).toHaveLength(1);
    expect(bare.stderr).toContain('--env-file');
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

  describe('--upgrade-to', () => {
    const unit = join(FIX, 'upgrade-34', 'etcd.service');
    const env = join(FIX, 'upgrade-34', 'etcd.conf');

    it('lists, step by step, what a 3.4 unit must change for 3.5 and 3.6, with the replacement, and exits 1 when a step stops etcd', async () => {
      const r = await cli(['lint', unit, '--env-file', env, '--etcd-version', '3.4', '--upgrade-to', '3.6']);
      expect(r.exitCode).toBe(1);
      const text = r.stdout.split('\n');
      const at = (s: string) => text.indexOf(s);
      expect(at('Upgrade 3.4 -> 3.6, one release at a time:')).toBeGreaterThan(0);
      expect(at('  3.4 -> 3.5:')).toBeGreaterThan(at('Upgrade 3.4 -> 3.6, one release at a time:'));
      expect(at('  3.5 -> 3.6:')).toBeGreaterThan(at('  3.4 -> 3.5:'));
      const step35 = text.slice(at('  3.4 -> 3.5:') + 1, at('  3.5 -> 3.6:'));
      expect(step35).toContain(
        `    ${unit}:10: FAIL [etcd.upgrade] --debug: etcd 3.5 refuses --debug ("flag provided but not defined"): it will not start. Fix: replace it with --log-level (use --log-level=debug).`,
      );
      expect(step35).toContain(
        `    ${env}:1: FAIL [etcd.upgrade] --logger: etcd 3.5 refuses ETCD_LOGGER=capnslog: it will not start. Fix: set ETCD_LOGGER=zap.`,
      );
      const step36 = text.slice(at('  3.5 -> 3.6:') + 1);
      expect(step36.join('\n')).toContain(
        '--experimental-initial-corrupt-check: etcd 3.6 deprecates --experimental-initial-corrupt-check (removed in 3.7): it still starts, with a warning. Fix: replace it with --feature-gates=InitialCorruptCheck=true.',
      );
      expect(step36.join('\n')).not.toContain('--debug');
    });

    it("carries each check's step in --json", async () => {
      const r = await cli(['lint', unit, '--env-file', env, '--etcd-version', '3.4', '--upgrade-to', '3.5', '--json']);
      const out = JSON.parse(r.stdout) as { checks: { id: string; step?: string; status: string; flag?: string }[] };
      const upgrade = out.checks.filter((c) => c.id === 'etcd.upgrade');
      expect(new Set(upgrade.map((c) => c.step))).toEqual(new Set(['3.4 -> 3.5']));
      expect(
        upgrade
          .filter((c) => c.status === 'fail')
          .map((c) => c.flag)
          .sort(),
      ).toEqual(['debug', 'experimental-backend-bbolt-freelist-type', 'logger']);
    });

    it('refuses a release it cannot upgrade to in one line, exit 2', async () => {
      const bad = await cli(['lint', unit, '--etcd-version', '3.4', '--upgrade-to', '3.7']);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr.trim()).toBe('etcd-advisor: --upgrade-to "3.7": give one of 3.5, 3.6 (or a full version such as 3.5.17)');
      const same = await cli(['lint', unit, '--etcd-version', '3.5', '--upgrade-to', '3.5']);
      expect(same.exitCode).toBe(2);
      expect(same.stderr.trim().split('\n')).toEqual([
        'etcd-advisor: --upgrade-to 3.5: the files are for etcd 3.5 already (--etcd-version); give a later release, or --etcd-version for the one they run today',
      ]);
    });
  });
});
