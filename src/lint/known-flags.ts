// The etcd server flags lint knows, as data: name, value type, the releases that have it, what replaced it.
// To be unified with src/etcd/flags.ts (issue 6) at merge: this table exists only so that lint could land first.

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

export interface KnownFlag {
  name: string;
  type: FlagType;
  /** First release ("3.4" means "3.4 or earlier": lint targets 3.4 and later). */
  since: string;
  /** First release without it: etcd refuses it there. */
  removedIn?: string;
  /** The name to use instead, from `deprecatedIn` on. */
  renamedTo?: string;
  deprecatedIn?: string;
  /** For enums. */
  values?: string[];
  /** etcd's default, as etcd --help prints it. */
  default?: string;
}

type Row = [name: string, type: FlagType, extra?: Partial<KnownFlag>];

// 3.4 rows were checked against `etcd --help` and `etcd --<flag>=x --version` of etcd 3.4.23 (Debian); later
// releases from the etcd CHANGELOGs (ETCD-FACTS.md "Flags, environment, versions": --enable-v2 removed in 3.6, many
// --experimental-* renamed in 3.6 and removed in 3.7).
const ROWS: Row[] = [
  ['name', 'string', { default: 'default' }],
  ['data-dir', 'path'],
  ['wal-dir', 'path'],
  ['snapshot-count', 'uint', { default: '100000' }],
  ['heartbeat-interval', 'uint', { default: '100' }],
  ['election-timeout', 'uint', { default: '1000' }],
  ['initial-election-tick-advance', 'bool'],
  ['listen-peer-urls', 'urls', { default: 'http://localhost:2380' }],
  ['listen-client-urls', 'urls', { default: 'http://localhost:2379' }],
  ['listen-client-http-urls', 'urls', { since: '3.5' }],
  ['max-snapshots', 'uint'],
  ['max-wals', 'uint'],
  ['quota-backend-bytes', 'int', { default: '0' }],
  ['backend-batch-interval', 'duration'],
  ['backend-batch-limit', 'uint'],
  ['max-txn-ops', 'uint', { default: '128' }],
  ['max-request-bytes', 'uint', { default: '1572864' }],
  ['max-concurrent-streams', 'uint'],
  ['grpc-keepalive-min-time', 'duration'],
  ['grpc-keepalive-interval', 'duration'],
  ['grpc-keepalive-timeout', 'duration'],
  ['initial-advertise-peer-urls', 'urls', { default: 'http://localhost:2380' }],
  ['initial-cluster', 'initial-cluster', { default: 'default=http://localhost:2380' }],
  ['initial-cluster-state', 'enum', { values: ['new', 'existing'], default: 'new' }],
  ['initial-cluster-token', 'string', { default: 'etcd-cluster' }],
  ['advertise-client-urls', 'urls', { default: 'http://localhost:2379' }],
  ['discovery', 'string'],
  ['discovery-fallback', 'enum', { values: ['exit', 'proxy'], removedIn: '3.6' }],
  ['discovery-proxy', 'string'],
  ['discovery-srv', 'string'],
  ['discovery-srv-name', 'string'],
  ['discovery-token', 'string', { since: '3.6' }],
  ['discovery-endpoints', 'list', { since: '3.6' }],
  ['strict-reconfig-check', 'bool'],
  ['pre-vote', 'bool'],
  ['auto-compaction-retention', 'string', { default: '0' }],
  ['auto-compaction-mode', 'enum', { values: ['periodic', 'revision'], default: 'periodic' }],
  ['enable-v2', 'bool', { removedIn: '3.6' }],
  ['v2-deprecation', 'enum', { since: '3.5', values: ['not-yet', 'write-only', 'write-only-drop-data', 'gone'] }],
  ['cert-file', 'path'],
  ['key-file', 'path'],
  ['client-cert-auth', 'bool'],
  ['client-crl-file', 'path'],
  ['client-cert-allowed-hostname', 'string'],
  ['trusted-ca-file', 'path'],
  ['auto-tls', 'bool'],
  ['peer-cert-file', 'path'],
  ['peer-key-file', 'path'],
  ['peer-client-cert-auth', 'bool'],
  ['peer-trusted-ca-file', 'path'],
  ['peer-cert-allowed-cn', 'string'],
  ['peer-cert-allowed-hostname', 'string'],
  ['peer-auto-tls', 'bool'],
  ['peer-crl-file', 'path'],
  ['client-cert-file', 'path', { since: '3.5' }],
  ['client-key-file', 'path', { since: '3.5' }],
  ['peer-client-cert-file', 'path', { since: '3.5' }],
  ['peer-client-key-file', 'path', { since: '3.5' }],
  ['self-signed-cert-validity', 'uint', { since: '3.5' }],
  ['tls-min-version', 'enum', { since: '3.5', values: ['TLS1.2', 'TLS1.3'] }],
  ['tls-max-version', 'enum', { since: '3.5', values: ['TLS1.2', 'TLS1.3'] }],
  ['cipher-suites', 'list'],
  ['cors', 'list'],
  ['host-whitelist', 'list'],
  ['auth-token', 'string', { default: 'simple' }],
  ['bcrypt-cost', 'uint'],
  ['auth-token-ttl', 'uint'],
  ['enable-pprof', 'bool'],
  ['metrics', 'enum', { values: ['basic', 'extensive'] }],
  ['listen-metrics-urls', 'urls'],
  ['logger', 'enum', { values: ['zap', 'capnslog'], default: 'capnslog' }],
  ['log-outputs', 'list'],
  ['log-output', 'list', { removedIn: '3.5', renamedTo: 'log-outputs', deprecatedIn: '3.4' }],
  ['log-level', 'enum', { values: ['debug', 'info', 'warn', 'error', 'panic', 'fatal'] }],
  ['enable-log-rotation', 'bool', { since: '3.5' }],
  ['log-rotation-config-json', 'string', { since: '3.5' }],
  ['debug', 'bool', { removedIn: '3.5', renamedTo: 'log-level', deprecatedIn: '3.4' }],
  ['log-package-levels', 'string', { removedIn: '3.5', renamedTo: 'log-level', deprecatedIn: '3.4' }],
  ['proxy', 'enum', { values: ['off', 'readonly', 'on'], removedIn: '3.6' }],
  ['proxy-failure-wait', 'uint', { removedIn: '3.6' }],
  ['proxy-refresh-interval', 'uint', { removedIn: '3.6' }],
  ['proxy-dial-timeout', 'uint', { removedIn: '3.6' }],
  ['proxy-write-timeout', 'uint', { removedIn: '3.6' }],
  ['proxy-read-timeout', 'uint', { removedIn: '3.6' }],
  ['socket-reuse-port', 'bool', { since: '3.5' }],
  ['socket-reuse-address', 'bool', { since: '3.5' }],
  ['unsafe-no-fsync', 'bool'],
  ['force-new-cluster', 'bool'],
  ['config-file', 'path'],
  ['feature-gates', 'list', { since: '3.6' }],
  ['experimental-initial-corrupt-check', 'bool', { removedIn: '3.7', renamedTo: 'feature-gates=InitialCorruptCheck=true', deprecatedIn: '3.6' }],
  ['experimental-corrupt-check-time', 'duration', { removedIn: '3.7', renamedTo: 'corrupt-check-time', deprecatedIn: '3.6' }],
  ['corrupt-check-time', 'duration', { since: '3.6' }],
  ['experimental-enable-v2v3', 'string', { removedIn: '3.6' }],
  ['experimental-backend-bbolt-freelist-type', 'enum', { values: ['array', 'map'], removedIn: '3.7', renamedTo: 'backend-bbolt-freelist-type', deprecatedIn: '3.6' }],
  ['backend-bbolt-freelist-type', 'enum', { since: '3.6', values: ['array', 'map'] }],
  ['experimental-enable-lease-checkpoint', 'bool', { removedIn: '3.7', renamedTo: 'feature-gates=LeaseCheckpoint=true', deprecatedIn: '3.6' }],
  ['experimental-compaction-batch-limit', 'int', { removedIn: '3.7', renamedTo: 'compaction-batch-limit', deprecatedIn: '3.6' }],
  ['compaction-batch-limit', 'int', { since: '3.6' }],
  ['experimental-peer-skip-client-san-verification', 'bool', { removedIn: '3.7', renamedTo: 'peer-skip-client-san-verification', deprecatedIn: '3.6' }],
  ['peer-skip-client-san-verification', 'bool', { since: '3.6' }],
  ['experimental-watch-progress-notify-interval', 'duration', { removedIn: '3.7', renamedTo: 'watch-progress-notify-interval', deprecatedIn: '3.6' }],
  ['watch-progress-notify-interval', 'duration', { since: '3.6' }],
  ['experimental-warning-apply-duration', 'duration', { removedIn: '3.7', renamedTo: 'warning-apply-duration', deprecatedIn: '3.6' }],
  ['warning-apply-duration', 'duration', { since: '3.6' }],
  ['experimental-memory-mlock', 'bool', { since: '3.5', removedIn: '3.7', renamedTo: 'memory-mlock', deprecatedIn: '3.6' }],
  ['memory-mlock', 'bool', { since: '3.6' }],
  ['experimental-txn-mode-write-with-shared-buffer', 'bool', { since: '3.5', removedIn: '3.7', renamedTo: 'feature-gates=TxnModeWriteWithSharedBuffer=true', deprecatedIn: '3.6' }],
  ['experimental-bootstrap-defrag-threshold-megabytes', 'uint', { since: '3.5', removedIn: '3.7', renamedTo: 'bootstrap-defrag-threshold-megabytes', deprecatedIn: '3.6' }],
  ['bootstrap-defrag-threshold-megabytes', 'uint', { since: '3.6' }],
  ['experimental-max-learners', 'int', { since: '3.5', removedIn: '3.7', renamedTo: 'max-learners', deprecatedIn: '3.6' }],
  ['max-learners', 'int', { since: '3.6' }],
  ['experimental-snapshot-catchup-entries', 'uint', { since: '3.5', removedIn: '3.7', renamedTo: 'snapshot-catchup-entries', deprecatedIn: '3.6' }],
  ['snapshot-catchup-entries', 'uint', { since: '3.6' }],
  ['experimental-compaction-sleep-interval', 'duration', { since: '3.5', removedIn: '3.7', renamedTo: 'compaction-sleep-interval', deprecatedIn: '3.6' }],
  ['compaction-sleep-interval', 'duration', { since: '3.6' }],
  ['experimental-downgrade-check-time', 'duration', { since: '3.5', removedIn: '3.7', renamedTo: 'downgrade-check-time', deprecatedIn: '3.6' }],
  ['downgrade-check-time', 'duration', { since: '3.6' }],
  ['experimental-stop-grpc-service-on-defrag', 'bool', { since: '3.5', removedIn: '3.7', renamedTo: 'feature-gates=StopGRPCServiceOnDefrag=true', deprecatedIn: '3.6' }],
  ['experimental-warning-unary-request-duration', 'duration', { since: '3.5', removedIn: '3.7', renamedTo: 'warning-unary-request-duration', deprecatedIn: '3.6' }],
  ['warning-unary-request-duration', 'duration', { since: '3.6' }],
  ['experimental-enable-distributed-tracing', 'bool', { since: '3.5', removedIn: '3.7', renamedTo: 'enable-distributed-tracing', deprecatedIn: '3.6' }],
  ['enable-distributed-tracing', 'bool', { since: '3.6' }],
  ['experimental-wait-cluster-ready-timeout', 'duration', { since: '3.5', removedIn: '3.7', renamedTo: 'wait-cluster-ready-timeout', deprecatedIn: '3.6' }],
  ['experimental-enable-lease-checkpoint-persist', 'bool', { removedIn: '3.7', renamedTo: 'feature-gates=LeaseCheckpointPersist=true', deprecatedIn: '3.6' }],
];

export const KNOWN_FLAGS: ReadonlyMap<string, KnownFlag> = new Map(ROWS.map(([name, type, extra]) => [name, { name, type, since: '3.4', ...extra }]));

/** "3.4.23" or "v3.5" -> [3, 4]. */
export function minorOf(version: string): [number, number] | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function versionAtLeast(version: string, than: string): boolean {
  const a = minorOf(version);
  const b = minorOf(than);
  if (!a || !b) return false;
  return a[0] !== b[0] ? a[0] > b[0] : a[1] >= b[1];
}

export type FlagLookup =
  | { known: true; flag: KnownFlag; deprecated: boolean }
  | { known: false; flag?: KnownFlag; reason: 'unknown' | 'removed' | 'not-yet' };

/** What etcd of the target release makes of a flag name. */
export function lookupFlag(name: string, version: string): FlagLookup {
  const flag = KNOWN_FLAGS.get(name);
  if (flag === undefined) return { known: false, reason: 'unknown' };
  if (!versionAtLeast(version, flag.since)) return { known: false, flag, reason: 'not-yet' };
  if (flag.removedIn !== undefined && versionAtLeast(version, flag.removedIn)) return { known: false, flag, reason: 'removed' };
  return { known: true, flag, deprecated: flag.deprecatedIn !== undefined && versionAtLeast(version, flag.deprecatedIn) };
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
