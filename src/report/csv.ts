// report.csv: one RFC 4180 row per check and per recommendation, with the host on every row so that many nodes' files concatenate.
import { stringify } from 'csv-stringify/sync';
import type { Report } from '../model/report.js';

export const CSV_COLUMNS = ['host', 'section', 'name', 'value', 'unit', 'threshold', 'status', 'message'] as const;

export function hostnameOf(report: Report): string {
  return report.artifacts.host.ok ? report.artifacts.host.data.hostname : 'unknown';
}

export function renderCsv(report: Report): string {
  const host = hostnameOf(report);
  const rows: (string | number)[][] = report.checks.map((c) => [host, c.section, c.id, c.value ?? '', c.unit ?? '', c.threshold ?? '', c.status, c.message]);
  for (const f of report.advice.flags) rows.push([host, 'recommendation', `--${f.flag}`, f.value, f.unit, f.default === null ? '' : `default ${f.default}`, 'recommended', f.reason]);
  for (const u of report.advice.unitSettings) rows.push([host, 'recommendation', u.key, u.value, '', '', 'recommended', u.reason]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' });
}
