// The lint rules, one per file under src/lint/rules/ (as the advisor's): data (id, source) plus a pure function from a member's resolved settings and file facts to checks (src/lint/check.ts).
import { flagNames } from './rules/etcd-flag-unknown.js';
import { flagEnvConflict } from './rules/etcd-flag-env-conflict.js';
import { values } from './rules/etcd-value.js';
import { timing } from './rules/etcd-timing.js';
import { initialCluster } from './rules/etcd-initial-cluster.js';
import { spaceLimits } from './rules/risk-space.js';
import { tlsPosture } from './rules/tls-posture.js';
import { certificates } from './rules/cert.js';
import { paths } from './rules/paths.js';
import { timingVsRtt } from './rules/risk-timing-rtt.js';
import { clusterConsistency } from './rules/cluster-consistency.js';
import { ioPriority } from './rules/unit-io-priority.js';
import type { ClusterRule, MemberRule } from './rules/common.js';
import { retiredValues } from './rules/etcd-value-retired.js';
import { upgradePath } from './rules/etcd-upgrade.js';

export const MEMBER_RULES: readonly MemberRule[] = [
  flagNames,
  flagEnvConflict,
  values,
  retiredValues,
  timing,
  initialCluster,
  spaceLimits,
  tlsPosture,
  certificates,
  paths,
  timingVsRtt,
  ioPriority,
  upgradePath,
];

export const CLUSTER_LINT_RULES: readonly ClusterRule[] = [clusterConsistency];
