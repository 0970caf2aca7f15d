// The Prometheus names each etcd release exports for the figures the advisor reads, in one table (status and observe use it).
import { catalogueVersion, type EtcdMinor } from './flags.js';

export type MetricKind = 'gauge' | 'counter' | 'histogram';

export interface MetricName {
  kind: MetricKind;
  /** The name each release exports (for a histogram, the base name of _bucket/_sum/_count). */
  name: Record<EtcdMinor, string>;
  /** Older names a release still exports beside `name`, or exported instead of it by releases before 3.4. */
  legacy?: readonly string[];
  /** The first release that exports it; older ones have no such figure. */
  since?: EtcdMinor;
  /** What else it takes to be exported: a member with peers, or --metrics=extensive. */
  needs?: 'peers' | 'extensive';
}

const all = (name: string): Record<EtcdMinor, string> => ({ '3.4': name, '3.5': name, '3.6': name });

/**
 * Sources: /metrics of real etcd 3.4.23, 3.5.16 and 3.5.30 on this machine (test/fixtures/metrics/, checked by
 * test/etcd/metric-names.test.ts against live members) and server/storage/mvcc/metrics.go of 3.6.
 * 3.4.23 exports the db size under both etcd_debugging_mvcc_db_total_size_in_bytes and etcd_mvcc_db_total_size_in_bytes;
 * 3.5 dropped the debugging name (and etcd_debugging_mvcc_{put,delete,txn}_total), so the etcd_mvcc_ name is read first.
 */
export const METRICS = {
  dbTotalSizeBytes: { kind: 'gauge', name: all('etcd_mvcc_db_total_size_in_bytes'), legacy: ['etcd_debugging_mvcc_db_total_size_in_bytes'] },
  dbTotalSizeInUseBytes: { kind: 'gauge', name: all('etcd_mvcc_db_total_size_in_use_in_bytes') },
  quotaBackendBytes: { kind: 'gauge', name: all('etcd_server_quota_backend_bytes') },
  hasLeader: { kind: 'gauge', name: all('etcd_server_has_leader') },
  isLeader: { kind: 'gauge', name: all('etcd_server_is_leader') },
  isLearner: { kind: 'gauge', name: all('etcd_server_is_learner') },
  /** Labelled server_version="3.5.30"; value 1. */
  serverVersion: { kind: 'gauge', name: all('etcd_server_version') },
  /** Labelled cluster_version="3.5"; value 1. */
  clusterVersion: { kind: 'gauge', name: all('etcd_cluster_version') },
  leaderChanges: { kind: 'counter', name: all('etcd_server_leader_changes_seen_total') },
  heartbeatSendFailures: { kind: 'counter', name: all('etcd_server_heartbeat_send_failures_total') },
  proposalsFailed: { kind: 'counter', name: all('etcd_server_proposals_failed_total') },
  proposalsPending: { kind: 'gauge', name: all('etcd_server_proposals_pending') },
  proposalsCommitted: { kind: 'gauge', name: all('etcd_server_proposals_committed_total') },
  proposalsApplied: { kind: 'gauge', name: all('etcd_server_proposals_applied_total') },
  slowApply: { kind: 'counter', name: all('etcd_server_slow_apply_total') },
  slowReadIndexes: { kind: 'counter', name: all('etcd_server_slow_read_indexes_total') },
  putTotal: { kind: 'counter', name: all('etcd_mvcc_put_total'), legacy: ['etcd_debugging_mvcc_put_total'] },
  deleteTotal: { kind: 'counter', name: all('etcd_mvcc_delete_total'), legacy: ['etcd_debugging_mvcc_delete_total'] },
  txnTotal: { kind: 'counter', name: all('etcd_mvcc_txn_total'), legacy: ['etcd_debugging_mvcc_txn_total'] },
  rangeTotal: { kind: 'counter', name: all('etcd_mvcc_range_total'), legacy: ['etcd_debugging_mvcc_range_total'] },
  walFsyncSeconds: { kind: 'histogram', name: all('etcd_disk_wal_fsync_duration_seconds') },
  backendCommitSeconds: { kind: 'histogram', name: all('etcd_disk_backend_commit_duration_seconds') },
  /** Labelled To="<peer id hex>". */
  peerRoundTripSeconds: { kind: 'histogram', name: all('etcd_network_peer_round_trip_time_seconds'), needs: 'peers' },
  /** Labelled To: messages to a peer that could not be sent (stream buffer full, peer unreachable). */
  peerSentFailures: { kind: 'counter', name: all('etcd_network_peer_sent_failures_total'), needs: 'peers' },
  /** Labels version, op, success. */
  applySeconds: { kind: 'histogram', name: all('etcd_server_apply_duration_seconds'), since: '3.5' },
  /** Labels grpc_type, grpc_service, grpc_method. */
  grpcHandlingSeconds: { kind: 'histogram', name: all('grpc_server_handling_seconds'), needs: 'extensive' },
  /** Labelled server_id="<member id hex>", the To label its peers use for it; value 1. */
  serverId: { kind: 'gauge', name: all('etcd_server_id') },
  residentMemoryBytes: { kind: 'gauge', name: all('process_resident_memory_bytes') },
  openFds: { kind: 'gauge', name: all('process_open_fds') },
  maxFds: { kind: 'gauge', name: all('process_max_fds') },
} as const satisfies Record<string, MetricName>;

export type MetricKey = keyof typeof METRICS;

/** The name release `version` exports ("3.5.30", "3.5"; "3.7" reads as 3.6, "3.3" as 3.4). */
export function metricName(key: MetricKey, version: string): string {
  return METRICS[key].name[catalogueVersion(version)];
}

/** Names to look for, best first, when the version is unknown or may be mixed: the version's name, then the older ones. */
export function metricNames(key: MetricKey, version?: string): readonly string[] {
  const m: MetricName = METRICS[key];
  const first = version === undefined ? m.name['3.6'] : metricName(key, version);
  return [...new Set([first, ...Object.values(m.name), ...(m.legacy ?? [])])];
}

/** The first of `key`'s names that `has` finds (e.g. a parsed /metrics page), or null. */
export function findMetricName(key: MetricKey, has: (name: string) => boolean, version?: string): string | null {
  return metricNames(key, version).find(has) ?? null;
}
