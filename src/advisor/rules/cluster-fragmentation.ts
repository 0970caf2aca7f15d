// Judges whether a defragmentation is worth it, and lists the members to defragment, the leader last.
import { checkFields, type Rule } from '../rule.js';
import { answered, clusterOf, defragCommands, leaderId, label, type AnsweredReading } from './cluster-common.js';
import { QUOTA_WARN_RATIO } from './cluster-db-size.js';
import { formatBytes } from '../../util/units.js';

/** etcd-mixin etcdDatabaseHighFragmentationRatio: in use below 50% of the db file... */
export const FRAGMENTED_IN_USE_RATIO = 0.5;
/** ...and more than 100 MiB in use (below that, fragmentation costs nothing worth a blocking defrag). */
export const FRAGMENTED_MIN_IN_USE_BYTES = 100 * 2 ** 20;
/** Near the quota every freed byte counts: defragment when it would free at least 10% of the quota. */
export const NEAR_QUOTA_FREEABLE_RATIO = 0.1;

export function worthDefrag(r: AnsweredReading): boolean {
  const { dbSizeBytes: size, dbSizeInUseBytes: inUse, quotaBytes: quota } = r.status;
  if (inUse === null || size === 0) return false;
  if (inUse / size < FRAGMENTED_IN_USE_RATIO && inUse > FRAGMENTED_MIN_IN_USE_BYTES) return true;
  return quota !== null && size / quota >= QUOTA_WARN_RATIO && size - inUse >= NEAR_QUOTA_FREEABLE_RATIO * quota;
}

export const clusterFragmentation: Rule = {
  id: 'cluster.fragmentation',
  section: 'cluster',
  title: 'Fragmentation worth a defrag',
  source:
    'etcd-mixin etcdDatabaseHighFragmentationRatio (in use < 50% and > 100 MiB); ETCD-FACTS.md Space and requests (defrag one member at a time, the leader last)',
  needs: [],
  artifacts: ['cluster'],
  evaluate({ artifacts }) {
    const cluster = clusterOf(artifacts);
    if (cluster === undefined) return { checks: [] };
    const ok = answered(cluster).filter((r) => r.status.dbSizeInUseBytes !== null);
    if (ok.length === 0) return { checks: [] };
    const base = checkFields(this);
    const leader = leaderId(ok);
    const candidates = ok.filter(worthDefrag);
    if (candidates.length === 0) {
      const freeable = Math.max(...ok.map((r) => r.status.dbSizeBytes - r.status.dbSizeInUseBytes!));
      return {
        checks: [
          {
            ...base,
            status: 'pass',
            value: freeable,
            unit: 'bytes',
            message: `No member is fragmented enough to be worth a defrag (at most ${formatBytes(freeable)} would be freed).`,
          },
        ],
      };
    }
    const list = candidates.map(
      (r) => `${label(r, leader)}: ${formatBytes(r.status.dbSizeBytes - r.status.dbSizeInUseBytes!)} free of ${formatBytes(r.status.dbSizeBytes)}`,
    );
    return {
      checks: [
        {
          ...base,
          status: 'warn',
          message: `Defragment ${candidates.length === 1 ? 'this member' : 'these members'}, one at a time, the leader last (a defrag blocks reads and writes on its member while it runs): ${list.join('; ')}. Commands: ${defragCommands(cluster, candidates).join(' ; then ')}`,
        },
      ],
    };
  },
};
