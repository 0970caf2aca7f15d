// Judges each member's database against its quota at the end of the window, and how soon the window's growth would reach it.
import type { Check } from '../../model/check.js';
import { formatBytes } from '../../util/units.js';
import { checkFields, type Rule } from '../rule.js';
import { QUOTA_FAIL_RATIO, QUOTA_WARN_RATIO } from './cluster-db-size.js';
import { observed, observing, windowWords } from './observe-common.js';

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
    const checks: Check[] = [];
    for (const m of observed(o)) {
      const size = m.last?.dbSizeBytes ?? null;
      const quota = m.last?.quotaBytes ?? null;
      if (size === null || quota === null || quota <= 0) continue;
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
        ...checkFields(this),
        title: `${this.title}: ${names.of(m)}`,
        unit: 'bytes',
        value: size,
        threshold: `< ${QUOTA_WARN_RATIO * 100}% of the quota, not reached within ${QUOTA_REACHED_WARN_DAYS} days`,
        flag: 'quota-backend-bytes',
      };
      if (ratio >= QUOTA_FAIL_RATIO)
        checks.push({
          ...base,
          status: 'fail',
          message: `${names.of(m)}: ${figures}. At 100% etcd raises NOSPACE and refuses writes: compact, defragment member by member (the leader last), or raise --quota-backend-bytes (at most 8 GiB).`,
        });
      else if (ratio >= QUOTA_WARN_RATIO || daysLeft < QUOTA_REACHED_WARN_DAYS)
        checks.push({
          ...base,
          status: 'warn',
          message: `${names.of(m)}: ${figures}. Make room before NOSPACE: compaction (--auto-compaction-retention), a defrag, or the quota advised below.`,
        });
      else checks.push({ ...base, status: 'pass', message: `${names.of(m)}: ${figures}.` });
    }
    return { checks };
  },
};
