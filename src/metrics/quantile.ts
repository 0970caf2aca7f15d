// Quantiles from cumulative histogram buckets with Prometheus' histogram_quantile semantics, so figures match the etcd mixin's.
import type { Bucket } from './parse.js';

/**
 * The q-quantile of cumulative buckets (each `count` is the number of observations <= `le`), as PromQL's
 * histogram_quantile computes it (prometheus promql/quantile.go bucketQuantile): linear interpolation inside the bucket
 * that holds the rank q*count; the lowest bucket starts at 0 when its bound is positive (else its bound is the answer);
 * a rank in the +Inf bucket answers the highest finite bound, since nothing is known above it.
 * NaN when there is no +Inf bucket, fewer than two buckets, or no observation; -Inf for q < 0 and +Inf for q > 1.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (buckets.length === 0) return NaN;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted[sorted.length - 1]!.le !== Infinity) return NaN;
  const merged = coalesce(sorted);
  ensureMonotonic(merged);
  if (merged.length < 2) return NaN;
  const observations = merged[merged.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // The first bucket whose cumulative count reaches the rank; the +Inf bucket when none of the finite ones does.
  let b = merged.findIndex((x, i) => i < merged.length - 1 && x.count >= rank);
  if (b < 0) b = merged.length - 1;
  if (b === merged.length - 1) return merged[merged.length - 2]!.le;
  if (b === 0 && merged[0]!.le <= 0) return merged[0]!.le;
  let start = 0;
  const end = merged[b]!.le;
  let count = merged[b]!.count;
  if (b > 0) {
    start = merged[b - 1]!.le;
    count -= merged[b - 1]!.count;
    rank -= merged[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}

/** Buckets that share a bound are one bucket (Prometheus coalesceBuckets); input sorted by bound. */
function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.le === b.le) last.count += b.count;
    else out.push({ le: b.le, count: b.count });
  }
  return out;
}

/**
 * A cumulative count never falls as the bound rises; scrapes taken mid-update can break that, and the binary search
 * for the rank would then answer nonsense, so Prometheus takes the running maximum (ensureMonotonic). So do we.
 */
function ensureMonotonic(buckets: Bucket[]): void {
  let max = buckets[0]!.count;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
}
