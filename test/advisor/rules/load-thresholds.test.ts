// The load rules: thresholds fail a phase, but a rate missed by a saturated load generator is a warning that blames the client, never etcd.
import { describe, expect, it } from 'vitest';
import type { Artifacts, LoadPhaseResult } from '../../../src/model/artifacts.js';
import { loadPhases } from '../../../src/advisor/rules/load-errors.js';
import { loadThresholds } from '../../../src/advisor/rules/load-thresholds.js';
import type { RuleContext } from '../../../src/advisor/rule.js';

function phase(over: Partial<LoadPhaseResult>): LoadPhaseResult {
  return {
    name: 'p', model: 'open', clients: 50, conns: 1, targetRatePerSec: 150, requests: 9000, errors: 0, errorsByKind: {}, durationSec: 60, ratePerSec: 150,
    latencyUs: { p50: 1200, p99: 4000, max: 20_000 }, latencyByOpUs: {}, rateSeries: [], clientCpuPct: 10, clientLimited: false, thresholds: [], ...over,
  };
}

function ctx(phases: LoadPhaseResult[], extra: Record<string, unknown> = {}): RuleContext {
  const artifacts = { load: { ok: true, data: { endpoints: ['http://127.0.0.1:2379'], embedded: true, client: 'lean', scenario: 's', prefix: '/x/', etcdVersion: '3.4.23', phases, ...extra } } } as unknown as Artifacts;
  return { artifacts, inputs: {} as RuleContext['inputs'], flags: new Map() };
}

const rate = { expr: 'rate > 0.9 * target', ok: false, actual: 'rate = 90.0/s' };
const p99 = { expr: 'p99 < 25ms', ok: false, actual: 'p99 = 40.00ms' };

describe('load.thresholds', () => {
  it.each([
    ['all hold', phase({ thresholds: [{ ...rate, ok: true, actual: 'rate = 150.0/s' }] }), 'pass', /all 1 thresholds hold/],
    ['a latency missed', phase({ thresholds: [p99] }), 'fail', /missed: p99 < 25ms \(p99 = 40.00ms\)/],
    ['a rate missed by etcd', phase({ thresholds: [rate] }), 'fail', /missed: rate > 0.9 \* target/],
    ['a rate missed by the client', phase({ thresholds: [rate], clientLimited: true, clientLimitedReason: 'the load generator fell behind' }), 'warn', /limited by the load generator, not etcd/],
    ['a latency missed while the client was limited', phase({ thresholds: [rate, p99], clientLimited: true }), 'fail', /p99 < 25ms/],
  ])('%s', (_, p, status, message) => {
    const [check] = loadThresholds.evaluate(ctx([p])).checks;
    expect(check?.status).toBe(status);
    expect(check?.message).toMatch(message);
  });

  it('says nothing about a phase without thresholds', () => {
    expect(loadThresholds.evaluate(ctx([phase({})])).checks).toEqual([]);
  });
});

describe('load.phase', () => {
  it('fails on errors, names an early stop, blames the client when it was the limit, and warns of keys left behind', () => {
    const checks = loadPhases.evaluate(
      ctx(
        [
          phase({ name: 'a', errors: 3, errorsByKind: { unavailable: 3 }, stoppedEarly: 'no request succeeded for 3 s' }),
          phase({ name: 'b', clientLimited: true, clientLimitedReason: 'the load generator\'s CPU was saturated' }),
          phase({ name: 'c' }),
        ],
        { cleanupError: 'could not delete the keys under /x/' },
      ),
    ).checks;
    expect(checks.map((c) => c.status)).toEqual(['fail', 'info', 'pass', 'warn']);
    expect(checks[0]!.message).toMatch(/3 of 9003 requests failed \(unavailable: 3\)\. The phase stopped early: no request succeeded/);
    expect(checks[1]!.message).toMatch(/limited by the load generator, not etcd/);
    expect(checks[3]!.message).toMatch(/etcdctl del --prefix \/x\//);
  });
});
