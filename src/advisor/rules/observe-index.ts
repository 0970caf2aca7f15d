// The rules that judge an observation window, in the order the report lists them: members first, the root cause last.
import type { Rule } from '../rule.js';
import { observeBackendCommit } from './observe-backend-commit.js';
import { observeDbQuota } from './observe-db-quota.js';
import { observeHeartbeatFailures } from './observe-heartbeat-failures.js';
import { observeLeaderChanges } from './observe-leader-changes.js';
import { observeMembers } from './observe-members.js';
import { observePeerRtt } from './observe-peer-rtt.js';
import { observeResources } from './observe-resources.js';
import { observeRootCause } from './observe-root-cause.js';
import { observeSlowApplies } from './observe-slow-applies.js';
import { observeWalFsync } from './observe-wal-fsync.js';

export const OBSERVE_RULES: readonly Rule[] = [
  observeMembers,
  observeWalFsync,
  observeBackendCommit,
  observePeerRtt,
  observeLeaderChanges,
  observeHeartbeatFailures,
  observeSlowApplies,
  observeDbQuota,
  observeResources,
  observeRootCause,
];
