// Summarises RTT samples of one peer: percentiles, loss and the longest gap without a reply (a stall).
import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import type { LatencyStats, RttSample } from '../model/artifacts.js';
import { percentileKey } from '../parsers/percentile-keys.js';

/** Named in every report, since small samples give different tails under different methods. */
export const RTT_QUANTILE_METHOD = 'linear interpolation between closest ranks (R type 7, numpy default), simple-statistics 7.12.1';

const RTT_PERCENTILES = [50, 90, 99, 99.9];

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
 * The longest time between two replies (or from the start to the first reply, or from the last reply to the end),
 * which is what a heartbeat sees during a stall.
 */
export function longestGapMs(samples: readonly RttSample[], totalMs: number): number {
  let lastReplyAt = 0;
  let longest = 0;
  for (const s of samples) {
    if (s.rttMs === null) continue;
    const arrivedAt = s.tMs + s.rttMs;
    longest = Math.max(longest, arrivedAt - lastReplyAt);
    lastReplyAt = arrivedAt;
  }
  return Math.max(longest, totalMs - lastReplyAt);
}
