// Turns a Report into the plain, pre-formatted values report.hbs shows, so that the template holds no logic and every section copes with a missing or failed artifact.
import { judgeLoadPhase } from '../advisor/load-phase.js';
import { FDATASYNC_P99_PASS_MS } from '../advisor/rules/disk-fdatasync-p99.js';
import type { DiskArtifact, LoadArtifact, NetworkArtifact } from '../model/artifacts.js';
import { byUrgency, needsAttention, STATUSES_BY_URGENCY, type Check } from '../model/check.js';
import type { ProbeResult } from '../model/probe.js';
import { footprintOf } from './footprint.js';
import { subjectOf } from './csv.js';
import type { Report } from '../model/report.js';
import { histogramChart, percentileChart, timeChart } from './charts.js';
import { checkValue, formatErrorKinds, formatMs, LATENCY_SUMMARY_KEYS, formatNumber, formatPct, statsUsToMs, usToMs, verdictTextOf } from './format.js';
import { formatBytes } from '../util/units.js';
import { observeView } from './observe-view.js';
import { upgradeStepViews } from './upgrade-view.js';
import { clusterSectionTables } from '../cluster/report.js';

export interface Row {
  name: string;
  value: string;
}

/** absent: not asked for in this run; error: asked for and could not run (with the reason). */
export interface SectionState {
  absent: boolean;
  error: string | null;
}

/** A check with every optional field present, so that the strict template can tell a typo from an empty value. */
export interface CheckView {
  id: string;
  status: Check['status'];
  title: string;
  message: string;
  /** With its unit, as the terminal prints it. */
  value: string;
  threshold: string;
  source: string;
}

function checkViews(checks: readonly Check[]): CheckView[] {
  return [...checks].sort(byUrgency).map((c) => ({
    id: c.id,
    status: c.status,
    title: c.title,
    message: c.message,
    value: checkValue(c.value, c.unit),
    threshold: c.threshold ?? '',
    source: c.source ?? '',
  }));
}

/** fio reports these; the chart shows the ones that tell the tail apart. */
const DISK_CHART_KEYS = ['p1', 'p10', 'p50', 'p90', 'p95', 'p99', 'p99.5', 'p99.9', 'p99.99'];
const LOAD_CHART_KEYS = ['p50', 'p90', 'p99', 'p99.9'];

function sectionState(result: ProbeResult<unknown> | undefined): SectionState {
  return { absent: result === undefined, error: result !== undefined && !result.ok ? result.error : null };
}

function statsRow(name: string, stats: Record<string, number> | null | undefined, toMs: (v: number | undefined) => number | undefined): Row {
  if (!stats) return { name, value: '-' };
  const keys = LATENCY_SUMMARY_KEYS.filter((k) => stats[k] !== undefined);
  return { name, value: keys.map((k) => `${k} ${formatMs(toMs(stats[k]))}`).join(' · ') };
}

function hostView(report: Report) {
  const host = report.artifacts.host;
  const disk = report.artifacts.disk;
  const fs = disk?.ok ? disk.data.filesystem : null;
  const rows: Row[] = [];
  if (host.ok) {
    const h = host.data;
    rows.push(
      { name: 'hostname', value: h.hostname },
      { name: 'CPU', value: `${h.cpuModel} (${h.cpus} CPUs)` },
      { name: 'memory', value: formatBytes(h.memoryBytes) },
      { name: 'kernel', value: `${h.platform} ${h.kernel} ${h.arch}` },
      { name: 'etcd version', value: h.etcdVersion ?? 'not found' },
      { name: 'fio version', value: h.fioVersion ?? 'not found' },
      { name: 'Node.js', value: h.nodeVersion },
    );
  }
  if (fs) {
    rows.push(
      { name: 'filesystem', value: `${fs.type} on ${fs.device}, mounted on ${fs.mountPoint} (${fs.options.join(',')})` },
      { name: 'free space', value: `${formatBytes(fs.freeBytes)} of ${formatBytes(fs.totalBytes)}` },
    );
  }
  return { ...sectionState(host), rows };
}

function diskView(report: Report) {
  const result = report.artifacts.disk;
  const state = sectionState(result);
  if (!result?.ok) return { ...state, rows: [] as Row[], chart: '', command: '' };
  const d: DiskArtifact = result.data;
  const f = d.fio;
  const rows: Row[] = [
    statsRow('fdatasync latency', f.syncUs, usToMs),
    statsRow('write completion latency (clat)', f.clatUs, usToMs),
    { name: 'sequential write IOPS (fdatasync after each write)', value: formatNumber(f.writeIops) },
    { name: 'bandwidth', value: `${formatBytes(f.bandwidthBytesPerSec)}/s` },
    { name: 'writes', value: `${formatNumber(f.totalWriteIos)} in ${formatNumber(f.runtimeMs)} ms` },
    { name: 'profile', value: `${d.profile} (fio job ${f.jobName}, ${f.version ?? 'fio version unknown'})` },
    { name: 'directory', value: d.dir },
  ];
  const series = [];
  if (f.syncUs) series.push({ label: 'fdatasync', values: statsUsToMs(f.syncUs) });
  series.push({ label: 'write completion (clat)', values: statsUsToMs(f.clatUs) });
  const chart = percentileChart({
    title: `fio latency percentiles in ${d.dir}`,
    keys: DISK_CHART_KEYS,
    series,
    unit: 'ms (log scale)',
    limit: { value: FDATASYNC_P99_PASS_MS, label: `etcd: fdatasync p99 < ${FDATASYNC_P99_PASS_MS} ms` },
  });
  return { ...state, rows, chart, command: d.command.join(' ') };
}

function networkView(report: Report) {
  const result = report.artifacts.network;
  const state = sectionState(result);
  if (!result?.ok) return { ...state, peers: [], timeline: '', quantileMethod: '' };
  const n: NetworkArtifact = result.data;
  const peers = n.peers.map((p) => ({
    host: p.port === undefined ? p.host : `${p.host}:${p.port}`,
    method: p.method,
    loopback: p.loopback,
    error: p.error ?? null,
    sent: formatNumber(p.sent),
    received: formatNumber(p.received),
    loss: formatPct(p.lossPct),
    lossy: p.lossPct > 0,
    min: formatMs(p.rttMs.min),
    p50: formatMs(p.rttMs.p50),
    p99: formatMs(p.rttMs.p99),
    max: formatMs(p.rttMs.max),
    stall: formatMs(p.longestGapMs),
    histogram: histogramChart({
      title: `RTT distribution to ${p.host} (${p.method})`,
      values: p.samplesMs,
      unit: `RTT to ${p.host} (ms)`,
      marks: [
        ...(p.rttMs.p50 !== undefined ? [{ value: p.rttMs.p50, label: `p50 ${formatMs(p.rttMs.p50)}` }] : []),
        ...(p.rttMs.p99 !== undefined ? [{ value: p.rttMs.p99, label: `p99 ${formatMs(p.rttMs.p99)}` }] : []),
      ],
    }),
  }));
  const timeline = timeChart({
    title: 'RTT per peer over time',
    series: n.peers
      .filter((p) => p.samples.length > 0)
      .map((p) => ({ label: `${p.host} (${p.method})`, points: p.samples.map((s) => ({ x: s.tMs / 1000, y: s.rttMs })) })),
    unit: 'RTT (ms)',
    xLabel: 'seconds since sampling started',
    missingLabel: 'lost probe',
  });
  return { ...state, peers, timeline, quantileMethod: n.quantileMethod };
}

function loadView(report: Report) {
  const result = report.artifacts.load;
  const state = sectionState(result);
  if (!result?.ok) return { ...state, phases: [], rows: [] as Row[], rateChart: '', latencyChart: '', clientLimited: false };
  const l: LoadArtifact = result.data;
  const rows: Row[] = [
    { name: 'scenario', value: l.scenario },
    { name: 'endpoints', value: `${l.endpoints.join(', ')}${l.embedded ? ' (throwaway etcd started by the tool)' : ''}` },
    { name: 'etcd version', value: l.etcdVersion ?? 'unknown' },
    { name: 'client', value: l.client },
    { name: 'key prefix', value: l.prefix },
  ];
  // The advisor's judgement of each phase, shown beside its figures.
  const judged = l.phases.map(judgeLoadPhase);
  const phases = l.phases.map((p, i) => ({
    name: p.name,
    model: p.model === 'open' ? `open, ${formatNumber(p.targetRatePerSec)} req/s target` : 'closed',
    clients: `${p.clients} clients on ${p.conns} connections`,
    requests: formatNumber(p.requests),
    rate: `${formatNumber(p.ratePerSec)} req/s`,
    errors: formatNumber(p.errors),
    hasErrors: p.errors > 0,
    errorKinds: formatErrorKinds(p.errorsByKind),
    duration: `${formatNumber(p.durationSec, 1)} s`,
    latency: LOAD_CHART_KEYS.map((k) => `${k} ${formatMs(usToMs(p.latencyUs[k]))}`).join(' · '),
    ops: Object.entries(p.latencyByOpUs).map(([op, s]) => ({
      op,
      p50: formatMs(usToMs(s.p50)),
      p90: formatMs(usToMs(s.p90)),
      p99: formatMs(usToMs(s.p99)),
      p999: formatMs(usToMs(s['p99.9'])),
      max: formatMs(usToMs(s.max)),
    })),
    clientCpu: formatPct(p.clientCpuPct),
    clientLimited: judged[i]!.clientLimitedReason !== null,
    thresholds: judged[i]!.thresholds,
  }));
  // Phases run one after the other: lay their per-second rates end to end with a band per phase.
  let offset = 0;
  const bands: { from: number; to: number; label: string }[] = [];
  const series = l.phases.map((p) => {
    const points = p.rateSeries.map((r, i) => ({ x: offset + i + 1, y: r }));
    bands.push({ from: offset, to: offset + Math.max(p.rateSeries.length, 1), label: p.name });
    offset += Math.max(p.rateSeries.length, 1);
    return { label: p.name, points };
  });
  const rateChart = timeChart({ title: 'Completed requests per second', series, unit: 'requests/s', xLabel: 'seconds since load started', bands });
  const latencyChart = percentileChart({
    title: 'Latency percentiles per operation',
    keys: LOAD_CHART_KEYS,
    series: l.phases.flatMap((p) =>
      Object.entries(p.latencyByOpUs).map(([op, s]) => ({ label: l.phases.length > 1 ? `${p.name} ${op}` : op, values: statsUsToMs(s) })),
    ),
    unit: 'ms (log scale)',
  });
  return { ...state, phases, rows, rateChart, latencyChart, clientLimited: judged.some((j) => j.clientLimitedReason !== null) };
}

function adviceView(report: Report) {
  const a = report.advice;
  return {
    etcdVersion: a.etcdVersion,
    flags: a.flags.map((f) => ({
      flag: `--${f.flag}`,
      value: `${f.value}${f.unit && f.unit !== 'count' ? ` ${f.unit}` : ''}`,
      default: f.default === null ? 'none' : `${f.default}${f.unit && f.unit !== 'count' ? ` ${f.unit}` : ''}`,
      changed: f.current !== undefined ? String(f.value) !== String(f.current.value) : f.default === null || String(f.value) !== String(f.default),
      current: f.current?.value ?? 'not read',
      currentBasis: f.current?.basis ?? '',
      same: f.sameOnEveryMember ?? '',
      reason: f.reason,
      ifIgnored: f.ifIgnored,
      basis: f.basis,
      source: f.source,
      rule: f.rule,
    })),
    unitSettings: a.unitSettings,
    footprint: footprintOf(report),
    upgrade: a.upgrade === undefined ? null : { running: a.upgrade.running, target: a.upgrade.target, steps: upgradeStepViews(a.upgrade.steps) },
  };
}

function howRunView(report: Report) {
  const r = report.run;
  const host = report.artifacts.host.ok ? report.artifacts.host.data : null;
  const load = report.artifacts.load?.ok ? report.artifacts.load.data : null;
  const rows: Row[] = [
    { name: 'run id', value: r.id },
    { name: 'started', value: r.startedAt },
    { name: 'finished', value: r.finishedAt },
    { name: 'duration', value: `${formatNumber(r.durationSec, 1)} s${r.quick ? ' (--quick)' : ''}` },
    { name: 'scenario', value: r.scenario },
    {
      name: 'etcd under load',
      value: r.embeddedEtcd ? 'a throwaway etcd started by the tool on loopback' : (load?.endpoints.join(', ') ?? 'the given endpoints'),
    },
    {
      name: 'tool versions',
      value: [
        `etcd-advisor ${report.tool.version}`,
        host ? `Node.js ${host.nodeVersion}` : null,
        host?.etcdVersion ? `etcd ${host.etcdVersion}` : null,
        host?.fioVersion ? `fio ${host.fioVersion}` : null,
      ]
        .filter((x) => x !== null)
        .join(', '),
    },
    { name: 'report generated', value: report.generatedAt },
  ];
  return { commandLine: r.argv.join(' '), rows };
}

/** One row per endpoint read on its own, named from the member list; only for runs against an operator's cluster. */
function clusterView(report: Report) {
  const result = report.artifacts.cluster;
  if (result === undefined) return null;
  const state = sectionState(result);
  if (!result.ok) return { ...state, members: [], alarms: [] };
  const c = result.data;
  const nameOf = new Map((c.members ?? []).map((m) => [m.id, m.name]));
  const members = c.endpoints.map((e) => {
    const s = e.status;
    if (s === null) return { endpoint: e.endpoint, error: e.error ?? 'no answer' };
    return {
      endpoint: e.endpoint,
      error: null,
      name: nameOf.get(s.memberId) || '(unnamed)',
      idHex: s.memberIdHex,
      version: s.version,
      role: s.isLearner ? 'learner' : s.leaderId === s.memberId ? 'leader' : s.leaderId === '0' ? 'no leader' : 'follower',
      term: formatNumber(s.raftTerm),
      index: formatNumber(s.raftIndex),
      applied: s.raftAppliedIndex === null ? '-' : formatNumber(s.raftAppliedIndex),
      dbSize: formatBytes(s.dbSizeBytes),
      inUse: s.dbSizeInUseBytes === null ? '-' : formatBytes(s.dbSizeInUseBytes),
      quota: s.quotaBytes === null ? 'unknown' : formatBytes(s.quotaBytes),
    };
  });
  const alarms = (c.alarms ?? []).map((a) => ({ member: nameOf.get(a.memberId) || a.memberIdHex, alarm: a.alarm }));
  return { ...state, members, alarms, membersError: c.membersError ?? null, alarmsError: c.alarmsError ?? null };
}

export function htmlView(report: Report, files: { unitFile: string; envFile: string }) {
  const host = subjectOf(report);
  const checks = checkViews(report.checks);
  return {
    hostname: host,
    verdict: report.verdict,
    verdictText: verdictTextOf(report),
    generatedAt: report.generatedAt,
    runId: report.run.id,
    finishedAt: report.run.finishedAt,
    duration: formatNumber(report.run.durationSec, 0),
    quick: report.run.quick,
    toolVersion: report.tool.version,
    notes: report.run.notes,
    attention: checks.filter(needsAttention),
    checks,
    counts: STATUSES_BY_URGENCY.map((s) => ({ status: s, n: checks.filter((c) => c.status === s).length })).filter((x) => x.n > 0),
    host: hostView(report),
    disk: diskView(report),
    network: networkView(report),
    load: loadView(report),
    cluster: clusterView(report),
    clusterRun: report.artifacts.clusterRun?.ok ? { tables: clusterSectionTables(report.artifacts.clusterRun.data) } : null,
    observe: observeView(report),
    advice: adviceView(report),
    unitFile: files.unitFile,
    envFile: files.envFile,
    filesWithheld: report.advice.withheld ?? null,
    howRun: howRunView(report),
  };
}
