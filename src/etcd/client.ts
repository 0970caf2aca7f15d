// etcd3 client set-up (TLS, auth) with retries off, so that a measured latency or error belongs to one call to one member.
import { readFile } from 'node:fs/promises';
import { noop } from 'cockatiel';
import { Etcd3, type IOptions } from 'etcd3';
import { UsageError } from '../model/errors.js';

export interface EtcdConnection {
  endpoints: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
  password?: string;
  /** Per-call deadline, so that a member that goes away ends a call instead of hanging it. */
  callTimeoutMs?: number;
}

async function readPem(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw new UsageError(`cannot read ${what} ${path}`);
  }
}

/** Resolved once per run: the files are read here so that a missing certificate is a usage error, not a failed call. */
export async function etcd3Options(conn: EtcdConnection, endpoints = conn.endpoints): Promise<IOptions> {
  const options: IOptions = {
    hosts: endpoints,
    // etcd3 retries three times by default and picks a random host per call: neither belongs in a measurement.
    faultHandling: { host: () => noop, global: noop },
    defaultCallOptions: () => ({ deadline: Date.now() + (conn.callTimeoutMs ?? 5_000) }),
  };
  if (conn.cacert !== undefined || conn.cert !== undefined || conn.key !== undefined) {
    if (conn.cacert === undefined) throw new UsageError('--cert/--key need --cacert to check the server certificate');
    options.credentials = { rootCertificate: await readPem(conn.cacert, '--cacert') };
    if (conn.cert !== undefined) options.credentials.certChain = await readPem(conn.cert, '--cert');
    if (conn.key !== undefined) options.credentials.privateKey = await readPem(conn.key, '--key');
  }
  if (conn.user !== undefined) {
    const [username, inlinePassword] = conn.user.split(':', 2);
    options.auth = { username: username ?? '', password: conn.password ?? inlinePassword ?? '' };
  }
  return options;
}

export async function createEtcd3Client(conn: EtcdConnection, endpoints = conn.endpoints): Promise<Etcd3> {
  return new Etcd3(await etcd3Options(conn, endpoints));
}
