// summary.md: the verdict, the failing checks, the key figures and the recommended flags, short enough for a change ticket.
import { byUrgency } from '../model/check.js';
import type { Report } from '../model/report.js';
import { hostnameOf } from './csv.js';
import { formatMs, usToMs, VERDICT_TEXT } from './format.js';

/** Markdown table cells cannot hold pipes or line breaks. */
function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  lines.push(`# etcd-advisor: ${cell(hostnameOf(report))}`, '');
  lines.push(`**${VERDICT_TEXT[report.verdict]}** (run ${report.run.id}, ${report.run.finishedAt}, ${report.run.durationSec.toFixed(0)} s${report.run.quick ? ', --quick' : ''})`, '');
  const urgent = report.checks.filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn').sort(byUrgency);
  if (urgent.length > 0) {
    lines.push('## Needs attention', '');
    for (const c of urgent) lines.push(`- **${c.status.toUpperCase()}** ${cell(c.title)}: ${cell(c.message)}`);
    lines.push('');
  }
  lines.push('## Key figures', '', '| figure | value |', '|---|---|');
  const disk = report.artifacts.disk;
  if (disk?.ok) {
    lines.push(`| fdatasync p99 | ${formatMs(usToMs(disk.data.fio.syncUs?.p99))} |`);
    lines.push(`| fdatasync p99.9 | ${formatMs(usToMs(disk.data.fio.syncUs?.['p99.9']))} |`);
    lines.push(`| sequential write IOPS | ${disk.data.fio.writeIops.toFixed(0)} |`);
  }
  const net = report.artifacts.network;
  if (net?.ok) for (const p of net.data.peers) lines.push(`| RTT p99 to ${cell(p.host)} (${p.method}${p.loopback ? ', loopback baseline' : ''}) | ${formatMs(p.rttMs.p99)}, loss ${p.lossPct.toFixed(1)}% |`);
  const load = report.artifacts.load;
  if (load?.ok) for (const p of load.data.phases) lines.push(`| load ${cell(p.name)} | ${p.ratePerSec.toFixed(0)} req/s, p99 ${formatMs(usToMs(p.latencyUs.p99))}, ${p.errors} errors |`);
  lines.push('');
  if (report.advice.flags.length > 0) {
    lines.push(`## Recommended flags (etcd ${report.advice.etcdVersion})`, '', '| flag | value | default | why |', '|---|---|---|---|');
    for (const f of report.advice.flags) lines.push(`| --${f.flag} | ${cell(f.value)} | ${cell(f.default ?? '')} | ${cell(f.reason)} |`);
    lines.push('');
  }
  for (const note of report.run.notes) lines.push(`> ${cell(note)}`);
  if (report.run.notes.length > 0) lines.push('');
  return lines.join('\n');
}
