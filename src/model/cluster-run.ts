// The record of a cluster run (run --cluster): the members, the RTT mesh, each load round with every member's /metrics deltas.
import type { DiskArtifact, LoadArtifact, LoadPhaseResult, NetworkArtifact, RttMethod } from './artifacts.js';
import type { MemberWindowFigures } from './observation.js';
import type { ProbeResult } from './probe.js';

export interface ClusterRunMember {
  name: string;
  /** The host name the node's tool runs on. */
  hostname: string;
  address: string;
  clientUrl: string;
  peerUrl: string;
  etcdVersion: string;
  /** The --data-dir the node tested (its production data directory); null when it tested ./reports/.scratch. */
  dataDir: string | null;
  /** With mutual TLS: the certificate files as given on that node, for its own etcd.conf. */
  tlsFiles?: { peerCacert: string; peerCert: string; peerKey: string; cacert: string; cert: string; key: string };
}

/** What one member's /metrics said over one phase: counter rises and histogram deltas, quantiles as histogram_quantile does. */
export interface MemberMetricsDelta {
  member: string;
  phase: string;
  /** The figures over the phase; null when the member's /metrics could not be read before or after it. */
  window: MemberWindowFigures | null;
  /** The peers' ids in hex (the `To` label of the peer RTT) to their member names. */
  peerNames: Record<string, string>;
  error?: string;
}

/** One directed pair of the RTT mesh: `from` measured `to`. */
export interface MeshLink {
  from: string;
  to: string;
  method: RttMethod;
  /** The address or URL measured. */
  target: string;
  received: number;
  sent: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  longestGapMs: number;
  intervalMs: number;
  error?: string;
}

export interface ClusterLoadRound {
  /** "defaults": etcd's own heartbeat and election; "recommended": the advised ones (--validate). */
  flags: 'defaults' | 'recommended';
  heartbeatMs: number;
  electionMs: number;
  load: ProbeResult<LoadArtifact>;
  /** The write-latency phase from each member's own client URL (a follower forwards to the leader). */
  writesVia: { member: string; phase: LoadPhaseResult | null; error?: string }[];
  /** Per member, over the load ("load") and over each "writes via <member>" phase. */
  metrics: MemberMetricsDelta[];
}

export interface ClusterRunArtifact {
  token: string;
  prefix: string;
  driver: string;
  /** mutual-tls: the operator's certificates; auto-tls: etcd's generated ones, encrypted but not authenticated. */
  security: 'mutual-tls' | 'auto-tls';
  members: ClusterRunMember[];
  mesh: MeshLink[];
  /** Each node's own RTT measurements (every sample), from which the mesh and the cluster's timing advice come. */
  networks: { member: string; network: ProbeResult<NetworkArtifact> }[];
  /** The directed pair with the highest p99 RTT (http on the peer URL preferred: the path raft takes). */
  slowestPair: { from: string; to: string; method: RttMethod; p99Ms: number } | null;
  /** Each member's disk probe, as it ran on that node. */
  disks: { member: string; disk: ProbeResult<DiskArtifact> }[];
  rounds: ClusterLoadRound[];
  notes: string[];
}
