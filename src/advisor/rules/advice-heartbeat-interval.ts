// Recommends --heartbeat-interval from the tail peer RTT, never below etcd's 100 ms default.
import { DEFAULT_HEARTBEAT_MS } from '../../etcd/flags.js';
import { isMeasured } from '../inputs.js';
import { recommend, type Rule } from '../rule.js';

/** Heartbeats are rounded up to this step so that the value reads as a choice, not a measurement echo. */
export const HEARTBEAT_STEP_MS = 50;

/** Never below etcd's default heartbeat: on a LAN a shorter one only adds traffic. */
export function heartbeatFor(rttP99Ms: number): number {
  return Math.max(DEFAULT_HEARTBEAT_MS, Math.ceil(rttP99Ms / HEARTBEAT_STEP_MS) * HEARTBEAT_STEP_MS);
}

export const heartbeatInterval: Rule = {
  id: 'advice.heartbeat-interval',
  section: 'advice',
  title: '--heartbeat-interval',
  source:
    'ETCD-FACTS.md Heartbeat and election: "around the maximum of average RTT between members, normally 0.5-1.5x the RTT" (etcd docs tuning); default 100 ms',
  needs: ['rttP99Ms'],
  evaluate({ inputs }) {
    const rtt = inputs.rttP99Ms;
    const flag = 'heartbeat-interval';
    if (!isMeasured(rtt)) return { checks: [] };
    const value = heartbeatFor(rtt.value);
    const atDefault = value === DEFAULT_HEARTBEAT_MS;
    const reason = atDefault
      ? `The tail RTT (${rtt.value.toFixed(3)} ms) is well under the ${DEFAULT_HEARTBEAT_MS} ms default: keep the default; a longer heartbeat would only slow failure detection.`
      : `The heartbeat should be about the RTT between members; the tail RTT is ${rtt.value.toFixed(1)} ms, rounded up to ${value} ms.`;
    const rec = recommend(this, {
      flag,
      value,
      default: DEFAULT_HEARTBEAT_MS,
      unit: 'ms',
      basis: rtt.basis + (inputs.rttLoopbackOnly ? ' (loopback only: measure the real peers before going live)' : ''),
      reason,
      ifIgnored:
        'Too short: heartbeats miss their deadline ("failed to send out heartbeat on time") and elections start; too long: a dead leader is noticed late.',
    });
    return { flags: [rec.flag], checks: [rec.check] };
  },
};
