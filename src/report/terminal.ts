// Terminal text of every command: the end-of-run summary (verdict, checks failing first, what to act on, files written), load phases, check lines.
import { judgeLoadPhase } from '../advisor/load-phase.js';
import { etcdctlCommand } from '../etcd/etcdctl-command.js';
import type { LoadArtifact, LoadPhaseResult } from '../model/artifacts.js';
import { byUrgency, needsAttention, type Check } from '../model/check.js';
import type { ProbeResult } from '../model/probe.js';
import { footprintOf } from './footprint.js';
import { assumptionText } from './unit.js';
import type { Report } from '../model/report.js';
import { checkValue, formatErrorKinds, verdictTextOf } from './format.js';

/** Words onto lines of at most `width`; a word longer than that (a URL, a peer) stays whole on a line of its own. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/** Each flag as current -> recommended, so that what changes (and what must match on every member) is plain. */
export function flagLines(report: Report): string[] {
  const flags = report.advice.flags;
  if (flags.length === 0) return [];
  const lines = ['', 'Flags (current -> recommended; written to etcd.conf):'];
  for (const f of flags) {
    const cur = f.current?.value ?? 'not read';
    const change = f.current === undefined ? '' : String(f.current.value) === String(f.value) ? '  (no change)' : '  (change)';
    lines.push(`  --${f.flag}: ${cur} -> ${f.value}${change}${f.sameOnEveryMember ? '  [same on every member]' : ''}`);
    lines.push(`      ${f.reason}`);
  }
  return lines;
}

/** What a run against a live cluster left there, and the commands to reclaim it. */
export function footprintLines(report: Report): string[] {
  const f = footprintOf(report);
  if (f === null) return [];
  return ['', 'What this run left in the cluster:', `  ${f.summary}`, '  To reclaim it, in this order:', ...f.commands.map((c) => `    ${c}`), `  ${f.note}`];
}

/** Whose etcd.service/etcd.conf these are, what they assumed and the flag that fixes each, and a member add when one is due. */
export function memberLines(report: Report): string[] {
  const id = report.member;
  if (id === undefined) return [];
  const m = id.member;
  const lines = [
    '',
    `etcd.service/etcd.conf are for member ${m.name} (${m.initialAdvertisePeerUrls}, initial-cluster-state ${m.initialClusterState}${id.matchedBy ? `, found in the member list ${id.matchedBy}` : ''}).`,
  ];
  if (id.needsMemberAdd) {
    const conn = report.artifacts.cluster?.ok ? report.artifacts.cluster.data.connection : undefined;
    lines.push(
      `  It is not a member yet: add it before starting it: ${etcdctlCommand(conn, ['member', 'add', m.name, `--peer-urls=${m.initialAdvertisePeerUrls}`])}`,
    );
  }
  if (id.assumptions.length > 0) {
    lines.push("  Assumed (written in the files' header too):");
    for (const a of id.assumptions) lines.push(`    ${assumptionText(a)} Give ${a.fix}.`);
  }
  return lines;
}

/** A threshold such as a load phase's four expressions would squeeze the check names into a narrow column: it wraps past this. */
const THRESHOLD_MAX_WIDTH = 32;

/**
 * `width` is the terminal's; a pipe gets 100 columns. Values are shown whole; a check's title (a peer, a member, a
 * phase) and a long threshold wrap onto lines of their own in their columns rather than being cut.
 */
export function renderTerminalSummary(report: Report, outDir: string, files: string[], width = 100): string {
  const checks = [...report.checks].sort(byUrgency);
  const valueWidth = Math.max(5, ...checks.map((c) => checkValue(c.value, c.unit).length));
  const thresholdWidth = Math.min(THRESHOLD_MAX_WIDTH, Math.max(9, ...checks.map((c) => (c.threshold ?? '').length)));
  const titleWidth = Math.max(24, Math.min(60, width - 10 - valueWidth - thresholdWidth - 4));
  const lines = ['', verdictTextOf(report), ''];
  lines.push(`  ${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(titleWidth)}  ${'VALUE'.padEnd(valueWidth)}  THRESHOLD`);
  for (const c of checks) {
    const titleLines = wrap(c.title, titleWidth);
    const thresholdLines = wrap(c.threshold ?? '', thresholdWidth);
    for (let i = 0; i < Math.max(titleLines.length, thresholdLines.length); i++) {
      const status = i === 0 ? c.status.toUpperCase() : '';
      const value = i === 0 ? checkValue(c.value, c.unit) : '';
      lines.push(`  ${status.padEnd(6)}  ${(titleLines[i] ?? '').padEnd(titleWidth)}  ${value.padEnd(valueWidth)}  ${thresholdLines[i] ?? ''}`.trimEnd());
    }
  }
  const act = checks.filter(needsAttention);
  if (act.length > 0) {
    lines.push('', 'To act on:');
    for (const c of act) lines.push(`  ${c.status.toUpperCase()}  ${c.title}: ${c.message}`);
  }
  lines.push(...flagLines(report), ...footprintLines(report), ...memberLines(report));
  lines.push('', `Report written to ${outDir}:`, ...files.map((f) => `  ${f}`), '');
  return lines.join('\n');
}

const ms = (us: number | undefined) => (us === undefined ? '-' : (us / 1000).toFixed(2));

/** One load phase as `load` prints it: what ran (model, rate, clients, connections), what it measured, why it stopped early, and the advisor's verdict on each threshold. */
export function formatPhase(p: LoadPhaseResult): string {
  const judged = judgeLoadPhase(p);
  const lines: string[] = [];
  const target = p.targetRatePerSec === null ? '' : ` (target ${p.targetRatePerSec}/s)`;
  lines.push(`${p.name}: ${p.model} model, ${p.clients} clients on ${p.conns} connection(s), ${p.durationSec.toFixed(1)} s`);
  lines.push(
    `  ${p.requests} requests, ${p.ratePerSec.toFixed(1)} req/s${target}, ${p.errors} errors${p.errors ? ` (${formatErrorKinds(p.errorsByKind)})` : ''}`,
  );
  const l = p.latencyUs;
  lines.push(
    `  latency ms${p.latencyFromIntendedStart ? ' (from intended send time)' : ''}: p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  p99.9 ${ms(l['p99.9'])}  max ${ms(l.max)}`,
  );
  for (const [op, s] of Object.entries(p.latencyByOpUs))
    if (Object.keys(p.latencyByOpUs).length > 1) lines.push(`    ${op.padEnd(18)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
  lines.push(
    `  client CPU ${p.clientCpuPct.toFixed(0)}% of a core${judged.clientLimitedReason !== null ? `: limited by the load generator, not etcd (${judged.clientLimitedReason})` : ''}`,
  );
  // A phase a signal cut short is shown as measured, never judged against its thresholds.
  const cut = p.stoppedEarly !== undefined && /interrupt/.test(p.stoppedEarly);
  if (p.stoppedEarly !== undefined) lines.push(`  stopped early: ${p.stoppedEarly}${cut ? ' (not judged)' : ''}`);
  if (!cut) for (const t of judged.thresholds) lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.expr}  (${t.actual})`);
  return lines.join('\n');
}

/** What `load` prints: the run, each phase, the advisor's load checks and the clean-up. */
export function renderLoadText(load: ProbeResult<LoadArtifact>, checks: readonly Check[]): string {
  const out: string[] = [];
  if (load.ok) {
    const a = load.data;
    out.push(
      `scenario ${a.scenario} against ${a.endpoints.join(', ')}${a.embedded ? ' (throwaway etcd)' : ''}, etcd ${a.etcdVersion ?? '?'}, ${a.client} client`,
      '',
    );
    for (const p of a.phases) out.push(formatPhase(p), '');
    // A failed clean-up is said by its check below.
    if (a.cleanupError === undefined) out.push(`deleted the ${a.deletedKeys ?? 0} keys the load wrote under ${a.prefix}`, '');
  }
  out.push(...checkLines(checks));
  return `${out.join('\n')}\n`;
}

/** A command's findings for the terminal, most urgent first, one "  STATUS  title: message" line each. */
export function checkLines(checks: readonly Check[]): string[] {
  return [...checks].sort(byUrgency).map((c) => `  ${c.status.toUpperCase().padEnd(5)}  ${c.title}: ${c.message}`);
}
