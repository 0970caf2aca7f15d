// Judges each member's database against its quota at the end of the window, and how soon the window's growth would reach it.
import { formatBytes } from '../../util/units.js';
import type { Rule } from '../rule.js';
import { QUOTA_FAIL_RATIO, QUOTA_WARN_RATIO } from './cluster-db-size.js';
import { judgeEach, observed, observing, windowWords } from './observe-common.js';

/**
 * The advisor's own margin (docs/ASSUMPTIONS.md): growth that would reach the quota within a week leaves too little
 * time to plan compaction, a defrag window or a larger quota.
 */
export const QUOTA_REACHED_WARN_DAYS = 7;

export const observeDbQuota: Rule = {
  id: 'observe.db-quota',
  section: 'observe',
  title: 'Database size against the quota, and its growth',
  source: 'ETCD-FACTS.md Space and requests (NOSPACE over quota); etcd mixin etcdDatabaseQuotaLowSpace (> 95% of quota)',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    return judgeEach(this, observed(o), names.of, (m, name) => {
      const size = m.last?.dbSizeBytes ?? null;
      const quota = m.last?.quotaBytes ?? null;
      if (size === null || quota === null || quota <= 0) return null;
      const growth = m.first?.dbSizeBytes != null ? size - m.first.dbSizeBytes : 0;
      const perSec = m.figures.seconds > 0 ? growth / m.figures.seconds : 0;
      const daysLeft = perSec > 0 ? (quota - size) / perSec / 86_400 : Infinity;
      const ratio = size / quota;
      const inUse = m.last?.dbSizeInUseBytes != null ? ` (${formatBytes(m.last.dbSizeInUseBytes)} in use)` : '';
      const grew =
        growth > 0
          ? `; it grew ${formatBytes(growth)} ${windowWords(o)}, which reaches the quota in ${daysLeft < 1 ? `${(daysLeft * 24).toFixed(1)} hours` : `${daysLeft.toFixed(0)} days`} at that rate`
          : '';
      const figures = `db ${formatBytes(size)}${inUse} is ${(ratio * 100).toFixed(1)}% of the ${formatBytes(quota)} quota${grew}`;
      const base = {
        unit: 'bytes',
        value: size,
        threshold: `< ${QUOTA_WARN_RATIO * 100}% of the quota, not reached within ${QUOTA_REACHED_WARN_DAYS} days`,
        flag: 'quota-backend-bytes',
      };
      if (ratio >= QUOTA_FAIL_RATIO)
        return {
          ...base,
          status: 'fail',
          message: `${name}: ${figures}. At 100% etcd raises NOSPACE and refuses writes: compact, defragment member by member (the leader last), or raise --quota-backend-bytes (at most 8 GiB).`,
        };
      if (ratio >= QUOTA_WARN_RATIO || daysLeft < QUOTA_REACHED_WARN_DAYS)
        return {
          ...base,
          status: 'warn',
          message: `${name}: ${figures}. Make room before NOSPACE: compaction (--auto-compaction-retention), a defrag, or the quota advised below.`,
        };
      return { ...base, status: 'pass', message: `${name}: ${figures}.` };
    });
  },
};
