// Compares many nodes' reports: one summary per node, a rank per metric, and the outliers by a robust (median/MAD) rule.
import { clientLimitedReason } from '../advisor/load-phase.js';
import type { ClusterSummary } from './clusters.js';
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { FDATASYNC_P99_PASS_MS } from '../advisor/rules/disk-fdatasync-p99.js';
import { HEAVY_LOAD_SEQUENTIAL_IOPS } from '../advisor/rules/disk-write-iops.js';
import type { Verdict } from '../model/check.js';
import type { Report } from '../model/report.js';
import { hostnameOf } from '../report/csv.js';

/**
 * Outlier rule (Iglewicz and Hoaglin, "How to Detect and Handle Outliers", 1993): the modified z-score
 * 0.6745 * (x - median) / MAD above 3.5 marks an outlier. One slow disk among many fast ones does not move the median
 * or the MAD, where it would move a mean and a standard deviation.
 */
export const MODIFIED_Z_CONSTANT = 0.6745;
export const MODIFIED_Z_CUTOFF = 3.5;
/**
 * A node must also be this many times worse than the median: in a tight fleet (MAD near 0) a robust z-score flags
 * differences no operator would act on, e.g. 0.16 ms against 0.15 ms.
 */
export const MIN_OUTLIER_RATIO = 1.5;
/** Fewer nodes than this give no meaningful median or MAD: rank them, flag nothing. */
export const MIN_NODES_FOR_OUTLIERS = 3;

/**
 * An outlier on a judged figure (disk, RTT) this many times worse than the median matters: the comparison exits 1 for it.
 * Below it, or on the load figures (which depend on the cluster as much as on the node), the outlier is shown only.
 */
export const SIGNIFICANT_RATIO = 2;
/** Sub-millisecond RTT differences are noise of the probe and the scheduler, not the network (the project's own choice). */
export const RTT_OUTLIER_FLOOR_MS = 1;
/** Half of etcd's 10 ms fdatasync p99 bound: a disk with twice that margin is never an outlier on its own. */
export const FDATASYNC_OUTLIER_FLOOR_MS = FDATASYNC_P99_PASS_MS / 2;

export const OUTLIER_RULE = `worse than the fleet median by a modified z-score (0.6745·|x − median| / MAD) above ${MODIFIED_Z_CUTOFF} (Iglewicz and Hoaglin) and by at least ${MIN_OUTLIER_RATIO}×, on the side that is bad for etcd, and past the figure's absolute floor (fdatasync p99 ${FDATASYNC_OUTLIER_FLOOR_MS} ms, ${HEAVY_LOAD_SEQUENTIAL_IOPS} IOPS, RTT p99 ${RTT_OUTLIER_FLOOR_MS} ms); only runs with the same disk profile, RTT method or load scenario are ranked together; needs ${MIN_NODES_FOR_OUTLIERS} or more nodes with the figure; exit 1 only for a node that fails its own checks or is ${SIGNIFICANT_RATIO}× worse than the median on a disk or RTT figure`;

export type MetricKey = 'fdatasyncP99Ms' | 'writeIops' | 'rttP99Ms' | 'loadRatePerSec' | 'loadP99Ms';

export interface MetricDef {
  key: MetricKey;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** Log axis on the fleet chart: latencies spread over decades. */
  log: boolean;
  /** A figure on the good side of this is never an outlier, however the fleet spreads; null: no floor. */
  floor: number | null;
  /** What must be the same for two runs' figures to be ranked together. */
  like: 'disk profile' | 'RTT method' | 'load scenario';
  /** An advisor check judges this figure on its own: a large outlier on it fails the comparison. */
  judged: boolean;
}

export const METRICS: readonly MetricDef[] = [
  {
    key: 'fdatasyncP99Ms',
    label: 'fdatasync p99',
    unit: 'ms',
    better: 'lower',
    log: true,
    floor: FDATASYNC_OUTLIER_FLOOR_MS,
    like: 'disk profile',
    judged: true,
  },
  {
    key: 'writeIops',
    label: 'sequential write IOPS',
    unit: 'IOPS',
    better: 'higher',
    log: true,
    floor: HEAVY_LOAD_SEQUENTIAL_IOPS,
    like: 'disk profile',
    judged: true,
  },
  { key: 'rttP99Ms', label: 'worst peer RTT p99', unit: 'ms', better: 'lower', log: true, floor: RTT_OUTLIER_FLOOR_MS, like: 'RTT method', judged: true },
  { key: 'loadRatePerSec', label: 'load rate', unit: 'req/s', better: 'higher', log: false, floor: null, like: 'load scenario', judged: false },
  { key: 'loadP99Ms', label: 'worst load phase p99', unit: 'ms', better: 'lower', log: true, floor: null, like: 'load scenario', judged: false },
];

export interface NodeSummary {
  /** Where the report came from (a path), so that an operator can open it. */
  source: string;
  host: string;
  runId: string;
  finishedAt: string;
  verdict: Verdict;
  quick: boolean;
  scenario: string;
  metrics: Record<MetricKey, number | null>;
  /** Worst loss over the peers, percent. */
  lossPct: number | null;
  /** Longest time without a reply over the peers, ms. */
  longestGapMs: number | null;
  loadErrors: number | null;
  clientLimited: boolean;
  /** Every peer was loopback: the RTT is a baseline of the host, not the network. */
  rttLoopbackOnly: boolean;
  /** How the RTT figure was measured ("icmp", "tcp", "http", or "icmp+tcp" when peers differed). */
  rttMethod: string | null;
  /** The fio profile of the disk figures. */
  diskProfile: string | null;
  /** Figures not ranked with the fleet's, and why (measured another way than the most runs). */
  apart: { key: MetricKey; why: string }[];
  /** Outliers that matter: a judged figure at least SIGNIFICANT_RATIO times worse than the median. */
  significant: MetricKey[];
  failing: string[];
  errors: string[];
  /** Per metric: 1 = best in the fleet; null when the node has no figure. */
  ranks: Record<MetricKey, number | null>;
  outliers: MetricKey[];
}

export interface MetricStats {
  key: MetricKey;
  nodes: number;
  median: number | null;
  mad: number | null;
  /** The value beyond which a node is an outlier (null when the rule cannot apply); never negative. */
  cutoff: number | null;
  /** Why there is no cut-off when there are enough nodes. */
  cutoffNote?: string;
  outliers: number;
  /** The disk profile, RTT method or load scenario of the runs ranked together. */
  group: string | null;
  /** Runs with the figure measured otherwise, listed apart. */
  apart: number;
}

export interface FleetComparison {
  nodes: NodeSummary[];
  metrics: MetricStats[];
  verdicts: Record<Verdict, number>;
  scenarios: string[];
  duplicateHosts: string[];
  /** Cluster reports (run --cluster) found beside the node reports. */
  clusters?: ClusterSummary[];
}

function maxOf(values: number[]): number | null {
  return values.length === 0 ? null : Math.max(...values);
}

export function summarise(report: Report, source: string): NodeSummary {
  const { disk, network, load } = report.artifacts;
  const fio = disk?.ok ? disk.data.fio : null;
  const peers = network?.ok ? network.data.peers.filter((p) => p.error === undefined && p.received > 0) : [];
  // Real peers when there are any: a loopback baseline beside them would only hide the network's figure.
  const rttPeers = peers.some((p) => !p.loopback) ? peers.filter((p) => !p.loopback) : peers;
  const phases = load?.ok ? load.data.phases : [];
  const requests = phases.reduce((n, p) => n + p.requests, 0);
  const seconds = phases.reduce((n, p) => n + p.durationSec, 0);
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  return {
    source,
    host: hostnameOf(report),
    runId: report.run.id,
    finishedAt: report.run.finishedAt,
    verdict: report.verdict,
    quick: report.run.quick,
    scenario: report.run.scenario,
    metrics: {
      fdatasyncP99Ms: fio?.syncUs?.p99 !== undefined ? fio.syncUs.p99 / 1000 : null,
      writeIops: num(fio?.writeIops),
      rttP99Ms: maxOf(rttPeers.flatMap((p) => (p.rttMs.p99 === undefined ? [] : [p.rttMs.p99]))),
      loadRatePerSec: phases.length > 0 && seconds > 0 ? requests / seconds : null,
      loadP99Ms: maxOf(phases.flatMap((p) => (p.latencyUs.p99 === undefined ? [] : [p.latencyUs.p99 / 1000]))),
    },
    lossPct: network?.ok ? maxOf(network.data.peers.map((p) => p.lossPct)) : null,
    longestGapMs: network?.ok ? maxOf(network.data.peers.map((p) => p.longestGapMs)) : null,
    loadErrors: load?.ok ? phases.reduce((n, p) => n + p.errors, 0) : null,
    clientLimited: phases.some((p) => clientLimitedReason(p) !== null),
    rttLoopbackOnly: rttPeers.length > 0 && rttPeers.every((p) => p.loopback),
    rttMethod: rttPeers.length === 0 ? null : [...new Set(rttPeers.map((p) => p.method))].sort().join('+'),
    diskProfile: disk?.ok ? `${disk.data.profile}${report.run.quick ? ' (--quick)' : ''}` : null,
    apart: [],
    significant: [],
    failing: report.checks.filter((c) => c.status === 'fail').map((c) => c.title),
    errors: report.checks.filter((c) => c.status === 'error').map((c) => c.title),
    ranks: { fdatasyncP99Ms: null, writeIops: null, rttP99Ms: null, loadRatePerSec: null, loadP99Ms: null },
    outliers: [],
  };
}

/**
 * The modified z-score cut-off and the ratio floor, whichever lies further out on the bad side; null when the fleet is
 * so spread that the cut-off on the "higher is better" side falls to zero or below (no count can be an outlier there).
 */
export function outlierCutoff(med: number, mad: number, better: 'lower' | 'higher'): number | null {
  const spread = (MODIFIED_Z_CUTOFF * mad) / MODIFIED_Z_CONSTANT;
  if (better === 'lower') return Math.max(med + spread, med * MIN_OUTLIER_RATIO);
  const cutoff = Math.min(med - spread, med / MIN_OUTLIER_RATIO);
  return cutoff > 0 ? cutoff : null;
}

function likeKey(def: MetricDef, n: NodeSummary): string {
  return def.like === 'disk profile'
    ? (n.diskProfile ?? '?')
    : def.like === 'RTT method'
      ? `${n.rttMethod ?? '?'}${n.rttLoopbackOnly ? ' (loopback baseline)' : ''}`
      : n.scenario;
}

/** The comparison's exit: 1 only for a node or a temporary cluster failing its own checks, or a significant outlier. */
export function fleetFails(fleet: FleetComparison): boolean {
  return (
    fleet.verdicts['not-qualified'] > 0 ||
    fleet.nodes.some((n) => n.significant.length > 0) ||
    (fleet.clusters ?? []).some((c) => c.verdict === 'not-qualified')
  );
}

export function compareFleet(nodes: NodeSummary[]): FleetComparison {
  const metrics: MetricStats[] = [];
  for (const def of METRICS) {
    const measured = nodes.filter((n) => n.metrics[def.key] !== null);
    // Like with like: the runs of the most common profile/method/scenario are ranked; the others are listed apart.
    const groups = new Map<string, NodeSummary[]>();
    for (const n of measured) groups.set(likeKey(def, n), [...(groups.get(likeKey(def, n)) ?? []), n]);
    const [group, withValue] = [...groups].sort((a, b) => b[1].length - a[1].length || byText(a[0], b[0]))[0] ?? [null, [] as NodeSummary[]];
    for (const n of measured)
      if (!withValue.includes(n))
        n.apart.push({
          key: def.key,
          why: `${def.label} measured with ${def.like} ${likeKey(def, n)}, the ranked runs with ${group}: not comparable, so not ranked`,
        });
    // Competition ranking (1, 2, 2, 4): equal figures share a rank.
    const sorted = withValue.map((n) => n.metrics[def.key]!).sort((a, b) => (def.better === 'lower' ? a - b : b - a));
    const firstIndex = new Map<number, number>();
    sorted.forEach((v, i) => {
      if (!firstIndex.has(v)) firstIndex.set(v, i);
    });
    for (const n of withValue) n.ranks[def.key] = firstIndex.get(n.metrics[def.key]!)! + 1;
    const stats: MetricStats = {
      key: def.key,
      nodes: withValue.length,
      median: null,
      mad: null,
      cutoff: null,
      outliers: 0,
      group,
      apart: measured.length - withValue.length,
    };
    if (sorted.length > 0) stats.median = median(sorted);
    if (sorted.length >= MIN_NODES_FOR_OUTLIERS) {
      const med = stats.median!;
      const mad = medianAbsoluteDeviation(sorted);
      const cutoff = outlierCutoff(med, mad, def.better);
      stats.mad = mad;
      stats.cutoff = cutoff;
      if (cutoff === null) stats.cutoffNote = 'none: the fleet spreads wider than its median';
      for (const n of withValue) {
        const v = n.metrics[def.key]!;
        const pastCutoff = cutoff !== null && (def.better === 'lower' ? v > cutoff : v < cutoff);
        const pastFloor = def.floor === null || (def.better === 'lower' ? v > def.floor : v < def.floor);
        if (pastCutoff && pastFloor) {
          n.outliers.push(def.key);
          stats.outliers++;
          const ratio = def.better === 'lower' ? v / med : med / v;
          if (def.judged && ratio >= SIGNIFICANT_RATIO) n.significant.push(def.key);
        }
      }
    }
    metrics.push(stats);
  }
  const verdicts: Record<Verdict, number> = { 'not-qualified': 0, incomplete: 0, qualified: 0 };
  for (const n of nodes) verdicts[n.verdict]++;
  const seen = new Map<string, number>();
  for (const n of nodes) seen.set(n.host, (seen.get(n.host) ?? 0) + 1);
  return {
    nodes: [...nodes].sort(worstFirst),
    metrics,
    verdicts,
    scenarios: [...new Set(nodes.map((n) => n.scenario))].sort(),
    duplicateHosts: [...seen]
      .filter(([, count]) => count > 1)
      .map(([host]) => host)
      .sort(),
  };
}

const VERDICT_ORDER: Record<Verdict, number> = { 'not-qualified': 0, incomplete: 1, qualified: 2 };

/** The nodes to look at first: failing, then incomplete, then the most outliers, then the slowest fdatasync. */
export function worstFirst(a: NodeSummary, b: NodeSummary): number {
  return (
    VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] ||
    b.outliers.length - a.outliers.length ||
    (b.metrics.fdatasyncP99Ms ?? Infinity) - (a.metrics.fdatasyncP99Ms ?? Infinity) ||
    byText(a.host, b.host) ||
    byText(a.source, b.source)
  );
}

/** Code-point order, not the locale's: the same fleet sorts the same on every machine. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
