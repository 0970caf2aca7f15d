// Before anything is measured: the TLS files are read and checked, and each endpoint is dialed once with them, so a wrong file ends the run in a second, in the tool's words.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { IncompleteError, UsageError, errorMessage } from '../model/errors.js';
import { readTlsFiles, type EtcdConnection } from './client.js';

/** How long one dial may take: a member that answers at all answers in milliseconds on a LAN. */
export const PREFLIGHT_DIAL_MS = 3_000;

export interface EndpointDial {
  endpoint: string;
  /** null when the endpoint answered; else why not, in the tool's words. */
  unreachable: string | null;
}

function parseCert(pem: Buffer, flag: string, path: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new UsageError(`${flag} ${path}: not a PEM certificate (expected "-----BEGIN CERTIFICATE-----")`);
  }
}

function parseKey(pem: Buffer, path: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    const why = /passphrase|encrypted/i.test(errorMessage(err))
      ? 'an encrypted private key: give it without a passphrase, as etcd reads it'
      : 'not a PEM private key (expected "-----BEGIN PRIVATE KEY-----" or "-----BEGIN EC PRIVATE KEY-----")';
    throw new UsageError(`--key ${path}: ${why}`);
  }
}

/** Reads and checks --cacert/--cert/--key: each parses, the key belongs to the certificate, and neither certificate has expired. */
export async function checkTlsFiles(conn: EtcdConnection): Promise<{ ca?: Buffer; cert?: Buffer; key?: Buffer }> {
  const material = await readTlsFiles(conn);
  const now = Date.now();
  if (material.ca !== undefined) {
    const ca = parseCert(material.ca, '--cacert', conn.cacert!);
    if (Date.parse(ca.validTo) < now) throw new UsageError(`--cacert ${conn.cacert}: the CA certificate expired on ${ca.validTo}`);
  }
  if (material.cert !== undefined && material.key !== undefined) {
    const cert = parseCert(material.cert, '--cert', conn.cert!);
    const key = parseKey(material.key, conn.key!);
    if (!cert.checkPrivateKey(key))
      throw new UsageError(`--key ${conn.key} is not the private key of --cert ${conn.cert}: give the key the certificate was issued for`);
    if (Date.parse(cert.validTo) < now) throw new UsageError(`--cert ${conn.cert}: the client certificate expired on ${cert.validTo}`);
    if (Date.parse(cert.validFrom) > now) throw new UsageError(`--cert ${conn.cert}: the client certificate is not valid before ${cert.validFrom}`);
  }
  return material;
}

/** What a TLS failure means for the operator, naming the flag and file to fix; null when it is not a TLS problem. */
export function tlsFailure(err: unknown, endpoint: string, conn: EtcdConnection): string | null {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e.code ?? '';
  const text = `${code} ${errorMessage(err)}`;
  const url = new URL(endpoint);
  if (
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'UNABLE_TO_GET_ISSUER_CERT',
      'CERT_SIGNATURE_FAILURE',
    ].includes(code)
  ) {
    return conn.cacert === undefined
      ? `the server certificate of ${endpoint} is not signed by a CA this host trusts: give the cluster's CA with --cacert`
      : `the server certificate of ${endpoint} is not signed by --cacert ${conn.cacert}: give the CA that issued the etcd server certificates`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the server certificate of ${endpoint} does not name ${url.hostname}${e.reason ? ` (${e.reason.replace(/^Host: [^.]*\. /, '')})` : ''}: use an address the certificate names in --endpoints, or reissue the server certificate`;
  if (code === 'CERT_HAS_EXPIRED') return `the server certificate of ${endpoint} has expired: reissue it`;
  if (code === 'CERT_NOT_YET_VALID') return `the server certificate of ${endpoint} is not valid yet: check this host's clock`;
  const alert = /ALERT_UNKNOWN_CA|ALERT_BAD_CERTIFICATE|CERTIFICATE_REQUIRED|ALERT_CERTIFICATE_UNKNOWN|ALERT_UNSUPPORTED_CERTIFICATE|HANDSHAKE_FAILURE/i.test(
    text,
  );
  if (alert && conn.cert === undefined) return `${endpoint} asks for a client certificate: give --cert and --key`;
  if (alert) return `${endpoint} refused --cert ${conn.cert}: the server's --trusted-ca-file did not issue it`;
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|record layer failure/i.test(text))
    return `${endpoint} does not speak TLS: write it as http://${url.host}`;
  return null;
}

/** Why a TCP connection failed, in the tool's words. */
function unreachableText(err: unknown, endpoint: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `nothing listens at ${endpoint} (connection refused)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${new URL(endpoint).hostname} does not resolve`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `no route to ${endpoint}`;
  // A plain HTTP server that reads a TLS ClientHello may close (end) or reset the connection, as the machine's timing goes:
  // both are a close without an answer, which dialWithScheme asks about the other way round.
  if (code === 'ECONNRESET') return `${endpoint} closed the connection without answering (connection reset)`;
  if (code === 'ETIMEDOUT') return `${endpoint} did not answer within ${PREFLIGHT_DIAL_MS / 1000} s`;
  return `${endpoint}: ${errorMessage(err)}`;
}

/**
 * One HTTP/1.1 request to /version with the run's TLS: the handshake proves the CA, the server's names and (after the
 * request, when TLS 1.3 sends the server's verdict on the client certificate) --cert; the answer proves an HTTP server.
 * Throws UsageError for a TLS file that does not fit; returns the reason when the endpoint cannot be reached.
 */
async function dial(endpoint: string, conn: EtcdConnection, material: { ca?: Buffer; cert?: Buffer; key?: Buffer }): Promise<string | null> {
  const url = new URL(endpoint);
  const port = Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const https = url.protocol === 'https:';
  return new Promise<string | null>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const socket: net.Socket = https
      ? tls.connect({
          host,
          port,
          // RFC 6066 allows no IP address as a server name: it is left out for one (this also keeps Node's DEP0123 quiet).
          ...(net.isIP(host) === 0 ? { servername: host } : {}),
          ALPNProtocols: ['http/1.1'],
          ...(material.ca ? { ca: material.ca } : {}),
          ...(material.cert ? { cert: material.cert } : {}),
          ...(material.key ? { key: material.key } : {}),
        })
      : net.connect({ host, port });
    const timer = setTimeout(() => finish(() => resolve(`${endpoint} did not answer within ${PREFLIGHT_DIAL_MS / 1000} s`)), PREFLIGHT_DIAL_MS);
    socket.once(https ? 'secureConnect' : 'connect', () => socket.write(`GET /version HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.length < 5) return;
      if (answer.startsWith('HTTP/')) finish(() => resolve(null));
      else if (!https && answer.charCodeAt(0) === 0x15)
        finish(() => reject(new UsageError(`${endpoint} speaks TLS: write it as https://${url.host} and give --cacert`)));
      else finish(() => resolve(`${endpoint} answered, but not as etcd does (no HTTP reply)`));
    });
    socket.once('end', () =>
      finish(() =>
        resolve(
          answer.startsWith('HTTP/')
            ? null
            : https || answer === ''
              ? `${endpoint} closed the connection without answering`
              : `${endpoint} answered, but not as etcd does (no HTTP reply)`,
        ),
      ),
    );
    socket.once('error', (err) => {
      const why = https ? tlsFailure(err, endpoint, conn) : null;
      finish(() => (why !== null ? reject(new UsageError(why)) : resolve(unreachableText(err, endpoint))));
    });
  });
}

/** True when the endpoint finishes a TLS handshake (any certificate): an http:// endpoint that closes on plain HTTP may be this. */
function speaksTls(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) === 0 ? { servername: host } : {}) });
    const done = (v: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), PREFLIGHT_DIAL_MS);
    s.once('secureConnect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** True when the endpoint answers plain HTTP: an https:// endpoint that closes during the handshake may be this. */
function speaksHttp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (v: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), PREFLIGHT_DIAL_MS);
    s.once('connect', () => s.write(`GET /version HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    s.once('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('HTTP/')));
    s.once('error', () => done(false));
    s.once('end', () => done(false));
  });
}

/** A closed connection says little: ask the other way round, so that a wrong scheme is named as one. */
async function dialWithScheme(endpoint: string, conn: EtcdConnection, material: { ca?: Buffer; cert?: Buffer; key?: Buffer }): Promise<string | null> {
  const why = await dial(endpoint, conn, material);
  if (why === null || !/closed the connection without answering|not as etcd does/.test(why)) return why;
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:' && (await speaksTls(host, Number(url.port))))
    throw new UsageError(`${endpoint} speaks TLS: write it as https://${url.host} and give --cacert`);
  if (url.protocol === 'https:' && (await speaksHttp(host, Number(url.port))))
    throw new UsageError(`${endpoint} does not speak TLS: write it as http://${url.host}`);
  return why;
}

/** Checks the TLS files, then dials every endpoint at once; a TLS file that does not fit throws UsageError naming it. */
export async function dialEndpoints(conn: EtcdConnection): Promise<EndpointDial[]> {
  const material = await checkTlsFiles(conn);
  const https = conn.endpoints.some((e) => e.startsWith('https:'));
  if (!https && material.ca !== undefined) throw new UsageError(`--cacert is given but every endpoint is http://: write them as https:// to use TLS`);
  return Promise.all(conn.endpoints.map(async (endpoint) => ({ endpoint, unreachable: await dialWithScheme(endpoint, conn, material) })));
}

/**
 * The preflight of a command that writes to the cluster (run, load): a TLS problem is a usage error, and a cluster of
 * which no endpoint answers is not worth measuring the disk for. Returns the endpoints that did not answer.
 */
export async function preflightConnection(conn: EtcdConnection): Promise<EndpointDial[]> {
  const dials = await dialEndpoints(conn);
  const down = dials.filter((d) => d.unreachable !== null);
  if (down.length === dials.length) throw new IncompleteError(`etcd is unreachable: ${down.map((d) => d.unreachable).join('; ')}`);
  return down;
}
