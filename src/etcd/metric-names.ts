// The /metrics names etcd exposes, per version where they differ: one place, so a rename in a release is one edit.
// (The `versions` helper owns this file's final shape; observe keeps what it reads here until then.)

/** Histograms, in seconds. */
export const WAL_FSYNC_SECONDS = 'etcd_disk_wal_fsync_duration_seconds';
export const BACKEND_COMMIT_SECONDS = 'etcd_disk_backend_commit_duration_seconds';
/** Labelled `To` with the peer's member id in hex; only on members that have peers. */
export const PEER_RTT_SECONDS = 'etcd_network_peer_round_trip_time_seconds';
/** 3.5+ (labels version, op, success); 3.4 has no apply histogram. */
export const APPLY_SECONDS = 'etcd_server_apply_duration_seconds';
/** Only with --metrics=extensive (labels grpc_type, grpc_service, grpc_method). */
export const GRPC_HANDLING_SECONDS = 'grpc_server_handling_seconds';

/** Counters. */
export const LEADER_CHANGES = 'etcd_server_leader_changes_seen_total';
export const HEARTBEAT_SEND_FAILURES = 'etcd_server_heartbeat_send_failures_total';
export const PROPOSALS_FAILED = 'etcd_server_proposals_failed_total';
export const SLOW_APPLIES = 'etcd_server_slow_apply_total';
export const SLOW_READ_INDEXES = 'etcd_server_slow_read_indexes_total';
/** Labelled `To`: messages to a peer that could not be sent. */
export const PEER_SENT_FAILURES = 'etcd_network_peer_sent_failures_total';

/** Gauges. */
export const PROPOSALS_PENDING = 'etcd_server_proposals_pending';
export const QUOTA_BACKEND_BYTES = 'etcd_server_quota_backend_bytes';
export const DB_SIZE_IN_USE_BYTES = 'etcd_mvcc_db_total_size_in_use_in_bytes';
/**
 * The database size: 3.5 renamed etcd_debugging_mvcc_db_total_size_in_bytes to etcd_mvcc_db_total_size_in_bytes
 * (ETCD-FACTS.md "Metrics and alert thresholds"); 3.4.23 serves both. The first name found wins.
 */
export const DB_SIZE_BYTES_NAMES = ['etcd_mvcc_db_total_size_in_bytes', 'etcd_debugging_mvcc_db_total_size_in_bytes'] as const;
export const IS_LEADER = 'etcd_server_is_leader';
export const HAS_LEADER = 'etcd_server_has_leader';
/** Value 1, label `server_id`: the member id in hex, as peers name it in `To`. */
export const SERVER_ID = 'etcd_server_id';
/** Value 1, label `server_version`. */
export const SERVER_VERSION = 'etcd_server_version';
export const RESIDENT_MEMORY_BYTES = 'process_resident_memory_bytes';
export const OPEN_FDS = 'process_open_fds';
export const MAX_FDS = 'process_max_fds';
