// compare.html and compare.csv: the fleet ranked worst first, one strip chart per metric, the outliers named with the rule that flagged them.
import type { ClusterSummary } from './clusters.js';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../report/csv.js';
import { stripChart } from '../report/charts.js';
import { formatMs, formatNumber, formatPct } from '../report/format.js';
import { contentSecurityPolicy, css, template } from '../report/html.js';
import { METRICS, OUTLIER_RULE, type FleetComparison, type MetricDef, type MetricKey, type NodeSummary } from './fleet.js';

function formatMetric(def: MetricDef, v: number | null): string {
  if (v === null) return '-';
  return def.unit === 'ms' ? formatMs(v) : `${formatNumber(v)} ${def.unit}`;
}

const DEF: Record<MetricKey, MetricDef> = Object.fromEntries(METRICS.map((m) => [m.key, m])) as Record<MetricKey, MetricDef>;

/** The cut-off a figure must pass to be an outlier: the statistical one or the absolute floor, whichever is further out. */
function effectiveCutoff(def: MetricDef, cutoff: number): number {
  return def.better === 'lower' ? Math.max(cutoff, def.floor ?? 0) : Math.min(cutoff, def.floor ?? Infinity);
}

function nodeLabel(n: NodeSummary): string {
  return `${n.host} (${n.runId})`;
}

export function compareView(fleet: FleetComparison, generatedAt: string) {
  const count = fleet.nodes.length;
  const notes: string[] = [];
  if (fleet.scenarios.length > 1)
    notes.push(`The load figures come from different scenarios (${fleet.scenarios.join(', ')}): compare load results only between nodes of the same scenario.`);
  const quick = fleet.nodes.filter((n) => n.quick).length;
  if (quick > 0 && quick < count) notes.push(`${quick} of ${count} reports are --quick runs: their tail percentiles rest on fewer samples.`);
  const loopback = fleet.nodes.filter((n) => n.rttLoopbackOnly).length;
  if (loopback > 0) notes.push(`${loopback} of ${count} reports measured RTT to loopback only: their RTT is a baseline of the host, not the network.`);
  if (fleet.duplicateHosts.length > 0)
    notes.push(
      `Several reports for the same host: ${fleet.duplicateHosts.slice(0, 10).join(', ')}${fleet.duplicateHosts.length > 10 ? ', ...' : ''}; each is listed with its run id.`,
    );

  const metricStats = fleet.metrics.map((s) => {
    const def = DEF[s.key];
    return {
      label: def.label,
      better: def.better === 'lower' ? 'lower is better' : 'higher is better',
      nodes: formatNumber(s.nodes),
      median: formatMetric(def, s.median),
      mad: formatMetric(def, s.mad),
      cutoff:
        s.cutoff === null ? (s.cutoffNote ?? 'too few nodes') : `${def.better === 'lower' ? '>' : '<'} ${formatMetric(def, effectiveCutoff(def, s.cutoff))}`,
      group: s.group === null ? '' : `${def.like}: ${s.group}${s.apart > 0 ? ` (${s.apart} other run${s.apart === 1 ? '' : 's'} listed apart)` : ''}`,
      outliers: formatNumber(s.outliers),
      chart:
        s.median === null
          ? ''
          : stripChart({
              title: `${def.label} across ${s.nodes} nodes`,
              heading: def.label,
              points: fleet.nodes
                .filter((n) => n.metrics[s.key] !== null)
                .map((n) => ({
                  value: n.metrics[s.key]!,
                  flagged: n.outliers.includes(s.key),
                  label: `${nodeLabel(n)}: ${formatMetric(def, n.metrics[s.key])}`,
                })),
              unit: def.unit,
              median: s.median,
              ...(s.cutoff !== null && s.cutoff > 0 ? { cutoff: { value: s.cutoff, label: `outlier cut-off ${formatMetric(def, s.cutoff)}` } } : {}),
              log: def.log,
            }),
    };
  });

  const medians = Object.fromEntries(fleet.metrics.map((s) => [s.key, s.median])) as Record<MetricKey, number | null>;
  const outliers = fleet.nodes.flatMap((n) =>
    n.outliers.map((key) => {
      const def = DEF[key];
      const v = n.metrics[key]!;
      const med = medians[key]!;
      const ratio = def.better === 'lower' ? v / med : med / v;
      const how = def.like === 'RTT method' ? ` (${n.rttMethod ?? '?'})` : '';
      return {
        host: n.host,
        runId: n.runId,
        source: n.source,
        metric: `${def.label}${how}`,
        value: formatMetric(def, v),
        median: formatMetric(def, med),
        ratio: `${formatNumber(ratio, 1)}× ${def.better === 'lower' ? 'slower' : 'lower'} than the median${n.significant.includes(key) ? '' : ' (shown, does not fail the comparison)'}`,
      };
    }),
  );

  const nodes = fleet.nodes.map((n, i) => ({
    order: i + 1,
    host: n.host,
    runId: n.runId,
    source: n.source,
    verdict: n.verdict,
    cells: METRICS.map((def) => ({
      value: `${formatMetric(def, n.metrics[def.key])}${def.like === 'RTT method' && n.metrics[def.key] !== null ? ` (${n.rttMethod})` : ''}${n.apart.some((a) => a.key === def.key) ? ' (apart)' : ''}`,
      rank: n.ranks[def.key] === null ? '' : `#${n.ranks[def.key]}`,
      outlier: n.outliers.includes(def.key),
    })),
    loss: n.lossPct === null ? '-' : formatPct(n.lossPct),
    gap: n.longestGapMs === null ? '-' : formatMs(n.longestGapMs),
    errors: n.loadErrors === null ? '-' : formatNumber(n.loadErrors),
    problems: [
      ...n.failing.map((t) => `fail: ${t}`),
      ...n.apart.map((a) => a.why),
      ...n.errors.map((t) => `could not run: ${t}`),
      ...(n.clientLimited ? ['client-limited load'] : []),
    ].join('; '),
  }));

  const clusters = (fleet.clusters ?? []).map((c) => ({
    source: c.source,
    members: c.members.join(', '),
    verdict: c.verdict,
    slowestPair: c.slowestPair,
    flags: `--heartbeat-interval ${c.heartbeatMs ?? '-'} --election-timeout ${c.electionMs ?? '-'}`,
    rounds: c.rounds.map((r) => ({ ...r, loadP99: r.loadP99Ms === null ? '-' : `${r.loadP99Ms.toFixed(2)} ms` })),
  }));
  return {
    generatedAt,
    clusters,
    count: formatNumber(count),
    verdicts: (['not-qualified', 'incomplete', 'qualified'] as const).map((v) => ({ verdict: v, n: formatNumber(fleet.verdicts[v]) })),
    notes,
    rule: OUTLIER_RULE,
    outliers,
    metricStats,
    headers: METRICS.map((m) => ({ label: m.label, better: m.better === 'lower' ? 'lower is better' : 'higher is better' })),
    nodes,
  };
}

export function renderCompareHtml(fleet: FleetComparison, generatedAt: string): string {
  return template('compare.hbs')({ ...compareView(fleet, generatedAt), css: css(), csp: contentSecurityPolicy([]) });
}

export const COMPARE_CSV_COLUMNS = [
  'order',
  'host',
  'run',
  'source',
  'verdict',
  'scenario',
  'quick',
  'fdatasync_p99_ms',
  'fdatasync_p99_rank',
  'write_iops',
  'write_iops_rank',
  'rtt_p99_ms',
  'rtt_p99_rank',
  'rtt_loopback_only',
  'load_rate_per_sec',
  'load_rate_rank',
  'load_p99_ms',
  'load_p99_rank',
  'loss_pct',
  'longest_gap_ms',
  'load_errors',
  'client_limited',
  'outliers',
  'failing_checks',
  'checks_not_run',
] as const;

const round = (v: number | null, places: number): number | string => (v === null ? '' : Number(v.toFixed(places)));
const rank = (v: number | null): number | string => v ?? '';

export function renderCompareCsv(fleet: FleetComparison): string {
  const rows = fleet.nodes.map((n, i) =>
    [
      i + 1,
      n.host,
      n.runId,
      n.source,
      n.verdict,
      n.scenario,
      n.quick ? 'yes' : 'no',
      round(n.metrics.fdatasyncP99Ms, 4),
      rank(n.ranks.fdatasyncP99Ms),
      round(n.metrics.writeIops, 1),
      rank(n.ranks.writeIops),
      round(n.metrics.rttP99Ms, 4),
      rank(n.ranks.rttP99Ms),
      n.rttLoopbackOnly ? 'yes' : 'no',
      round(n.metrics.loadRatePerSec, 1),
      rank(n.ranks.loadRatePerSec),
      round(n.metrics.loadP99Ms, 3),
      rank(n.ranks.loadP99Ms),
      round(n.lossPct, 2),
      round(n.longestGapMs, 1),
      n.loadErrors ?? '',
      n.clientLimited ? 'yes' : 'no',
      n.outliers.join(';'),
      n.failing.join('; '),
      n.errors.join('; '),
    ].map(spreadsheetSafe),
  );
  return stringify(rows, { header: true, columns: [...COMPARE_CSV_COLUMNS], record_delimiter: 'windows' });
}

export const CLUSTER_CSV_COLUMNS = [
  'source',
  'run',
  'members',
  'driver',
  'verdict',
  'security',
  'slowest_pair',
  'heartbeat_interval_ms',
  'election_timeout_ms',
  'round',
  'round_heartbeat_ms',
  'round_election_ms',
  'leader_changes',
  'heartbeat_failures',
  'load_p99_ms',
] as const;

/** One row per load round of each cluster report (defaults, and recommended with --validate). */
export function renderClustersCsv(clusters: readonly ClusterSummary[]): string {
  const rows = clusters.flatMap((c) =>
    c.rounds.map((r) =>
      [
        c.source,
        c.runId,
        c.members.join(' '),
        c.driver,
        c.verdict,
        c.security,
        c.slowestPair,
        c.heartbeatMs ?? '',
        c.electionMs ?? '',
        r.flags,
        r.heartbeatMs,
        r.electionMs,
        r.leaderChanges,
        r.heartbeatFailures,
        round(r.loadP99Ms, 3),
      ].map(spreadsheetSafe),
    ),
  );
  return stringify(rows, { header: true, columns: [...CLUSTER_CSV_COLUMNS], record_delimiter: 'windows' });
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The terminal lines of `compare`: the nodes' verdicts and outliers, each cluster report's verdict, the files written. */
export function renderCompareText(fleet: FleetComparison, files: readonly string[]): string {
  const outlierNodes = fleet.nodes.filter((n) => n.outliers.length > 0).length;
  const lines = [
    `${plural(fleet.nodes.length, 'node', 'nodes')}: ${fleet.verdicts.qualified} qualified, ${fleet.verdicts['not-qualified']} not qualified, ${fleet.verdicts.incomplete} could not complete; ${outlierNodes} with outliers.`,
  ];
  for (const c of fleet.clusters ?? [])
    lines.push(`Cluster ${c.members.join(', ')} (run ${c.runId}, ${c.source}): ${c.verdict}; slowest pair ${c.slowestPair}.`);
  return `${lines.join('\n')}\nWritten:\n${files.map((f) => `  ${f}\n`).join('')}`;
}
