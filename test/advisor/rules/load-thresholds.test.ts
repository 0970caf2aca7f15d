// The load rules: thresholds fail a phase, but a rate missed by a saturated load generator is a warning that blames the client, never etcd.
import { describe, expect, it } from 'vitest';
import type { Artifacts, LoadPhaseResult } from '../../../src/model/artifacts.js';
import { loadPhases } from '../../../src/advisor/rules/load-errors.js';
import { loadThresholds } from '../../../src/advisor/rules/load-thresholds.js';
import type { RuleContext } from '../../../src/advisor/rule.js';

function phase(over: Partial<LoadPhaseResult>): LoadPhaseResult {
  return {
    name: 'p',
    model: 'open',
    clients: 50,
    conns: 1,
    targetRatePerSec: 150,
    requests: 9000,
    errors: 0,
    errorsByKind: {},
    durationSec: 60,
    ratePerSec: 150,
    latencyUs: { p50: 1200, p99: 4000, max: 20_000 },
    latencyByOpUs: {},
    rateSeries: [],
    clientCpuPct: 10,
    thresholds: [],
    ...over,
  };
}

function ctx(phases: LoadPhaseResult[], extra: Record<string, unknown> = {}): RuleContext {
  const data = { endpoints: ['http://127.0.0.1:2379'], embedded: true, client: 'lean', scenario: 's', prefix: '/x/', etcdVersion: '3.4.23', phases, ...extra };
  const artifacts = { load: { ok: true, data } } as unknown as Artifacts;
  return { artifacts, measured: { load: data } as RuleContext['measured'], inputs: {} as RuleContext['inputs'], flags: new Map() };
}

// The thresholds as the engine writes them; the advisor judges them against the phase's figures.
const rate = 'rate > 0.9 * target';
const p99 = 'p99 < 25ms';
/** A phase that missed its 150/s: 90/s. */
const slow = { ratePerSec: 90 };
/** Late ticks with clients free: the sender, not etcd, fell behind. */
const senderBehind = { ...slow, backlogTicks: 100, slotBoundTicks: 10 };

describe('load.thresholds', () => {
  it.each([
    ['all hold', phase({ thresholds: [rate] }), 'pass', /all 1 thresholds hold \(rate = 150.0\/s\)/],
    ['a latency missed', phase({ thresholds: [p99], latencyUs: { p50: 1200, p99: 40_000 } }), 'fail', /missed: p99 < 25ms \(p99 = 40.00ms\)/],
    ['a rate missed by etcd', phase({ thresholds: [rate], ...slow, backlogTicks: 100, slotBoundTicks: 90 }), 'fail', /missed: rate > 0.9 \* target/],
    [
      'a rate missed by the client',
      phase({ thresholds: [rate], ...senderBehind }),
      'warn',
      /limited by the load generator, not etcd \(the load generator fell behind its 150\/s schedule/,
    ],
    [
      'a latency missed while the client was limited',
      phase({ thresholds: [rate, p99], ...slow, latencyUs: { p99: 40_000 }, clientCpuPct: 99 }),
      'fail',
      /p99 < 25ms/,
    ],
    // Reports written before the advisor judged load: the saved verdict is ignored, the expression judged again.
    [
      "an old report says ok, today's rule says missed",
      phase({ thresholds: [{ expr: p99, ok: true, actual: 'p99 = 1.00ms' }], latencyUs: { p99: 40_000 } }),
      'fail',
      /missed: p99 < 25ms \(p99 = 40.00ms\)/,
    ],
    [
      "an old report's client-limited open phase, without backlog figures",
      phase({
        thresholds: [{ expr: rate, ok: false, actual: 'rate = 90.0/s' }],
        ...slow,
        clientLimited: true,
        clientLimitedReason: 'the load generator fell behind',
      }),
      'warn',
      /not etcd \(the load generator fell behind\)/,
    ],
    [
      'a threshold that no longer parses is missed, saying why',
      phase({ thresholds: ['p99 < 25'] }),
      'fail',
      /p99 < 25 \(cannot be judged: .*needs a number with a unit/,
    ],
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
          phase({ name: 'b', clientCpuPct: 95 }),
          phase({ name: 'c' }),
        ],
        { cleanupError: 'could not delete the keys the load wrote under /x/', embedded: false },
      ),
    ).checks;
    expect(checks.map((c) => c.status)).toEqual(['fail', 'info', 'pass', 'warn']);
    expect(checks[0]!.message).toMatch(/3 of 9003 requests failed \(unavailable: 3\)\. The phase stopped early: no request succeeded/);
    expect(checks[1]!.message).toMatch(/limited by the load generator, not etcd: the load generator's CPU was saturated/);
    expect(checks[3]!.message).toMatch(/etcdctl del --prefix \/x\//);
  });

  it('advises no clean-up of a throwaway etcd: its keys went with it', () => {
    const checks = loadPhases.evaluate(ctx([phase({ name: 'c' })], { cleanupError: 'could not delete the keys the load wrote under /x/' })).checks;
    expect(checks.map((c) => c.status)).toEqual(['pass']);
  });
});
