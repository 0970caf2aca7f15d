// advice.upgrade: a member's current unit read by the real current-config probe (its ExecStart runs the real etcd 3.4.23), advice for 3.6, and the same section in report.json, report.html and summary.md.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import { upgrade } from '../../../src/advisor/rules/advice-upgrade.js';
import type { Report } from '../../../src/model/report.js';
import { runCurrentConfigProbe } from '../../../src/probes/current-config.js';
import { parseReport } from '../../../src/report/load.js';
import { renderAll } from '../../../src/report/write.js';
import { loadFixture } from '../../report/fixtures.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'lint', 'upgrade-34');

async function reportFor(etcdVersion: string): Promise<Report> {
  const base = loadFixture('quick');
  const current = await runCurrentConfigProbe({ unit: join(FIX, 'etcd.service'), envFiles: [join(FIX, 'etcd.conf')] });
  const artifacts = { ...base.artifacts, current };
  const result = advise(artifacts, { etcdVersion });
  return { ...base, artifacts, checks: result.checks, advice: result.advice };
}

describe('advice.upgrade', () => {
  it('starts from the release the unit runs (its ExecStart binary) and lists each step with the replacement', async () => {
    const report = await reportFor('3.6');
    const plan = report.advice.upgrade!;
    expect(plan.running).toBe('etcd 3.4.23 (/usr/bin/etcd of the unit (' + join(FIX, 'etcd.service') + ', ' + join(FIX, 'etcd.conf') + '))');
    expect(plan.target).toBe('etcd 3.6 (--etcd-version given by the operator)');
    expect(plan.steps.map((s) => `${s.from} -> ${s.to}`)).toEqual(['3.4 -> 3.5', '3.5 -> 3.6']);
    const breaks = plan.steps.map((s) =>
      s.changes
        .filter((c) => c.impact === 'breaks')
        .map((c) => c.flag)
        .sort(),
    );
    expect(breaks).toEqual([['debug', 'experimental-backend-bbolt-freelist-type', 'logger'], ['enable-v2']]);
    const checks = report.checks.filter((c) => c.id === 'advice.upgrade');
    expect(checks.find((c) => c.flag === 'debug')).toMatchObject({
      status: 'warn',
      title: 'Upgrade 3.4 -> 3.5: --debug',
      message: expect.stringMatching(/Fix: replace it with --log-level .*etcd\.service:10\)$/) as unknown,
    });
    // The hardware verdict is not the unit's: an upgrade that needs edits warns, never fails the run.
    expect(checks.every((c) => c.status === 'warn' || c.status === 'info')).toBe(true);
  });

  it('says nothing when the advice is for the release the member runs, or when its settings were not read', async () => {
    expect((await reportFor('3.4')).advice.upgrade).toBeUndefined();
    const base = loadFixture('quick');
    expect(advise(base.artifacts, { etcdVersion: '3.6' }, [upgrade]).checks).toEqual([]);
  });

  it('is the same section in report.json (schema-checked), report.html and summary.md', async () => {
    const report = await reportFor('3.6');
    const files = renderAll(report);
    const back = parseReport(files['report.json'], 'report.json');
    expect(back.advice.upgrade).toEqual(report.advice.upgrade);
    for (const text of [files['report.html'], files['summary.md']]) {
      expect(text).toContain('Upgrade: what in the current settings changes on the way');
      expect(text).toContain('3.4 -&gt; 3.5');
      expect(text).toContain('3.5 -&gt; 3.6');
    }
    expect(files['report.html']).toContain('<td>etcd will not start</td><td><code>--debug</code></td>');
    expect(files['summary.md']).toMatch(/\| etcd will not start \| --debug \| etcd 3\.5 refuses --debug .*Fix: replace it with --log-level/);
    const crafted = JSON.parse(files['report.json']) as Report;
    crafted.advice.upgrade!.steps[0]!.changes[0]!.flag = 'debug\nExecStartPre=/bin/sh';
    expect(() => parseReport(JSON.stringify(crafted), 'crafted.json')).toThrow(
      /crafted\.json: advice\.upgrade\.steps\[0\]\.changes\[0\]\.flag: must be an etcd flag name/,
    );
  });
});
