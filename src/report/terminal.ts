// The end-of-run summary on the terminal: the verdict, a short table of checks (failing first), what to act on, and the files written.
import { etcdctlCommand } from '../etcd/etcdctl-command.js';
import { byUrgency, needsAttention } from '../model/check.js';
import { assumptionText } from './unit.js';
import type { Report } from '../model/report.js';
import { formatNumber, VERDICT_TEXT } from './format.js';

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** Whose etcd.service/etcd.conf these are, what they assumed and the flag that fixes each, and a member add when one is due. */
export function memberLines(report: Report): string[] {
  const id = report.member;
  if (id === undefined) return [];
  const m = id.member;
  const lines = ['', `etcd.service/etcd.conf are for member ${m.name} (${m.initialAdvertisePeerUrls}, initial-cluster-state ${m.initialClusterState}${id.matchedBy ? `, found in the member list ${id.matchedBy}` : ''}).`];
  if (id.needsMemberAdd) {
    const conn = report.artifacts.cluster?.ok ? report.artifacts.cluster.data.connection : undefined;
    lines.push(`  It is not a member yet: add it before starting it: ${etcdctlCommand(conn, ['member', 'add', m.name, `--peer-urls=${m.initialAdvertisePeerUrls}`])}`);
  }
  if (id.assumptions.length > 0) {
    lines.push('  Assumed (written in the files\' header too):');
    for (const a of id.assumptions) lines.push(`    ${assumptionText(a)} Give ${a.fix}.`);
  }
  return lines;
}

/** `width` is the terminal's; a pipe gets 100 columns. */
export function renderTerminalSummary(report: Report, outDir: string, files: string[], width = 100): string {
  const checks = [...report.checks].sort(byUrgency);
  const valueOf = (v: number | string | undefined, unit: string | undefined) => (v === undefined ? '' : `${typeof v === 'number' ? formatNumber(v, 3) : v}${unit ? ` ${unit}` : ''}`);
  const valueWidth = Math.min(16, Math.max(5, ...checks.map((c) => valueOf(c.value, c.unit).length)));
  const thresholdWidth = Math.min(24, Math.max(9, ...checks.map((c) => (c.threshold ?? '').length)));
  const titleWidth = Math.max(20, Math.min(60, width - 8 - valueWidth - thresholdWidth - 6));
  const lines = ['', VERDICT_TEXT[report.verdict], ''];
  lines.push(`  ${'STATUS'.padEnd(6)}  ${fit('CHECK', titleWidth)}  ${fit('VALUE', valueWidth)}  THRESHOLD`);
  for (const c of checks) lines.push(`  ${c.status.toUpperCase().padEnd(6)}  ${fit(c.title, titleWidth)}  ${fit(valueOf(c.value, c.unit), valueWidth)}  ${fit(c.threshold ?? '', thresholdWidth)}`.trimEnd());
  const act = checks.filter(needsAttention);
  if (act.length > 0) {
    lines.push('', 'To act on:');
    for (const c of act) lines.push(`  ${c.status.toUpperCase()}  ${c.title}: ${c.message}`);
  }
  lines.push(...memberLines(report));
  lines.push('', `Report written to ${outDir}:`, ...files.map((f) => `  ${f}`), '');
  return lines.join('\n');
}
