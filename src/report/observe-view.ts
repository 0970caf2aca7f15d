// The observation window as report.html shows it: one row per member, and time series (fsync p99, RTT per pair, leader changes) as inline SVG.
import { FDATASYNC_P99_PASS_MS } from '../advisor/rules/disk-fdatasync-p99.js';
import type { HistogramFigure, ObservationArtifact, ObservedMember } from '../model/observation.js';
import type { Report } from '../model/report.js';
import { formatBytes } from '../util/units.js';
import { timeChart } from './charts.js';
import { formatMs, formatNumber } from './format.js';

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function quantiles(f: HistogramFigure | null | undefined): string {
  if (f == null) return 'not exported';
  if (f.p99Ms === null) return 'none in the window';
  return `p50 ${formatMs(f.p50Ms!)} · p99 ${f.p99AtLeast ? '>= ' : ''}${formatMs(f.p99Ms)} (${formatNumber(f.count)})`;
}

const count = (n: number | null | undefined) => (n == null ? '-' : formatNumber(n));

function memberRow(m: ObservedMember, nameOf: (id: string | null, endpoint: string) => string) {
  const f = m.figures;
  const g = m.last;
  const member = nameOf(m.memberId, m.endpoint);
  return {
    member,
    // A member known by its address alone is named once ("127.0.0.30:2379", not "127.0.0.30:2379 http://127.0.0.30:2379").
    endpoint: member === hostOf(m.endpoint) ? '' : m.endpoint,
    version: m.version ?? '-',
    scrapes: `${m.scrapes}${m.failedScrapes > 0 ? ` (+${m.failedScrapes} failed)` : ''}`,
    outage: m.outages.map((o) => `no answer from ${o.from}${o.backAt ? ` to ${o.backAt}` : ''}: ${o.error}`).join('; '),
    fsync: quantiles(f?.walFsync),
    commit: quantiles(f?.backendCommit),
    apply: quantiles(f?.apply),
    leaderChanges: count(f?.leaderChanges),
    heartbeatFailures: count(f?.heartbeatSendFailures),
    sendFailures: count(f?.peerSentFailures),
    slow: `${count(f?.slowApplies)} / ${count(f?.slowReadIndexes)}`,
    proposals: `${count(f?.proposalsFailed)} / ${count(g?.proposalsPending)}`,
    db:
      g?.dbSizeBytes == null
        ? '-'
        : `${formatBytes(g.dbSizeBytes)}${g.dbSizeInUseBytes != null ? ` (${formatBytes(g.dbSizeInUseBytes)} in use)` : ''}${g.quotaBytes != null ? ` of ${formatBytes(g.quotaBytes)}` : ''}`,
    rss: g?.residentMemoryBytes == null ? '-' : formatBytes(g.residentMemoryBytes),
    fds: g?.openFds == null ? '-' : `${g.openFds}${g.maxFds != null ? ` / ${g.maxFds}` : ''}`,
  };
}

export function observeView(report: Report) {
  const result = report.artifacts.observation;
  if (result === undefined) return null;
  if (!result.ok) return { absent: false, error: result.error, members: [], rows: [], fsyncChart: '', rttChart: '', leaderChart: '', quantileMethod: '' };
  const o: ObservationArtifact = result.data;
  const names = new Map(
    (report.artifacts.cluster?.ok ? (report.artifacts.cluster.data.members ?? []) : []).filter((m) => m.name !== '').map((m) => [m.idHex, m.name]),
  );
  const byId = new Map(o.members.filter((m) => m.memberId !== null).map((m) => [m.memberId!, m]));
  const nameOf = (id: string | null, endpoint: string) => (id !== null && names.has(id) ? names.get(id)! : hostOf(byId.get(id ?? '')?.endpoint ?? endpoint));
  const members = o.members.map((m) => memberRow(m, nameOf));
  const fsyncChart = timeChart({
    title: `WAL fsync p99 per member, each ${o.intervalSec} s interval (etcd: < ${FDATASYNC_P99_PASS_MS} ms)`,
    series: o.members.map((m) => ({ label: nameOf(m.memberId, m.endpoint), points: m.series.map((p) => ({ x: p.tSec, y: p.walFsyncP99Ms })) })),
    unit: 'fsync p99 (ms)',
    xLabel: 'seconds since the window started',
    missingLabel: 'no fsync in the interval',
  });
  const rttSeries = o.members.flatMap((m) => {
    const peers = [...new Set(m.series.flatMap((p) => Object.keys(p.peerRttP99Ms)))];
    return peers.map((to) => ({
      label: `${nameOf(m.memberId, m.endpoint)} → ${nameOf(to, to)}`,
      points: m.series.filter((p) => p.peerRttP99Ms[to] !== undefined).map((p) => ({ x: p.tSec, y: p.peerRttP99Ms[to]! })),
    }));
  });
  const rttChart = timeChart({
    title: 'Peer RTT p99 per pair (etcd samples every 30 s on a healthy link)',
    series: rttSeries,
    unit: 'RTT p99 (ms)',
    xLabel: 'seconds since the window started',
  });
  const leaderChart = timeChart({
    title: 'Leader changes since the window started, as each member counted them',
    series: o.members.map((m) => ({
      label: nameOf(m.memberId, m.endpoint),
      points: [{ x: 0, y: 0 }, ...m.series.map((p) => ({ x: p.tSec, y: p.leaderChanges }))],
    })),
    unit: 'leader changes',
    xLabel: 'seconds since the window started',
    missingLabel: 'not exported',
  });
  const rows = [
    {
      name: 'window',
      value: `${o.startedAt} to ${o.endedAt} (${formatNumber(o.durationSec, 0)} s of ${formatNumber(o.requestedSec, 0)} s asked${o.endedEarly ? `, ended early: ${o.endedEarly}` : ''})`,
    },
    { name: 'scrape interval', value: `${o.intervalSec} s` },
  ];
  return { absent: false, error: null, members, rows, fsyncChart, rttChart, leaderChart, quantileMethod: o.quantileMethod };
}
