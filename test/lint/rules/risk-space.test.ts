// Lint rule risk.space: the quota and request sizes it names are shown by the one byte formatter, whole and in binary units.
import { describe, expect, it } from 'vitest';
import type { MemberContext } from '../../../src/lint/rules/common.js';
import { spaceLimits } from '../../../src/lint/rules/risk-space.js';
import type { Setting } from '../../../src/lint/settings.js';

function context(values: Record<string, string>): MemberContext {
  const settings = new Map<string, Setting>(
    Object.entries(values).map(([flag, value], i) => [
      flag,
      { flag, value, origin: 'flag', file: 'etcd.service', line: i + 1, written: `--${flag}` } as Setting,
    ]),
  );
  return { settings } as unknown as MemberContext;
}

describe('risk.space', () => {
  it('names a quota above 8 GiB and a request above 10 MiB in binary units', () => {
    const checks = spaceLimits.check(context({ 'quota-backend-bytes': String(10 * 2 ** 30), 'max-request-bytes': String(15.5 * 2 ** 20) }));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['risk.quota', 'warn'],
      ['risk.max-request-bytes', 'warn'],
    ]);
    expect(checks[0]!.message).toMatch(/^--quota-backend-bytes=10737418240 \(10 GiB\) is above the suggested maximum of 8 GiB/);
    expect(checks[1]!.message).toMatch(/^--max-request-bytes=16252928 \(15\.5 MiB\) is above 10 MiB/);
  });

  it('says nothing of sizes within the limits', () => {
    expect(spaceLimits.check(context({ 'quota-backend-bytes': String(8 * 2 ** 30), 'max-request-bytes': String(1.5 * 2 ** 20) }))).toEqual([]);
  });
});
