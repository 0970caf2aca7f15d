// `advise`'s terminal text, rendered from the advisor's answer over the recorded runs (report.json fixtures).
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import { renderAdviseText } from '../../../src/report/terminal/advise.js';
import { loadFixture } from '../fixtures.js';

describe('renderAdviseText', () => {
  it('lists each flag copyable with its reason and measurement, bytes also in human units', () => {
    const result = advise(loadFixture('full').artifacts);
    const text = renderAdviseText(result, []);
    expect(text).toMatch(/^Recommended flags for etcd 3\.4 \(/);
    for (const f of result.advice.flags) expect(text).toContain(`  --${f.flag}=${f.value}`);
    expect(text).toMatch(/^ {2}--heartbeat-interval=\d+ \(ms\)\n {6}\S.*\n {6}measured: \S/m);
    // 8 GiB as etcd takes it, then as a reader takes it in.
    const quota = result.advice.flags.find((f) => f.flag === 'quota-backend-bytes')!;
    expect(text).toMatch(new RegExp(`--quota-backend-bytes=${quota.value} \\([\\d.]+ [KMGT]iB\\)`));
    expect(text).toMatch(/\nFindings:\n {2}(PASS|INFO|WARN) /);
    expect(text).not.toContain('Needs attention');
    expect(text).not.toContain('Written:');
  });

  it('puts what blocks the plan first and lists the files written last', () => {
    const result = advise(loadFixture('no-fio').artifacts);
    const text = renderAdviseText(result, ['/out/etcd.service', '/out/etcd.conf']);
    expect(text.startsWith('Needs attention:\n  ERROR  ')).toBe(true);
    expect(text.indexOf('fio is not installed')).toBeLessThan(text.indexOf('Recommended flags'));
    // A blocking finding is said once, above the flags, not again under Findings.
    const blocking = result.checks.filter((c) => c.status === 'error' || c.status === 'fail');
    expect(blocking.length).toBeGreaterThan(0);
    for (const c of blocking) expect(text.split(`  ${c.title}: ${c.message}\n`).length - 1).toBe(1);
    expect(text.indexOf('\nFindings:\n')).toBeGreaterThan(text.lastIndexOf('  ERROR  '));
    expect(text.endsWith('\n\nWritten:\n  /out/etcd.service\n  /out/etcd.conf\n')).toBe(true);
  });
});
