// The measurements the rules reason from, each with the sentence saying where it came from; what-if values override measured ones.
import { catalogueVersion, minorOf, SUPPORTED_VERSIONS, type EtcdMinor } from '../etcd/flags.js';
import type { Artifacts, CurrentSettingSource, LatencyStats, PeerRtt } from '../model/artifacts.js';
import type { HistogramFigure, ObservationArtifact } from '../model/observation.js';
import { rttStats } from '../probes/rtt-stats.js';
import { formatBytes } from '../util/units.js';

export interface Measured<T = number> {
  value: T;
  /** e.g. "fio fdatasync p99 over 9566 writes in /var/lib/etcd" or "--rtt-ms given by the operator". */
  basis: string;
}

/** Why a value is absent: `error` when its probe ran and failed (the rule reports error), otherwise it was not asked for. */
export interface Missing {
  missing: string;
  error: boolean;
}

export type Input<T = number> = Measured<T> | Missing;

export interface AdvisorInputs {
  /** Typical peer RTT (ms): the highest p50 over the peers. */
  rttMs: Input;
  /** Tail peer RTT (ms): the highest p99 over the peers; what heartbeat and election are sized from. */
  rttP99Ms: Input;
  /** True when every RTT figure is to loopback: only a baseline. */
  rttLoopbackOnly: boolean;
  /** Longest time without a reply from a peer (ms). */
  stallMs: Input;
  fsyncP99Ms: Input;
  fsyncP999Ms: Input;
  writeIops: Input;
  /** Sustained writes per second the cluster must take. */
  writeRate: Input;
  dbSizeBytes: Input;
  /** The largest database of the running cluster's members: data that is already there, not a plan. */
  currentDbSizeBytes: Input;
  memoryBytes: Input;
  diskFreeBytes: Input;
  members: Input;
  filesystemType: Input<string>;
  /** The largest single request (key + value, or a whole txn) the clients send, in bytes. */
  largestRequestBytes: Input;
  /** "3.4", "3.5", "3.6": the version the advice is for. */
  etcdVersion: Measured<EtcdMinor>;
  /**
   * What the member runs with today, by etcd flag name: from its running process, else the files given, and the
   * cluster's own status (the largest quota of any member). Empty when nothing was read.
   */
  current: Record<string, Measured<string>>;
  /**
   * Set when the run set out to measure the members and has nothing of them (an observation no member answered, or a
   * window a signal cut short): the sizing inputs are failed, and no flag is advised from defaults alone.
   */
  withheld?: string;
}

/** A current value as a number (sizes and durations as etcd reads them); null when absent or not a number. */
export function currentNumber(inputs: Pick<AdvisorInputs, 'current'>, flag: string): Measured<number> | null {
  const c = inputs.current[flag];
  if (c === undefined || !/^\d+(\.\d+)?$/.test(c.value.trim())) return null;
  return { value: Number(c.value), basis: c.basis };
}

/** Values an operator gives to plan without measuring; each overrides the measured one. */
export interface WhatIf {
  rttMs?: number;
  rttP99Ms?: number;
  stallMs?: number;
  fsyncP99Ms?: number;
  fsyncP999Ms?: number;
  writeRate?: number;
  dbSizeBytes?: number;
  memoryBytes?: number;
  diskFreeBytes?: number;
  etcdVersion?: string;
  members?: number;
  largestRequestBytes?: number;
}

/** The etcd release the advice targets when nothing else says: Debian's etcd-server. */
export const DEFAULT_ETCD_VERSION: EtcdMinor = '3.4';

export function isMeasured<T>(input: Input<T>): input is Measured<T> {
  return (input as Measured<T>).basis !== undefined;
}

const notAsked = (what: string): Missing => ({ missing: `${what} was not measured in this run`, error: false });

function fromProbe<A, T>(result: { ok: true; data: A } | { ok: false; error: string } | undefined, what: string, pick: (a: A) => Input<T>): Input<T> {
  if (result === undefined) return notAsked(what);
  if (!result.ok) return { missing: `${what} could not be measured: ${result.error}`, error: true };
  return pick(result.data);
}

function given<T>(value: T | undefined, flag: string, measured: Input<T>): Input<T> {
  return value === undefined ? measured : { value, basis: `${flag} given by the operator` };
}

/** The catalogue version for a version string, saying so when the catalogue has no entry of its own for it. */
function targetVersion(version: string, basis: string): Measured<EtcdMinor> {
  const value = catalogueVersion(version);
  const minor = minorOf(version);
  return { value, basis: minor === value ? basis : `${basis}; advice for ${value}, the nearest of ${SUPPORTED_VERSIONS.join(', ')}` };
}

/**
 * A reply this much slower than the median was held up by a stall, not a round trip: etcd's 100 ms default heartbeat
 * (ETCD-FACTS.md) is the least delay worth a missed heartbeat, and 10x the median keeps jittery WAN links whole.
 * Stalls size the election timeout through `stallMs` (the longest gap); counting them as RTT would inflate the heartbeat.
 */
export const STALL_REPLY_MIN_EXTRA_MS = 100;
export const STALL_REPLY_MEDIAN_FACTOR = 10;

/**
 * How long nothing got through from a peer: probes go out every intervalMs, so a gap of G between replies is a stall
 * of G - interval. Without the subtraction a slow probe rate (ping's default 1 s) would read as a 1 s stall.
 */
export function peerStallMs(peer: PeerRtt): number {
  return Math.max(0, peer.longestGapMs - (peer.intervalMs ?? 0));
}

/** ", a probe every 50 ms" for a stall's sentence; nothing when the report predates the recorded interval (not 0 ms). */
export function probeEvery(peer: PeerRtt): string {
  return peer.intervalMs === undefined ? '' : `, a probe every ${peer.intervalMs.toFixed(0)} ms`;
}

/** The peer's RTT statistics without the replies that waited out a stall, and how many those were. */
export function steadyRtt(peer: PeerRtt): { stats: LatencyStats; stalled: number[] } {
  const median = peer.rttMs.p50;
  if (median === undefined) return { stats: peer.rttMs, stalled: [] };
  const limit = Math.max(median * STALL_REPLY_MEDIAN_FACTOR, median + STALL_REPLY_MIN_EXTRA_MS);
  const stalled = peer.samplesMs.filter((ms) => ms > limit);
  return stalled.length === 0 ? { stats: peer.rttMs, stalled } : { stats: rttStats(peer.samplesMs.filter((ms) => ms <= limit)), stalled };
}

function worstPeer(peers: PeerRtt[], key: string, label: string): Input {
  const measured = peers.filter((p) => p.received > 0 && p.rttMs[key] !== undefined).map((p) => ({ peer: p, ...steadyRtt(p) }));
  if (measured.length === 0) return { missing: `no peer answered, so there is no ${label}`, error: true };
  const worst = measured.reduce((a, b) => ((b.stats[key] ?? 0) > (a.stats[key] ?? 0) ? b : a));
  const { peer, stats, stalled } = worst;
  const stalls =
    stalled.length > 0 ? `; ${stalled.length} replies held up by stalls (up to ${Math.max(...stalled).toFixed(0)} ms) left to the stall bound` : '';
  return {
    value: stats[key]!,
    basis: `${label} ${stats[key]!.toFixed(3)} ms to ${peer.host} (${peer.method}, ${peer.received} replies${peer.loopback ? ', loopback baseline' : ''}${stalls})`,
  };
}

/** The member's current settings, each once, with where it is written: its running process over the files given (what etcd uses now). */
export function currentSettings(artifacts: Artifacts): CurrentSettingSource['settings'] {
  const out = new Map<string, CurrentSettingSource['settings'][number]>();
  const sources = artifacts.current?.ok ? artifacts.current.data.sources : [];
  // Files first, so that the running process (what etcd uses now) overrides them.
  for (const src of [...sources.filter((x) => x.kind === 'files'), ...sources.filter((x) => x.kind === 'process')])
    for (const st of src.settings) out.set(st.flag, st);
  return [...out.values()];
}

/** The member's current settings: its running process over the files given, then what the cluster itself reports. */
function currentValues(artifacts: Artifacts): Record<string, Measured<string>> {
  const out: Record<string, Measured<string>> = {};
  for (const st of currentSettings(artifacts)) out[st.flag] = { value: st.value, basis: `${st.flag}=${st.value} in ${st.where}` };
  const cluster = artifacts.cluster?.ok ? artifacts.cluster.data : undefined;
  const quotas = (cluster?.endpoints ?? []).flatMap((r) => (r.status?.quotaBytes != null ? [{ endpoint: r.endpoint, quota: r.status.quotaBytes }] : []));
  if (quotas.length > 0) {
    const top = quotas.reduce((a, b) => (b.quota > a.quota ? b : a));
    const listed = quotas.map((q) => `${q.endpoint} ${formatBytes(q.quota)}`).join(', ');
    // The cluster's own figure wins over a file: it is what the members enforce now.
    out['quota-backend-bytes'] = { value: String(top.quota), basis: `quota of the running members: ${listed}` };
  }
  return out;
}

/** A member's name in an input's basis: its endpoint's host:port. */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/**
 * What a live cluster measured of itself over an observation window (etcd's own histograms, Prometheus
 * histogram_quantile on bucket deltas), for the inputs that fio, ping and load would otherwise give.
 */
function fromObservation(o: ObservationArtifact) {
  const members = o.members.filter((m) => m.figures !== null);
  const window = `over ${o.durationSec.toFixed(0)} s of etcd's /metrics`;
  const worstOf = (
    pick: (f: NonNullable<(typeof members)[number]['figures']>) => HistogramFigure | null,
    key: 'p50Ms' | 'p99Ms' | 'p999Ms',
    metric: string,
    label: string,
  ): Input | null => {
    let best: { v: number; f: HistogramFigure; who: string } | null = null;
    for (const m of members) {
      const f = pick(m.figures!);
      const v = f?.[key];
      if (f != null && v != null && (best === null || v > best.v)) best = { v, f, who: hostOf(m.endpoint) };
    }
    return best === null
      ? null
      : { value: best.v, basis: `${metric} ${label} ${best.v.toFixed(3)} ms on ${best.who} (${best.f.count} observations ${window})` };
  };
  const worstPair = (key: 'p50Ms' | 'p99Ms', label: string): Input | null => {
    let best: { v: number; count: number; pair: string } | null = null;
    for (const m of members) {
      for (const p of m.figures!.peerRtt) {
        const v = p[key];
        const to = o.members.find((x) => x.memberId === p.toId);
        if (v !== null && (best === null || v > best.v)) best = { v, count: p.count, pair: `${hostOf(m.endpoint)} -> ${to ? hostOf(to.endpoint) : p.toId}` };
      }
    }
    return best === null ? null : { value: best.v, basis: `etcd peer RTT ${label} ${best.v.toFixed(3)} ms on ${best.pair} (${best.count} samples ${window})` };
  };
  const sizes = members
    .map((m) => ({
      m,
      size: m.last?.dbSizeBytes ?? null,
      growth: m.first?.dbSizeBytes != null && m.last?.dbSizeBytes != null ? m.last.dbSizeBytes - m.first.dbSizeBytes : 0,
    }))
    .filter((x) => x.size !== null);
  const biggest = sizes.reduce<(typeof sizes)[number] | null>((a, b) => (a === null || b.size! > a.size! ? b : a), null);
  const committed = members.map((m) => ({ m, n: m.figures!.proposalsCommitted })).filter((x) => x.n !== null);
  const busiest = committed.reduce<(typeof committed)[number] | null>((a, b) => (a === null || b.n! > a.n! ? b : a), null);
  const versions = [...new Set(o.members.map((m) => m.version).filter((v): v is string => v !== null))];
  return {
    fsyncP99Ms: worstOf((f) => f.walFsync, 'p99Ms', 'etcd WAL fsync', 'p99'),
    fsyncP999Ms: worstOf((f) => f.walFsync, 'p999Ms', 'etcd WAL fsync', 'p99.9'),
    rttMs: worstPair('p50Ms', 'p50'),
    rttP99Ms: worstPair('p99Ms', 'p99'),
    // The quota is sized from the data with its growth over the window added once more: room for the next window like it.
    dbSizeBytes:
      biggest === null
        ? null
        : {
            value: biggest.size! + Math.max(0, biggest.growth),
            basis: `etcd db ${formatBytes(biggest.size!)} on ${hostOf(biggest.m.endpoint)}${biggest.growth > 0 ? `, plus its growth of ${formatBytes(biggest.growth)} ${window}` : ''}`,
          },
    writeRate:
      busiest === null || o.durationSec <= 0
        ? null
        : { value: busiest.n! / busiest.m.figures!.seconds, basis: `${busiest.n} proposals committed ${window} (${hostOf(busiest.m.endpoint)})` },
    members: o.members.length > 0 ? { value: o.members.length, basis: `${o.members.length} members observed` } : null,
    version: versions.length > 0 ? versions.sort()[0]! : null,
  };
}

/** Why an observation says nothing of the members, or null when it does: no member answered, or a signal cut the window short. */
export function observationVoid(artifacts: Artifacts): string | null {
  const cut = artifacts.interruption;
  if (cut?.cutShort.includes('observation')) return `the observation window was cut short by ${cut.signal}, so it is not judged`;
  const o = artifacts.observation;
  if (o === undefined) return null;
  if (!o.ok) return o.error;
  return noMemberAnswered(o.data);
}

/** The reason an observation holds nothing, when none of its members answered a scrape; null when one did. */
export function noMemberAnswered(o: ObservationArtifact): string | null {
  if (o.members.some((m) => m.scrapes > 0)) return null;
  const why = o.members.map((m) => m.outages[0]?.error ?? `${m.metricsUrl}: no reply`).join('; ');
  return `no member answered its /metrics scrape over the window${why === '' ? '' : ` (${why})`}`;
}

/**
 * The inputs the member's flags are sized from where a default would otherwise stand in: failed together when the run
 * measured nothing of the members. RTT and fsync stay unmeasured: the rules that need them are skipped, not doubled.
 */
const SIZING_INPUTS = ['writeRate', 'dbSizeBytes', 'memoryBytes', 'members', 'largestRequestBytes'] as const;

export function deriveInputs(artifacts: Artifacts, whatIf: WhatIf = {}): AdvisorInputs {
  const withheld = observationVoid(artifacts);
  const inputs = deriveMeasured(artifacts, whatIf);
  if (withheld === null) return inputs;
  // Nothing of the members was measured: every sizing input not given by the operator failed, for the rules to say so.
  const failed: Missing = { missing: `No flag is advised and etcd.service/etcd.conf are not written: ${withheld}.`, error: true };
  const byOperator: Record<(typeof SIZING_INPUTS)[number], number | undefined> = {
    writeRate: whatIf.writeRate,
    dbSizeBytes: whatIf.dbSizeBytes,
    memoryBytes: whatIf.memoryBytes,
    members: whatIf.members,
    largestRequestBytes: whatIf.largestRequestBytes,
  };
  const out: AdvisorInputs = { ...inputs, withheld };
  for (const name of SIZING_INPUTS) if (byOperator[name] === undefined) out[name] = failed;
  return out;
}

function deriveMeasured(artifacts: Artifacts, whatIf: WhatIf): AdvisorInputs {
  const net = artifacts.network;
  const disk = artifacts.disk;
  const host = artifacts.host.ok ? artifacts.host.data : null;
  const loopbackOnly = net?.ok === true && net.data.peers.length > 0 && net.data.peers.every((p) => p.loopback);
  const diskSync = (key: string, label: string) =>
    fromProbe(disk, 'disk fdatasync latency', (d): Input => {
      const us = d.fio.syncUs?.[key];
      // Not an error: the run worked, it measured something else (rule disk.sync-measured says so and judges nothing from clat).
      if (us === undefined) return { missing: `the fio job (${d.profile}) did not measure fdatasync latency`, error: false };
      return { value: us / 1000, basis: `fio fdatasync ${label} ${(us / 1000).toFixed(3)} ms over ${d.fio.totalWriteIos} writes in ${d.dir}` };
    });
  const live = artifacts.observation?.ok ? fromObservation(artifacts.observation.data) : null;
  /** A probe's own figure when it ran; else what the live cluster measured of itself. */
  const orLive = (probe: Input, observed: Input | null | undefined, ran: boolean): Input => (!ran && observed != null ? observed : probe);
  const loadEtcdVersion = (artifacts.load?.ok ? artifacts.load.data.etcdVersion : null) ?? live?.version ?? null;
  const etcdVersion: Measured<EtcdMinor> =
    whatIf.etcdVersion !== undefined
      ? targetVersion(whatIf.etcdVersion, '--etcd-version given by the operator')
      : loadEtcdVersion
        ? targetVersion(loadEtcdVersion, `etcd ${loadEtcdVersion} at the ${artifacts.load?.ok ? 'load' : 'observed'} endpoints`)
        : host?.etcdVersion
          ? targetVersion(host.etcdVersion, `etcd ${host.etcdVersion} on PATH`)
          : { value: DEFAULT_ETCD_VERSION, basis: `no etcd found: advice for ${DEFAULT_ETCD_VERSION}` };

  return {
    rttMs: given(
      whatIf.rttMs,
      '--rtt-ms',
      orLive(
        fromProbe(net, 'peer RTT', (n) => worstPeer(n.peers, 'p50', 'RTT p50')),
        live?.rttMs,
        net !== undefined,
      ),
    ),
    rttP99Ms: given(
      whatIf.rttP99Ms ?? whatIf.rttMs,
      whatIf.rttP99Ms !== undefined ? '--rtt-p99-ms' : '--rtt-ms',
      orLive(
        fromProbe(net, 'peer RTT', (n) => worstPeer(n.peers, 'p99', 'RTT p99')),
        live?.rttP99Ms,
        net !== undefined,
      ),
    ),
    rttLoopbackOnly: whatIf.rttMs === undefined && whatIf.rttP99Ms === undefined && loopbackOnly,
    stallMs: given(
      whatIf.stallMs,
      '--stall-ms',
      fromProbe(net, 'network stalls', (n): Input => {
        const answered = n.peers.filter((p) => p.received > 0);
        if (answered.length === 0) return { missing: 'no peer answered', error: true };
        const worst = answered.reduce((a, b) => (peerStallMs(b) > peerStallMs(a) ? b : a));
        return {
          value: peerStallMs(worst),
          basis: `nothing got through for ${peerStallMs(worst).toFixed(0)} ms from ${worst.host} (${worst.method}: longest gap between replies ${worst.longestGapMs.toFixed(0)} ms${probeEvery(worst)})`,
        };
      }),
    ),
    fsyncP99Ms: given(whatIf.fsyncP99Ms, '--fsync-p99-ms', orLive(diskSync('p99', 'p99'), live?.fsyncP99Ms, disk !== undefined)),
    fsyncP999Ms: given(whatIf.fsyncP999Ms, '--fsync-p999-ms', orLive(diskSync('p99.9', 'p99.9'), live?.fsyncP999Ms, disk !== undefined)),
    writeIops: fromProbe(disk, 'disk write IOPS', (d) => ({
      value: d.fio.writeIops,
      basis: `fio ${d.profile} profile: ${d.fio.writeIops.toFixed(0)} sequential write IOPS in ${d.dir}`,
    })),
    writeRate: given(whatIf.writeRate, '--write-rate', live?.writeRate ?? notAsked('the cluster write rate')),
    dbSizeBytes: given(whatIf.dbSizeBytes, '--db-size', live?.dbSizeBytes ?? clusterDbSize(artifacts)),
    currentDbSizeBytes: clusterDbSize(artifacts),
    // An observer's own memory is not the members': with an observation it is left to --memory.
    memoryBytes: given(
      whatIf.memoryBytes,
      '--memory',
      host && live === null ? { value: host.memoryBytes, basis: `${formatBytes(host.memoryBytes)} of memory on ${host.hostname}` } : notAsked('memory'),
    ),
    diskFreeBytes: given(
      whatIf.diskFreeBytes,
      '--disk-free',
      fromProbe(disk, 'free disk space', (d): Input =>
        d.filesystem
          ? { value: d.filesystem.freeBytes, basis: `${formatBytes(d.filesystem.freeBytes)} free on ${d.filesystem.mountPoint}` }
          : { missing: 'the filesystem of the data directory could not be read', error: false },
      ),
    ),
    // Loopback peers are a baseline, not members: without real peers the member count is unknown.
    members: given(
      whatIf.members,
      '--members',
      net?.ok && !loopbackOnly
        ? { value: net.data.peers.filter((p) => !p.loopback).length + 1, basis: 'the peers given plus this node' }
        : (live?.members ?? notAsked('the member count')),
    ),
    filesystemType: fromProbe(disk, 'the filesystem type', (d): Input<string> =>
      d.filesystem
        ? { value: d.filesystem.type, basis: `${d.filesystem.device} mounted on ${d.filesystem.mountPoint} (${d.filesystem.options.join(',')})` }
        : { missing: 'the filesystem could not be read', error: false },
    ),
    largestRequestBytes: given(whatIf.largestRequestBytes, '--largest-request', notAsked('the largest request size')),
    etcdVersion,
    current: currentValues(artifacts),
  };
}

/** The largest database of the running members: the data this member will hold once it has caught up. */
function clusterDbSize(artifacts: Artifacts): Input {
  const cluster = artifacts.cluster?.ok ? artifacts.cluster.data : undefined;
  const sizes = (cluster?.endpoints ?? []).flatMap((r) => (r.status ? [{ endpoint: r.endpoint, size: r.status.dbSizeBytes }] : []));
  if (sizes.length === 0) return notAsked('the database size');
  const top = sizes.reduce((a, b) => (b.size > a.size ? b : a));
  return { value: top.size, basis: `database of ${top.endpoint}, the largest of the running members: ${formatBytes(top.size)}` };
}
