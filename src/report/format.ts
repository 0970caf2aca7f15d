// Number and size formatting shared by the human-readable renderers.
import { formatBytes } from '../util/units.js';

/** The latency figures a report lists for each set of statistics, in this order. */
export const LATENCY_SUMMARY_KEYS = ['p50', 'p90', 'p99', 'p99.9', 'max'] as const;

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '-';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(3)} ms`;
}

export function usToMs(us: number | undefined): number | undefined {
  return us === undefined ? undefined : us / 1000;
}

export const VERDICT_TEXT = {
  qualified: 'QUALIFIED: this node can run etcd',
  'not-qualified': 'NOT QUALIFIED: at least one check fails',
  incomplete: 'COULD NOT COMPLETE: some checks could not run',
} as const;

/** `observe` judges a live cluster over a window, not this node: its qualified verdict says so. */
const OBSERVE_QUALIFIED_TEXT = 'QUALIFIED: no check fails over the observed window';

/** The verdict line every renderer prints for a report. */
export function verdictTextOf(report: { verdict: keyof typeof VERDICT_TEXT; artifacts: { observation?: unknown } }): string {
  return report.verdict === 'qualified' && report.artifacts.observation !== undefined ? OBSERVE_QUALIFIED_TEXT : VERDICT_TEXT[report.verdict];
}

/** A figure for people: thousands grouped, at most `decimals` places, trailing zeros dropped. */
export function formatNumber(n: number | undefined | null, decimals = 0): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '-';
  const fixed = Number(n.toFixed(decimals));
  const [int, frac] = Math.abs(fixed).toString().split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fixed < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function formatPct(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  return `${Number(n.toFixed(1))}%`;
}

/** Microsecond statistics as milliseconds, keyed as they came ("p99" -> ms). */
export function statsUsToMs(stats: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v / 1000]));
}

/** A phase's errors by kind, as every report names them: "timeout: 3, unavailable: 1". */
export function formatErrorKinds(byKind: Readonly<Record<string, number>>): string {
  return Object.entries(byKind)
    .map(([kind, count]) => `${kind}: ${count}`)
    .join(', ');
}

/** A check's value whole and in human units, as every renderer prints it: bytes as "2 GiB", never a column-cut "2,147,483,648 b…"; a count bare. */
export function checkValue(v: number | string | undefined, unit: string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number' && unit === 'bytes') return formatBytes(v);
  return `${typeof v === 'number' ? formatNumber(v, 3) : v}${unit && unit !== 'count' ? ` ${unit}` : ''}`;
}
