// summary.md: the verdict, the failing checks, the key figures and the recommended flags, short enough for a change ticket.
import { clientLimitedReason } from '../advisor/load-phase.js';
import { byUrgency, needsAttention } from '../model/check.js';
import type { ProbeResult } from '../model/probe.js';
import type { Report } from '../model/report.js';
import { subjectOf } from './csv.js';
import { footprintOf } from './footprint.js';
import { upgradeStepViews } from './upgrade-view.js';
import { formatMs, formatNumber, formatPct, usToMs, verdictTextOf } from './format.js';

/**
 * Text from outside (hostnames, messages, error output) must stay text in whatever renders the ticket: escape
 * Markdown's emphasis, link, code and table characters and any HTML, and keep it on one line.
 */
export function md(text: string | number): string {
  return String(text)
    .replace(/[\\`*_[\]<>|#]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`))
    .replace(/\r?\n/g, ' ');
}

function couldNotRun(result: ProbeResult<unknown> | undefined): string | null {
  return result !== undefined && !result.ok ? `could not run: ${md(result.error)}` : null;
}

export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  lines.push(`# etcd-advisor: ${md(subjectOf(report))}`, '');
  lines.push(
    `**${verdictTextOf(report)}** (run ${md(report.run.id)}, ${md(report.run.finishedAt)}, ${report.run.durationSec.toFixed(0)} s${report.run.quick ? ', --quick' : ''})`,
    '',
  );

  const urgent = report.checks.filter(needsAttention).sort(byUrgency);
  if (urgent.length > 0) {
    lines.push('## Needs attention', '');
    for (const c of urgent) lines.push(`- **${c.status.toUpperCase()}** ${md(c.title)}: ${md(c.message)}`);
    lines.push('');
  }

  lines.push('## Key figures', '', '| figure | value |', '|---|---|');
  const disk = report.artifacts.disk;
  if (disk?.ok) {
    const f = disk.data.fio;
    lines.push(`| fdatasync p99 / p99.9 | ${formatMs(usToMs(f.syncUs?.p99))} / ${formatMs(usToMs(f.syncUs?.['p99.9']))} |`);
    lines.push(`| sequential write IOPS (fdatasync) | ${formatNumber(f.writeIops)} |`);
  } else if (disk) lines.push(`| disk | ${couldNotRun(disk)} |`);
  const net = report.artifacts.network;
  if (net?.ok) {
    for (const p of net.data.peers) {
      const figure =
        p.error !== undefined
          ? `could not measure: ${md(p.error)}`
          : `p99 ${formatMs(p.rttMs.p99)}, loss ${formatPct(p.lossPct)}, longest gap ${formatMs(p.longestGapMs)}`;
      lines.push(`| RTT to ${md(p.host)} (${p.method}${p.loopback ? ', loopback baseline' : ''}) | ${figure} |`);
    }
  } else if (net) lines.push(`| network | ${couldNotRun(net)} |`);
  const load = report.artifacts.load;
  if (load?.ok) {
    for (const p of load.data.phases) {
      lines.push(
        `| load phase ${md(p.name)} (${p.clients} clients) | ${formatNumber(p.ratePerSec)} req/s, p99 ${formatMs(usToMs(p.latencyUs.p99))}, ${formatNumber(p.errors)} errors${clientLimitedReason(p) !== null ? ', client-limited' : ''} |`,
      );
    }
  } else if (load) lines.push(`| load | ${couldNotRun(load)} |`);
  lines.push('');

  if (report.advice.flags.length > 0) {
    lines.push(`## Recommended flags (etcd ${md(report.advice.etcdVersion)})`, '', '| flag | current | recommended | default | why |', '|---|---|---|---|---|');
    for (const f of report.advice.flags)
      lines.push(
        `| --${md(f.flag)} | ${md(f.current?.value ?? 'not read')} | ${md(f.value)} | ${md(f.default ?? '')} | ${md([f.reason, f.sameOnEveryMember].filter(Boolean).join(' '))} |`,
      );
    lines.push('');
  }
  const upgrade = report.advice.upgrade;
  if (upgrade !== undefined) {
    lines.push(
      `## Upgrade: what in the current settings changes on the way`,
      '',
      `The member runs ${md(upgrade.running)}; the advice is for ${md(upgrade.target)}.`,
      '',
    );
    for (const step of upgradeStepViews(upgrade.steps)) {
      lines.push(`### ${md(step.title)}`, '');
      if (step.rows.length === 0) lines.push('Nothing in the current settings changes at this step.', '');
      else
        lines.push(
          '| impact | flag | what changes, and the replacement | where |',
          '|---|---|---|---|',
          ...step.rows.map((r) => `| ${md(r.label)} | ${md(r.flag)} | ${md(r.message)} | ${md(r.where)} |`),
          '',
        );
    }
  }
  const footprint = footprintOf(report);
  if (footprint !== null) {
    lines.push(
      '## What this run left in the cluster',
      '',
      md(footprint.summary),
      '',
      'To reclaim it, in this order:',
      '',
      '```sh',
      ...footprint.commands,
      '```',
      '',
      md(footprint.note),
      '',
    );
  }
  if (report.run.notes.length > 0) {
    lines.push('## Notes', '');
    for (const note of report.run.notes) lines.push(`- ${md(note)}`);
    lines.push('');
  }
  lines.push('Full report with charts: report.html; every figure: report.csv; the record: report.json.', '');
  return lines.join('\n');
}
