// What changed between two scrapes of one member: counter increases (restart-aware), histogram bucket deltas, gauge values.
import { labelsMatch, type Bucket, type Exposition, type HistogramSeries, type Labels } from './parse.js';

/**
 * How much a counter rose from `before` to `after`. A counter lower than before means the process restarted and
 * counted from 0 again, so the rise is `after` itself, as Prometheus' increase() treats a reset; a series absent
 * before (new since) counts from 0 too.
 */
export function counterIncrease(before: number | undefined, after: number): number {
  if (before === undefined || after < before) return after;
  return after - before;
}

/** Samples of a family whose labels match; empty when the family is absent. */
function samplesOf(exposition: Exposition, name: string, match: Labels) {
  return exposition.get(name)?.samples.filter((s) => labelsMatch(s.labels, match)) ?? [];
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * The rise of a counter over the window, summed over its series that match `match` (e.g. every `To` peer); null when
 * the member does not expose it at the end (an older etcd, a metric that needs --metrics=extensive).
 */
export function counterDelta(before: Exposition, after: Exposition, name: string, match: Labels = {}): number | null {
  const end = samplesOf(after, name, match);
  if (end.length === 0) return null;
  const start = samplesOf(before, name, match);
  return end.reduce((sum, s) => sum + counterIncrease(start.find((b) => sameLabels(b.labels, s.labels))?.value, s.value), 0);
}

/** A gauge's value (summed over matching series, as one figure per member); null when absent. */
export function gaugeValue(exposition: Exposition, name: string, match: Labels = {}): number | null {
  const samples = samplesOf(exposition, name, match);
  return samples.length === 0 ? null : samples.reduce((sum, s) => sum + s.value, 0);
}

/**
 * The observations made between two scrapes of one histogram series, bucket by bucket. A total count lower than before
 * is a restart: everything at the end was observed since, so the end is the delta. Buckets are matched by bound.
 */
export function histogramDelta(before: HistogramSeries | undefined, after: HistogramSeries): HistogramSeries {
  if (before === undefined || after.count < before.count) return after;
  const buckets: Bucket[] = after.buckets.map((b) => ({ le: b.le, count: b.count - (before.buckets.find((x) => x.le === b.le)?.count ?? 0) }));
  return { labels: after.labels, buckets, count: after.count - before.count, sum: after.sum - before.sum };
}

/** Histogram series of a family whose labels match; empty when absent. */
export function histogramsOf(exposition: Exposition, name: string, match: Labels = {}): HistogramSeries[] {
  return exposition.get(name)?.histograms.filter((h) => labelsMatch(h.labels, match)) ?? [];
}

/** Series added bucket by bucket, for a figure over every label value (e.g. apply durations over all ops). */
export function sumHistograms(series: readonly HistogramSeries[], labels: Labels = {}): HistogramSeries | null {
  if (series.length === 0) return null;
  const byLe = new Map<number, number>();
  for (const s of series) for (const b of s.buckets) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.count);
  const buckets = [...byLe.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
  return { labels, buckets, count: series.reduce((n, s) => n + s.count, 0), sum: series.reduce((n, s) => n + s.sum, 0) };
}

/**
 * Per-series deltas of a histogram family over the window, series matched by their labels; each series only at the
 * end counts from 0. Empty when the family is absent at the end.
 */
export function histogramDeltas(before: Exposition, after: Exposition, name: string, match: Labels = {}): HistogramSeries[] {
  const start = histogramsOf(before, name, match);
  return histogramsOf(after, name, match).map((h) =>
    histogramDelta(
      start.find((b) => sameLabels(b.labels, h.labels)),
      h,
    ),
  );
}
