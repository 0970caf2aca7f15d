// The cluster report (cluster-report.json/.md/.csv/.html) and the cluster section of each node's report: rendering only, from the recorded cluster run.
import type { Advice } from '../model/advice.js';
import { byUrgency, type Check, type Verdict } from '../model/check.js';
import type { ClusterLoadRound, ClusterRunArtifact } from '../model/cluster-run.js';
import type { RunInfo } from '../model/report.js';

export const CLUSTER_REPORT_KIND = 'etcd-advisor-cluster-report';
export const CLUSTER_REPORT_FILES = ['cluster-report.json', 'cluster-report.md', 'cluster-report.csv', 'cluster-report.html'] as const;

export interface ClusterReport {
  schemaVersion: 1;
  kind: typeof CLUSTER_REPORT_KIND;
  tool: { name: 'etcd-advisor'; version: string };
  generatedAt: string;
  run: RunInfo;
  cluster: ClusterRunArtifact;
  checks: Check[];
  /** The one flag set for every member: etcd needs the same heartbeat and election timeout on all of them. */
  advice: Advice;
  verdict: Verdict;
}

const ms = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '-' : `${v.toFixed(d)} ms`);

/** The row of one member in one round: its disk as fio saw it beside what etcd's own /metrics said under the load. */
export interface MemberRow {
  member: string;
  fioFdatasyncP99Ms: number | null;
  walFsyncP99Ms: number | null;
  backendCommitP99Ms: number | null;
  leaderChanges: number;
  heartbeatFailures: number;
  slowApplies: number;
  proposalsFailed: number;
  writesViaP99Ms: number | null;
  metricsError?: string;
}

export function memberRows(c: ClusterRunArtifact, round: ClusterLoadRound): MemberRow[] {
  return c.members.map((m) => {
    const disk = c.disks.find((d) => d.member === m.name)?.disk;
    const load = round.metrics.find((x) => x.member === m.name && x.phase === 'load');
    const all = round.metrics.filter((x) => x.member === m.name);
    const sum = (k: 'leaderChanges' | 'heartbeatSendFailures' | 'slowApplies' | 'proposalsFailed') => all.reduce((s, x) => s + (x.window?.[k] ?? 0), 0);
    const via = round.writesVia.find((w) => w.member === m.name)?.phase;
    const p99 = disk?.ok ? disk.data.fio.syncUs?.p99 : undefined;
    return {
      member: m.name,
      fioFdatasyncP99Ms: p99 === undefined ? null : p99 / 1000,
      walFsyncP99Ms: load?.window?.walFsync?.p99Ms ?? null,
      backendCommitP99Ms: load?.window?.backendCommit?.p99Ms ?? null,
      leaderChanges: sum('leaderChanges'),
      heartbeatFailures: sum('heartbeatSendFailures'),
      slowApplies: sum('slowApplies'),
      proposalsFailed: sum('proposalsFailed'),
      writesViaP99Ms: via?.latencyUs.p99 !== undefined ? via.latencyUs.p99 / 1000 : null,
      ...(load?.error !== undefined ? { metricsError: load.error } : {}),
    };
  });
}

/** RTT p99 from row member to column member, by the http method (the peer URL, raft's path), ICMP where http has none. */
export function rttMatrix(c: ClusterRunArtifact): {
  names: string[];
  cell: (from: string, to: string) => { p99Ms: number | null; method: string; slowest: boolean };
} {
  const names = c.members.map((m) => m.name);
  return {
    names,
    cell(from, to) {
      const links = c.mesh.filter((l) => l.from === from && l.to === to);
      const link = links.find((l) => l.method === 'http' && l.p99Ms !== null) ?? links.find((l) => l.p99Ms !== null) ?? links[0];
      const slowest = c.slowestPair !== null && c.slowestPair.from === from && c.slowestPair.to === to;
      return { p99Ms: link?.p99Ms ?? null, method: link?.method ?? '-', slowest };
    },
  };
}

/** etcd's own peer RTT (etcd_network_peer_round_trip_time_seconds p99 over the round's load), from row member to column member; null where it was not read. */
export function etcdRttMatrix(c: ClusterRunArtifact, round: ClusterLoadRound): [string[], string[][]] {
  const names = c.members.map((m) => m.name);
  const cell = (from: string, to: string): string => {
    const d = round.metrics.find((x) => x.member === from && x.phase === 'load');
    const peer = d?.window?.peerRtt.find((p) => d.peerNames[p.toId] === to);
    return ms(peer?.p99Ms ?? null, 3);
  };
  return [['from \\ to', ...names], names.map((from) => [from, ...names.map((to) => (from === to ? '-' : cell(from, to)))])];
}

/**
 * The cluster section of a node's report.html, as plain text tables (the page escapes them): each round's member table,
 * the RTT mesh and etcd's own peer RTT, member by member.
 */
export function clusterSectionTables(c: ClusterRunArtifact): { title: string; head: string[]; rows: string[][] }[] {
  const tables: { title: string; head: string[]; rows: string[][] }[] = [];
  for (const round of c.rounds) {
    const [head, rows] = memberTable(c, round, (name) => name);
    tables.push({ title: `Members, ${round.flags} flags (heartbeat ${round.heartbeatMs} ms, election ${round.electionMs} ms)`, head, rows });
  }
  const matrix = rttMatrix(c);
  tables.push({
    title: 'RTT p99 matrix (row measured column; http on the peer URL)',
    head: ['from \\ to', ...matrix.names],
    rows: matrix.names.map((from) => [
      from,
      ...matrix.names.map((to) => (from === to ? '-' : ((x) => `${ms(x.p99Ms, 3)}${x.slowest ? ' (slowest)' : ''}`)(matrix.cell(from, to)))),
    ]),
  });
  for (const round of c.rounds) {
    const [head, rows] = etcdRttMatrix(c, round);
    tables.push({
      title: `etcd's peer RTT p99 over the load, ${round.flags} flags (etcd_network_peer_round_trip_time_seconds, row member to column member)`,
      head,
      rows,
    });
  }
  return tables;
}

/** Leader changes, heartbeat failures and the load's p99 of each round, side by side (the proof of --validate). */
export function roundSummary(round: ClusterLoadRound): {
  flags: string;
  heartbeatMs: number;
  electionMs: number;
  leaderChanges: number;
  heartbeatFailures: number;
  loadP99Ms: number | null;
  errors: number;
} {
  // Every member counts the leader changes it saw: the most any member saw is how many happened.
  const perMember = new Map<string, number>();
  for (const d of round.metrics) perMember.set(d.member, (perMember.get(d.member) ?? 0) + (d.window?.leaderChanges ?? 0));
  const phases = round.load.ok ? round.load.data.phases : [];
  const p99s = phases.map((p) => p.latencyUs.p99).filter((v): v is number => v !== undefined);
  return {
    flags: round.flags,
    heartbeatMs: round.heartbeatMs,
    electionMs: round.electionMs,
    leaderChanges: Math.max(0, ...perMember.values()),
    heartbeatFailures: round.metrics.reduce((s, d) => s + (d.window?.heartbeatSendFailures ?? 0), 0),
    loadP99Ms: p99s.length > 0 ? Math.max(...p99s) / 1000 : null,
    errors: phases.reduce((s, p) => s + p.errors, 0),
  };
}

/** The member table's columns, once for the Markdown, HTML and CSV renderings: heading, CSV metric and unit, and the figure. */
export const MEMBER_COLUMNS: readonly { head: string; metric: string; unit: 'ms' | 'count'; value: (m: MemberRow) => number | null }[] = [
  { head: 'fio fdatasync p99', metric: 'fio_fdatasync_p99', unit: 'ms', value: (m) => m.fioFdatasyncP99Ms },
  { head: 'wal fsync p99 (load)', metric: 'wal_fsync_p99', unit: 'ms', value: (m) => m.walFsyncP99Ms },
  { head: 'backend commit p99 (load)', metric: 'backend_commit_p99', unit: 'ms', value: (m) => m.backendCommitP99Ms },
  { head: 'writes via member p99', metric: 'writes_via_p99', unit: 'ms', value: (m) => m.writesViaP99Ms },
  { head: 'leader changes', metric: 'leader_changes', unit: 'count', value: (m) => m.leaderChanges },
  { head: 'heartbeat failures', metric: 'heartbeat_send_failures', unit: 'count', value: (m) => m.heartbeatFailures },
  { head: 'slow applies', metric: 'slow_applies', unit: 'count', value: (m) => m.slowApplies },
  { head: 'proposals failed', metric: 'proposals_failed', unit: 'count', value: (m) => m.proposalsFailed },
];

/** Heading and rows of one round's member table; `text` makes a member name safe for the format (escaped for HTML). */
function memberTable(c: ClusterRunArtifact, round: ClusterLoadRound, text: (s: string) => string): [string[], string[][]] {
  return [
    ['member', ...MEMBER_COLUMNS.map((col) => col.head)],
    memberRows(c, round).map((m) => [text(m.member), ...MEMBER_COLUMNS.map((col) => (col.unit === 'ms' ? ms(col.value(m)) : String(col.value(m))))]),
  ];
}

/** The rounds side by side (defaults against the recommended flags), for Markdown and HTML alike. */
function roundTable(c: ClusterRunArtifact, text: (s: string) => string): [string[], string[][]] {
  return [
    ['flags', 'heartbeat', 'election', 'leader changes', 'heartbeat failures', 'load p99', 'errors'],
    c.rounds
      .map(roundSummary)
      .map((s) => [
        text(s.flags),
        `${s.heartbeatMs} ms`,
        `${s.electionMs} ms`,
        String(s.leaderChanges),
        String(s.heartbeatFailures),
        ms(s.loadP99Ms),
        String(s.errors),
      ]),
  ];
}

function mdTable(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** The cluster section as Markdown: also what each node writes beside its own report (cluster.md). */
export function renderClusterMarkdown(r: ClusterReport, memberFiles: string[] = []): string {
  const c = r.cluster;
  const lines = [
    `# etcd-advisor cluster report: ${c.members.map((m) => m.name).join(', ')}`,
    '',
    `Verdict: **${r.verdict}**. Driver: ${c.driver}. Token: \`${c.token}\`. Run ${r.run.id}, ${r.run.durationSec.toFixed(0)} s.`,
    '',
  ];
  for (const n of c.notes) lines.push(`> ${n}`, '');
  for (const round of c.rounds) {
    lines.push(`## Members, ${round.flags} flags (heartbeat ${round.heartbeatMs} ms, election ${round.electionMs} ms)`, '');
    lines.push(...mdTable(...memberTable(c, round, (name) => name)), '');
  }
  if (c.rounds.length > 1) {
    lines.push('## Defaults against the recommended flags', '');
    lines.push(...mdTable(...roundTable(c, (flags) => flags)), '');
  }
  const matrix = rttMatrix(c);
  lines.push('## RTT p99 matrix (row measured column; http on the peer URL)', '');
  lines.push(
    ...mdTable(
      ['from \\ to', ...matrix.names],
      matrix.names.map((from) => [
        from,
        ...matrix.names.map((to) => (from === to ? '-' : ((x) => (x.slowest ? `**${ms(x.p99Ms, 3)}** (slowest)` : ms(x.p99Ms, 3)))(matrix.cell(from, to)))),
      ]),
    ),
    '',
  );
  for (const round of c.rounds) {
    lines.push(`## etcd's peer RTT p99 over the load, ${round.flags} flags (etcd_network_peer_round_trip_time_seconds)`, '');
    lines.push(...mdTable(...etcdRttMatrix(c, round)), '');
  }
  lines.push(
    '## One flag set for every member',
    '',
    'etcd requires the same heartbeat and election timeout on all members: these come from the slowest pair.',
    '',
  );
  lines.push(
    ...mdTable(
      ['flag', 'value', 'basis'],
      r.advice.flags.map((f) => [`--${f.flag}`, `${f.value}${f.unit && f.unit !== 'count' ? ` ${f.unit}` : ''}`, f.basis.replace(/\|/g, '/')]),
    ),
    '',
  );
  lines.push('## Checks', '');
  for (const ch of [...r.checks].sort(byUrgency)) lines.push(`- **${ch.status.toUpperCase()}** ${ch.title}: ${ch.message}`);
  if (memberFiles.length > 0) lines.push('', "## Each member's files", '', ...memberFiles.map((f) => `- \`${f}\``));
  return lines.join('\n') + '\n';
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderClusterCsv(r: ClusterReport): string {
  const rows: (string | number | null)[][] = [['section', 'round', 'member', 'peer', 'metric', 'value', 'unit']];
  for (const round of r.cluster.rounds) {
    for (const m of memberRows(r.cluster, round)) {
      for (const col of MEMBER_COLUMNS) rows.push(['member', round.flags, m.member, '', col.metric, col.value(m), col.unit]);
    }
    const s = roundSummary(round);
    rows.push(
      ['round', round.flags, '', '', 'heartbeat_interval', s.heartbeatMs, 'ms'],
      ['round', round.flags, '', '', 'election_timeout', s.electionMs, 'ms'],
      ['round', round.flags, '', '', 'leader_changes', s.leaderChanges, 'count'],
      ['round', round.flags, '', '', 'heartbeat_send_failures', s.heartbeatFailures, 'count'],
      ['round', round.flags, '', '', 'load_p99', s.loadP99Ms, 'ms'],
    );
  }
  for (const l of r.cluster.mesh) rows.push(['rtt', '', l.from, l.to, `${l.method}_p99`, l.p99Ms, 'ms']);
  for (const f of r.advice.flags) rows.push(['flag', '', '', '', f.flag, f.value, f.unit]);
  for (const ch of r.checks) rows.push(['check', '', '', '', ch.id, ch.status, '']);
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function htmlTable(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderClusterHtml(r: ClusterReport, memberFiles: Record<string, Record<string, string>> = {}): string {
  const c = r.cluster;
  const parts: string[] = [
    `<h1>etcd-advisor cluster report: ${esc(c.members.map((m) => m.name).join(', '))}</h1>`,
    `<p class="verdict ${esc(r.verdict)}">Verdict: <strong>${esc(r.verdict)}</strong>. Driver ${esc(c.driver)}, token <code>${esc(c.token)}</code>, run ${esc(r.run.id)}.</p>`,
  ];
  for (const n of c.notes) parts.push(`<p class="note">${esc(n)}</p>`);
  for (const round of c.rounds) {
    parts.push(`<h2>Members, ${esc(round.flags)} flags (heartbeat ${round.heartbeatMs} ms, election ${round.electionMs} ms)</h2>`);
    parts.push(htmlTable(...memberTable(c, round, esc)));
  }
  if (c.rounds.length > 1) parts.push('<h2>Defaults against the recommended flags</h2>', htmlTable(...roundTable(c, esc)));
  const matrix = rttMatrix(c);
  parts.push(
    '<h2>RTT p99 matrix (row measured column; http on the peer URL)</h2>',
    htmlTable(
      ['from \\ to', ...matrix.names],
      matrix.names.map((from) => [
        esc(from),
        ...matrix.names.map((to) =>
          from === to ? '-' : ((x) => (x.slowest ? `<strong class="slowest">${ms(x.p99Ms, 3)} (slowest)</strong>` : ms(x.p99Ms, 3)))(matrix.cell(from, to)),
        ),
      ]),
    ),
  );
  parts.push(
    '<h2>One flag set for every member</h2>',
    htmlTable(
      ['flag', 'value', 'basis', 'reason'],
      r.advice.flags.map((f) => [`--${esc(f.flag)}`, esc(`${f.value}`), esc(f.basis), esc(f.reason)]),
    ),
  );
  parts.push(
    '<h2>Checks</h2>',
    htmlTable(
      ['status', 'check', 'message'],
      [...r.checks].sort(byUrgency).map((ch) => [esc(ch.status), esc(ch.title), esc(ch.message)]),
    ),
  );
  for (const [member, files] of Object.entries(memberFiles))
    for (const [name, text] of Object.entries(files)) parts.push(`<h3>${esc(member)}: ${esc(name)}</h3><pre>${esc(text)}</pre>`);
  const css =
    'body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.slowest{color:#b00}.note{background:#fff6d5;padding:.5em}pre{background:#f4f4f4;padding:1em;overflow:auto}';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>etcd-advisor cluster report</title><style>${css}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}

export function renderClusterJson(r: ClusterReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
