// report.csv: RFC 4180 rows, one per measurement, per check and per recommendation, with the host on every row so that many nodes' files concatenate into one sheet.
import { judgeLoadPhase } from '../advisor/load-phase.js';
import { stringify } from 'csv-stringify/sync';
import type { LatencyStats } from '../model/artifacts.js';
import type { Report } from '../model/report.js';
import { formatErrorKinds, LATENCY_SUMMARY_KEYS } from './format.js';

/** The header every node's file shares; change it only with a schema change, scripts key on it. */
export const CSV_COLUMNS = ['host', 'run', 'section', 'name', 'subject', 'value', 'unit', 'threshold', 'status', 'message'] as const;

type Cell = string | number;
type CsvRow = Record<(typeof CSV_COLUMNS)[number], Cell>;

export function hostnameOf(report: Report): string {
  return report.artifacts.host.ok ? report.artifacts.host.data.hostname : 'unknown';
}

/** What a report is about, for its title: the host it ran on, or for `observe` the cluster it watched (its endpoints). */
export function subjectOf(report: Report): string {
  if (report.artifacts.host.ok) return report.artifacts.host.data.hostname;
  const o = report.artifacts.observation;
  if (o?.ok && o.data.members.length > 0) return `cluster ${o.data.members.map((m) => hostPort(m.endpoint)).join(', ')}`;
  return 'unknown host';
}

function hostPort(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/**
 * A spreadsheet runs a cell that starts with = + @ (or - followed by a letter) as a formula: prefix such text with
 * an apostrophe (OWASP "CSV injection"). Flag names ("--heartbeat-interval") and negative numbers are left alone.
 */
export function spreadsheetSafe(cell: Cell): Cell {
  if (typeof cell === 'number') return cell;
  return /^(?:[=+@\t\r]|-(?![-\d.]))/.test(cell) ? `'${cell}` : cell;
}

function round(v: number, places: number): number {
  return Number(v.toFixed(places));
}

/** Microseconds to milliseconds, keeping fio's nanosecond digits: a CSV keeps what was measured, not a display. */
function ms(us: number): number {
  return round(us / 1000, 6);
}

export function csvRows(report: Report): CsvRow[] {
  const host = hostnameOf(report);
  const run = report.run.id;
  const rows: CsvRow[] = [];
  const add = (section: string, name: string, subject: string, value: Cell, unit: string, threshold: string, status: string, message = '') =>
    rows.push({ host, run, section, name, subject, value, unit, threshold, status, message });
  const latency = (section: string, prefix: string, subject: string, stats: LatencyStats | null | undefined, toMs: (v: number) => number) => {
    for (const k of LATENCY_SUMMARY_KEYS) if (stats?.[k] !== undefined) add(section, `${prefix}.${k}`, subject, toMs(stats[k]), 'ms', '', 'measured');
  };

  for (const c of report.checks) add(c.section, c.id, c.title, c.value ?? '', c.unit ?? '', c.threshold ?? '', c.status, c.message);

  const { host: hostArtifact, disk, network, load } = report.artifacts;
  if (!hostArtifact.ok) add('host', 'host', '', '', '', '', 'error', hostArtifact.error);
  if (disk?.ok) {
    const f = disk.data.fio;
    const subject = `fio ${disk.data.profile}`;
    latency('disk', 'fdatasync', subject, f.syncUs, ms);
    latency('disk', 'clat', subject, f.clatUs, ms);
    add('disk', 'write-iops', subject, round(f.writeIops, 1), 'IOPS', '', 'measured');
    add('disk', 'bandwidth', subject, Math.round(f.bandwidthBytesPerSec), 'B/s', '', 'measured');
  } else if (disk) add('disk', 'disk', '', '', '', '', 'error', disk.error);
  if (network?.ok) {
    for (const p of network.data.peers) {
      const subject = `${p.host} (${p.method})`;
      if (p.error !== undefined) add('network', 'rtt', subject, '', '', '', 'error', p.error);
      latency('network', 'rtt', subject, p.received > 0 ? p.rttMs : null, (v) => round(v, 4));
      add('network', 'loss', subject, round(p.lossPct, 2), '%', '', 'measured');
      add('network', 'longest-gap', subject, round(p.longestGapMs, 1), 'ms', '', 'measured');
    }
  } else if (network) add('network', 'network', '', '', '', '', 'error', network.error);
  if (load?.ok) {
    for (const p of load.data.phases) {
      add('load', 'rate', p.name, round(p.ratePerSec, 1), 'req/s', p.targetRatePerSec === null ? '' : `target ${p.targetRatePerSec}`, 'measured');
      add('load', 'errors', p.name, p.errors, 'requests', '', 'measured', formatErrorKinds(p.errorsByKind));
      latency('load', 'latency', p.name, p.latencyUs, ms);
      for (const [op, stats] of Object.entries(p.latencyByOpUs)) latency('load', `latency.${op}`, p.name, stats, ms);
      // The advisor's judgement of the phase, shown beside its figures.
      const judged = judgeLoadPhase(p);
      const limited = judged.clientLimitedReason !== null;
      add('load', 'client-cpu', p.name, round(p.clientCpuPct, 1), '%', '', limited ? 'warn' : 'measured', limited ? 'the client limited the result' : '');
      for (const t of judged.thresholds) add('load', 'threshold', p.name, t.actual, '', t.expr, t.ok ? 'pass' : 'fail');
    }
  } else if (load) add('load', 'load', '', '', '', '', 'error', load.error);

  for (const f of report.advice.flags)
    add('recommendation', `--${f.flag}`, f.rule, f.value, f.unit, f.default === null ? '' : `default ${f.default}`, 'recommended', f.reason);
  for (const u of report.advice.unitSettings) add('recommendation', u.key, 'etcd.service', u.value, '', '', 'recommended', u.reason);
  return rows;
}

export function renderCsv(report: Report): string {
  const rows = csvRows(report).map((r) => CSV_COLUMNS.map((col) => spreadsheetSafe(r[col])));
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' });
}
