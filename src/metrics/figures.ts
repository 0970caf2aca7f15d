// etcd's health figures over a window of scrapes of one member: latency quantiles from bucket deltas, counter rises, gauges.
import * as names from '../etcd/metric-names.js';
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

const msOrNull = (sec: number): number | null => (Number.isFinite(sec) ? sec * 1000 : null);

/** Quantiles of a window's bucket delta, in ms; null when the member does not expose the histogram at all. */
export function histogramFigure(delta: HistogramSeries | null): HistogramFigure | null {
  if (delta === null) return null;
  if (delta.count <= 0) return { count: 0, meanMs: null, p50Ms: null, p99Ms: null, p99AtLeast: false };
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
function windowHistograms(scrapes: readonly TimedExposition[], name: string, match: Labels = {}): HistogramSeries[] | null {
  const last = scrapes[scrapes.length - 1];
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

function windowCounter(scrapes: readonly TimedExposition[], name: string, match: Labels = {}): number | null {
  const last = scrapes[scrapes.length - 1];
  if (last === undefined || counterDelta(last.families, last.families, name, match) === null) return null;
  let sum = 0;
  for (let i = 1; i < scrapes.length; i++) sum += counterDelta(scrapes[i - 1]!.families, scrapes[i]!.families, name, match) ?? 0;
  return sum;
}

function oneHistogram(scrapes: readonly TimedExposition[], name: string, match: Labels = {}): HistogramFigure | null {
  const series = windowHistograms(scrapes, name, match);
  if (series === null) return null;
  return histogramFigure(sumHistograms(series) ?? { labels: {}, buckets: [], count: 0, sum: 0 });
}

/** Peer RTT per `To` peer, the slowest p99 first. */
function peerRtt(scrapes: readonly TimedExposition[]): PeerRttFigure[] {
  const series = windowHistograms(scrapes, names.PEER_RTT_SECONDS) ?? [];
  const byPeer = new Map<string, HistogramSeries[]>();
  for (const s of series) {
    const to = s.labels['To'] ?? '';
    byPeer.set(to, [...(byPeer.get(to) ?? []), s]);
  }
  return [...byPeer.entries()]
    .map(([toId, s]) => ({ toId, ...histogramFigure(sumHistograms(s))! }))
    .sort((a, b) => (b.p99Ms ?? -1) - (a.p99Ms ?? -1));
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
    walFsync: oneHistogram(scrapes, names.WAL_FSYNC_SECONDS),
    backendCommit: oneHistogram(scrapes, names.BACKEND_COMMIT_SECONDS),
    apply: oneHistogram(scrapes, names.APPLY_SECONDS),
    requests: oneHistogram(scrapes, names.GRPC_HANDLING_SECONDS, { grpc_type: 'unary' }),
    peerRtt: peerRtt(scrapes),
    leaderChanges: windowCounter(scrapes, names.LEADER_CHANGES),
    heartbeatSendFailures: windowCounter(scrapes, names.HEARTBEAT_SEND_FAILURES),
    proposalsFailed: windowCounter(scrapes, names.PROPOSALS_FAILED),
    slowApplies: windowCounter(scrapes, names.SLOW_APPLIES),
    slowReadIndexes: windowCounter(scrapes, names.SLOW_READ_INDEXES),
    peerSentFailures: windowCounter(scrapes, names.PEER_SENT_FAILURES),
  };
}

/** The database size under whichever name this etcd serves it (DB_SIZE_BYTES_NAMES). */
export function dbSizeBytes(exposition: Exposition): number | null {
  for (const name of names.DB_SIZE_BYTES_NAMES) {
    const v = gaugeValue(exposition, name);
    if (v !== null) return v;
  }
  return null;
}

const flag = (v: number | null): boolean | null => (v === null ? null : v === 1);

export function memberGauges(exposition: Exposition): MemberGauges {
  return {
    proposalsPending: gaugeValue(exposition, names.PROPOSALS_PENDING),
    dbSizeBytes: dbSizeBytes(exposition),
    dbSizeInUseBytes: gaugeValue(exposition, names.DB_SIZE_IN_USE_BYTES),
    quotaBytes: gaugeValue(exposition, names.QUOTA_BACKEND_BYTES),
    residentMemoryBytes: gaugeValue(exposition, names.RESIDENT_MEMORY_BYTES),
    openFds: gaugeValue(exposition, names.OPEN_FDS),
    maxFds: gaugeValue(exposition, names.MAX_FDS),
    isLeader: flag(gaugeValue(exposition, names.IS_LEADER)),
    hasLeader: flag(gaugeValue(exposition, names.HAS_LEADER)),
  };
}

/** A label of a value-1 info gauge (etcd_server_id's server_id, etcd_server_version's server_version). */
function infoLabel(exposition: Exposition, name: string, label: string): string | null {
  return exposition.get(name)?.samples.find((s) => s.value === 1 && s.labels[label] !== undefined)?.labels[label] ?? null;
}

/** Who the member says it is: its id in hex (the `To` label its peers use for it) and its version. */
export function memberIdentity(exposition: Exposition): { memberId: string | null; version: string | null } {
  return { memberId: infoLabel(exposition, names.SERVER_ID, 'server_id'), version: infoLabel(exposition, names.SERVER_VERSION, 'server_version') };
}
