// The cluster rules, in the order a reader meets them: who answers, agreement, alarms, space, lag.
import type { Rule } from '../rule.js';
import { clusterAgreement } from './cluster-agreement.js';
import { clusterAlarms } from './cluster-alarms.js';
import { clusterAppliedLag } from './cluster-applied-lag.js';
import { clusterDbSize } from './cluster-db-size.js';
import { clusterFaultTolerance } from './cluster-fault-tolerance.js';
import { clusterFragmentation } from './cluster-fragmentation.js';
import { clusterMembers } from './cluster-members.js';
import { clusterVersions } from './cluster-versions.js';

export const CLUSTER_RULES: readonly Rule[] = [
  clusterMembers,
  clusterFaultTolerance,
  clusterAgreement,
  clusterVersions,
  clusterAlarms,
  clusterDbSize,
  clusterFragmentation,
  clusterAppliedLag,
];
