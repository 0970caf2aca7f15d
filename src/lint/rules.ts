// The lint rules: data (id, source) plus a pure function from a member's resolved settings and file facts to findings.
import { isIP } from 'node:net';
// The etcd limits lint checks against are the advisor's: one constant per fact of ETCD-FACTS.md.
import { ELECTION_PER_HEARTBEAT, ELECTION_PER_RTT, MAX_ELECTION_MS } from '../advisor/rules/advice-election-timeout.js';
import { WARN_MAX_REQUEST_BYTES } from '../advisor/rules/advice-max-request-bytes.js';
import { MAX_SUGGESTED_QUOTA_BYTES } from '../advisor/rules/advice-quota-backend-bytes.js';
import { finding, type Finding } from './findings.js';
import type { MemberFacts } from './facts.js';
import { DEFAULT_ELECTION_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_REQUEST_BYTES, defaultText, envNameOf, ETCD_FLAGS, lookupFlag, NON_FLAG_ENV, replacementOf } from '../etcd/flags.js';
import { insteadOf } from '../etcd/upgrade.js';
import { retiredValues } from './upgrade.js';
import { anchor, valueOr, type MemberConfig, type Setting } from './settings.js';
import { shellSyntaxIn } from './systemd.js';
import { goBoolValue, isGoBool, parseGoUint, parseInitialCluster, parseUrlList, valueProblem } from './values.js';

/** ETCD-FACTS.md "Heartbeat and election": heartbeat "normally 0.5-1.5x the RTT": below half the RTT it is too short. */
export const HEARTBEAT_MIN_RTT_RATIO = 0.5;
/** Advisor's judgment: more than 5x the advised value only slows failure detection. */
export const FAR_ABOVE_ADVICE_FACTOR = 5;
/** Advisor's margin: a certificate that expires within 30 days needs renewing now. */
export const CERT_EXPIRY_WARN_DAYS = 30;

/** What --report says about the network, through the advisor's own heartbeat and election rules. */
export interface RttBasis {
  rttP99Ms: number;
  basis: string;
  heartbeatMs: number | null;
  electionMs: number | null;
}

export interface MemberContext {
  member: MemberConfig;
  settings: Map<string, Setting>;
  facts: MemberFacts;
  version: string;
  now: Date;
  rtt: RttBasis | null;
}

export interface MemberRule {
  id: string;
  source: string;
  check(ctx: MemberContext): Finding[];
}

export interface ClusterRule {
  id: string;
  source: string;
  check(members: readonly MemberContext[]): Finding[];
}

const at = (s: Setting) => ({ file: s.file, line: s.line });
const where = (s: Setting) => `${s.file}${s.line !== null ? `:${s.line}` : ''}`;
const isLoopbackHost = (h: string) => h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;

function closestFlag(name: string): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const known of ETCD_FLAGS.keys()) {
    const d = editDistance(name, known);
    if (d < bestD) {
      best = known;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function uintSetting(settings: ReadonlyMap<string, Setting>, flag: string, version: string): number | null {
  const v = valueOr(settings, flag, version);
  return v === undefined ? null : parseGoUint(v);
}

function boolSetting(settings: ReadonlyMap<string, Setting>, flag: string): boolean {
  const v = settings.get(flag)?.value;
  return v !== undefined && isGoBool(v) && goBoolValue(v);
}

/** Flags etcd does not know in the target release; renamed ones; ETCD_ variables it ignores. */
export const flagNames: MemberRule = {
  id: 'etcd.flag-unknown',
  source: 'etcd --help of each release; ETCD-FACTS.md "Flags, environment, versions" (3.6 removals and renames)',
  check({ member, version }) {
    const out: Finding[] = [];
    const usesConfigFile = member.configFile?.found === true;
    for (const s of member.flags) {
      const l = lookupFlag(s.flag, version);
      if (!l.known) {
        const hint = l.reason === 'removed' ? ` (removed in ${l.flag!.removedIn}${replacementOf(l.flag!) ? `; use --${replacementOf(l.flag!)}` : ''})` : l.reason === 'not-yet' ? ` (added in ${l.flag!.since})` : closestFlag(s.flag) ? ` (did you mean --${closestFlag(s.flag)}?)` : '';
        out.push(finding('error', 'etcd.flag-unknown', s.file, s.line, s.flag, `etcd ${version} has no --${s.flag}${hint}: it refuses to start ("flag provided but not defined"). Fix: ${l.reason === 'removed' && replacementOf(l.flag!) ? `replace it with --${replacementOf(l.flag!)}` : 'remove it'}.`));
      } else if (l.deprecated) {
        out.push(finding('warning', 'etcd.flag-deprecated', s.file, s.line, s.flag, `--${s.flag} is deprecated in etcd ${l.flag.deprecatedIn} and goes away in ${l.flag.removedIn ?? 'a later release'}. Fix: ${insteadOf(s.flag)}.`));
      }
    }
    for (const s of member.env) {
      if (NON_FLAG_ENV.has(s.written)) continue;
      const l = lookupFlag(s.flag, version);
      if (!l.known) {
        const hint = l.reason === 'removed' ? ` (--${s.flag} was removed in ${l.flag!.removedIn})` : l.reason === 'not-yet' ? ` (--${s.flag} was added in ${l.flag!.since})` : closestFlag(s.flag) ? ` (did you mean ${envNameOf(closestFlag(s.flag)!)}?)` : '';
        out.push(finding('warning', 'etcd.env-unknown', s.file, s.line, s.flag, `${s.written} is not a flag of etcd ${version}${hint}: etcd logs "unrecognized environment variable" and ignores it. Fix: remove it or fix its name.`));
      } else if (l.deprecated) {
        out.push(finding('warning', 'etcd.flag-deprecated', s.file, s.line, s.flag, `${s.written} (--${s.flag}) is deprecated in etcd ${l.flag.deprecatedIn} and goes away in ${l.flag.removedIn ?? 'a later release'}. Fix: ${replacementOf(l.flag) !== undefined ? `use ${envNameOf(replacementOf(l.flag)!.split('=')[0]!)}${replacementOf(l.flag)!.includes('=') ? `=${replacementOf(l.flag)!.split('=').slice(1).join('=')}` : ''} instead` : insteadOf(s.flag)}.`));
      }
    }
    for (const s of member.yaml) {
      const l = lookupFlag(s.flag, version);
      if (!l.known && l.reason !== 'unknown') out.push(finding('warning', 'etcd.flag-unknown', s.file, s.line, s.flag, `"${s.written}" is not read by etcd ${version} (${l.reason === 'removed' ? `removed in ${l.flag!.removedIn}` : `added in ${l.flag!.since}`}): etcd ignores it. Fix: remove it${l.flag && replacementOf(l.flag) ? ` or use "${replacementOf(l.flag)}"` : ''}.`));
    }
    if (usesConfigFile) {
      const ignored = [...member.flags, ...member.env].filter((s) => s.flag !== 'config-file');
      if (ignored.length > 0) out.push(finding('warning', 'etcd.config-file-shadows', member.configFile!.setting.file, member.configFile!.setting.line, 'config-file', `With --config-file etcd reads only ${member.configFile!.path} and ignores ${ignored.map((s) => s.written).join(', ')}. Fix: move these settings into the config file.`));
    }
    return out;
  },
};

/** ETCD-FACTS.md "Flags, environment, versions": a flag and its ETCD_ variable together is fatal. */
export const flagEnvConflict: MemberRule = {
  id: 'etcd.flag-env-conflict',
  source: 'ETCD-FACTS.md Flags, environment, versions: "conflicting environment variable is shadowed by corresponding command-line flag" (fatal)',
  check({ member }) {
    if (member.configFile?.found) return [];
    const out: Finding[] = [];
    for (const e of member.env) {
      const f = member.flags.find((s) => s.flag === e.flag);
      if (f) out.push(finding('error', this.id, e.file, e.line, e.flag, `${e.written} is set here and --${e.flag} on the command line (${where(f)}): etcd refuses to start ("conflicting environment variable ${e.written} is shadowed by corresponding command-line flag"). Fix: keep only one of them.`));
    }
    const seen = new Map<string, Setting>();
    for (const f of member.flags) {
      const first = seen.get(f.flag);
      if (first) out.push(finding('warning', 'etcd.duplicate-flag', f.file, f.line, f.flag, `--${f.flag} is given twice (first at ${where(first)}): etcd uses the last value, "${f.value}". Fix: keep one.`));
      else seen.set(f.flag, f);
    }
    return out;
  },
};

/** Values etcd cannot parse, listen URLs it cannot bind, https without a certificate. */
export const values: MemberRule = {
  id: 'etcd.value',
  source: "Go strconv/time parsers as etcd's flags use them; etcd types.NewURLs; etcd 3.4 \"expected IP in URL for binding\"",
  check({ member, settings, version }) {
    const out: Finding[] = [];
    for (const s of settings.values()) {
      const flag = ETCD_FLAGS.get(s.flag);
      // Shell syntax has its own finding (systemd.shell-syntax), or a shell wrapper computes it.
      if (flag === undefined || shellSyntaxIn(s.value) !== null) continue;
      const problem = valueProblem(flag, s.value);
      if (problem) out.push(finding('error', 'etcd.value', s.file, s.line, s.flag, `${s.written}: ${problem}. etcd refuses to start${s.origin === 'yaml' ? ' (it cannot read the config file)' : ` ("invalid value for flag -${s.flag}")`}. Fix: give a value of the right form${defaultText(s.flag, version) !== undefined ? `, e.g. the default ${defaultText(s.flag, version)}` : ''}.`));
    }
    for (const flag of ['listen-client-urls', 'listen-peer-urls', 'listen-metrics-urls', 'listen-client-http-urls']) {
      const s = settings.get(flag);
      if (!s) continue;
      for (const u of parseUrlList(s.value).urls) {
        if (u.scheme.startsWith('unix')) continue;
        if (isIP(u.host) === 0 && u.host !== 'localhost' && u.host !== '') out.push(finding('error', 'etcd.url', s.file, s.line, flag, `--${flag} names host "${u.host}": etcd binds listen URLs to IP addresses only and refuses to start ("expected IP in URL for binding"). Fix: use the IP of that interface (or 0.0.0.0), and put the name in the advertise URLs.`));
      }
    }
    for (const [side, listen, cert, auto] of [['client', 'listen-client-urls', 'cert-file', 'auto-tls'], ['peer', 'listen-peer-urls', 'peer-cert-file', 'peer-auto-tls']] as const) {
      const urls = parseUrlList(valueOr(settings, listen, version) ?? '').urls;
      if (urls.some((u) => u.scheme === 'https' || u.scheme === 'unixs') && !settings.get(cert)?.value && !boolSetting(settings, auto)) {
        const a = anchor(member, settings, listen);
        out.push(finding('error', 'tls.missing-cert', a.file, a.line, cert, `--${listen} uses https but no --${cert} (nor --${auto}) is set: etcd refuses to start the ${side} listener. Fix: set --${cert} and --${cert.replace('cert', 'key')}.`));
      }
    }
    return out;
  },
};

/** ETCD-FACTS.md "Heartbeat and election" validation. */
export const timing: MemberRule = {
  id: 'etcd.timing',
  source: 'ETCD-FACTS.md Heartbeat and election: etcd refuses 5*heartbeat > election, election > 50000, zero values',
  check({ member, settings, version }) {
    const hb = uintSetting(settings, 'heartbeat-interval', version);
    const el = uintSetting(settings, 'election-timeout', version);
    if (hb === null || el === null) return [];
    const a = anchor(member, settings, settings.has('election-timeout') ? 'election-timeout' : 'heartbeat-interval');
    if (hb === 0 || el === 0) return [finding('error', this.id, a.file, a.line, hb === 0 ? 'heartbeat-interval' : 'election-timeout', `--heartbeat-interval=${hb} --election-timeout=${el}: etcd refuses zero values. Fix: --heartbeat-interval=${DEFAULT_HEARTBEAT_MS} --election-timeout=${DEFAULT_ELECTION_MS} (the defaults), or values sized from the measured RTT.`)];
    if (ELECTION_PER_HEARTBEAT * hb > el) return [finding('error', this.id, a.file, a.line, 'election-timeout', `--election-timeout=${el} is below ${ELECTION_PER_HEARTBEAT} x --heartbeat-interval=${hb}: etcd refuses to start ("--election-timeout[${el}ms] should be at least as 5 times as --heartbeat-interval[${hb}ms]"). Fix: --election-timeout=${Math.max(ELECTION_PER_HEARTBEAT * hb, 10 * hb)}.`)];
    if (el > MAX_ELECTION_MS) return [finding('error', this.id, a.file, a.line, 'election-timeout', `--election-timeout=${el} is above ${MAX_ELECTION_MS} ms: etcd refuses to start ("--election-timeout[${el}ms] is too long"). Fix: --election-timeout=${MAX_ELECTION_MS} at most.`)];
    if (el % hb !== 0) return [finding('info', this.id, a.file, a.line, 'election-timeout', `--election-timeout=${el} is not a multiple of --heartbeat-interval=${hb}: etcd counts whole heartbeats (${Math.floor(el / hb)} ticks, ${Math.floor(el / hb) * hb} ms). Fix: --election-timeout=${Math.floor(el / hb) * hb} or ${Math.ceil(el / hb) * hb}.`)];
    return [];
  },
};

/** ETCD-FACTS.md: --name must appear in --initial-cluster with state new; its URLs must be the advertised peer URLs. */
export const initialCluster: MemberRule = {
  id: 'etcd.initial-cluster',
  source: 'ETCD-FACTS.md Flags, environment, versions: --name must appear in --initial-cluster when --initial-cluster-state=new',
  check({ member, settings, version }) {
    const ic = settings.get('initial-cluster');
    if (!ic || settings.get('discovery')?.value || settings.get('discovery-srv')?.value) return [];
    const name = valueOr(settings, 'name', version) ?? 'default';
    const state = valueOr(settings, 'initial-cluster-state', version) ?? 'new';
    const { members, problems } = parseInitialCluster(ic.value);
    if (problems.length > 0) return [];
    if (!members.has(name)) {
      if (state !== 'new') return [];
      return [finding('error', this.id, ic.file, ic.line, 'initial-cluster', `--name "${name}" is not in --initial-cluster (${[...members.keys()].join(', ')}): with --initial-cluster-state=new etcd refuses to start ("couldn't find local name in the initial cluster configuration"). Fix: add ${name}=<this member's peer URL> to --initial-cluster, or set --name to one of its names.`)];
    }
    const adv = valueOr(settings, 'initial-advertise-peer-urls', version) ?? '';
    const listed = [...(members.get(name) ?? [])].map((u) => u.replace(/\/$/, '')).sort();
    const advertised = adv.split(',').map((u) => u.trim().replace(/\/$/, '')).filter((u) => u !== '').sort();
    if (listed.join(',') !== advertised.join(',')) {
      const a = anchor(member, settings, 'initial-advertise-peer-urls');
      return [finding('error', this.id, a.file, a.line, 'initial-advertise-peer-urls', `--initial-cluster gives ${name}=${listed.join(',')} but --initial-advertise-peer-urls is ${advertised.join(',') || '(default http://localhost:2380)'}: etcd refuses to start ("--initial-cluster has ... but missing from --initial-advertise-peer-urls"). Fix: make them the same URLs.`)];
    }
    return [];
  },
};

/** ETCD-FACTS.md "Space and requests": quota above 8 GiB, requests above 10 MiB. */
export const spaceLimits: MemberRule = {
  id: 'risk.space',
  source: 'ETCD-FACTS.md Space and requests: quota suggested maximum 8 GiB; max-request-bytes above 10 MiB warned by etcd',
  check({ settings }) {
    const out: Finding[] = [];
    const quota = settings.get('quota-backend-bytes');
    const q = quota ? parseGoUint(quota.value) : null;
    if (quota && q !== null && q > MAX_SUGGESTED_QUOTA_BYTES) out.push(finding('warning', 'risk.quota', quota.file, quota.line, 'quota-backend-bytes', `--quota-backend-bytes=${quota.value} (${(q / 2 ** 30).toFixed(1)} GiB) is above the suggested maximum of 8 GiB: etcd logs "quota exceeds the maximum value", and a bigger db makes snapshots, defrags and member recovery slow. Fix: --quota-backend-bytes=${MAX_SUGGESTED_QUOTA_BYTES}, and compact more often.`));
    const req = settings.get('max-request-bytes');
    const r = req ? parseGoUint(req.value) : null;
    if (req && r !== null && r > WARN_MAX_REQUEST_BYTES) out.push(finding('warning', 'risk.max-request-bytes', req.file, req.line, 'max-request-bytes', `--max-request-bytes=${req.value} (${mib(r)}) is above 10 MiB: etcd warns "exceeded recommended request limit"; large requests block the raft log for everyone. Fix: --max-request-bytes=${WARN_MAX_REQUEST_BYTES} at most (default ${DEFAULT_MAX_REQUEST_BYTES}).`));
    return out;
  },
};

/** The etcd checks of the CIS Kubernetes benchmark (section 2): TLS on both sides, client certs required, no auto-TLS. */
export const tlsPosture: MemberRule = {
  id: 'tls.posture',
  source: 'CIS Kubernetes Benchmark section 2 (etcd): 2.1 cert-file/key-file, 2.2 client-cert-auth, 2.3 auto-tls off, 2.4 peer cert, 2.5 peer-client-cert-auth, 2.6 peer-auto-tls off',
  check({ member, settings, version }) {
    const out: Finding[] = [];
    const clientUrls = [...parseUrlList(valueOr(settings, 'listen-client-urls', version) ?? '').urls, ...parseUrlList(valueOr(settings, 'advertise-client-urls', version) ?? '').urls];
    const peerUrls = [...parseUrlList(valueOr(settings, 'listen-peer-urls', version) ?? '').urls, ...parseUrlList(valueOr(settings, 'initial-advertise-peer-urls', version) ?? '').urls];
    const clientTls = clientUrls.some((u) => u.scheme === 'https') || !!settings.get('cert-file')?.value || boolSetting(settings, 'auto-tls');
    const peerTls = peerUrls.some((u) => u.scheme === 'https') || !!settings.get('peer-cert-file')?.value || boolSetting(settings, 'peer-auto-tls');
    const a = (flag: string) => anchor(member, settings, flag);
    if (clientTls !== peerTls) {
      const [on, off] = clientTls ? ['client', 'peer'] : ['peer', 'client'];
      const fix = clientTls ? '--peer-cert-file, --peer-key-file, --peer-trusted-ca-file, --peer-client-cert-auth and https:// peer URLs' : '--cert-file, --key-file, --trusted-ca-file, --client-cert-auth and https:// client URLs';
      const p = a(clientTls ? 'listen-peer-urls' : 'listen-client-urls');
      out.push(finding('warning', 'tls.one-side', p.file, p.line, clientTls ? 'peer-cert-file' : 'cert-file', `TLS is on for ${on} traffic but off for ${off} traffic: the ${off} side carries the same data in clear text. Fix: set ${fix}.`));
    }
    for (const [flag, urls, cis] of [['advertise-client-urls', 'client', '2.1'], ['initial-advertise-peer-urls', 'peer', '2.4']] as const) {
      const list = urls === 'client' ? clientUrls : peerUrls;
      const plain = [...new Set(list.filter((u) => u.scheme === 'http' && !isLoopbackHost(u.host) && u.host !== '').map((u) => `http://${u.host}:${u.port}`))];
      if (plain.length > 0) {
        const p = a(urls === 'client' ? (settings.has('listen-client-urls') ? 'listen-client-urls' : flag) : settings.has('listen-peer-urls') ? 'listen-peer-urls' : flag);
        out.push(finding('warning', 'tls.plain-http', p.file, p.line, urls === 'client' ? 'listen-client-urls' : 'listen-peer-urls', `${urls === 'client' ? 'Clients' : 'Peers'} reach etcd over plain http on ${plain.join(', ')}, off loopback (CIS ${cis}): anyone on that network can read and write the keyspace${urls === 'peer' ? ' and join the raft group' : ''}. Fix: https:// URLs with ${urls === 'client' ? '--cert-file and --key-file' : '--peer-cert-file and --peer-key-file'}.`));
      }
    }
    if (clientTls && !boolSetting(settings, 'client-cert-auth')) {
      const p = a('client-cert-auth');
      out.push(finding('warning', 'tls.client-cert-auth', p.file, p.line, 'client-cert-auth', 'Client TLS is on but --client-cert-auth is off (CIS 2.2): any client that reaches the port is served. Fix: --client-cert-auth=true with --trusted-ca-file.'));
    }
    if (peerTls && !boolSetting(settings, 'peer-client-cert-auth')) {
      const p = a('peer-client-cert-auth');
      out.push(finding('warning', 'tls.client-cert-auth', p.file, p.line, 'peer-client-cert-auth', 'Peer TLS is on but --peer-client-cert-auth is off (CIS 2.5): any host that reaches the peer port can talk raft to this member. Fix: --peer-client-cert-auth=true with --peer-trusted-ca-file.'));
    }
    for (const [flag, cis] of [['auto-tls', '2.3'], ['peer-auto-tls', '2.6']] as const) {
      const s = settings.get(flag);
      if (s && boolSetting(settings, flag)) out.push(finding('warning', 'tls.auto-tls', s.file, s.line, flag, `--${flag} is on (CIS ${cis}): etcd makes itself a self-signed certificate that nobody can verify. Fix: --${flag}=false and certificates from your CA (${flag === 'auto-tls' ? '--cert-file/--key-file' : '--peer-cert-file/--peer-key-file'}).`));
    }
    return out;
  },
};

/** Certificate and key files: present, readable, valid now, matching, signed by the CA, naming the advertised hosts. */
export const certificates: MemberRule = {
  id: 'cert',
  source: 'ETCD-FACTS.md Flags, environment, versions: the certificate must carry every member IP/hostname in its SANs',
  check({ settings, facts, now, version }) {
    const out: Finding[] = [];
    for (const [flag, fact] of facts.files) {
      const s = settings.get(flag)!;
      if (!fact.exists) out.push(finding('error', 'cert.file', s.file, s.line, flag, `--${flag} ${fact.path} does not exist on this machine: etcd refuses to start (open ${fact.path}: no such file or directory). Fix: install the file there or correct the path.`));
      else if (!fact.readable) out.push(finding('error', 'cert.file', s.file, s.line, flag, `--${flag} ${fact.path} cannot be read (${fact.error ?? 'permission denied'}). Fix: chown it to the user etcd runs as and chmod 0600 for keys, 0644 for certificates.`));
    }
    for (const [flag, cert] of facts.certs) {
      const s = settings.get(flag)!;
      if (cert.error) {
        out.push(finding('error', 'cert.file', s.file, s.line, flag, `--${flag} ${cert.path} is ${cert.error}: etcd refuses to start. Fix: point it at the PEM certificate.`));
        continue;
      }
      const notAfter = new Date(cert.notAfter!);
      const days = (notAfter.getTime() - now.getTime()) / 86_400_000;
      if (days < 0) out.push(finding('error', 'cert.expiry', s.file, s.line, flag, `--${flag} ${cert.path} expired on ${cert.notAfter!.slice(0, 10)}: TLS handshakes with it fail. Fix: issue a new certificate and restart etcd.`));
      else if (days < CERT_EXPIRY_WARN_DAYS) out.push(finding('warning', 'cert.expiry', s.file, s.line, flag, `--${flag} ${cert.path} expires on ${cert.notAfter!.slice(0, 10)}, in ${Math.floor(days)} days. Fix: renew it now and restart each member in turn.`));
      else if (new Date(cert.notBefore!).getTime() > now.getTime()) out.push(finding('error', 'cert.expiry', s.file, s.line, flag, `--${flag} ${cert.path} is not valid before ${cert.notBefore}: check the clock of the machine that issued it. Fix: reissue it.`));
    }
    for (const [flag, urlFlag, side] of [['cert-file', 'advertise-client-urls', facts.client], ['peer-cert-file', 'initial-advertise-peer-urls', facts.peer]] as const) {
      const cert = facts.certs.get(flag);
      const s = settings.get(flag);
      if (!cert || cert.error || !s) continue;
      const hosts = [...new Set(parseUrlList(valueOr(settings, urlFlag, version) ?? '').urls.map((u) => u.host))];
      const missing = hosts.filter((h) => !sanCovers(cert, h));
      if (missing.length > 0) out.push(finding('warning', 'cert.san', s.file, s.line, flag, `${cert.path} does not name ${missing.join(', ')} (from --${urlFlag}) in its SANs (it has ${[...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((i) => `IP:${i}`)].join(', ') || 'none'}): ${flag === 'cert-file' ? 'clients' : 'the other members'} that verify the server name will refuse it. Fix: reissue it with subjectAltName=${missing.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',')} added.`));
      const keyFlag = flag === 'cert-file' ? 'key-file' : 'peer-key-file';
      const key = settings.get(keyFlag);
      if (side.keyMatches === false && key) out.push(finding('error', 'cert.key-mismatch', key.file, key.line, keyFlag, `--${keyFlag} is not the private key of --${flag} ${cert.path}: etcd refuses to start ("private key does not match public key"). Fix: point both at the same pair.`));
      const caFlag = flag === 'cert-file' ? 'trusted-ca-file' : 'peer-trusted-ca-file';
      const ca = settings.get(caFlag);
      if (side.issuedByCa === false && ca) out.push(finding('warning', 'cert.ca-mismatch', s.file, s.line, flag, `--${flag} ${cert.path} is not signed by --${caFlag} ${ca.value}: ${flag === 'cert-file' ? 'clients that trust that CA' : 'members that trust that CA'} will refuse it. Fix: use a certificate issued by that CA, or the CA that issued it.`));
    }
    return out;
  },
};

function sanCovers(cert: { dnsNames: string[]; ipAddresses: string[] }, host: string): boolean {
  if (isIP(host)) return cert.ipAddresses.includes(host);
  const h = host.toLowerCase();
  return cert.dnsNames.some((d) => d === h || (d.startsWith('*.') && h.endsWith(d.slice(1)) && !h.slice(0, -d.length + 1).includes('.')));
}

/** Paths that disagree: binary, working directory, data and WAL directories, sandboxed write paths. */
export const paths: MemberRule = {
  id: 'paths',
  source: 'systemd.exec (WorkingDirectory=, ReadWritePaths=); ETCD-FACTS.md Disk (the WAL fsync is what etcd waits on)',
  check({ member, settings, facts, version }) {
    const out: Finding[] = [];
    const unit = member.unit;
    if (unit && facts.binary && !facts.binary.exists) out.push(finding('warning', 'paths.binary', unit.execFile, unit.binaryLine, null, `ExecStart runs ${facts.binary.path}, which is not on this machine: if this is the node, systemd fails with status 203/EXEC. Fix: install etcd there or correct the path (command -v etcd).`));
    if (unit && facts.workingDirectory && !facts.workingDirectory.exists && !unit.workingDirectory!.startsWith('-')) out.push(finding('warning', 'paths.working-directory', unit.service.get('WorkingDirectory')!.file, unit.service.get('WorkingDirectory')!.line, null, `WorkingDirectory=${unit.workingDirectory} does not exist on this machine: if this is the node, systemd fails with status 200/CHDIR. Fix: create it (owned by the etcd user) or correct it.`));
    const dataDir = settings.get('data-dir');
    if (unit && member.configFile === null) {
      const value = dataDir?.value || `${valueOr(settings, 'name', version) || 'default'}.etcd`;
      if (!value.startsWith('/') && unit.workingDirectory === null) out.push(finding('warning', 'paths.data-dir', dataDir?.file ?? unit.execFile, dataDir?.line ?? unit.binaryLine, 'data-dir', `${dataDir?.value ? `--data-dir=${value} is relative` : `No --data-dir value: etcd uses ${value}`} and the unit has no WorkingDirectory=, so systemd runs etcd in / and the data lands in /${value}. Fix: --data-dir=/var/lib/etcd (absolute).`));
      if (dataDir && unit.workingDirectory && dataDir.value.startsWith('/')) {
        const wd = unit.workingDirectory.replace(/^-/, '').replace(/\/$/, '');
        if (!dataDir.value.startsWith(`${wd}/`) && dataDir.value !== wd) out.push(finding('info', 'paths.data-dir', dataDir.file, dataDir.line, 'data-dir', `--data-dir=${dataDir.value} is outside WorkingDirectory=${unit.workingDirectory}: the two usually name the same place (the upstream unit uses /var/lib/etcd for both). Fix: make them agree, so that relative paths and the data end up on the same disk.`));
      }
      const rw = unit.service.get('ReadWritePaths');
      if (rw) {
        const allowed = rw.value.split(/\s+/).map((p) => p.replace(/^-/, '').replace(/\/$/, ''));
        for (const flag of ['data-dir', 'wal-dir']) {
          const s = settings.get(flag);
          if (s && s.value.startsWith('/') && !allowed.some((p) => s.value === p || s.value.startsWith(`${p}/`))) out.push(finding('error', 'paths.sandbox', s.file, s.line, flag, `--${flag}=${s.value} is not under ReadWritePaths=${rw.value}: in this sandbox etcd cannot write there and fails at start. Fix: add ${s.value} to ReadWritePaths=.`));
        }
      }
    }
    const data = facts.dirs.get('data-dir');
    const wal = facts.dirs.get('wal-dir');
    const walSetting = settings.get('wal-dir');
    if (data?.exists && wal?.exists && data.device !== null && data.device === wal.device && walSetting) out.push(finding('warning', 'paths.wal-same-device', walSetting.file, walSetting.line, 'wal-dir', `--wal-dir=${wal.path} is on the same device as --data-dir=${data.path}: a dedicated WAL directory only helps on its own disk, where the WAL fdatasync does not queue behind snapshot and db writes. Fix: put --wal-dir on a separate (fast) disk, or drop it.`));
    return out;
  },
};

/** With --report: heartbeat and election against the RTT measured there, through the advisor's own rules. */
export const timingVsRtt: MemberRule = {
  id: 'risk.timing-rtt',
  source: 'ETCD-FACTS.md Heartbeat and election: heartbeat 0.5-1.5x RTT, election at least 10x RTT (etcd docs tuning)',
  check({ member, settings, rtt, version }) {
    if (rtt === null) return [];
    const hb = uintSetting(settings, 'heartbeat-interval', version);
    const el = uintSetting(settings, 'election-timeout', version);
    if (hb === null || el === null || hb === 0 || el === 0) return [];
    const out: Finding[] = [];
    const advice = `the advisor recommends --heartbeat-interval=${rtt.heartbeatMs ?? '?'} --election-timeout=${rtt.electionMs ?? '?'} for ${rtt.basis}`;
    const h = anchor(member, settings, 'heartbeat-interval');
    const e = anchor(member, settings, 'election-timeout');
    if (hb < HEARTBEAT_MIN_RTT_RATIO * rtt.rttP99Ms) out.push(finding('warning', this.id, h.file, h.line, 'heartbeat-interval', `--heartbeat-interval=${hb} ms is below half the measured RTT p99 (${rtt.rttP99Ms.toFixed(1)} ms): heartbeats arrive late, followers start elections. Fix: ${advice}.`));
    else if (rtt.heartbeatMs !== null && hb > FAR_ABOVE_ADVICE_FACTOR * rtt.heartbeatMs) out.push(finding('warning', this.id, h.file, h.line, 'heartbeat-interval', `--heartbeat-interval=${hb} ms is more than ${FAR_ABOVE_ADVICE_FACTOR}x what the measured RTT calls for: a dead leader is noticed late. Fix: ${advice}.`));
    if (el < ELECTION_PER_RTT * rtt.rttP99Ms) out.push(finding('warning', this.id, e.file, e.line, 'election-timeout', `--election-timeout=${el} ms is below ${ELECTION_PER_RTT}x the measured RTT p99 (${rtt.rttP99Ms.toFixed(1)} ms): a slow round trip triggers an election. Fix: ${advice}.`));
    else if (rtt.electionMs !== null && el > FAR_ABOVE_ADVICE_FACTOR * rtt.electionMs) out.push(finding('warning', this.id, e.file, e.line, 'election-timeout', `--election-timeout=${el} ms is more than ${FAR_ABOVE_ADVICE_FACTOR}x what the measured RTT calls for: the cluster stays without a leader that long after a crash. Fix: ${advice}.`));
    return out;
  },
};

export const MEMBER_RULES: readonly MemberRule[] = [flagNames, flagEnvConflict, values, retiredValues, timing, initialCluster, spaceLimits, tlsPosture, certificates, paths, timingVsRtt];

/** Members given together must agree: same timing, same initial cluster and token, different names. */
export const clusterConsistency: ClusterRule = {
  id: 'cluster.consistency',
  source: 'ETCD-FACTS.md Heartbeat and election: all members must use the same heartbeat and election values; etcd docs op-guide/clustering (same --initial-cluster and token on every member)',
  check(members) {
    if (members.length < 2) return [];
    const out: Finding[] = [];
    for (const flag of ['heartbeat-interval', 'election-timeout']) {
      const byValue = new Map<string, MemberContext[]>();
      for (const m of members) {
        const v = valueOr(m.settings, flag, m.version) ?? '';
        byValue.set(v, [...(byValue.get(v) ?? []), m]);
      }
      if (byValue.size < 2) continue;
      const summary = [...byValue].map(([v, ms]) => `${v} in ${ms.map((m) => m.member.file).join(', ')}`).join('; ');
      for (const m of members) {
        const a = anchor(m.member, m.settings, flag);
        out.push(finding('warning', 'cluster.timing-differs', a.file, a.line, flag, `The members disagree on --${flag} (${summary}): members with different timing elect badly (a short-timeout member keeps calling elections). Fix: the same --${flag} on every member.`));
      }
    }
    const norm = (v: string | undefined) => (v ?? '').split(',').map((p) => p.trim().replace(/\/$/, '')).filter((p) => p !== '').sort().join(',');
    const newMembers = members.filter((m) => (valueOr(m.settings, 'initial-cluster-state', m.version) ?? 'new') === 'new' && m.settings.has('initial-cluster'));
    if (new Set(newMembers.map((m) => norm(m.settings.get('initial-cluster')?.value))).size > 1) {
      for (const m of newMembers) {
        const s = m.settings.get('initial-cluster')!;
        out.push(finding('error', 'cluster.initial-cluster-differs', s.file, s.line, 'initial-cluster', `--initial-cluster differs between the members given (${newMembers.map((x) => `${x.member.file}: ${norm(x.settings.get('initial-cluster')?.value)}`).join(' | ')}): bootstrapping members must list the same cluster, or they refuse each other ("member count is unequal" / "has already been bootstrapped"). Fix: copy one --initial-cluster to every member.`));
      }
    }
    const tokens = members.map((m) => valueOr(m.settings, 'initial-cluster-token', m.version) ?? '');
    if (new Set(tokens).size > 1) {
      for (const m of members) {
        const a = anchor(m.member, m.settings, 'initial-cluster-token');
        out.push(finding('error', 'cluster.token-differs', a.file, a.line, 'initial-cluster-token', `--initial-cluster-token is "${valueOr(m.settings, 'initial-cluster-token', m.version)}" here but differs on other members (${[...new Set(tokens)].join(', ')}): members with different tokens form different clusters. Fix: one token for the whole cluster.`));
      }
    }
    const byName = new Map<string, MemberContext[]>();
    for (const m of members) {
      const n = valueOr(m.settings, 'name', m.version) ?? 'default';
      byName.set(n, [...(byName.get(n) ?? []), m]);
    }
    for (const [n, ms] of byName) {
      if (ms.length < 2) continue;
      for (const m of ms) {
        const a = anchor(m.member, m.settings, 'name');
        out.push(finding('error', 'cluster.duplicate-name', a.file, a.line, 'name', `--name "${n}" is used by ${ms.map((x) => x.member.file).join(' and ')}: each member needs its own name, as listed in --initial-cluster. Fix: give each member a distinct --name.`));
      }
    }
    return out;
  },
};

export const CLUSTER_LINT_RULES: readonly ClusterRule[] = [clusterConsistency];

