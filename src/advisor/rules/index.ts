// Every rule the advisor runs, in order: flags that later rules depend on come first.
import type { Rule } from '../rule.js';
import { electionTimeout } from './advice-election-timeout.js';
import { heartbeatInterval } from './advice-heartbeat-interval.js';
import { diskFdatasyncP99 } from './disk-fdatasync-p99.js';
import { diskFdatasyncTail } from './disk-fdatasync-tail.js';
import { diskFilesystem } from './disk-filesystem.js';
import { diskSyncMeasured } from './disk-sync-measured.js';
import { diskWriteIops } from './disk-write-iops.js';
import { CLUSTER_RULES } from './cluster-index.js';
import { loadPhases } from './load-errors.js';
import { networkRtt } from './network-rtt.js';
import { networkStall } from './network-stall.js';
import { unitIoPriority } from './unit-io-priority.js';

export const RULES: readonly Rule[] = [
  diskFdatasyncP99,
  diskFdatasyncTail,
  diskSyncMeasured,
  diskWriteIops,
  diskFilesystem,
  networkRtt,
  networkStall,
  loadPhases,
  heartbeatInterval,
  electionTimeout,
  unitIoPriority,
  ...CLUSTER_RULES,
];
