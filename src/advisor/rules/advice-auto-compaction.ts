// Recommends --auto-compaction-mode and --auto-compaction-retention: etcd keeps all history by default, so compaction must be switched on.
import { DEFAULT_QUOTA_BYTES, defaultOf } from '../../etcd/flags.js';
import { formatBytes, formatRate } from '../../util/units.js';
import { isMeasured } from '../inputs.js';
import { recommend, type Rule } from '../rule.js';
import { ASSUMED_ENTRY_BYTES } from './advice-snapshot-count.js';

/** ETCD-FACTS.md "Space and requests": periodic mode is the default and keeps `retention` of history. */
export const COMPACTION_MODE = 'periodic';
/** The history the advisor keeps when writes are light: an hour, the longest compaction period etcd uses (every min(retention, 1h)). */
export const DEFAULT_RETENTION_MINUTES = 60;
/** ETCD-FACTS.md "Space and requests": kube-apiserver compacts every 5 minutes; the advisor keeps no less history than that. */
export const MIN_RETENTION_MINUTES = 5;
/** History (each write is a new revision until compacted) may take at most this share of the quota. */
export const HISTORY_QUOTA_SHARE = 0.25;

/** "1h", "30m": Go durations, accepted in periodic mode since 3.3.3 (ETCD-FACTS.md). */
export function retentionText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

export function retentionFor(writeRatePerSec: number | undefined, quotaBytes: number): { minutes: number; tooFast: boolean } {
  if (writeRatePerSec === undefined || writeRatePerSec <= 0) return { minutes: DEFAULT_RETENTION_MINUTES, tooFast: false };
  const fitting = Math.floor((quotaBytes * HISTORY_QUOTA_SHARE) / (writeRatePerSec * ASSUMED_ENTRY_BYTES) / 60);
  if (fitting < MIN_RETENTION_MINUTES) return { minutes: MIN_RETENTION_MINUTES, tooFast: true };
  return { minutes: Math.min(DEFAULT_RETENTION_MINUTES, fitting), tooFast: false };
}

export const autoCompaction: Rule = {
  id: 'advice.auto-compaction',
  section: 'advice',
  title: '--auto-compaction-mode and --auto-compaction-retention',
  source: 'ETCD-FACTS.md Space and requests: retention "0" = off (default); periodic compacts every min(retention, 1h); kube-apiserver compacts every 5 min',
  needs: [],
  uses: ['writeRate'],
  evaluate({ inputs, flags }) {
    const version = inputs.etcdVersion.value;
    const rate = isMeasured(inputs.writeRate) ? inputs.writeRate : undefined;
    const quota = Number(flags.get('quota-backend-bytes')?.value ?? DEFAULT_QUOTA_BYTES);
    const { minutes, tooFast } = retentionFor(rate?.value, quota);
    const retention = retentionText(minutes);
    const history = rate ? formatBytes(rate.value * ASSUMED_ENTRY_BYTES * minutes * 60) : null;
    const reason = rate
      ? `Keep ${retention} of history: at ${formatRate(rate.value)} writes/s that is about ${history}${tooFast ? `, more than ${HISTORY_QUOTA_SHARE * 100}% of the ${formatBytes(quota)} quota even at the ${MIN_RETENTION_MINUTES}-minute minimum` : `, under ${HISTORY_QUOTA_SHARE * 100}% of the ${formatBytes(quota)} quota`}.`
      : `etcd keeps every revision unless compaction is on; ${retention} of history is enough for watchers to resume. (kube-apiserver compacts every ${MIN_RETENTION_MINUTES} min on its own; this is the safety net.)`;
    const mode = recommend(this, {
      flag: 'auto-compaction-mode',
      value: COMPACTION_MODE,
      default: defaultOf('auto-compaction-mode', version) as string,
      unit: '',
      basis: `etcd ${version}'s default mode, set explicitly beside its retention`,
      reason: 'Retention counted in time, so that the kept history does not depend on the write rate.',
      ifIgnored: 'In revision mode the retention counts revisions, and the same number means minutes or days depending on the write rate.',
    });
    const ret = recommend(
      this,
      {
        flag: 'auto-compaction-retention',
        value: retention,
        default: defaultOf('auto-compaction-retention', version) as string,
        unit: '',
        basis: rate ? `${rate.basis}; ${ASSUMED_ENTRY_BYTES} B per write assumed` : 'no write rate given',
        reason,
        ifIgnored: 'With retention "0" (the default) nothing is ever compacted: the database grows with every write until the NOSPACE alarm stops the cluster.',
      },
      tooFast ? 'warn' : 'info',
      tooFast ? `${reason} Raise the quota or lower the write rate.` : reason,
    );
    return { flags: [mode.flag, ret.flag], checks: [ret.check] };
  },
};
