// Reads what the configured paths point at on this machine (certificates, keys, directories), so the rules stay pure.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { readPemFileSync } from '../etcd/tls-files.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import { errorMessage } from '../model/errors.js';
import { effectiveSettings, type MemberConfig } from './settings.js';

export interface FileFact {
  path: string;
  exists: boolean;
  readable: boolean;
  error?: string;
}

export interface CertFact {
  path: string;
  /** Why the file is not a usable PEM certificate. */
  error?: string;
  subject?: string;
  notBefore?: string;
  notAfter?: string;
  dnsNames: string[];
  ipAddresses: string[];
}

export interface DirFact {
  path: string;
  exists: boolean;
  /** st_dev of the directory, or of its nearest existing parent (where etcd would create it). */
  device: number | null;
}

/** The TLS material of one side (clients or peers). */
export interface TlsSideFacts {
  /** Whether the key belongs to the certificate; null when either could not be read. */
  keyMatches: boolean | null;
  /** Whether the CA file signed the certificate; null when either could not be read. */
  issuedByCa: boolean | null;
}

export interface MemberFacts {
  files: Map<string, FileFact>;
  certs: Map<string, CertFact>;
  client: TlsSideFacts;
  peer: TlsSideFacts;
  dirs: Map<string, DirFact>;
  binary: FileFact | null;
  workingDirectory: FileFact | null;
}

const FILE_FLAGS = ['cert-file', 'key-file', 'trusted-ca-file', 'client-crl-file', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file', 'peer-crl-file'];
const CERT_FLAGS = ['cert-file', 'peer-cert-file', 'trusted-ca-file', 'peer-trusted-ca-file'];

/** Relative paths are relative to etcd's working directory: the unit's WorkingDirectory=, or / for a system unit. */
function resolveMemberPath(member: MemberConfig, path: string): string {
  if (isAbsolute(path)) return path;
  if (member.kind === 'unit') return resolve(member.unit?.workingDirectory ?? '/', path);
  return resolve(path);
}

function fileFact(path: string): FileFact {
  try {
    statSync(path);
  } catch {
    return { path, exists: false, readable: false };
  }
  try {
    accessSync(path, constants.R_OK);
    return { path, exists: true, readable: true };
  } catch (err) {
    return { path, exists: true, readable: false, error: errorMessage(err) };
  }
}

function readCert(path: string): { fact: CertFact; x509: X509Certificate | null } {
  try {
    // The one TLS reader: a FIFO, a device or a huge file named as a certificate is a finding, never a hang.
    const pem = readPemFileSync('certificate', path);
    if ('error' in pem) return { x509: null, fact: { path, error: pem.error.replace(/^certificate /, ''), dnsNames: [], ipAddresses: [] } };
    const x509 = new X509Certificate(pem.bytes);
    const sans = (x509.subjectAltName ?? '').split(/,\s*/).filter((s) => s !== '');
    return {
      x509,
      fact: {
        path,
        subject: x509.subject.replace(/\n/g, ', '),
        notBefore: new Date(x509.validFrom).toISOString(),
        notAfter: new Date(x509.validTo).toISOString(),
        dnsNames: sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4).toLowerCase()),
        ipAddresses: sans.filter((s) => s.startsWith('IP Address:')).map((s) => s.slice(11)),
      },
    };
  } catch (err) {
    return { x509: null, fact: { path, error: `not a PEM certificate (${errorMessage(err)})`, dnsNames: [], ipAddresses: [] } };
  }
}

function dirFact(path: string): DirFact {
  let probe = path;
  for (;;) {
    try {
      const st = statSync(probe);
      return { path, exists: probe === path, device: st.dev };
    } catch {
      const parent = dirname(probe);
      if (parent === probe) return { path, exists: false, device: null };
      probe = parent;
    }
  }
}

function sideFacts(
  files: Map<string, FileFact>,
  certs: Map<string, { x509: X509Certificate | null }>,
  certFlag: string,
  keyFlag: string,
  caFlag: string,
): TlsSideFacts {
  const cert = certs.get(certFlag)?.x509 ?? null;
  const ca = certs.get(caFlag)?.x509 ?? null;
  let keyMatches: boolean | null = null;
  const key = files.get(keyFlag);
  if (cert && key?.readable) {
    try {
      const pem = readPemFileSync('key', key.path);
      keyMatches = 'error' in pem ? false : cert.checkPrivateKey(createPrivateKey(pem.bytes));
    } catch {
      keyMatches = false;
    }
  }
  return { keyMatches, issuedByCa: cert && ca ? cert.checkIssued(ca) && cert.verify(ca.publicKey) : null };
}

export function gatherMemberFacts(member: MemberConfig): MemberFacts {
  const settings = effectiveSettings(member);
  const files = new Map<string, FileFact>();
  const certs = new Map<string, CertFact>();
  const x509s = new Map<string, { x509: X509Certificate | null }>();
  for (const flag of FILE_FLAGS) {
    const s = settings.get(flag);
    if (s === undefined || s.value === '') continue;
    const fact = fileFact(resolveMemberPath(member, s.value));
    files.set(flag, fact);
    if (CERT_FLAGS.includes(flag) && fact.readable) {
      const { fact: cert, x509 } = readCert(fact.path);
      certs.set(flag, cert);
      x509s.set(flag, { x509 });
    }
  }
  const dirs = new Map<string, DirFact>();
  for (const flag of ['data-dir', 'wal-dir']) {
    const s = settings.get(flag);
    if (s !== undefined && s.value !== '') dirs.set(flag, dirFact(resolveMemberPath(member, s.value)));
  }
  const binary = member.unit?.binary ? fileFact(member.unit.binary) : null;
  const workingDirectory = member.unit?.workingDirectory ? fileFact(member.unit.workingDirectory.replace(/^-/, '')) : null;
  return {
    workingDirectory,
    files,
    certs,
    dirs,
    binary,
    client: sideFacts(files, x509s, 'cert-file', 'key-file', 'trusted-ca-file'),
    peer: sideFacts(files, x509s, 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file'),
  };
}
