// Recommends --election-timeout: >= 10x RTT, >= 5x heartbeat, above network stalls and the disk's fdatasync tail, a multiple of the heartbeat, <= 50000 ms.
import { DEFAULT_ELECTION_MS, DEFAULT_HEARTBEAT_MS } from '../../etcd/flags.js';
import { isMeasured } from '../inputs.js';
import { checkFields, recommend, type Rule } from '../rule.js';
import { heartbeatFor } from './advice-heartbeat-interval.js';

/** ETCD-FACTS.md: election timeout "at least 10 times the RTT" (etcd docs tuning). */
export const ELECTION_PER_RTT = 10;
/** ETCD-FACTS.md: "at least 5 * heartbeat-interval" (etcd FAQ; server/embed/config.go Validate refuses less). */
export const ELECTION_PER_HEARTBEAT = 5;
/** ETCD-FACTS.md: etcd refuses --election-timeout above 50000 ms (server/embed/config.go Validate). */
export const MAX_ELECTION_MS = 50_000;
/**
 * A stall (network gap or fdatasync tail) during which the leader cannot heartbeat must end well before followers give up on it:
 * the timeout is kept at twice the longest stall seen.
 */
export const STALL_SAFETY_FACTOR = 2;

export interface ElectionBasis {
  rttP99Ms: number;
  heartbeatMs: number;
  stallMs?: number;
  fsyncTailMs?: number;
}

/** The smallest valid timeout that satisfies every bound, or null when it would exceed etcd's maximum. */
export function electionFor(b: ElectionBasis): { value: number | null; bounds: string[] } {
  const bounds: [number, string][] = [
    [DEFAULT_ELECTION_MS, `the ${DEFAULT_ELECTION_MS} ms default`],
    [ELECTION_PER_RTT * b.rttP99Ms, `${ELECTION_PER_RTT}x RTT p99 = ${(ELECTION_PER_RTT * b.rttP99Ms).toFixed(0)} ms`],
    [ELECTION_PER_HEARTBEAT * b.heartbeatMs, `${ELECTION_PER_HEARTBEAT}x heartbeat = ${ELECTION_PER_HEARTBEAT * b.heartbeatMs} ms`],
  ];
  if (b.stallMs !== undefined)
    bounds.push([STALL_SAFETY_FACTOR * b.stallMs, `${STALL_SAFETY_FACTOR}x the longest network stall = ${(STALL_SAFETY_FACTOR * b.stallMs).toFixed(0)} ms`]);
  if (b.fsyncTailMs !== undefined)
    bounds.push([STALL_SAFETY_FACTOR * b.fsyncTailMs, `${STALL_SAFETY_FACTOR}x the fdatasync tail = ${(STALL_SAFETY_FACTOR * b.fsyncTailMs).toFixed(0)} ms`]);
  const needed = Math.max(...bounds.map(([v]) => v));
  // ElectionTicks = election / heartbeat (integer division): a multiple of the heartbeat loses nothing.
  const value = Math.ceil(needed / b.heartbeatMs) * b.heartbeatMs;
  const binding = bounds.filter(([v]) => v === needed).map(([, why]) => why);
  return { value: value > MAX_ELECTION_MS ? null : value, bounds: binding };
}

export const electionTimeout: Rule = {
  id: 'advice.election-timeout',
  section: 'advice',
  title: '--election-timeout',
  source: 'ETCD-FACTS.md Heartbeat and election: >= 10x RTT (docs tuning), >= 5x heartbeat (FAQ; config.go Validate), <= 50000 ms (config.go Validate)',
  needs: ['rttP99Ms'],
  evaluate({ inputs, flags }) {
    const rtt = inputs.rttP99Ms;
    if (!isMeasured(rtt)) return { checks: [] };
    const heartbeatMs = Number(flags.get('heartbeat-interval')?.value ?? heartbeatFor(rtt.value));
    const stall = isMeasured(inputs.stallMs) ? inputs.stallMs : undefined;
    // The p99.9 is the tail a stall comes from; a short fio run may only have a p99.
    const fsync = isMeasured(inputs.fsyncP999Ms) ? inputs.fsyncP999Ms : isMeasured(inputs.fsyncP99Ms) ? inputs.fsyncP99Ms : undefined;
    const basis: ElectionBasis = { rttP99Ms: rtt.value, heartbeatMs };
    if (stall) basis.stallMs = stall.value;
    if (fsync) basis.fsyncTailMs = fsync.value;
    const { value, bounds } = electionFor(basis);
    const flag = 'election-timeout';
    const measured = [rtt.basis, stall?.basis, fsync?.basis].filter((s): s is string => s !== undefined).join('; ');
    if (value === null) {
      // A heartbeat without its election timeout would make etcd refuse to start (5x heartbeat > the 1000 ms default): withdraw it too.
      return {
        withdraw: ['heartbeat-interval'],
        checks: [
          {
            ...checkFields(this),
            status: 'fail',
            flag,
            unit: 'ms',
            threshold: `<= ${MAX_ELECTION_MS} ms`,
            message: `Topology unsupported: the election timeout this network needs (${bounds.join(', ')}) is above etcd's maximum of ${MAX_ELECTION_MS} ms. Put the members closer together (same region), fix the network stalls or move the data dir to a faster disk; no valid --heartbeat-interval/--election-timeout pair exists, so none is set.`,
          },
        ],
      };
    }
    const reason =
      value === DEFAULT_ELECTION_MS && heartbeatMs === DEFAULT_HEARTBEAT_MS
        ? `The default ${DEFAULT_ELECTION_MS} ms already covers every bound.`
        : `Set by ${bounds.join(' and ')}, rounded up to a multiple of the ${heartbeatMs} ms heartbeat.`;
    const rec = recommend(this, {
      flag,
      value,
      default: DEFAULT_ELECTION_MS,
      unit: 'ms',
      basis: measured,
      reason,
      ifIgnored:
        'Too short: followers start elections during a slow round trip, a network stall or a slow fdatasync, and the cluster loses its leader; too long: a failed leader is replaced late.',
    });
    return { flags: [rec.flag], checks: [rec.check] };
  },
};
