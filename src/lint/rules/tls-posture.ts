// Lint rule tlsPosture: the etcd checks of the CIS Kubernetes benchmark (section 2): TLS on both sides, client certs required, no auto-TLS.
import type { Check } from '../../model/check.js';
import { lintCheck } from '../check.js';
import { anchor, valueOr } from '../settings.js';
import { parseUrlList } from '../values.js';
import { isLoopbackHost, boolSetting } from './common.js';
import type { MemberRule } from './common.js';

/** The etcd checks of the CIS Kubernetes benchmark (section 2): TLS on both sides, client certs required, no auto-TLS. */
export const tlsPosture: MemberRule = {
  id: 'tls.posture',
  source:
    'CIS Kubernetes Benchmark section 2 (etcd): 2.1 cert-file/key-file, 2.2 client-cert-auth, 2.3 auto-tls off, 2.4 peer cert, 2.5 peer-client-cert-auth, 2.6 peer-auto-tls off',
  check({ member, settings, version }) {
    const out: Check[] = [];
    const clientUrls = [
      ...parseUrlList(valueOr(settings, 'listen-client-urls', version) ?? '').urls,
      ...parseUrlList(valueOr(settings, 'advertise-client-urls', version) ?? '').urls,
    ];
    const peerUrls = [
      ...parseUrlList(valueOr(settings, 'listen-peer-urls', version) ?? '').urls,
      ...parseUrlList(valueOr(settings, 'initial-advertise-peer-urls', version) ?? '').urls,
    ];
    const clientTls = clientUrls.some((u) => u.scheme === 'https') || !!settings.get('cert-file')?.value || boolSetting(settings, 'auto-tls');
    const peerTls = peerUrls.some((u) => u.scheme === 'https') || !!settings.get('peer-cert-file')?.value || boolSetting(settings, 'peer-auto-tls');
    const a = (flag: string) => anchor(member, settings, flag);
    if (clientTls !== peerTls) {
      const [on, off] = clientTls ? ['client', 'peer'] : ['peer', 'client'];
      const fix = clientTls
        ? '--peer-cert-file, --peer-key-file, --peer-trusted-ca-file, --peer-client-cert-auth and https:// peer URLs'
        : '--cert-file, --key-file, --trusted-ca-file, --client-cert-auth and https:// client URLs';
      const p = a(clientTls ? 'listen-peer-urls' : 'listen-client-urls');
      out.push(
        lintCheck(
          'warn',
          'tls.one-side',
          p.file,
          p.line,
          clientTls ? 'peer-cert-file' : 'cert-file',
          `TLS is on for ${on} traffic but off for ${off} traffic: the ${off} side carries the same data in clear text. Fix: set ${fix}.`,
        ),
      );
    }
    for (const [flag, urls, cis] of [
      ['advertise-client-urls', 'client', '2.1'],
      ['initial-advertise-peer-urls', 'peer', '2.4'],
    ] as const) {
      const list = urls === 'client' ? clientUrls : peerUrls;
      const plain = [...new Set(list.filter((u) => u.scheme === 'http' && !isLoopbackHost(u.host) && u.host !== '').map((u) => `http://${u.host}:${u.port}`))];
      if (plain.length > 0) {
        const p = a(
          urls === 'client' ? (settings.has('listen-client-urls') ? 'listen-client-urls' : flag) : settings.has('listen-peer-urls') ? 'listen-peer-urls' : flag,
        );
        out.push(
          lintCheck(
            'warn',
            'tls.plain-http',
            p.file,
            p.line,
            urls === 'client' ? 'listen-client-urls' : 'listen-peer-urls',
            `${urls === 'client' ? 'Clients' : 'Peers'} reach etcd over plain http on ${plain.join(', ')}, off loopback (CIS ${cis}): anyone on that network can read and write the keyspace${urls === 'peer' ? ' and join the raft group' : ''}. Fix: https:// URLs with ${urls === 'client' ? '--cert-file and --key-file' : '--peer-cert-file and --peer-key-file'}.`,
          ),
        );
      }
    }
    if (clientTls && !boolSetting(settings, 'client-cert-auth')) {
      const p = a('client-cert-auth');
      out.push(
        lintCheck(
          'warn',
          'tls.client-cert-auth',
          p.file,
          p.line,
          'client-cert-auth',
          'Client TLS is on but --client-cert-auth is off (CIS 2.2): any client that reaches the port is served. Fix: --client-cert-auth=true with --trusted-ca-file.',
        ),
      );
    }
    if (peerTls && !boolSetting(settings, 'peer-client-cert-auth')) {
      const p = a('peer-client-cert-auth');
      out.push(
        lintCheck(
          'warn',
          'tls.client-cert-auth',
          p.file,
          p.line,
          'peer-client-cert-auth',
          'Peer TLS is on but --peer-client-cert-auth is off (CIS 2.5): any host that reaches the peer port can talk raft to this member. Fix: --peer-client-cert-auth=true with --peer-trusted-ca-file.',
        ),
      );
    }
    for (const [flag, cis] of [
      ['auto-tls', '2.3'],
      ['peer-auto-tls', '2.6'],
    ] as const) {
      const s = settings.get(flag);
      if (s && boolSetting(settings, flag))
        out.push(
          lintCheck(
            'warn',
            'tls.auto-tls',
            s.file,
            s.line,
            flag,
            `--${flag} is on (CIS ${cis}): etcd makes itself a self-signed certificate that nobody can verify. Fix: --${flag}=false and certificates from your CA (${flag === 'auto-tls' ? '--cert-file/--key-file' : '--peer-cert-file/--peer-key-file'}).`,
          ),
        );
    }
    return out;
  },
};
