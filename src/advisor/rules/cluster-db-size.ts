// Judges the database size: near the quota (before etcd raises NOSPACE) and members whose sizes differ widely.
import type { Check } from '../../model/check.js';
import { checkFields, type Rule } from '../rule.js';
import { etcdctl, readable, leaderId, label } from './cluster-common.js';
import { formatBytes } from '../../util/units.js';

/** Advisor's margin: at 80% of the quota there is still room to compact and defragment before the alarm. */
export const QUOTA_WARN_RATIO = 0.8;
/** etcd-mixin alert etcdDatabaseQuotaLowSpace fires when the db exceeds 95% of etcd_server_quota_backend_bytes. */
export const QUOTA_FAIL_RATIO = 0.95;
/** Members replay the same log, so their sizes differ only by fragmentation; beyond 1.5x, defrag or a stuck member is at work. */
export const DB_SPREAD_RATIO = 1.5;
/** Spreads smaller than this are noise (same floor as the etcd-mixin fragmentation alert, 100 MiB). */
export const DB_SPREAD_MIN_BYTES = 100 * 2 ** 20;

export const clusterDbSize: Rule = {
  id: 'cluster.db-size',
  section: 'cluster',
  title: 'Database size against the quota and across members',
  source: 'ETCD-FACTS.md Space and requests (quota, NOSPACE); etcd-mixin etcdDatabaseQuotaLowSpace (> 95% of quota)',
  needs: [],
  artifacts: ['cluster'],
  evaluate({ artifacts }) {
    const read = readable(artifacts);
    if (read === null) return { checks: [] };
    const { cluster, ok } = read;
    const leader = leaderId(ok);
    const base = { ...checkFields(this), unit: 'bytes' };
    const checks: Check[] = [];
    for (const r of ok) {
      const { dbSizeBytes: size, quotaBytes: quota } = r.status;
      const title = `${this.title}: ${r.endpoint}`;
      if (quota === null) {
        checks.push({
          ...base,
          title,
          status: 'info',
          value: size,
          message: `${label(r, leader)}: db ${formatBytes(size)}; its quota is unknown (etcd before 3.6 does not report it in its status, and /metrics gave none), so the distance to NOSPACE is unknown.`,
        });
        continue;
      }
      const ratio = size / quota;
      const threshold = `< ${QUOTA_WARN_RATIO * 100}% of ${formatBytes(quota)}`;
      const status = ratio >= QUOTA_FAIL_RATIO ? 'fail' : ratio >= QUOTA_WARN_RATIO ? 'warn' : 'pass';
      const message =
        status === 'pass'
          ? `${label(r, leader)}: db ${formatBytes(size)} is ${(ratio * 100).toFixed(1)}% of the ${formatBytes(quota)} quota.`
          : `${label(r, leader)}: db ${formatBytes(size)} is ${(ratio * 100).toFixed(1)}% of the ${formatBytes(quota)} quota; at 100% etcd raises NOSPACE and refuses writes. Compact old revisions (${etcdctl(cluster, ['compact', String(r.status.revision)])}), then defragment member by member, the leader last; or raise --quota-backend-bytes (at most 8 GiB).`;
      checks.push({ ...base, title, status, value: size, threshold, flag: 'quota-backend-bytes', message });
    }
    if (ok.length > 1) {
      const sorted = [...ok].sort((a, b) => a.status.dbSizeBytes - b.status.dbSizeBytes);
      const small = sorted[0]!;
      const big = sorted[sorted.length - 1]!;
      const spread = big.status.dbSizeBytes - small.status.dbSizeBytes;
      const wide = big.status.dbSizeBytes > DB_SPREAD_RATIO * small.status.dbSizeBytes && spread >= DB_SPREAD_MIN_BYTES;
      checks.push({
        ...base,
        title: `${this.title}: spread`,
        status: wide ? 'warn' : 'pass',
        value: spread,
        threshold: `largest <= ${DB_SPREAD_RATIO}x smallest (or within ${formatBytes(DB_SPREAD_MIN_BYTES)})`,
        message: wide
          ? `${label(big, leader)} holds ${formatBytes(big.status.dbSizeBytes)} but ${label(small, leader)} only ${formatBytes(small.status.dbSizeBytes)}. Members hold the same data, so the difference is free space: defragment the larger members (one at a time, the leader last). If in-use sizes differ too, a member is behind: check its applied index.`
          : `Members' db sizes are within ${formatBytes(spread)} of each other (${formatBytes(small.status.dbSizeBytes)} to ${formatBytes(big.status.dbSizeBytes)}).`,
      });
    }
    return { checks };
  },
};
