// etcd's health figures over a window of scrapes of one member: latency quantiles from bucket deltas, counter rises, gauges.
import { findMetricName, metricNames, type MetricKey } from '../etcd/metric-names.js';
import type { HistogramFigure, MemberGauges, MemberWindowFigures, PeerRttFigure } from '../model/observation.js';
import { counterDelta, gaugeValue, histogramDeltas, sumHistograms } from './delta.js';
import type { Exposition, HistogramSeries, Labels } from './parse.js';
import { histogramQuantile } from './quantile.js';

/** Named in every report so that a reader can redo the figures from the raw buckets. */
export const QUANTILE_METHOD = "Prometheus histogram_quantile over each member's bucket deltas in the window (linear interpolation inside the bucket)";

/** What the figures need of a scrape: when it was taken and what it said. */
export interface TimedExposition {
  tMs: number;
  families: Exposition;
}

/** The name this exposition serves `key` under (the first of the release table's names it has), else the current one. */
function nameIn(exposition: Exposition | undefined, key: MetricKey): string {
  return (exposition !== undefined ? findMetricName(key, (n) => exposition.has(n)) : null) ?? metricNames(key)[0]!;
}

const msOrNull = (sec: number): number | null => (Number.isFinite(sec) ? sec * 1000 : null);

/** Quantiles of a window's bucket delta, in ms; null when the member does not expose the histogram at all. */
export function histogramFigure(delta: HistogramSeries | null): HistogramFigure | null {
  if (delta === null) return null;
  if (delta.count <= 0) return { count: 0, meanMs: null, p50Ms: null, p99Ms: null, p999Ms: null, p99AtLeast: false };
  const finite = delta.buckets.filter((b) => Number.isFinite(b.le));
  const highest = finite[finite.length - 1]?.le;
  const p99 = histogramQuantile(0.99, delta.buckets);
  // At the highest finite bound, the rank lay in +Inf (or exactly on the bound): what we know is a lower limit.
  const inInf = highest !== undefined && p99 === highest && (finite[finite.length - 1]?.count ?? 0) < 0.99 * delta.count;
  return {
    count: delta.count,
    meanMs: (delta.sum / delta.count) * 1000,
    p50Ms: msOrNull(histogramQuantile(0.5, delta.buckets)),
    p99Ms: msOrNull(p99),
    p999Ms: msOrNull(histogramQuantile(0.999, delta.buckets)),
    p99AtLeast: inInf,
  };
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A histogram family's observations over the window, per series: the sum of the deltas between consecutive scrapes,
 * so that a member restarting mid-window (its counts back to 0) loses only the interval it restarted in, not the
 * window. Null when the last scrape does not expose the family.
 */
function windowHistograms(scrapes: readonly TimedExposition[], key: MetricKey, match: Labels = {}): HistogramSeries[] | null {
  const last = scrapes[scrapes.length - 1];
  const name = nameIn(last?.families, key);
  if (last === undefined || !last.families.has(name)) return null;
  const total = new Map<string, HistogramSeries>();
  for (let i = 1; i < scrapes.length; i++) {
    for (const d of histogramDeltas(scrapes[i - 1]!.families, scrapes[i]!.families, name, match)) {
      const key = labelKey(d.labels);
      const prior = total.get(key);
      total.set(key, prior === undefined ? d : sumHistograms([prior, d], d.labels)!);
    }
  }
  return [...total.values()];
}

function windowCounter(scrapes: readonly TimedExposition[], key: MetricKey, match: Labels = {}): number | null {
  const last = scrapes[scrapes.length - 1];
  const name = nameIn(last?.families, key);
  if (last === undefined || counterDelta(last.families, last.families, name, match) === null) return null;
  let sum = 0;
  for (let i = 1; i < scrapes.length; i++) sum += counterDelta(scrapes[i - 1]!.families, scrapes[i]!.families, name, match) ?? 0;
  return sum;
}

function oneHistogram(scrapes: readonly TimedExposition[], key: MetricKey, match: Labels = {}): HistogramFigure | null {
  const series = windowHistograms(scrapes, key, match);
  if (series === null) return null;
  return histogramFigure(sumHistograms(series) ?? { labels: {}, buckets: [], count: 0, sum: 0 });
}

/** Peer RTT per `To` peer, the slowest p99 first. */
function peerRtt(scrapes: readonly TimedExposition[]): PeerRttFigure[] {
  const series = windowHistograms(scrapes, 'peerRoundTripSeconds') ?? [];
  const byPeer = new Map<string, HistogramSeries[]>();
  for (const s of series) {
    const to = s.labels['To'] ?? '';
    byPeer.set(to, [...(byPeer.get(to) ?? []), s]);
  }
  return [...byPeer.entries()].map(([toId, s]) => ({ toId, ...histogramFigure(sumHistograms(s))! })).sort((a, b) => (b.p99Ms ?? -1) - (a.p99Ms ?? -1));
}

/** Failed sends per `To` peer, only the peers that had any. */
function sentFailuresTo(scrapes: readonly TimedExposition[]): Record<string, number> {
  const last = scrapes[scrapes.length - 1]!.families;
  const peers = new Set((last.get(nameIn(last, 'peerSentFailures'))?.samples ?? []).map((s) => s.labels['To']).filter((to): to is string => to !== undefined));
  const out: Record<string, number> = {};
  for (const to of peers) {
    const n = windowCounter(scrapes, 'peerSentFailures', { To: to }) ?? 0;
    if (n > 0) out[to] = n;
  }
  return out;
}

/**
 * Figures of one member over scrapes in time order (at least two; the first is the baseline). Counters and
 * histograms sum the rises between consecutive scrapes, so restarts inside the window are taken as Prometheus'
 * increase() takes them.
 */
export function memberWindowFigures(scrapes: readonly TimedExposition[]): MemberWindowFigures {
  if (scrapes.length < 2) throw new Error('memberWindowFigures needs two scrapes at least');
  return {
    seconds: (scrapes[scrapes.length - 1]!.tMs - scrapes[0]!.tMs) / 1000,
    walFsync: oneHistogram(scrapes, 'walFsyncSeconds'),
    backendCommit: oneHistogram(scrapes, 'backendCommitSeconds'),
    apply: oneHistogram(scrapes, 'applySeconds'),
    requests: oneHistogram(scrapes, 'grpcHandlingSeconds', { grpc_type: 'unary' }),
    peerRtt: peerRtt(scrapes),
    leaderChanges: windowCounter(scrapes, 'leaderChanges'),
    heartbeatSendFailures: windowCounter(scrapes, 'heartbeatSendFailures'),
    proposalsCommitted: windowCounter(scrapes, 'proposalsCommitted'),
    proposalsFailed: windowCounter(scrapes, 'proposalsFailed'),
    slowApplies: windowCounter(scrapes, 'slowApply'),
    slowReadIndexes: windowCounter(scrapes, 'slowReadIndexes'),
    peerSentFailures: windowCounter(scrapes, 'peerSentFailures'),
    peerSentFailuresTo: sentFailuresTo(scrapes),
  };
}

const gauge = (exposition: Exposition, key: MetricKey): number | null => gaugeValue(exposition, nameIn(exposition, key));

/** The database size under whichever name this etcd serves it (3.5 renamed it; 3.4.23 serves both). */
export function dbSizeBytes(exposition: Exposition): number | null {
  return gauge(exposition, 'dbTotalSizeBytes');
}

const flag = (v: number | null): boolean | null => (v === null ? null : v === 1);

export function memberGauges(exposition: Exposition): MemberGauges {
  return {
    proposalsPending: gauge(exposition, 'proposalsPending'),
    dbSizeBytes: dbSizeBytes(exposition),
    dbSizeInUseBytes: gauge(exposition, 'dbTotalSizeInUseBytes'),
    quotaBytes: gauge(exposition, 'quotaBackendBytes'),
    residentMemoryBytes: gauge(exposition, 'residentMemoryBytes'),
    openFds: gauge(exposition, 'openFds'),
    maxFds: gauge(exposition, 'maxFds'),
    isLeader: flag(gauge(exposition, 'isLeader')),
    hasLeader: flag(gauge(exposition, 'hasLeader')),
  };
}

/** A label of a value-1 info gauge (etcd_server_id's server_id, etcd_server_version's server_version). */
function infoLabel(exposition: Exposition, key: MetricKey, label: string): string | null {
  return exposition.get(nameIn(exposition, key))?.samples.find((s) => s.value === 1 && s.labels[label] !== undefined)?.labels[label] ?? null;
}

/** Who the member says it is: its id in hex (the `To` label its peers use for it) and its version. */
export function memberIdentity(exposition: Exposition): { memberId: string | null; version: string | null } {
  return { memberId: infoLabel(exposition, 'serverId', 'server_id'), version: infoLabel(exposition, 'serverVersion', 'server_version') };
}
