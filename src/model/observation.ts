// What `observe` saw of a live cluster over a window, from each member's own /metrics: figures, gauges, time series, outages.

/** A latency histogram over a window, from bucket deltas (Prometheus histogram_quantile); quantiles null without observations. */
export interface HistogramFigure {
  /** Observations in the window. */
  count: number;
  /** sum / count, in milliseconds; null without observations. */
  meanMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The tail an election timeout must outlast. */
  p999Ms: number | null;
  /**
   * True when the p99 fell in the +Inf bucket: histogram_quantile then answers the highest finite bound, so the real
   * tail is at least p99Ms.
   */
  p99AtLeast: boolean;
}

/** One member's RTT histogram to one peer, as etcd's own prober measured it (labelled `To` with the peer's id). */
export interface PeerRttFigure extends HistogramFigure {
  /** The peer's member id, hex. */
  toId: string;
}

/** What changed on one member over a window (the whole window, or one interval of it). Null: the member does not expose it. */
export interface MemberWindowFigures {
  /** Seconds between the first and the last scrape the figures come from. */
  seconds: number;
  walFsync: HistogramFigure | null;
  backendCommit: HistogramFigure | null;
  /** All ops of etcd_server_apply_duration_seconds (3.5+). */
  apply: HistogramFigure | null;
  /** Unary gRPC requests (grpc_server_handling_seconds, --metrics=extensive only). */
  requests: HistogramFigure | null;
  peerRtt: PeerRttFigure[];
  leaderChanges: number | null;
  heartbeatSendFailures: number | null;
  /** Proposals committed in the window (the cluster's write rate, as this member saw it). */
  proposalsCommitted: number | null;
  proposalsFailed: number | null;
  slowApplies: number | null;
  slowReadIndexes: number | null;
  /** Messages to peers that could not be sent, all peers together. */
  peerSentFailures: number | null;
  /** The same by the peer's member id (hex), for the peers it happened to. */
  peerSentFailuresTo: Record<string, number>;
}

/** A member's gauges at one scrape. Null: the member does not expose it. */
export interface MemberGauges {
  proposalsPending: number | null;
  dbSizeBytes: number | null;
  dbSizeInUseBytes: number | null;
  quotaBytes: number | null;
  residentMemoryBytes: number | null;
  openFds: number | null;
  maxFds: number | null;
  isLeader: boolean | null;
  hasLeader: boolean | null;
}

/** One point of a member's time series: the interval that ended `tSec` after the window started. */
export interface ObservationPoint {
  tSec: number;
  walFsyncP99Ms: number | null;
  backendCommitP99Ms: number | null;
  /** Peer RTT p99 in ms by the peer's member id (hex); absent when etcd recorded no RTT in the interval. */
  peerRttP99Ms: Record<string, number>;
  /** Since the window started, so the line only rises. */
  leaderChanges: number | null;
  heartbeatSendFailures: number | null;
  dbSizeBytes: number | null;
}

/** A time a member did not answer its scrape: from the first failed scrape to the next good one (null: never back). */
export interface MemberOutage {
  /** The last good scrape before it; null when the member never answered. */
  lastSeenAt: string | null;
  /** The first scrape that failed. */
  from: string;
  /** The first good scrape after it; null when it did not come back before the window ended. */
  backAt: string | null;
  error: string;
}

export interface ObservedMember {
  /** The client URL as the operator gave it. */
  endpoint: string;
  /** Where its /metrics were read (the endpoint, or the matching --metrics-urls entry). */
  metricsUrl: string;
  /** From etcd_server_id; null when never scraped. */
  memberId: string | null;
  version: string | null;
  scrapes: number;
  failedScrapes: number;
  /** Over every interval between two good scrapes; null with fewer than two. */
  figures: MemberWindowFigures | null;
  /** Gauges at the first and the last good scrape. */
  first: MemberGauges | null;
  last: MemberGauges | null;
  firstAt: string | null;
  lastAt: string | null;
  series: ObservationPoint[];
  outages: MemberOutage[];
}

export interface ObservationArtifact {
  startedAt: string;
  endedAt: string;
  /** What was asked (--for) and what the window lasted (shorter after Ctrl-C). */
  requestedSec: number;
  durationSec: number;
  intervalSec: number;
  /** Set when the window ended before --for: "interrupted" on Ctrl-C. */
  endedEarly?: string;
  members: ObservedMember[];
  /** How the quantiles were computed, for the report. */
  quantileMethod: string;
}
