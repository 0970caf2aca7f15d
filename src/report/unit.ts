// etcd.service and etcd.conf from the same recommended values: every option lives in etcd.conf only, never also as a flag (etcd exits on both).
import { envNameOf } from '../etcd/flags.js';
import type { Advice } from '../model/advice.js';
import type { Assumption, ClusterPeer, MemberIdentity, MemberSettings, TlsFiles } from '../model/member.js';
import { UsageError } from '../model/errors.js';
import { etcdUrls, initialCluster, MEMBER_NAME, parseEtcdUrl, printable } from '../etcd/urls.js';
import { FLAG_NAME, SAFE_WORD, UNIT_KEY } from '../model/report-schema.js';

export type { Assumption, ClusterPeer, MemberIdentity, MemberSettings, TlsFiles } from '../model/member.js';

export interface UnitFileOptions {
  member: MemberSettings;
  /** What the files had to assume, each naming the flag that would fix it: written in both headers (see memberIdentity). */
  assumptions?: Assumption[];
  etcdBinary: string;
  envFilePath: string;
  user: string;
  /** First line of both files: which run produced them. */
  provenance: string;
}

/** Single-member defaults on loopback: a unit that starts as it is, for an operator to edit to the real URLs. */
export function defaultMember(name: string): MemberSettings {
  return resolveMember({}, name);
}

/** systemd EnvironmentFile values: quote anything that is not a plain word, escaping what double quotes interpret. */
function envValue(flag: string, value: string | number): string {
  const text = String(value);
  if (typeof value === 'number' ? !Number.isFinite(value) || value < 0 : UNSAFE_IN_FILE.test(text)) {
    throw new UsageError(`etcd.conf: refusing --${flag}="${printable(text)}": a value there must not hold a newline or other control character`);
  }
  return /^[A-Za-z0-9_.,:/=@+-]*$/.test(text) ? text : `"${text.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** Bytes that would end a line or cut it short: no value of etcd.conf holds one ("$", quotes and the rest are quoted by envValue). */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_FILE = /[\x00-\x1f\x7f]/;

/** Comment lines: every line of the text commented, control characters shown as \xNN so that none ends a line. */
function comment(text: string): string[] {
  return text.split(/\r?\n|\r/).map((l) => `# ${printable(l)}`);
}

/** "setting=value: why." for the files' header and the terminal alike. */
export function assumptionText(a: Assumption): string {
  return `${a.setting}=${a.assumed}: ${a.why.replace(/\.?$/, '.')}`;
}

/** The header lines that say what the files assumed and which flag of the tool would have told it. */
export function assumptionLines(assumptions: readonly Assumption[] | undefined): string[] {
  if (assumptions === undefined || assumptions.length === 0) return [];
  return ['ASSUMED (not known to the tool; check before installing):', ...assumptions.map((a) => `  ${assumptionText(a)} Give ${a.fix} to set it.`)].flatMap(
    comment,
  );
}

export function renderEnvFile(advice: Advice, options: UnitFileOptions): string {
  const m = options.member;
  const lines = [
    ...comment(options.provenance),
    ...assumptionLines(options.assumptions),
    ...comment(`etcd ${advice.etcdVersion} environment file, read by etcd.service (EnvironmentFile=${options.envFilePath}).`),
    '# Every option is set here and nowhere else: etcd refuses to start when a flag and its ETCD_* variable are both set.',
    '',
    options.assumptions === undefined
      ? "# Member identity and URLs: edit to this member's real addresses."
      : options.assumptions.length > 0
        ? "# Member identity and URLs: check what is ASSUMED above against this member's real values."
        : '# Member identity and URLs of this member.',
  ];
  const member: [string, string][] = [
    ['name', m.name],
    ['data-dir', m.dataDir],
    ['listen-client-urls', m.listenClientUrls],
    ['advertise-client-urls', m.advertiseClientUrls],
    ['listen-peer-urls', m.listenPeerUrls],
    ['initial-advertise-peer-urls', m.initialAdvertisePeerUrls],
    ['initial-cluster', m.initialCluster],
    ['initial-cluster-state', m.initialClusterState],
    ['initial-cluster-token', m.initialClusterToken],
  ];
  const seen = new Set<string>();
  const set = (flag: string, value: string | number): string => {
    // One variable per option: a second one would silently win over the first.
    if (seen.has(flag)) throw new Error(`etcd.conf would set --${flag} twice`);
    seen.add(flag);
    if (!FLAG_NAME.test(flag))
      throw new UsageError(`etcd.conf: refusing the flag name "${printable(flag)}": etcd flags are lower-case letters, digits and "-"`);
    return `${envNameOf(flag)}=${envValue(flag, value)}`;
  };
  for (const [flag, value] of member) lines.push(set(flag, value));
  if (m.tls) {
    lines.push(
      '',
      '# TLS on both sides: clients and peers must present a certificate signed by the trusted CA.',
      "# Every member's IP and hostname must be in the certificates' SANs.",
    );
    const tls: [string, string][] = [
      ['cert-file', m.tls.certFile],
      ['key-file', m.tls.keyFile],
      ['trusted-ca-file', m.tls.trustedCaFile],
      ['client-cert-auth', 'true'],
      ['peer-cert-file', m.tls.peerCertFile],
      ['peer-key-file', m.tls.peerKeyFile],
      ['peer-trusted-ca-file', m.tls.peerTrustedCaFile],
      ['peer-client-cert-auth', 'true'],
    ];
    for (const [flag, value] of tls) lines.push(set(flag, value));
  }
  lines.push('', '# Tuning from the measurements of this run.');
  for (const f of advice.flags) {
    lines.push(
      ...comment(
        `--${f.flag}: ${f.reason} Measured: ${f.basis}. Default: ${f.default ?? 'none'}.${f.current ? ` Current: ${f.current.value}.` : ''}${f.sameOnEveryMember ? ` ${f.sameOnEveryMember}` : ''}`,
      ),
    );
    lines.push(set(f.flag, f.value));
  }
  return lines.join('\n') + '\n';
}

export function renderUnitFile(advice: Advice, options: UnitFileOptions): string {
  const lines = [
    ...comment(options.provenance),
    ...assumptionLines(options.assumptions),
    '# Install: copy to /etc/systemd/system/etcd.service and etcd.conf to ' +
      options.envFilePath +
      ', then systemctl daemon-reload && systemctl enable --now etcd',
    '[Unit]',
    'Description=etcd key-value store',
    'Documentation=https://etcd.io/docs/',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=notify',
    `User=${options.user}`,
    `EnvironmentFile=${options.envFilePath}`,
    '# No flags here: every option is in the environment file; etcd exits when a flag and its ETCD_* variable are both set.',
    `ExecStart=${options.etcdBinary}`,
    'Restart=always',
    'RestartSec=10s',
  ];
  let lastReason = '';
  for (const s of advice.unitSettings) {
    if (s.reason !== lastReason) lines.push(...comment(s.reason));
    lastReason = s.reason;
    if (!UNIT_KEY.test(s.key) || !SAFE_WORD.test(s.value))
      throw new UsageError(`etcd.service: refusing the setting ${printable(s.key)}=${printable(s.value)}: a [Service] setting here is a name and one word`);
    lines.push(`${s.key}=${s.value}`);
  }
  lines.push('', '[Install]', 'WantedBy=multi-user.target');
  return lines.join('\n') + '\n';
}

/** Member identity, URLs and TLS files as an operator gives them; everything is optional. */
export interface MemberOptions {
  name?: string | undefined;
  dataDir?: string | undefined;
  initialCluster?: string | undefined;
  initialClusterState?: 'new' | 'existing' | undefined;
  initialClusterToken?: string | undefined;
  listenClientUrls?: string | undefined;
  advertiseClientUrls?: string | undefined;
  listenPeerUrls?: string | undefined;
  initialAdvertisePeerUrls?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  trustedCaFile?: string | undefined;
  peerCertFile?: string | undefined;
  peerKeyFile?: string | undefined;
  peerTrustedCaFile?: string | undefined;
}

/** etcd's default ports: 2379 for clients, 2380 for peers. */
const CLIENT_PORT = 2379;
const PEER_PORT = 2380;

/** One option's URLs by etcd's rules (the parser lint uses), all of the scheme the TLS files call for. */
function urlList(option: string, text: string, scheme: 'http' | 'https'): string {
  const urls = etcdUrls(`--${option}`, text);
  for (const url of urls) {
    const u = url.text;
    if (url.scheme !== scheme)
      throw new UsageError(
        scheme === 'https'
          ? `--${option}: "${u}" uses http:// but TLS files were given: use https://`
          : `--${option}: "${u}" uses https:// but no TLS files were given (--cert-file, --key-file, --trusted-ca-file)`,
      );
  }
  return urls.map((u) => u.text).join(',');
}

/** "a=http://10.0.0.1:2380,b=..." -> member name -> its peer URLs, refused in lint's words where etcd would refuse it. */
function parseInitialCluster(text: string, scheme: 'http' | 'https'): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const [name, urls] of initialCluster('--initial-cluster', text))
    members.set(name, [urlList('initial-cluster', urls.map((u) => u.text).join(','), scheme)]);
  return members;
}

/**
 * A path that goes into etcd.conf: absolute (etcd under systemd starts in /), and nothing systemd or etcd would read
 * otherwise: no control character (a newline would add a line), no "$", "%", quote, backquote or backslash.
 */
export function checkUnitPath(option: string, path: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f$%`"'\\]/.test(path))
    throw new UsageError(`${option} "${printable(path)}": a path in etcd.conf must not hold a newline, control character, "$", "%", quote or backslash`);
  if (!path.startsWith('/')) throw new UsageError(`${option} "${path}": give an absolute path (etcd started by systemd does not run in this directory)`);
  return path;
}

function sameUrls(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .split(',')
      .map((u) => {
        const parsed = parseEtcdUrl(u);
        return typeof parsed === 'string' ? u.trim() : parsed.text;
      })
      .sort()
      .join(',');
  return norm(a) === norm(b);
}

/**
 * The member settings of etcd.conf from what the operator gave, filling the rest so that the files start as they are,
 * and refusing combinations etcd itself would refuse (ETCD-FACTS.md "Flags": --name must appear in --initial-cluster).
 */
export function resolveMember(o: MemberOptions, fallbackName: string): MemberSettings {
  const tlsGiven = [o.certFile, o.keyFile, o.trustedCaFile, o.peerCertFile, o.peerKeyFile, o.peerTrustedCaFile].some((f) => f !== undefined);
  const scheme = tlsGiven ? 'https' : 'http';
  const name = o.name ?? fallbackName;
  if (!MEMBER_NAME.test(name)) throw new UsageError(`--name "${printable(name)}": use letters, digits, ".", "_" and "-" only`);
  const token = o.initialClusterToken ?? 'etcd-cluster';
  if (!MEMBER_NAME.test(token)) throw new UsageError(`--initial-cluster-token "${printable(token)}": use letters, digits, ".", "_" and "-" only`);
  const cluster = o.initialCluster === undefined ? null : parseInitialCluster(o.initialCluster, scheme);
  const state = o.initialClusterState ?? 'new';
  if (cluster && state === 'new' && !cluster.has(name))
    throw new UsageError(`--initial-cluster has no member named "${name}" (--name): etcd refuses to start a new cluster without it`);
  const ownPeerUrls = cluster?.get(name)?.join(',');
  const advertisePeer =
    o.initialAdvertisePeerUrls !== undefined
      ? urlList('initial-advertise-peer-urls', o.initialAdvertisePeerUrls, scheme)
      : (ownPeerUrls ?? `${scheme}://127.0.0.1:${PEER_PORT}`);
  if (ownPeerUrls !== undefined && !sameUrls(ownPeerUrls, advertisePeer))
    throw new UsageError(
      `--initial-advertise-peer-urls (${advertisePeer}) differs from "${name}" in --initial-cluster (${ownPeerUrls}): etcd refuses to start`,
    );
  const listenClient = o.listenClientUrls !== undefined ? urlList('listen-client-urls', o.listenClientUrls, scheme) : undefined;
  const advertiseClient =
    o.advertiseClientUrls !== undefined
      ? urlList('advertise-client-urls', o.advertiseClientUrls, scheme)
      : (listenClient ?? `${scheme}://127.0.0.1:${CLIENT_PORT}`);
  if (/\/\/(0\.0\.0\.0|\[::\])[:/]/.test(advertiseClient))
    throw new UsageError('--advertise-client-urls must be addresses clients can reach, not 0.0.0.0: give --advertise-client-urls');
  let tls: TlsFiles | undefined;
  if (tlsGiven) {
    // One side's files stand in for the other's: a single certificate with both usages serves clients and peers.
    const pick = (own: string | undefined, other: string | undefined, option: string): string => {
      const file = own ?? other;
      if (file === undefined) throw new UsageError(`TLS needs ${option} (or its peer/client counterpart) when any TLS file is given`);
      // Named by the option it was given as: --key-file stands in for --peer-key-file.
      const counterpart = option.startsWith('--peer-') ? `--${option.slice('--peer-'.length)}` : `--peer-${option.slice(2)}`;
      return checkUnitPath(own !== undefined ? option : counterpart, file);
    };
    tls = {
      certFile: pick(o.certFile, o.peerCertFile, '--cert-file'),
      keyFile: pick(o.keyFile, o.peerKeyFile, '--key-file'),
      trustedCaFile: pick(o.trustedCaFile, o.peerTrustedCaFile, '--trusted-ca-file'),
      peerCertFile: pick(o.peerCertFile, o.certFile, '--peer-cert-file'),
      peerKeyFile: pick(o.peerKeyFile, o.keyFile, '--peer-key-file'),
      peerTrustedCaFile: pick(o.peerTrustedCaFile, o.trustedCaFile, '--peer-trusted-ca-file'),
    };
  }
  return {
    name,
    dataDir: checkUnitPath('--data-dir', o.dataDir ?? '/var/lib/etcd'),
    listenClientUrls: listenClient ?? advertiseClient,
    advertiseClientUrls: advertiseClient,
    listenPeerUrls: o.listenPeerUrls !== undefined ? urlList('listen-peer-urls', o.listenPeerUrls, scheme) : advertisePeer,
    initialAdvertisePeerUrls: advertisePeer,
    initialCluster: cluster
      ? [...cluster].flatMap(([n, urls]) => urls.map((u) => `${n}=${u}`)).join(',')
      : advertisePeer
          .split(',')
          .map((u) => `${name}=${u}`)
          .join(','),
    initialClusterState: state,
    initialClusterToken: token,
    ...(tls ? { tls } : {}),
  };
}

/**
 * Everything known about the member whose files are generated. `members` is the whole cluster: a running cluster's
 * member list (`running: true`), or the planned members of a new cluster. Every field is optional; what is missing is
 * assumed and said (see MemberIdentity.assumptions).
 */
export interface MemberIdentityInput extends MemberOptions {
  members?: readonly ClusterPeer[];
  /** The members come from a running cluster: this member joins it (initial-cluster-state existing). */
  running?: boolean;
  /** This node's own addresses (IPs or host names): a member whose peer URL points at one of them is this node. */
  localAddresses?: readonly string[];
  /** The name the files use when nothing names the member (the host's short name). */
  fallbackName: string;
  /** The directory the run qualified: the data directory unless --data-dir says otherwise. */
  qualifiedDataDir?: string | undefined;
}

/** The host of a URL, without IPv6 brackets; null when it is not a URL. */
function hostOf(url: string): string | null {
  const parsed = parseEtcdUrl(url);
  return typeof parsed === 'string' ? null : parsed.host;
}

/** Linux routes all of 127.0.0.0/8 to the loopback interface: a node with 127.0.0.1 owns every 127.x address. */
const isLocal = (host: string | null, local: readonly string[]): boolean =>
  host !== null && (local.includes(host) || (host.startsWith('127.') && local.includes('127.0.0.1')));

function replacePort(url: string, port: number): string {
  const u = parseEtcdUrl(url);
  if (typeof u === 'string') throw new UsageError(`member URL ${u}`);
  return `${u.scheme}://${u.host.includes(':') ? `[${u.host}]` : u.host}:${port}`;
}

/**
 * The member identity API: this member's name, URLs, full --initial-cluster, state, TLS files and data directory,
 * from the cluster it belongs to and what the operator gave. `run` uses it with a live member list, the `cluster`
 * command for each member of a planned cluster. What it cannot know it assumes and lists, naming the flag to give.
 */
export function memberIdentity(input: MemberIdentityInput): MemberIdentity {
  const assumptions: Assumption[] = [];
  const members = (input.members ?? []).filter((m) => m.peerUrls.length > 0);
  const local = input.localAddresses ?? [];
  const tlsGiven = [input.certFile, input.keyFile, input.trustedCaFile, input.peerCertFile, input.peerKeyFile, input.peerTrustedCaFile].some(
    (f) => f !== undefined,
  );
  // Which entry of the member list is this member: by its name, else an unnamed (added, unstarted) entry on this node.
  let self: ClusterPeer | undefined;
  let matchedBy: string | null = null;
  if (input.name !== undefined) {
    self = members.find((m) => m.name === input.name);
    if (self) matchedBy = 'by name';
  }
  if (self === undefined && input.initialAdvertisePeerUrls !== undefined) {
    const wanted = input.initialAdvertisePeerUrls.split(',').map((u) => u.trim());
    self = members.find((m) => m.peerUrls.some((u) => wanted.includes(u)) && (m.name === '' || m.name === input.name));
    if (self) matchedBy = 'by --initial-advertise-peer-urls';
  }
  if (self === undefined && local.length > 0) {
    const here = members.filter((m) => m.peerUrls.some((u) => isLocal(hostOf(u), local)));
    // Several members on this node (a test cluster on loopback): only an unstarted one, or the named one, can be this member.
    const candidates = here.length > 1 ? here.filter((m) => m.name === '' || m.name === input.name) : here;
    if (candidates.length === 1) {
      self = candidates[0];
      matchedBy = `by peer URL ${self!.peerUrls[0]} on this node`;
    }
  }
  const name = input.name ?? (self?.name || undefined);
  if (name === undefined)
    assumptions.push({
      setting: 'name',
      assumed: input.fallbackName,
      why: members.length > 0 ? 'no member of the cluster has a peer URL on this node' : "no member name was given; the host's short name stands in",
      fix: '--name',
    });
  const memberName = name ?? input.fallbackName;
  const running = input.running === true && members.length > 0;
  const scheme = tlsGiven || members.some((m) => m.peerUrls.some((u) => u.startsWith('https:'))) ? 'https' : 'http';

  // This member's own peer URLs: the operator's, its entry in the member list, else this node's address on etcd's port.
  let peerUrls = input.initialAdvertisePeerUrls ?? self?.peerUrls.join(',');
  if (peerUrls === undefined && input.initialCluster === undefined) {
    const address = local.find((a) => a !== '127.0.0.1' && a !== '::1' && a !== 'localhost') ?? '127.0.0.1';
    peerUrls = `${scheme}://${address.includes(':') ? `[${address}]` : address}:${PEER_PORT}`;
    assumptions.push({
      setting: 'initial-advertise-peer-urls',
      assumed: peerUrls,
      why: "this member's peer URL is not in the member list and was not given",
      fix: '--initial-advertise-peer-urls',
    });
  }
  let clientUrls = input.advertiseClientUrls ?? input.listenClientUrls ?? (self && self.clientUrls.length > 0 ? self.clientUrls.join(',') : undefined);
  if (clientUrls === undefined && peerUrls !== undefined) {
    clientUrls = peerUrls
      .split(',')
      .map((u) => replacePort(u, CLIENT_PORT))
      .join(',');
    assumptions.push({
      setting: 'advertise-client-urls',
      assumed: clientUrls,
      why: "the client URL is etcd's port 2379 on the peer URL's host",
      fix: '--advertise-client-urls',
    });
  }

  // The full --initial-cluster: every named member, plus this one (an unstarted entry has no name yet: it is this member's).
  let initialCluster = input.initialCluster;
  if (initialCluster === undefined && members.length > 0) {
    const entries: string[] = [];
    const own = (peerUrls ?? '')
      .split(',')
      .filter((u) => u !== '')
      .map((u) => `${memberName}=${u}`);
    for (const m of members) {
      // In the member list's order, so that every member of a cluster gets the same --initial-cluster text.
      if (m === self) {
        entries.push(...own);
        continue;
      }
      if (m.name === '') {
        assumptions.push({
          setting: 'initial-cluster',
          assumed: `without ${m.peerUrls.join(',')}`,
          why: 'a member was added but never started, so it has no name yet',
          fix: '--initial-cluster',
        });
        continue;
      }
      entries.push(...m.peerUrls.map((u) => `${m.name}=${u}`));
    }
    if (self === undefined) entries.push(...own);
    // By name, stably: a member list comes in id order, and every member of the cluster should read the same text.
    initialCluster = entries.sort((a, b) => a.localeCompare(b)).join(',');
  }
  const state = input.initialClusterState ?? (running ? 'existing' : 'new');

  const dataDir = input.dataDir ?? input.qualifiedDataDir;
  if (dataDir === undefined)
    assumptions.push({
      setting: 'data-dir',
      assumed: '/var/lib/etcd',
      why: 'the run did not qualify a data directory',
      fix: '--target-data-dir (or run with --data-dir on the disk etcd will use)',
    });

  // With TLS in the cluster but no files given, the files cannot start: say which files are needed.
  const tls: Partial<MemberOptions> = {};
  if (!tlsGiven && scheme === 'https') {
    for (const [flag, key] of [
      ['cert-file', 'certFile'],
      ['key-file', 'keyFile'],
      ['trusted-ca-file', 'trustedCaFile'],
    ] as const) {
      tls[key] = `/etc/etcd/pki/${flag === 'trusted-ca-file' ? 'ca.pem' : flag === 'cert-file' ? `${memberName}.pem` : `${memberName}-key.pem`}`;
      assumptions.push({ setting: flag, assumed: tls[key]!, why: 'the cluster uses TLS but no certificate for this member was given', fix: `--${flag}` });
    }
  }
  const options: MemberOptions = {
    ...input,
    ...tls,
    name: memberName,
    ...(dataDir !== undefined ? { dataDir } : {}),
    initialClusterState: state,
    ...(initialCluster !== undefined ? { initialCluster } : {}),
    ...(peerUrls !== undefined ? { initialAdvertisePeerUrls: peerUrls } : {}),
    ...(clientUrls !== undefined && input.listenClientUrls === undefined ? { advertiseClientUrls: clientUrls } : {}),
  };
  const member = resolveMember(options, memberName);
  return { member, assumptions, needsMemberAdd: running && self === undefined, matchedBy };
}
