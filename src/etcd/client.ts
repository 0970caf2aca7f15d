// etcd3 client set-up (TLS, auth) with retries off, so that a measured latency or error belongs to one call to one member.
import type { Etcd3, IOptions } from 'etcd3';
import { readTlsMaterial, type TlsMaterial } from './tls-files.js';
import { DEFAULT_CALL_TIMEOUT_MS } from './lean/grpc.js';

export interface EtcdConnection {
  endpoints: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
  password?: string;
  /** Per-call deadline, so that a member that goes away ends a call instead of hanging it. */
  callTimeoutMs?: number;
  /**
   * A CA file per endpoint, over --cacert: members with etcd's auto-TLS (run --cluster) each show their own self-signed
   * certificate, all with the same subject, so one bundle cannot verify them all (OpenSSL finds the first by subject).
   */
  cacertFor?: Record<string, string>;
}

export type { TlsMaterial } from './tls-files.js';

/** The PEM files of --cacert/--cert/--key, read once so that a missing file is a usage error, not a failed call. */
export function readTlsFiles(conn: EtcdConnection, endpoint?: string): Promise<TlsMaterial> {
  // A member with its own self-signed certificate (run --cluster's auto-TLS) is trusted by that certificate alone.
  const own = endpoint !== undefined ? conn.cacertFor?.[endpoint] : undefined;
  return readTlsMaterial(own !== undefined ? { ...conn, cacert: own } : conn, { caRequired: true });
}

/** --user name[:password] and --password, or null without auth. */
export function userAndPassword(conn: EtcdConnection): { user: string; password: string } | null {
  if (conn.user === undefined) return null;
  const colon = conn.user.indexOf(':');
  const user = colon < 0 ? conn.user : conn.user.slice(0, colon);
  const inline = colon < 0 ? undefined : conn.user.slice(colon + 1);
  return { user, password: conn.password ?? inline ?? '' };
}

/** Resolved once per run: the files are read here so that a missing certificate is a usage error, not a failed call. */
export async function etcd3Options(conn: EtcdConnection, endpoints = conn.endpoints): Promise<IOptions> {
  // A client trusts one certificate set: with a CA per endpoint, it talks to the first endpoint only (any member serves its calls).
  if (conn.cacertFor !== undefined && endpoints.length > 1) endpoints = endpoints.slice(0, 1);
  const { noop } = await import('cockatiel');
  const options: IOptions = {
    hosts: endpoints,
    // etcd3 retries three times by default and picks a random host per call: neither belongs in a measurement.
    faultHandling: { host: () => noop, global: noop },
    defaultCallOptions: () => ({ deadline: Date.now() + (conn.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS) }),
  };
  const tls = await readTlsFiles(conn, endpoints.length === 1 ? endpoints[0] : undefined);
  if (tls.ca !== undefined) {
    options.credentials = { rootCertificate: tls.ca };
    if (tls.cert !== undefined) options.credentials.certChain = tls.cert;
    if (tls.key !== undefined) options.credentials.privateKey = tls.key;
  }
  const auth = userAndPassword(conn);
  if (auth !== null) options.auth = { username: auth.user, password: auth.password };
  return options;
}

/** etcd3 (with grpc-js and its protobuf definitions, about 25 MB) is loaded on first use: the lean load path never needs it. */
export async function createEtcd3Client(conn: EtcdConnection, endpoints = conn.endpoints): Promise<Etcd3> {
  const { Etcd3 } = await import('etcd3');
  return new Etcd3(await etcd3Options(conn, endpoints));
}
