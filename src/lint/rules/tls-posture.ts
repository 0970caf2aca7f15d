// Lint rule tlsPosture: the etcd checks of the CIS Kubernetes benchmark (section 2) as one table of rows (TLS on both sides, no plain http off loopback, client certs required, no auto-TLS), evaluated by one function.
import type { Check } from '../../model/check.js';
import type { ParsedUrl } from '../values.js';
import { lintCheck, type LintStatus } from '../check.js';
import { anchor, valueOr, type MemberConfig, type Setting } from '../settings.js';
import { parseUrlList } from '../values.js';
import { isLoopbackHost, boolSetting } from './common.js';
import type { MemberContext, MemberRule } from './common.js';

/** What the posture rows read: a member's TLS-relevant settings, parsed once. */
export interface TlsPosture {
  member: MemberConfig;
  settings: ReadonlyMap<string, Setting>;
  clientUrls: ParsedUrl[];
  peerUrls: ParsedUrl[];
  /** TLS is on for that side: an https:// URL, a certificate, or auto-TLS. */
  clientTls: boolean;
  peerTls: boolean;
}

export interface PostureRow {
  id: string;
  /** The flag the check is about (the one to set). */
  flag: string;
  /** Where the check points: the setting of this flag, or the member's file when it is at its default. */
  at: (p: TlsPosture) => string;
  /** The condition over the parsed config under which the row speaks. */
  when: (p: TlsPosture) => boolean;
  status: LintStatus;
  message: string | ((p: TlsPosture) => string);
  fix: string;
  source: string;
}

const CIS = 'CIS Kubernetes Benchmark section 2 (etcd)';

/** Each plain http:// URL off loopback, once: what anyone on that network can reach without TLS. */
function plainOffLoopback(urls: readonly ParsedUrl[]): string[] {
  return [...new Set(urls.filter((u) => u.scheme === 'http' && !isLoopbackHost(u.host) && u.host !== '').map((u) => `http://${u.host}:${u.port}`))];
}

/** The listen flag when the unit sets it, else the advertise flag the URLs came from. */
const listenOr = (listen: string, advertise: string) => (p: TlsPosture) => (p.settings.has(listen) ? listen : advertise);
const itself = (flag: string) => () => flag;

export const POSTURE_ROWS: readonly PostureRow[] = [
  {
    id: 'tls.one-side',
    flag: 'peer-cert-file',
    at: itself('listen-peer-urls'),
    when: (p) => p.clientTls && !p.peerTls,
    status: 'warn',
    message: 'TLS is on for client traffic but off for peer traffic: the peer side carries the same data in clear text.',
    fix: 'set --peer-cert-file, --peer-key-file, --peer-trusted-ca-file, --peer-client-cert-auth and https:// peer URLs.',
    source: `${CIS}: 2.4 peer cert-file/key-file`,
  },
  {
    id: 'tls.one-side',
    flag: 'cert-file',
    at: itself('listen-client-urls'),
    when: (p) => p.peerTls && !p.clientTls,
    status: 'warn',
    message: 'TLS is on for peer traffic but off for client traffic: the client side carries the same data in clear text.',
    fix: 'set --cert-file, --key-file, --trusted-ca-file, --client-cert-auth and https:// client URLs.',
    source: `${CIS}: 2.1 cert-file/key-file`,
  },
  {
    id: 'tls.plain-http',
    flag: 'listen-client-urls',
    at: listenOr('listen-client-urls', 'advertise-client-urls'),
    when: (p) => plainOffLoopback(p.clientUrls).length > 0,
    status: 'warn',
    message: (p) =>
      `Clients reach etcd over plain http on ${plainOffLoopback(p.clientUrls).join(', ')}, off loopback (CIS 2.1): anyone on that network can read and write the keyspace.`,
    fix: 'https:// URLs with --cert-file and --key-file.',
    source: `${CIS}: 2.1 cert-file/key-file`,
  },
  {
    id: 'tls.plain-http',
    flag: 'listen-peer-urls',
    at: listenOr('listen-peer-urls', 'initial-advertise-peer-urls'),
    when: (p) => plainOffLoopback(p.peerUrls).length > 0,
    status: 'warn',
    message: (p) =>
      `Peers reach etcd over plain http on ${plainOffLoopback(p.peerUrls).join(', ')}, off loopback (CIS 2.4): anyone on that network can read and write the keyspace and join the raft group.`,
    fix: 'https:// URLs with --peer-cert-file and --peer-key-file.',
    source: `${CIS}: 2.4 peer cert-file/key-file`,
  },
  {
    id: 'tls.client-cert-auth',
    flag: 'client-cert-auth',
    at: itself('client-cert-auth'),
    when: (p) => p.clientTls && !boolSetting(p.settings, 'client-cert-auth'),
    status: 'warn',
    message: 'Client TLS is on but --client-cert-auth is off (CIS 2.2): any client that reaches the port is served.',
    fix: '--client-cert-auth=true with --trusted-ca-file.',
    source: `${CIS}: 2.2 client-cert-auth`,
  },
  {
    id: 'tls.client-cert-auth',
    flag: 'peer-client-cert-auth',
    at: itself('peer-client-cert-auth'),
    when: (p) => p.peerTls && !boolSetting(p.settings, 'peer-client-cert-auth'),
    status: 'warn',
    message: 'Peer TLS is on but --peer-client-cert-auth is off (CIS 2.5): any host that reaches the peer port can talk raft to this member.',
    fix: '--peer-client-cert-auth=true with --peer-trusted-ca-file.',
    source: `${CIS}: 2.5 peer-client-cert-auth`,
  },
  {
    id: 'tls.auto-tls',
    flag: 'auto-tls',
    at: itself('auto-tls'),
    when: (p) => boolSetting(p.settings, 'auto-tls'),
    status: 'warn',
    message: '--auto-tls is on (CIS 2.3): etcd makes itself a self-signed certificate that nobody can verify.',
    fix: '--auto-tls=false and certificates from your CA (--cert-file/--key-file).',
    source: `${CIS}: 2.3 auto-tls off`,
  },
  {
    id: 'tls.auto-tls',
    flag: 'peer-auto-tls',
    at: itself('peer-auto-tls'),
    when: (p) => boolSetting(p.settings, 'peer-auto-tls'),
    status: 'warn',
    message: '--peer-auto-tls is on (CIS 2.6): etcd makes itself a self-signed certificate that nobody can verify.',
    fix: '--peer-auto-tls=false and certificates from your CA (--peer-cert-file/--peer-key-file).',
    source: `${CIS}: 2.6 peer-auto-tls off`,
  },
];

/** A member's settings as the rows read them: the client and peer URLs (listen and advertise) and whether each side has TLS. */
export function tlsPostureOf({ member, settings, version }: Pick<MemberContext, 'member' | 'settings' | 'version'>): TlsPosture {
  const urls = (...flags: string[]) => flags.flatMap((f) => parseUrlList(valueOr(settings, f, version) ?? '').urls);
  const clientUrls = urls('listen-client-urls', 'advertise-client-urls');
  const peerUrls = urls('listen-peer-urls', 'initial-advertise-peer-urls');
  return {
    member,
    settings,
    clientUrls,
    peerUrls,
    clientTls: clientUrls.some((u) => u.scheme === 'https') || !!settings.get('cert-file')?.value || boolSetting(settings, 'auto-tls'),
    peerTls: peerUrls.some((u) => u.scheme === 'https') || !!settings.get('peer-cert-file')?.value || boolSetting(settings, 'peer-auto-tls'),
  };
}

/** The one evaluator: each row whose condition holds is a check, pointing where its flag is set (or the member's file). */
function evaluatePosture(posture: TlsPosture, rows: readonly PostureRow[] = POSTURE_ROWS): Check[] {
  return rows
    .filter((row) => row.when(posture))
    .map((row) => {
      const where = anchor(posture.member, posture.settings, row.at(posture));
      const message = typeof row.message === 'string' ? row.message : row.message(posture);
      return { ...lintCheck(row.status, row.id, where.file, where.line, row.flag, `${message} Fix: ${row.fix}`), source: row.source };
    });
}

export const tlsPosture: MemberRule = {
  id: 'tls.posture',
  source: `${CIS}: 2.1 cert-file/key-file, 2.2 client-cert-auth, 2.3 auto-tls off, 2.4 peer cert, 2.5 peer-client-cert-auth, 2.6 peer-auto-tls off`,
  check: (ctx) => evaluatePosture(tlsPostureOf(ctx)),
};
