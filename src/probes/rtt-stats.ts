// Summarises RTT samples of one peer: percentiles, loss and the longest gap without a reply (a stall).
import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import type { LatencyStats, PeerErrorKind, PeerRtt, RttMethod, RttSample } from '../model/artifacts.js';
import { percentileKey } from '../parsers/percentile-keys.js';

/** Named in every report, since small samples give different tails under different methods. */
export const RTT_QUANTILE_METHOD = 'linear interpolation between closest ranks (R type 7, numpy default), simple-statistics 7.12.1';

const RTT_PERCENTILES = [50, 90, 99, 99.9];

/** Microsecond resolution is all the clocks give; more digits only bloat report.json. */
export function micro(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function rttStats(samplesMs: readonly number[]): LatencyStats {
  if (samplesMs.length === 0) return {};
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const stats: LatencyStats = {
    min: sorted[0]!,
    avg: mean(sorted),
    max: sorted[sorted.length - 1]!,
    stdev: sorted.length > 1 ? sampleStandardDeviation(sorted) : 0,
  };
  for (const p of RTT_PERCENTILES) stats[percentileKey(p)] = quantileSorted(sorted, p / 100);
  return stats;
}

/**
 * The longest time without a reply arriving, which is what a follower waiting for heartbeats sees during a stall.
 * The window runs from the first probe (t=0) to one interval after the last probe, or to the last reply if later;
 * replies are taken in arrival order, since replies held up by a stall arrive together, out of send order.
 */
export function longestGapMs(samples: readonly RttSample[], intervalMs: number): number {
  if (samples.length === 0) return 0;
  const arrivals = samples.flatMap((s) => (s.rttMs === null ? [] : [s.tMs + s.rttMs])).sort((a, b) => a - b);
  const lastSent = Math.max(...samples.map((s) => s.tMs));
  const end = Math.max(lastSent + intervalMs, arrivals[arrivals.length - 1] ?? 0);
  let previous = 0;
  let longest = 0;
  for (const at of arrivals) {
    longest = Math.max(longest, at - previous);
    previous = at;
  }
  return Math.max(longest, end - previous);
}

export interface PeerIdentity {
  host: string;
  address?: string;
  port?: number;
  url?: string;
  loopback: boolean;
}

export interface PeerProblem {
  error?: string;
  errorKind?: PeerErrorKind;
  note?: string;
}

/** One peer's result from its samples; a peer without a single reply carries an error saying why. */
export function peerResult(id: PeerIdentity, method: RttMethod, samples: RttSample[], intervalMs: number, problem: PeerProblem = {}): PeerRtt {
  const samplesMs = samples.flatMap((s) => (s.rttMs === null ? [] : [s.rttMs]));
  const sent = samples.length;
  const peer: PeerRtt = {
    host: id.host,
    ...(id.address !== undefined ? { address: id.address } : {}),
    ...(id.port !== undefined ? { port: id.port } : {}),
    ...(id.url !== undefined ? { url: id.url } : {}),
    method,
    loopback: id.loopback,
    sent,
    received: samplesMs.length,
    lossPct: sent === 0 ? 100 : (100 * (sent - samplesMs.length)) / sent,
    rttMs: rttStats(samplesMs),
    samplesMs,
    samples,
    longestGapMs: longestGapMs(samples, intervalMs),
    intervalMs,
  };
  if (problem.error !== undefined) peer.error = problem.error;
  if (problem.errorKind !== undefined) peer.errorKind = problem.errorKind;
  if (problem.note !== undefined) peer.note = problem.note;
  return peer;
}
