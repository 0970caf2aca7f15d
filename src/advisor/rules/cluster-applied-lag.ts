// Judges whether members apply what they commit, and whether a follower trails the leader's log.
import type { Check } from '../../model/check.js';
import { checkFields, type Rule } from '../rule.js';
import { readable, leaderId, label } from './cluster-common.js';

/** etcd code (server/etcdserver/v3_server.go maxGapBetweenApplyAndCommitIndex): beyond 5000 entries etcd rejects requests with "too many requests". */
export const APPLY_GAP_LIMIT = 5000;
/** Advisor's early warning: a fifth of the way to that limit. */
export const APPLY_GAP_WARN = 1000;

export const clusterAppliedLag: Rule = {
  id: 'cluster.applied-lag',
  section: 'cluster',
  title: 'Applied index keeps up',
  source: `etcd code server/etcdserver/v3_server.go: committed - applied > ${APPLY_GAP_LIMIT} fails requests ("too many requests")`,
  needs: [],
  artifacts: ['cluster'],
  evaluate({ artifacts }) {
    const read = readable(artifacts);
    if (read === null) return { checks: [] };
    const { ok } = read;
    const base = { ...checkFields(this), unit: 'entries', threshold: `< ${APPLY_GAP_WARN}` };
    const leader = leaderId(ok);
    const maxIndex = Math.max(...ok.map((r) => r.status.raftIndex));
    const checks: Check[] = [];
    for (const r of ok) {
      const applied = r.status.raftAppliedIndex;
      const applyGap = applied === null ? 0 : Math.max(0, r.status.raftIndex - applied);
      const behind = maxIndex - r.status.raftIndex;
      const worst = Math.max(applyGap, behind);
      if (worst < APPLY_GAP_WARN) continue;
      const status = worst >= APPLY_GAP_LIMIT ? 'fail' : 'warn';
      const what =
        applyGap >= behind
          ? `has committed ${applyGap} entries it has not applied yet (raft index ${r.status.raftIndex}, applied ${applied})`
          : `is ${behind} entries behind the most advanced member (raft index ${r.status.raftIndex} of ${maxIndex})`;
      checks.push({
        ...base,
        title: `${this.title}: ${r.endpoint}`,
        status,
        value: worst,
        message: `${label(r, leader)} ${what}. Its disk or CPU cannot keep up${status === 'fail' ? ' and etcd is already refusing requests' : ''}: check its fdatasync latency (etcd_disk_wal_fsync_duration_seconds) and load, and move heavy clients off it.`,
      });
    }
    if (checks.length === 0) {
      const unknown = ok.filter((r) => r.status.raftAppliedIndex === null).map((r) => r.endpoint);
      checks.push({
        ...base,
        title: this.title,
        status: 'pass',
        message: `Every member applies what it commits and follows the leader's log closely${unknown.length ? ` (${unknown.join(', ')} did not report an applied index)` : ''}.`,
      });
    }
    return { checks };
  },
};
