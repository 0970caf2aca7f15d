// The advisor's judgement of one load phase from its raw figures: each scenario threshold held or missed, and whether the load generator, not etcd, set the pace.
import { thresholdExpr, type LoadPhaseResult } from '../model/artifacts.js';
import { errorMessage } from '../model/errors.js';
import { evaluateThreshold, parseThreshold } from '../load/thresholds.js';

/** Process CPU as a share of one core per thread: Node runs the loop on one thread, so near 100% the client, not etcd, sets the pace. */
export const CLIENT_CPU_LIMIT_PCT = 90;
/** The same seen from the event loop: busy this share of the time, it cannot send faster. */
export const EVENT_LOOP_LIMIT = 0.9;
/** An open-model phase holds its rate when it reaches this share of the target: etcdctl check perf fails at or below 90% (ETCD-FACTS.md). */
export const OPEN_RATE_HELD = 0.9;
/** Behind schedule, fewer than this share of the late ticks had every client busy: the sender, not etcd's latency, was late. */
const SLOT_BOUND_SHARE = 0.5;

export interface ThresholdResult {
  expr: string;
  ok: boolean;
  /** The measured side, e.g. "p99 = 4.00ms", or why it could not be judged. */
  actual: string;
}

export interface LoadPhaseJudgement {
  thresholds: ThresholdResult[];
  /** Why the load generator rather than etcd set the pace; null when it did not. */
  clientLimitedReason: string | null;
}

/** Judges the thresholds as written against the phase's figures; one that no longer parses is missed, saying why. */
export function judgeThresholds(p: LoadPhaseResult): ThresholdResult[] {
  return p.thresholds.map((t) => {
    const expr = thresholdExpr(t);
    try {
      return evaluateThreshold(parseThreshold(expr, { rate: p.targetRatePerSec }), p);
    } catch (err) {
      return { expr, ok: false, actual: `cannot be judged: ${errorMessage(err)}` };
    }
  });
}

/**
 * Whether the client was the limit, from the raw figures. An old report without the open model's backlog figures keeps the
 * reason its engine gave for that case, the only one that cannot be decided again.
 */
export function clientLimitedReason(p: LoadPhaseResult): string | null {
  const threads = p.threads ?? 1;
  const elu = p.eventLoopUtilization ?? 0;
  if (p.clientCpuPct >= CLIENT_CPU_LIMIT_PCT * threads || elu >= EVENT_LOOP_LIMIT) {
    return `the load generator's CPU was saturated (process CPU ${p.clientCpuPct.toFixed(0)}% of a core over ${threads} thread(s), event loop busy ${(elu * 100).toFixed(0)}%)`;
  }
  if (p.model !== 'open' || p.targetRatePerSec === null || p.ratePerSec >= OPEN_RATE_HELD * p.targetRatePerSec || p.stoppedEarly !== undefined) return null;
  if (p.backlogTicks === undefined || p.slotBoundTicks === undefined)
    return p.clientLimited === true ? (p.clientLimitedReason ?? 'the load generator fell behind its schedule') : null;
  // Behind schedule with clients free means the sender could not keep up; all clients busy means etcd's latency set the pace.
  if (p.backlogTicks > 0 && p.slotBoundTicks / p.backlogTicks < SLOT_BOUND_SHARE) {
    return `the load generator fell behind its ${p.targetRatePerSec}/s schedule while clients were free (event loop busy ${(elu * 100).toFixed(0)}%)`;
  }
  return null;
}

export function judgeLoadPhase(p: LoadPhaseResult): LoadPhaseJudgement {
  return { thresholds: judgeThresholds(p), clientLimitedReason: clientLimitedReason(p) };
}
