// Every rule the advisor runs, in order: flags that later rules depend on come first (heartbeat before election, quota before compaction and request size).
import type { Rule } from '../rule.js';
import { autoCompaction } from './advice-auto-compaction.js';
import { electionTimeout } from './advice-election-timeout.js';
import { etcdVersion } from './advice-etcd-version.js';
import { heartbeatInterval } from './advice-heartbeat-interval.js';
import { logger } from './advice-logger.js';
import { maxRequestBytes } from './advice-max-request-bytes.js';
import { memberCount } from './advice-members.js';
import { quotaBackendBytes } from './advice-quota-backend-bytes.js';
import { snapshotCount } from './advice-snapshot-count.js';
import { upgrade } from './advice-upgrade.js';
import { diskFdatasyncP99 } from './disk-fdatasync-p99.js';
import { diskFdatasyncTail } from './disk-fdatasync-tail.js';
import { diskFilesystem } from './disk-filesystem.js';
import { diskFioVsWal } from './disk-fio-vs-wal.js';
import { clusterRunLeader } from './cluster-run-leader.js';
import { diskSyncMeasured } from './disk-sync-measured.js';
import { diskWriteIops } from './disk-write-iops.js';
import { CLUSTER_RULES } from './cluster-index.js';
import { loadPhases } from './load-errors.js';
import { loadThresholds } from './load-thresholds.js';
import { networkRtt } from './network-rtt.js';
import { OBSERVE_RULES } from './observe-index.js';
import { networkStall } from './network-stall.js';
import { unitIoPriority } from './unit-io-priority.js';
import { runInterrupted } from './run-interrupted.js';

export const RULES: readonly Rule[] = [
  runInterrupted,
  diskFdatasyncP99,
  diskFdatasyncTail,
  diskSyncMeasured,
  diskWriteIops,
  diskFilesystem,
  diskFioVsWal,
  networkRtt,
  networkStall,
  loadPhases,
  loadThresholds,
  ...OBSERVE_RULES,
  heartbeatInterval,
  electionTimeout,
  snapshotCount,
  quotaBackendBytes,
  autoCompaction,
  maxRequestBytes,
  logger,
  etcdVersion,
  upgrade,
  memberCount,
  unitIoPriority,
  ...CLUSTER_RULES,
  clusterRunLeader,
];
