// Lint rule certificates: certificate and key files: present, readable, valid now, matching, signed by the CA, naming the advertised hosts.
import { isIP } from 'node:net';
import type { Check } from '../../model/check.js';
import { settingCheck } from '../check.js';
import { valueOr } from '../settings.js';
import { parseUrlList } from '../values.js';
import { CERT_EXPIRY_WARN_DAYS } from './common.js';
import type { MemberRule } from './common.js';

/** Certificate and key files: present, readable, valid now, matching, signed by the CA, naming the advertised hosts. */
export const certificates: MemberRule = {
  id: 'cert',
  source: 'ETCD-FACTS.md Flags, environment, versions: the certificate must carry every member IP/hostname in its SANs',
  check({ settings, facts, now, version }) {
    const out: Check[] = [];
    for (const [flag, fact] of facts.files) {
      const s = settings.get(flag)!;
      if (!fact.exists)
        out.push(
          settingCheck(
            'fail',
            'cert.file',
            s,
            `--${flag} ${fact.path} does not exist on this machine: etcd refuses to start (open ${fact.path}: no such file or directory). Fix: install the file there or correct the path.`,
          ),
        );
      else if (!fact.readable)
        out.push(
          settingCheck(
            'fail',
            'cert.file',
            s,
            `--${flag} ${fact.path} cannot be read (${fact.error ?? 'permission denied'}). Fix: chown it to the user etcd runs as and chmod 0600 for keys, 0644 for certificates.`,
          ),
        );
    }
    for (const [flag, cert] of facts.certs) {
      const s = settings.get(flag)!;
      if (cert.error) {
        out.push(settingCheck('fail', 'cert.file', s, `--${flag} ${cert.path} is ${cert.error}: etcd refuses to start. Fix: point it at the PEM certificate.`));
        continue;
      }
      const notAfter = new Date(cert.notAfter!);
      const days = (notAfter.getTime() - now.getTime()) / 86_400_000;
      if (days < 0)
        out.push(
          settingCheck(
            'fail',
            'cert.expiry',
            s,
            `--${flag} ${cert.path} expired on ${cert.notAfter!.slice(0, 10)}: TLS handshakes with it fail. Fix: issue a new certificate and restart etcd.`,
          ),
        );
      else if (days < CERT_EXPIRY_WARN_DAYS)
        out.push(
          settingCheck(
            'warn',
            'cert.expiry',
            s,
            `--${flag} ${cert.path} expires on ${cert.notAfter!.slice(0, 10)}, in ${Math.floor(days)} days. Fix: renew it now and restart each member in turn.`,
          ),
        );
      else if (new Date(cert.notBefore!).getTime() > now.getTime())
        out.push(
          settingCheck(
            'fail',
            'cert.expiry',
            s,
            `--${flag} ${cert.path} is not valid before ${cert.notBefore}: check the clock of the machine that issued it. Fix: reissue it.`,
          ),
        );
    }
    for (const [flag, urlFlag, side] of [
      ['cert-file', 'advertise-client-urls', facts.client],
      ['peer-cert-file', 'initial-advertise-peer-urls', facts.peer],
    ] as const) {
      const cert = facts.certs.get(flag);
      const s = settings.get(flag);
      if (!cert || cert.error || !s) continue;
      const hosts = [...new Set(parseUrlList(valueOr(settings, urlFlag, version) ?? '').urls.map((u) => u.host))];
      const missing = hosts.filter((h) => !sanCovers(cert, h));
      if (missing.length > 0)
        out.push(
          settingCheck(
            'warn',
            'cert.san',
            s,
            `${cert.path} does not name ${missing.join(', ')} (from --${urlFlag}) in its SANs (it has ${[...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((i) => `IP:${i}`)].join(', ') || 'none'}): ${flag === 'cert-file' ? 'clients' : 'the other members'} that verify the server name will refuse it. Fix: reissue it with subjectAltName=${missing.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',')} added.`,
          ),
        );
      const keyFlag = flag === 'cert-file' ? 'key-file' : 'peer-key-file';
      const key = settings.get(keyFlag);
      if (side.keyMatches === false && key)
        out.push(
          settingCheck(
            'fail',
            'cert.key-mismatch',
            key,
            `--${keyFlag} is not the private key of --${flag} ${cert.path}: etcd refuses to start ("private key does not match public key"). Fix: point both at the same pair.`,
          ),
        );
      const caFlag = flag === 'cert-file' ? 'trusted-ca-file' : 'peer-trusted-ca-file';
      const ca = settings.get(caFlag);
      if (side.issuedByCa === false && ca)
        out.push(
          settingCheck(
            'warn',
            'cert.ca-mismatch',
            s,
            `--${flag} ${cert.path} is not signed by --${caFlag} ${ca.value}: ${flag === 'cert-file' ? 'clients that trust that CA' : 'members that trust that CA'} will refuse it. Fix: use a certificate issued by that CA, or the CA that issued it.`,
          ),
        );
    }
    return out;
  },
};

function sanCovers(cert: { dnsNames: string[]; ipAddresses: string[] }, host: string): boolean {
  if (isIP(host)) return cert.ipAddresses.includes(host);
  const h = host.toLowerCase();
  return cert.dnsNames.some((d) => d === h || (d.startsWith('*.') && h.endsWith(d.slice(1)) && !h.slice(0, -d.length + 1).includes('.')));
}
