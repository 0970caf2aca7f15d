// Every rule the advisor runs, in order: flags that later rules depend on come first.
import type { Rule } from '../rule.js';
import { electionTimeout } from './advice-election-timeout.js';
import { heartbeatInterval } from './advice-heartbeat-interval.js';
import { diskFdatasyncP99 } from './disk-fdatasync-p99.js';
import { diskFilesystem } from './disk-filesystem.js';
import { diskWriteIops } from './disk-write-iops.js';
import { CLUSTER_RULES } from './cluster-index.js';
import { loadPhases } from './load-errors.js';
import { networkRtt } from './network-rtt.js';
import { unitIoPriority } from './unit-io-priority.js';

export const RULES: readonly Rule[] = [diskFdatasyncP99, diskWriteIops, diskFilesystem, networkRtt, loadPhases, heartbeatInterval, electionTimeout, unitIoPriority, ...CLUSTER_RULES];
