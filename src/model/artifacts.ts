// Typed artifacts the probes gather; the advisor and renderers read only these, so a saved report.json can be re-advised and re-rendered.
import type { EtcdctlConnection } from '../etcd/etcdctl-command.js';
import type { ObservationArtifact } from './observation.js';
import type { ClusterRunArtifact, MemberMetricsDelta } from './cluster-run.js';
import type { ProbeResult } from './probe.js';

/**
 * Latency statistics keyed by name: "min", "avg", "max", "stdev" and percentiles "p50", "p90", "p99", "p99.9", ...
 * Operators script against these keys: keep them stable.
 */
export type LatencyStats = Record<string, number>;

export interface FilesystemInfo {
  path: string;
  mountPoint: string;
  type: string;
  device: string;
  options: string[];
  freeBytes: number;
  totalBytes: number;
}

export interface HostArtifact {
  hostname: string;
  platform: string;
  arch: string;
  kernel: string;
  cpuModel: string;
  cpus: number;
  memoryBytes: number;
  nodeVersion: string;
  /** `etcd --version` of the etcd the run started (etcdBinary, else etcd on PATH). */
  etcdVersion: string | null;
  /** The etcd binary named by --etcd-binary or $ETCD_ADVISOR_ETCD_BINARY; absent for etcd on PATH. */
  etcdBinary?: string;
  fioVersion: string | null;
  /** This node's own addresses (every interface), to find this member in a cluster's member list. */
  addresses?: string[];
}

export interface FioSummary {
  version: string | null;
  jobName: string;
  /** Jobs in the result (1 with group_reporting). */
  jobs: number;
  writeIops: number;
  bandwidthBytesPerSec: number;
  totalWriteIos: number;
  runtimeMs: number;
  /** Completion latency, microseconds. */
  clatUs: LatencyStats;
  /** fsync/fdatasync latency, microseconds; null when the job did not sync. */
  syncUs: LatencyStats | null;
}

export interface DiskArtifact {
  dir: string;
  profile: string;
  /** The exact fio command line, for the report. */
  command: string[];
  filesystem: FilesystemInfo | null;
  fio: FioSummary;
}

/** How a peer's RTT was actually measured. */
export type RttMethod = 'icmp' | 'tcp' | 'http';
/** What an operator may ask for: 'auto' is icmp, falling back to tcp where ICMP is not permitted. */
export type RttMethodChoice = RttMethod | 'auto';

/** Why a peer could not be measured (or fully measured): the rule words its advice from it. */
export type PeerErrorKind = 'unresolvable' | 'not-permitted' | 'missing-tool' | 'unreachable' | 'refused' | 'no-reply' | 'tls' | 'http-status' | 'other';

export interface RttSample {
  /** Milliseconds since the peer's sampling started. */
  tMs: number;
  /** Round trip in milliseconds; null when the probe got no reply. */
  rttMs: number | null;
}

export interface PeerRtt {
  /** The peer as the operator named it (host name or address, without port or scheme). */
  host: string;
  /** The address it resolved to and was measured at. */
  address?: string;
  port?: number;
  /** For the http method: the URL probed, e.g. "https://10.0.0.2:2380/version". */
  url?: string;
  method: RttMethod;
  loopback: boolean;
  sent: number;
  received: number;
  lossPct: number;
  /** min, p50, avg, p90, p99, p99.9, max, stdev in milliseconds. */
  rttMs: LatencyStats;
  /** ICMP: min, avg, max and stdev are ping's own summary line (mdev on iputils, stddev on BSD); percentiles are from the samples. */
  rttFromPingSummary?: boolean;
  samplesMs: number[];
  samples: RttSample[];
  /** Longest time without a reply: a stall. On a healthy link it is about intervalMs, so a stall lasted at least longestGapMs - intervalMs. */
  longestGapMs: number;
  /** Time between probes as sent. */
  intervalMs?: number;
  /** Set when this peer could not be measured; the other peers still are. */
  error?: string;
  errorKind?: PeerErrorKind;
  /** How the measurement deviated from what was asked, e.g. "ICMP not permitted here: measured by TCP connect instead". */
  note?: string;
}

export interface NetworkArtifact {
  peers: PeerRtt[];
  /** How percentiles of small samples were computed, for the report. */
  quantileMethod: string;
}

export interface LoadPhaseResult {
  name: string;
  model: 'closed' | 'open';
  clients: number;
  conns: number;
  targetRatePerSec: number | null;
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  durationSec: number;
  ratePerSec: number;
  /** All ops together, integer microseconds from an HDR histogram. */
  latencyUs: LatencyStats;
  latencyByOpUs: Record<string, LatencyStats>;
  /** Completed requests in each second of the phase. */
  rateSeries: number[];
  /** Process CPU of the load generator over the phase, % of one core (all its threads together). */
  clientCpuPct: number;
  /** Worker threads the clients were split over (absent in reports before the advisor judged load: 1). */
  threads?: number;
  /** Share of the phase the Node event loop was busy (0-1): near 1 the client cannot go faster. */
  eventLoopUtilization?: number;
  /** Open model: scheduler ticks that found requests due but unsent (the sender was behind its schedule). */
  backlogTicks?: number;
  /** Of those ticks, the ones with every client busy: etcd's latency, not the sender, held the requests back. */
  slotBoundTicks?: number;
  /** Open model: latencies count from the intended send time (coordinated-omission correction). */
  latencyFromIntendedStart?: boolean;
  /** One message per error kind, so that an operator sees what etcd said. */
  errorSamples?: Record<string, string>;
  /** Set when the phase ended before its duration or total: unreachable endpoint, database growth cap, interrupt. */
  stoppedEarly?: string;
  /**
   * The scenario's thresholds as written, e.g. "p99 < 25ms"; the advisor judges them (src/advisor/load-phase.ts).
   * Reports written before that carry {expr, ok, actual}: only expr is read, so they are re-judged under today's rules.
   */
  thresholds: ThresholdAsWritten[];
  /** Written by the load engine before the advisor judged load; read only as a fallback for old reports. */
  clientLimited?: boolean;
  /** Likewise: the old engine's reason, used when an old report lacks the figures to decide again. */
  clientLimitedReason?: string;
}

/** A scenario threshold as the report carries it: the expression, or (older reports) the expression with an old verdict. */
export type ThresholdAsWritten = string | { expr: string; ok?: boolean; actual?: string };

/** The expression of a threshold as written, whatever the report's age. */
export function thresholdExpr(t: ThresholdAsWritten): string {
  return typeof t === 'string' ? t : t.expr;
}

export interface LoadArtifact {
  endpoints: string[];
  embedded: boolean;
  client: 'lean' | 'node-http2' | 'etcd3';
  scenario: string;
  prefix: string;
  etcdVersion: string | null;
  phases: LoadPhaseResult[];
  /** Keys removed from the prefix at the end; null when the clean-up could not run (see cleanupError). */
  deletedKeys?: number | null;
  cleanupError?: string;
  /** Growth of the largest member database during the run, bytes (maintenance status dbSize). */
  dbGrowthBytes?: number;
  /** The store revision before the load and after its keys were deleted: every put and the delete left a revision. */
  revisionBefore?: number;
  revisionAfter?: number;
  /** The connection as printed commands carry it (no password), so that a reclaim or clean-up command works as printed. */
  connection?: EtcdctlConnection;
}

/**
 * What one member said about itself (etcd's StatusResponse). uint64 ids are kept as exact decimal strings: they
 * overflow JSON numbers (ETCD-FACTS.md "Status API"); counters and sizes stay far below 2^53 and are numbers.
 */
export interface MemberStatus {
  memberId: string;
  memberIdHex: string;
  clusterId: string;
  version: string;
  /** "0" when the member knows no leader. */
  leaderId: string;
  revision: number;
  raftTerm: number;
  raftIndex: number;
  /** 3.4+; null when the member did not say. */
  raftAppliedIndex: number | null;
  dbSizeBytes: number;
  /** 3.4+; null when the member did not say. */
  dbSizeInUseBytes: number | null;
  /** The backend quota: from the status (3.6+), the member's /metrics (etcd_server_quota_backend_bytes) or the operator; null when unknown. */
  quotaBytes: number | null;
  quotaSource: 'status' | 'metrics' | 'operator' | null;
  isLearner: boolean;
  /** Alarm and health strings as etcd gives them, e.g. "memberID:370974910162016144 alarm:NOSPACE ". */
  errors: string[];
}

/** One endpoint read on its own: its status, or why it could not be read (the others still are). */
export interface EndpointReading {
  endpoint: string;
  status: MemberStatus | null;
  error?: string;
}

export interface ClusterMember {
  id: string;
  idHex: string;
  /** Empty for a member added but never started. */
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

export interface ClusterAlarm {
  memberId: string;
  memberIdHex: string;
  /** "NOSPACE", "CORRUPT". */
  alarm: string;
}

export interface ClusterArtifact {
  /** live: read with the etcd client; etcdctl-json: parsed from saved `etcdctl -w json` output. */
  source: 'live' | 'etcdctl-json';
  readAt: string;
  endpoints: EndpointReading[];
  /** The member list as one member reports it; null when no member could give it. */
  members: ClusterMember[] | null;
  membersError?: string;
  /** Active alarms; null when they could not be read. */
  alarms: ClusterAlarm[] | null;
  alarmsError?: string;
  /** The connection of the call, as printed commands carry it (no password); absent for saved etcdctl output. */
  connection?: EtcdctlConnection;
}

/** Where one member's current settings were read, and what they are (the value etcd takes for each flag set). */
export interface CurrentSettingSource {
  kind: 'files' | 'process';
  /** "etcd.service, etcd.conf" or "etcd process 1234". */
  label: string;
  /** origin: where etcd reads it from (a flag, an ETCD_ variable, the YAML config); absent in reports before the upgrade section. */
  settings: { flag: string; value: string; where: string; origin?: 'flag' | 'env' | 'yaml' }[];
  /** The etcd binary the unit's ExecStart (or the process) runs, when it is on this node, and its `etcd --version`. */
  etcdBinary?: string;
  etcdVersion?: string | null;
}

/** What this member runs with today: the files the operator named (--unit, --env-file, --config-file) and its running process. */
export interface CurrentConfigArtifact {
  sources: CurrentSettingSource[];
  notes: string[];
}

/** An absent artifact was not asked for; a ProbeResult with ok=false was asked for and could not be gathered. */
/** The phases of a run, in the order they run; "report" is the writing of the files. */
export type RunPhase = 'disk' | 'network' | 'load' | 'cluster' | 'observation';

/** A run stopped by SIGINT/SIGTERM: which phases were cut short (not judged) and which never started. */
export interface InterruptionArtifact {
  signal: 'SIGINT' | 'SIGTERM';
  /** Seconds after the start of the run. */
  atSec: number;
  cutShort: RunPhase[];
  notStarted: RunPhase[];
}

export interface Artifacts {
  host: ProbeResult<HostArtifact>;
  /** Present when the run was interrupted: the verdict is then incomplete, and cut-short phases are not judged. */
  interruption?: InterruptionArtifact;
  disk?: ProbeResult<DiskArtifact>;
  network?: ProbeResult<NetworkArtifact>;
  load?: ProbeResult<LoadArtifact>;
  cluster?: ProbeResult<ClusterArtifact>;
  current?: ProbeResult<CurrentConfigArtifact>;
  /** A window of the live cluster's own /metrics (`observe`). */
  observation?: ProbeResult<ObservationArtifact>;
  /** run --cluster: the temporary cluster across the nodes, as the driver recorded it; `self` names this node's member (undefined: the whole cluster). */
  clusterRun?: ProbeResult<ClusterRunArtifact & { self: string | undefined }>;
  /** The throwaway etcd's own /metrics over the load (wal fsync, backend commit, leader changes), as deltas. */
  etcdMetrics?: ProbeResult<MemberMetricsDelta[]>;
}
