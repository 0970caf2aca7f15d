// The etcd flag catalogue by minor version (3.4, 3.5, 3.6): defaults, renamed and removed flags, so that advice and unit files use the target version's own names.

export const SUPPORTED_VERSIONS = ['3.4', '3.5', '3.6'] as const;
export type EtcdMinor = (typeof SUPPORTED_VERSIONS)[number];

const GIB = 2 ** 30;

/** "v3.4.23", "3.5" -> "3.4", "3.5"; null when the text is not a version. */
export function minorOf(version: string): string | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : null;
}

function rank(minor: string): number {
  const [major, min] = minor.split('.').map(Number);
  return (major ?? 0) * 1000 + (min ?? 0);
}

export function isSupportedVersion(minor: string): minor is EtcdMinor {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(minor);
}

/** The catalogue entry to use for any version: older than 3.4 reads as 3.4, newer than 3.6 as 3.6. */
export function catalogueVersion(version: string): EtcdMinor {
  const minor = minorOf(version) ?? SUPPORTED_VERSIONS[0];
  if (isSupportedVersion(minor)) return minor;
  return rank(minor) < rank(SUPPORTED_VERSIONS[0]) ? SUPPORTED_VERSIONS[0] : SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]!;
}

export const atLeast = (version: EtcdMinor, than: EtcdMinor): boolean => rank(version) >= rank(than);

type ByVersion<T> = Record<EtcdMinor, T>;
const same = <T>(v: T): ByVersion<T> => ({ '3.4': v, '3.5': v, '3.6': v });

/**
 * Defaults of the flags the advisor sets or reads, as `etcd --help` prints them (3.4.23 checked on this machine).
 * ETCD-FACTS.md "Space and requests" and "Heartbeat and election".
 */
export const FLAG_DEFAULTS: Record<string, ByVersion<number | string | boolean>> = {
  'heartbeat-interval': same(100),
  'election-timeout': same(1000),
  /** ETCD-FACTS.md: 100000 in 3.2-3.5, 10000 in 3.6+ (the code wins over the 3.4 tuning doc). */
  'snapshot-count': { '3.4': 100_000, '3.5': 100_000, '3.6': 10_000 },
  /** 0 means the 2 GiB low-space quota (server/storage/quota.go). */
  'quota-backend-bytes': same(0),
  'max-request-bytes': same(1_572_864),
  'max-txn-ops': same(128),
  'auto-compaction-mode': same('periodic'),
  'auto-compaction-retention': same('0'),
  /** ETCD-FACTS.md "Flags": 3.4 logs with capnslog by default, 3.5+ with zap. */
  logger: { '3.4': 'capnslog', '3.5': 'zap', '3.6': 'zap' },
  'enable-v2': same(false),
};

/** What --quota-backend-bytes 0 means (ETCD-FACTS.md "Space and requests"). */
export const DEFAULT_QUOTA_BYTES = 2 * GIB;

export function defaultOf(flag: string, version: EtcdMinor): number | string | boolean | null {
  return FLAG_DEFAULTS[flag]?.[version] ?? null;
}

/** A flag renamed in `since`; the old name keeps working, deprecated, until `oldRemovedIn` (3.7 for the 3.6 renames, ETCD-FACTS.md "Flags"). */
export interface RenamedFlag {
  old: string;
  /** The new flag name, or `--feature-gates=<Gate>=true` for experimental switches that became feature gates in 3.6. */
  new: string;
  since: EtcdMinor;
  featureGate?: string;
}

/** etcd CHANGELOG-3.5 and CHANGELOG-3.6 / docs upgrades/upgrade_3_6 ("experimental flags renamed"). */
export const RENAMED_FLAGS: readonly RenamedFlag[] = [
  { old: 'experimental-backend-bbolt-freelist-type', new: 'backend-bbolt-freelist-type', since: '3.5' },
  { old: 'experimental-corrupt-check-time', new: 'corrupt-check-time', since: '3.6' },
  { old: 'experimental-compaction-batch-limit', new: 'compaction-batch-limit', since: '3.6' },
  { old: 'experimental-watch-progress-notify-interval', new: 'watch-progress-notify-interval', since: '3.6' },
  { old: 'experimental-warning-apply-duration', new: 'warning-apply-duration', since: '3.6' },
  { old: 'experimental-peer-skip-client-san-verification', new: 'peer-skip-client-san-verification', since: '3.6' },
  { old: 'experimental-snapshot-catchup-entries', new: 'snapshot-catchup-entries', since: '3.6' },
  { old: 'experimental-memory-mlock', new: 'memory-mlock', since: '3.6' },
  { old: 'experimental-max-learners', new: 'max-learners', since: '3.6' },
  { old: 'experimental-compaction-sleep-interval', new: 'compaction-sleep-interval', since: '3.6' },
  { old: 'experimental-downgrade-check-time', new: 'downgrade-check-time', since: '3.6' },
  { old: 'experimental-warning-unary-request-duration', new: 'warning-unary-request-duration', since: '3.6' },
  { old: 'experimental-bootstrap-defrag-threshold-megabytes', new: 'bootstrap-defrag-threshold-megabytes', since: '3.6' },
  { old: 'experimental-initial-corrupt-check', new: 'feature-gates', since: '3.6', featureGate: 'InitialCorruptCheck' },
  { old: 'experimental-enable-lease-checkpoint', new: 'feature-gates', since: '3.6', featureGate: 'LeaseCheckpoint' },
  { old: 'experimental-compact-hash-check-enabled', new: 'feature-gates', since: '3.6', featureGate: 'CompactHashCheck' },
  { old: 'experimental-stop-grpc-service-on-defrag', new: 'feature-gates', since: '3.6', featureGate: 'StopGRPCServiceOnDefrag' },
  { old: 'experimental-txn-mode-write-with-shared-buffer', new: 'feature-gates', since: '3.6', featureGate: 'TxnModeWriteWithSharedBuffer' },
];

/** Flags a version no longer accepts: etcd exits on an unknown flag (ETCD-FACTS.md "Flags": --enable-v2 removed in 3.6). */
export const REMOVED_FLAGS: readonly { flag: string; removedIn: EtcdMinor; why: string }[] = [
  { flag: 'enable-v2', removedIn: '3.6', why: 'the v2 API is gone in 3.6; check the v2 store with `etcdutl check v2store` before upgrading' },
  { flag: 'experimental-enable-v2v3', removedIn: '3.6', why: 'v2 emulation went with the v2 API' },
  { flag: 'enable-v2v3', removedIn: '3.6', why: 'v2 emulation went with the v2 API' },
  { flag: 'debug', removedIn: '3.5', why: 'use --log-level=debug' },
  { flag: 'log-package-levels', removedIn: '3.5', why: 'capnslog package levels went with capnslog' },
];

export interface FlagForVersion {
  /** The name the version expects, without dashes; null when the version has no such flag. */
  name: string | null;
  /** Set when the name given is deprecated or gone in this version, saying what to use. */
  note?: string;
}

/** The name `flag` (old or new spelling) has in `version`, and why it changed. */
export function flagForVersion(flag: string, version: EtcdMinor): FlagForVersion {
  const removed = REMOVED_FLAGS.find((r) => r.flag === flag);
  if (removed && atLeast(version, removed.removedIn)) return { name: null, note: `--${flag} was removed in etcd ${removed.removedIn}: ${removed.why}` };
  const renamed = RENAMED_FLAGS.find((r) => r.old === flag || (r.featureGate === undefined && r.new === flag));
  if (renamed === undefined) return { name: flag };
  if (atLeast(version, renamed.since)) {
    const to = renamed.featureGate ? `--feature-gates=${renamed.featureGate}=true` : `--${renamed.new}`;
    return flag === renamed.old ? { name: renamed.featureGate ? 'feature-gates' : renamed.new, note: `--${flag} is deprecated in etcd ${renamed.since} (removed in 3.7): use ${to}` } : { name: flag };
  }
  return flag === renamed.new ? { name: renamed.old, note: `etcd ${version} knows --${renamed.new} only as --${renamed.old}` } : { name: flag };
}
