// The one etcd flag catalogue, as data: each flag's value type, the releases that have it, renames and removals, and defaults by version.
import { UsageError } from '../model/errors.js';
import { printable } from './urls.js';

export const SUPPORTED_VERSIONS = ['3.4', '3.5', '3.6'] as const;
export type EtcdMinor = (typeof SUPPORTED_VERSIONS)[number];

const GIB = 2 ** 30;

/** ETCD-FACTS.md "Heartbeat and election": default --heartbeat-interval 100 ms and --election-timeout 1000 ms. */
export const DEFAULT_HEARTBEAT_MS = 100;
export const DEFAULT_ELECTION_MS = 1000;
/**
 * ETCD-FACTS.md "Heartbeat and election": etcd logs "failed to send out heartbeat on time" when the leader skips two
 * heartbeat intervals; a network gap or a WAL fdatasync that long causes it alike. Two default heartbeats.
 */
export const MISSED_HEARTBEATS_STALL_MS = 2 * DEFAULT_HEARTBEAT_MS;
/** ETCD-FACTS.md "Space and requests": default --max-request-bytes 1572864 (1.5 MiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 1_572_864;

/** "v3.4.23" -> major 3, minor 4. */
const MAJOR_MINOR = /^v?(\d+)\.(\d+)/;

/** "v3.4.23", "3.5" -> "3.4", "3.5"; null when the text is not a version. */
export function minorOf(version: string): string | null {
  const m = MAJOR_MINOR.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : null;
}

/** 3.4 -> 3004, so that releases compare as numbers; NaN when the text is not a version. */
function rank(version: string): number {
  const m = MAJOR_MINOR.exec(version.trim());
  return m ? Number(m[1]) * 1000 + Number(m[2]) : NaN;
}

function isSupportedVersion(minor: string): minor is EtcdMinor {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(minor);
}

/**
 * A release given on the command line (--etcd-version, --upgrade-to): "3.5", "3.5.17" or "v3.5.17" of a supported minor;
 * anything else is one usage line naming the flag. Anchored: the text goes into etcd.conf's header, and "3.5\nExecStartPre=..." must not.
 */
export function parseEtcdVersion(flag: string, text: string, allowed: readonly EtcdMinor[] = SUPPORTED_VERSIONS): string {
  const minor = minorOf(text);
  if (minor === null || !(allowed as readonly string[]).includes(minor) || !/^v?\d+\.\d+(\.\d+)?$/.test(text.trim()))
    throw new UsageError(`${flag} "${printable(text)}": give one of ${allowed.join(', ')} (or a full version such as 3.5.17)`);
  return text.trim().replace(/^v/, '');
}

/** The catalogue entry to use for any version: older than 3.4 reads as 3.4, newer than 3.6 as 3.6. */
export function catalogueVersion(version: string): EtcdMinor {
  const minor = minorOf(version) ?? SUPPORTED_VERSIONS[0];
  if (isSupportedVersion(minor)) return minor;
  return rank(minor) < rank(SUPPORTED_VERSIONS[0]) ? SUPPORTED_VERSIONS[0] : SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]!;
}

/** Whether release `version` ("3.5", "v3.5.17") is `than` or later; false when either is not a version. */
export const atLeast = (version: string, than: string): boolean => rank(version) >= rank(than);

/** How etcd parses a value: Go's flag package for the command line and the environment, yaml for --config-file. */
export type FlagType =
  | 'string'
  | 'bool'
  /** strconv.ParseUint base 0: "100", "0x64"; no units ("100ms", "8G" do not parse). */
  | 'uint'
  | 'int'
  /** time.ParseDuration: "5s", "100ms", "2h". */
  | 'duration'
  /** Comma-separated URLs. */
  | 'urls'
  /** name=url,name=url. */
  | 'initial-cluster'
  | 'path'
  | 'enum'
  /** Comma-separated words. */
  | 'list';

export type FlagValue = number | string | boolean;
type ByVersion<T> = Record<EtcdMinor, T>;

export interface EtcdFlag {
  name: string;
  type: FlagType;
  /** First release that has it ("3.4" means "3.4 or earlier": the catalogue starts at 3.4). */
  since: string;
  /** First release without it: etcd refuses it there ("flag provided but not defined"). */
  removedIn?: string;
  /** From this release on etcd still takes it but warns: use `renamedTo`, or `useInstead`. */
  deprecatedIn?: string;
  /** The flag's new name from `deprecatedIn` on ("feature-gates" with `featureGate` for experimental switches that became gates in 3.6). */
  renamedTo?: string;
  featureGate?: string;
  /** For a new name: the name the flag had before `since`. */
  renamedFrom?: string;
  /** A different flag that does the job (not a rename: other name and other values). */
  useInstead?: string;
  /** Why a removed flag went, for advice. */
  why?: string;
  /** For enums. */
  values?: readonly string[];
  /** Values a release still takes with a warning (deprecatedIn) or refuses (removedIn), and what to write instead. */
  retiredValues?: readonly RetiredValue[];
  /** etcd's default, as `etcd --help` of each release prints it; absent for a release without the flag or without a printed default. */
  default?: Partial<ByVersion<FlagValue>>;
}

export interface RetiredValue {
  value: string;
  deprecatedIn?: string;
  removedIn: string;
  instead: string;
}

const same = <T>(v: T): ByVersion<T> => ({ '3.4': v, '3.5': v, '3.6': v });

type Extra = Partial<Omit<EtcdFlag, 'name' | 'type' | 'default'>> & {
  default?: FlagValue | Partial<ByVersion<FlagValue>>;
  /** For a rename whose new name prints a different default (backend-bbolt-freelist-type: map). */
  newDefault?: FlagValue;
};
type Row = [name: string, type: FlagType, extra?: Extra];

/** The 3.6 renames: the old name works, deprecated, in 3.6 and is gone in 3.7 (ETCD-FACTS.md "Flags, environment, versions"). */
const RENAMED_IN_36 = { deprecatedIn: '3.6', removedIn: '3.7' } as const;
const gate = (featureGate: string): Extra => ({ ...RENAMED_IN_36, renamedTo: 'feature-gates', featureGate });
const renamed36 = (to: string): Extra => ({ ...RENAMED_IN_36, renamedTo: to });

/**
 * Sources, next to the data:
 * - 3.4 and 3.5: `etcd --help` of the real etcd 3.4.23 (Debian bookworm), 3.5.16 (trixie) and 3.5.30 (sid), defaults as
 *   printed, and `etcd --<flag>=<value> --version` for the flags a release accepts without listing them. test/etcd/flags.test.ts
 *   checks both ways against each binary: every flag of its --help is here with that default, every flag here for the
 *   release is accepted, every other flag refused ("flag provided but not defined"). 3.5.16 and 3.5.30 print the same flags.
 * - 3.6 (NOT started here: no Debian suite ships it): server/etcdmain/config.go of 3.6 (deprecatedFlags; --discovery-fallback
 *   proxy refused; --v2-deprecation enforced), CHANGELOG-3.6, and docs v3.6 downgrades/downgrade_3_6 (the --help diff of v3.6.0
 *   against 3.5.18: new flags, renames, feature gates, changed defaults snapshot-count 10000, v2-deprecation write-only,
 *   discovery-fallback exit); --enable-v2, --experimental-enable-v2v3 and --proxy* removed; --logger only zap.
 * A renamed row (renamedTo) stands for both names: the new name's row is made from it below, since = deprecatedIn.
 * `default` is what --help prints, only for the releases that have the flag and print one.
 */
const ROWS: Row[] = [
  // Member
  ['name', 'string', { default: 'default' }],
  ['data-dir', 'path', { default: '${name}.etcd' }],
  ['wal-dir', 'path', { default: '' }],
  /** ETCD-FACTS.md: 100000 in 3.2-3.5, 10000 in 3.6+ (the code wins over the 3.4 tuning doc). */
  ['snapshot-count', 'uint', { default: { '3.4': 100_000, '3.5': 100_000, '3.6': 10_000 } }],
  /** ETCD-FACTS.md "Heartbeat and election". */
  ['heartbeat-interval', 'uint', { default: DEFAULT_HEARTBEAT_MS }],
  ['election-timeout', 'uint', { default: DEFAULT_ELECTION_MS }],
  ['initial-election-tick-advance', 'bool', { default: true }],
  ['listen-peer-urls', 'urls', { default: 'http://localhost:2380' }],
  ['listen-client-urls', 'urls', { default: 'http://localhost:2379' }],
  ['listen-client-http-urls', 'urls', { since: '3.5', default: '' }],
  ['max-snapshots', 'uint', { default: 5 }],
  ['max-wals', 'uint', { default: 5 }],
  /** ETCD-FACTS.md "Space and requests": 0 means the 2 GiB low-space quota (server/storage/quota.go). */
  ['quota-backend-bytes', 'int', { default: 0 }],
  ['backend-batch-interval', 'duration', { default: '' }],
  ['backend-batch-limit', 'uint', { default: 0 }],
  ['max-txn-ops', 'uint', { default: 128 }],
  ['max-request-bytes', 'uint', { default: DEFAULT_MAX_REQUEST_BYTES }],
  /** --help prints the Go constant's name, not its value. */
  ['max-concurrent-streams', 'uint', { default: 'math.MaxUint32' }],
  /** 3.4 accepts it without listing it; 3.5 lists it without a default. */
  ['enable-grpc-gateway', 'bool'],
  ['grpc-keepalive-min-time', 'duration', { default: '5s' }],
  ['grpc-keepalive-interval', 'duration', { default: '2h' }],
  ['grpc-keepalive-timeout', 'duration', { default: '20s' }],
  ['socket-reuse-port', 'bool', { since: '3.5', default: false }],
  ['socket-reuse-address', 'bool', { since: '3.5', default: false }],
  ['raft-read-timeout', 'duration', { since: '3.5', default: '5s' }],
  ['raft-write-timeout', 'duration', { since: '3.5', default: '5s' }],
  // Clustering
  ['initial-advertise-peer-urls', 'urls', { default: 'http://localhost:2380' }],
  ['initial-cluster', 'initial-cluster', { default: 'default=http://localhost:2380' }],
  ['initial-cluster-state', 'enum', { values: ['new', 'existing'], default: 'new' }],
  ['initial-cluster-token', 'string', { default: 'etcd-cluster' }],
  ['advertise-client-urls', 'urls', { default: 'http://localhost:2379' }],
  ['discovery', 'string', { default: '' }],
  /** 3.6 keeps the flag but refuses "proxy" ("v2 proxy is deprecated, and --discovery-fallback can't be configured as \"proxy\""). */
  [
    'discovery-fallback',
    'enum',
    {
      values: ['exit', 'proxy'],
      default: { '3.4': 'proxy', '3.5': 'proxy', '3.6': 'exit' },
      retiredValues: [{ value: 'proxy', removedIn: '3.6', instead: 'exit' }],
    },
  ],
  ['discovery-proxy', 'string', { default: '' }],
  ['discovery-srv', 'string', { default: '' }],
  ['discovery-srv-name', 'string', { default: '' }],
  // v3 discovery, 3.6 (downgrade_3_6 "flags not available in v3.5", with the defaults v3.6.0 prints)
  ['discovery-token', 'string', { since: '3.6', default: '' }],
  ['discovery-endpoints', 'list', { since: '3.6', default: '' }],
  ['discovery-dial-timeout', 'duration', { since: '3.6', default: '2s' }],
  ['discovery-request-timeout', 'duration', { since: '3.6', default: '5s' }],
  ['discovery-keepalive-time', 'duration', { since: '3.6', default: '2s' }],
  ['discovery-keepalive-timeout', 'duration', { since: '3.6', default: '6s' }],
  ['discovery-insecure-transport', 'bool', { since: '3.6', default: true }],
  ['discovery-insecure-skip-tls-verify', 'bool', { since: '3.6', default: false }],
  ['discovery-cert', 'path', { since: '3.6', default: '' }],
  ['discovery-key', 'path', { since: '3.6', default: '' }],
  ['discovery-cacert', 'path', { since: '3.6', default: '' }],
  ['discovery-user', 'string', { since: '3.6', default: '' }],
  ['discovery-password', 'string', { since: '3.6', default: '' }],
  ['strict-reconfig-check', 'bool', { default: true }],
  /** 3.5 turned pre-vote on by default. */
  ['pre-vote', 'bool', { default: { '3.4': false, '3.5': true, '3.6': true } }],
  /** ETCD-FACTS.md "Space and requests": no compaction unless asked for. */
  ['auto-compaction-retention', 'string', { default: '0' }],
  ['auto-compaction-mode', 'enum', { values: ['periodic', 'revision'], default: 'periodic' }],
  [
    'enable-v2',
    'bool',
    {
      deprecatedIn: '3.5',
      removedIn: '3.6',
      default: false,
      why: 'the v2 API is gone in 3.6; check the v2 store with `etcdutl check v2store` before upgrading',
    },
  ],
  /** 3.6 enforces its default and ignores the value (server/etcdmain/config.go of 3.6); scheduled for removal in 3.8. */
  [
    'v2-deprecation',
    'enum',
    {
      since: '3.5',
      deprecatedIn: '3.6',
      removedIn: '3.8',
      why: '3.6 enforces write-only and ignores the value',
      values: ['not-yet', 'write-only', 'write-only-drop-data', 'gone'],
      default: { '3.5': 'not-yet', '3.6': 'write-only' },
      retiredValues: [{ value: 'not-yet', removedIn: '3.6', instead: 'write-only' }],
    },
  ],
  // Security
  ['cert-file', 'path', { default: '' }],
  ['key-file', 'path', { default: '' }],
  ['client-cert-auth', 'bool', { default: false }],
  ['client-crl-file', 'path', { default: '' }],
  ['client-cert-allowed-hostname', 'string', { default: '' }],
  ['trusted-ca-file', 'path', { default: '' }],
  ['auto-tls', 'bool', { default: false }],
  ['peer-cert-file', 'path', { default: '' }],
  ['peer-key-file', 'path', { default: '' }],
  ['peer-client-cert-auth', 'bool', { default: false }],
  ['peer-trusted-ca-file', 'path', { default: '' }],
  ['peer-cert-allowed-cn', 'string', { default: '' }],
  ['peer-cert-allowed-hostname', 'string', { default: '' }],
  ['peer-auto-tls', 'bool', { default: false }],
  ['peer-crl-file', 'path', { default: '' }],
  ['client-cert-file', 'path', { since: '3.5', default: '' }],
  ['client-key-file', 'path', { since: '3.5', default: '' }],
  ['peer-client-cert-file', 'path', { since: '3.5', default: '' }],
  ['peer-client-key-file', 'path', { since: '3.5', default: '' }],
  ['self-signed-cert-validity', 'uint', { since: '3.5', default: 1 }],
  ['tls-min-version', 'enum', { since: '3.5', values: ['TLS1.2', 'TLS1.3'], default: 'TLS1.2' }],
  ['tls-max-version', 'enum', { since: '3.5', values: ['TLS1.2', 'TLS1.3'], default: '' }],
  ['cipher-suites', 'list', { default: '' }],
  ['cors', 'list', { default: '*' }],
  ['host-whitelist', 'list', { default: '*' }],
  // Auth
  ['auth-token', 'string', { default: 'simple' }],
  ['bcrypt-cost', 'uint', { default: 10 }],
  ['auth-token-ttl', 'uint', { default: 300 }],
  // Profiling and monitoring
  ['enable-pprof', 'bool', { default: false }],
  ['metrics', 'enum', { values: ['basic', 'extensive'], default: 'basic' }],
  ['listen-metrics-urls', 'urls', { default: '' }],
  /**
   * Logging. ETCD-FACTS.md "Flags": 3.4 logs with capnslog by default ("'capnslog' will be deprecated in v3.5"), 3.5+ with zap.
   * etcd 3.5.16 and 3.5.30 refuse capnslog at start ("failed to verify flags","error":"--logger=capnslog is removed in v3.5"),
   * on the command line and as ETCD_LOGGER alike (test/lint/etcd-agrees.test.ts).
   */
  [
    'logger',
    'enum',
    {
      values: ['zap', 'capnslog'],
      default: { '3.4': 'capnslog', '3.5': 'zap', '3.6': 'zap' },
      retiredValues: [{ value: 'capnslog', deprecatedIn: '3.4', removedIn: '3.5', instead: 'zap' }],
    },
  ],
  ['log-output', 'list', { deprecatedIn: '3.4', removedIn: '3.5', renamedTo: 'log-outputs', default: 'default', newDefault: 'default' }],
  ['log-level', 'enum', { values: ['debug', 'info', 'warn', 'error', 'panic', 'fatal'], default: 'info' }],
  ['log-format', 'enum', { since: '3.6', values: ['json', 'console'] }],
  ['enable-log-rotation', 'bool', { since: '3.5', default: false }],
  ['log-rotation-config-json', 'string', { since: '3.5', default: '{"maxsize": 100, "maxage": 0, "maxbackups": 0, "localtime": false, "compress": false}' }],
  ['debug', 'bool', { deprecatedIn: '3.4', removedIn: '3.5', useInstead: 'log-level', why: 'use --log-level=debug', default: false }],
  [
    'log-package-levels',
    'string',
    { deprecatedIn: '3.4', removedIn: '3.5', useInstead: 'log-level', why: 'capnslog package levels went with capnslog', default: '' },
  ],
  // v2 proxy
  ['proxy', 'enum', { values: ['off', 'readonly', 'on'], removedIn: '3.6', default: 'off' }],
  ['proxy-failure-wait', 'uint', { removedIn: '3.6', default: 5000 }],
  ['proxy-refresh-interval', 'uint', { removedIn: '3.6', default: 30_000 }],
  ['proxy-dial-timeout', 'uint', { removedIn: '3.6', default: 1000 }],
  ['proxy-write-timeout', 'uint', { removedIn: '3.6', default: 5000 }],
  ['proxy-read-timeout', 'uint', { removedIn: '3.6', default: 0 }],
  // Unsafe, and the config file. 3.4.23 accepts --unsafe-no-fsync without listing it.
  ['unsafe-no-fsync', 'bool', { default: { '3.5': false, '3.6': false } }],
  ['force-new-cluster', 'bool', { default: false }],
  ['config-file', 'path'],
  // Experimental, and what 3.6 made of them (downgrade_3_6 "same flag with different names" and "equivalent flags of v3.6 feature gates")
  ['feature-gates', 'list', { since: '3.6' }],
  ['experimental-initial-corrupt-check', 'bool', { ...gate('InitialCorruptCheck'), default: false }],
  ['experimental-corrupt-check-time', 'duration', { ...renamed36('corrupt-check-time'), default: '0s' }],
  ['experimental-enable-v2v3', 'string', { removedIn: '3.6', why: 'v2 emulation went with the v2 API', default: '' }],
  /** Renamed in 3.5, and the old name refused there ("flag provided but not defined", etcd 3.5.16 and 3.5.30); 3.5 also made map the default. */
  [
    'experimental-backend-bbolt-freelist-type',
    'enum',
    {
      values: ['array', 'map'],
      deprecatedIn: '3.5',
      removedIn: '3.5',
      renamedTo: 'backend-bbolt-freelist-type',
      default: { '3.4': 'array' },
      newDefault: 'map',
    },
  ],
  ['experimental-enable-lease-checkpoint', 'bool', { ...gate('LeaseCheckpoint'), default: false }],
  /** 3.4.23 accepts it without listing it. */
  ['experimental-enable-lease-checkpoint-persist', 'bool', { ...gate('LeaseCheckpointPersist'), default: { '3.5': false, '3.6': false } }],
  ['experimental-compaction-batch-limit', 'int', { ...renamed36('compaction-batch-limit'), default: 1000 }],
  ['experimental-peer-skip-client-san-verification', 'bool', { ...renamed36('peer-skip-client-san-verification'), default: false }],
  ['experimental-watch-progress-notify-interval', 'duration', { ...renamed36('watch-progress-notify-interval'), default: '10m' }],
  ['experimental-warning-apply-duration', 'duration', { ...renamed36('warning-apply-duration'), default: '100ms' }],
  // 3.5 lists these four without a default.
  ['experimental-memory-mlock', 'bool', { since: '3.5', ...renamed36('memory-mlock') }],
  ['experimental-bootstrap-defrag-threshold-megabytes', 'uint', { since: '3.5', ...renamed36('bootstrap-defrag-threshold-megabytes') }],
  ['experimental-downgrade-check-time', 'duration', { since: '3.5', ...renamed36('downgrade-check-time') }],
  ['experimental-stop-grpc-service-on-defrag', 'bool', { since: '3.5', ...gate('StopGRPCServiceOnDefrag') }],
  ['experimental-txn-mode-write-with-shared-buffer', 'bool', { since: '3.5', ...gate('TxnModeWriteWithSharedBuffer'), default: true }],
  /** 3.5 accepts it without listing it. */
  ['experimental-snapshot-catchup-entries', 'uint', { since: '3.5', ...renamed36('snapshot-catchup-entries') }],
  ['experimental-compaction-sleep-interval', 'duration', { since: '3.5', ...renamed36('compaction-sleep-interval'), default: '10ms' }],
  ['experimental-compact-hash-check-enabled', 'bool', { since: '3.5', ...gate('CompactHashCheck'), default: false }],
  ['experimental-compact-hash-check-time', 'duration', { since: '3.5', ...renamed36('compact-hash-check-time'), default: '1m' }],
  ['experimental-enable-distributed-tracing', 'bool', { since: '3.5', ...renamed36('enable-distributed-tracing'), default: false }],
  ['experimental-distributed-tracing-address', 'string', { since: '3.5', ...renamed36('distributed-tracing-address'), default: 'localhost:4317' }],
  ['experimental-distributed-tracing-service-name', 'string', { since: '3.5', ...renamed36('distributed-tracing-service-name'), default: 'etcd' }],
  ['experimental-distributed-tracing-instance-id', 'string', { since: '3.5', ...renamed36('distributed-tracing-instance-id'), default: '' }],
  ['experimental-distributed-tracing-sampling-rate', 'int', { since: '3.5', ...renamed36('distributed-tracing-sampling-rate'), default: 0 }],
  /** Not in 3.5 (etcd 3.5.16 and 3.5.30 refuse them): 3.6 has both names, the experimental one deprecated from the start. */
  ['experimental-max-learners', 'int', { since: '3.6', ...renamed36('max-learners') }],
  ['experimental-warning-unary-request-duration', 'duration', { since: '3.6', ...renamed36('warning-unary-request-duration') }],
];

/** Whether a flag that arrived in `since` and left in `removedIn` exists in `version`. */
const existsIn = (flag: Pick<EtcdFlag, 'since' | 'removedIn'>, version: string): boolean =>
  atLeast(version, flag.since) && (flag.removedIn === undefined || !atLeast(version, flag.removedIn));

/** The defaults of the releases that have the flag. */
function defaultsWhereItExists(flag: EtcdFlag, d: FlagValue | Partial<ByVersion<FlagValue>>): Partial<ByVersion<FlagValue>> {
  const all: Partial<ByVersion<FlagValue>> = typeof d === 'object' ? d : same(d);
  return Object.fromEntries(SUPPORTED_VERSIONS.filter((v) => all[v] !== undefined && existsIn(flag, v)).map((v) => [v, all[v]!]));
}

function fromRow([name, type, extra = {}]: Row): { flag: EtcdFlag; newDefault?: FlagValue } {
  const { default: d, newDefault, ...rest } = extra;
  const flag: EtcdFlag = { name, type, since: '3.4', ...rest };
  if (d !== undefined) flag.default = defaultsWhereItExists(flag, d);
  return { flag, ...(newDefault !== undefined ? { newDefault } : {}) };
}

/** The new name of a rename: the same value type and default, from the release the old name was deprecated in. */
function newNameOf(old: EtcdFlag, newDefault?: FlagValue): EtcdFlag {
  const flag: EtcdFlag = {
    name: old.renamedTo!,
    type: old.type,
    since: old.deprecatedIn!,
    renamedFrom: old.name,
    ...(old.values ? { values: old.values } : {}),
  };
  const d = newDefault ?? old.default;
  if (d !== undefined) flag.default = defaultsWhereItExists(flag, d);
  return flag;
}

/** Every flag of any release 3.4-3.6, in the order of etcd --help. */
export const ETCD_FLAG_LIST: readonly EtcdFlag[] = ROWS.map(fromRow).flatMap(({ flag: f, newDefault }) =>
  f.renamedTo !== undefined && f.featureGate === undefined ? [f, newNameOf(f, newDefault)] : [f],
);

/** Every flag of any release 3.4-3.6, by name. */
export const ETCD_FLAGS: ReadonlyMap<string, EtcdFlag> = new Map(ETCD_FLAG_LIST.map((f) => [f.name, f]));

/** The defaults of the flags that have one: flag -> version -> value. */
const FLAG_DEFAULTS: Readonly<Record<string, Partial<ByVersion<FlagValue>>>> = Object.fromEntries(
  ETCD_FLAG_LIST.filter((f) => f.default).map((f) => [f.name, f.default!]),
);

/** What --quota-backend-bytes 0 means (ETCD-FACTS.md "Space and requests"). */
export const DEFAULT_QUOTA_BYTES = 2 * GIB;

export function defaultOf(flag: string, version: EtcdMinor): FlagValue | null {
  return FLAG_DEFAULTS[flag]?.[version] ?? null;
}

/** The default as etcd --help prints it, for any version ("3.7" reads as 3.6). */
export function defaultText(flag: string, version: string): string | undefined {
  const d = defaultOf(flag, catalogueVersion(version));
  return d === null ? undefined : String(d);
}

/** What to write instead of a deprecated or removed flag: "corrupt-check-time", "feature-gates=InitialCorruptCheck=true", "log-level". */
export function replacementOf(flag: EtcdFlag): string | undefined {
  if (flag.featureGate !== undefined) return `feature-gates=${flag.featureGate}=true`;
  return flag.renamedTo ?? flag.useInstead;
}

/** Flags a supported version no longer accepts: etcd exits on an unknown flag (ETCD-FACTS.md "Flags": --enable-v2 removed in 3.6). */
export const REMOVED_FLAGS: readonly { flag: string; removedIn: EtcdMinor; why: string }[] = ETCD_FLAG_LIST.filter(
  (f): f is EtcdFlag & { removedIn: EtcdMinor } => f.removedIn !== undefined && isSupportedVersion(f.removedIn),
).map((f) => ({ flag: f.name, removedIn: f.removedIn, why: f.why ?? (replacementOf(f) ? `use --${replacementOf(f)}` : 'nothing replaces it') }));

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
  const entry = ETCD_FLAGS.get(flag);
  const old = entry?.renamedFrom !== undefined ? ETCD_FLAGS.get(entry.renamedFrom) : entry;
  if (old?.renamedTo === undefined) return { name: flag };
  const since = old.deprecatedIn!;
  if (atLeast(version, since)) {
    return flag === old.name
      ? {
          name: old.renamedTo,
          note: `--${flag} is deprecated in etcd ${since} (removed in ${old.removedIn ?? 'a later release'}): use --${replacementOf(old)}`,
        }
      : { name: flag };
  }
  return flag === old.renamedTo ? { name: old.name, note: `etcd ${version} knows --${old.renamedTo} only as --${old.name}` } : { name: flag };
}

export type FlagLookup = { known: true; flag: EtcdFlag; deprecated: boolean } | { known: false; flag?: EtcdFlag; reason: 'unknown' | 'removed' | 'not-yet' };

/** What etcd of release `version` makes of a flag name. */
export function lookupFlag(name: string, version: string): FlagLookup {
  const flag = ETCD_FLAGS.get(name);
  if (flag === undefined) return { known: false, reason: 'unknown' };
  if (!atLeast(version, flag.since)) return { known: false, flag, reason: 'not-yet' };
  if (flag.removedIn !== undefined && atLeast(version, flag.removedIn)) return { known: false, flag, reason: 'removed' };
  return { known: true, flag, deprecated: flag.deprecatedIn !== undefined && atLeast(version, flag.deprecatedIn) };
}

/** ETCD-FACTS.md "Flags, environment, versions": the environment name of a flag is ETCD_ + upper(flag, - -> _). */
export function envNameOf(flag: string): string {
  return `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
}

export function flagOfEnv(env: string): string | null {
  if (!env.startsWith('ETCD_')) return null;
  return env.slice(5).toLowerCase().replace(/_/g, '-');
}

/** ETCD_ variables etcd reads that are not flags (so etcd does not warn about them). */
export const NON_FLAG_ENV = new Set(['ETCD_UNSUPPORTED_ARCH']);
