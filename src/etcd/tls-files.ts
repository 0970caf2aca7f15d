// The one reader of TLS files (--cacert, --cert, --key and lint's certificates): bounded like every input file, and a file that holds no PEM block is refused by its flag.
import { UsageError } from '../model/errors.js';
import { readInputBytes, readInputBytesSync } from '../util/input-file.js';

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface TlsFileNames {
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

function checkPem(flag: string, path: string, bytes: Buffer): Buffer {
  if (!PEM.test(bytes.toString('latin1')))
    throw new UsageError(`${flag} ${path}: not a PEM file (no "-----BEGIN ...-----" line); give the PEM ${flag === '--key' ? 'private key' : 'certificate'}`);
  return bytes;
}

/** One PEM file by its flag: a regular file of at most the config cap, holding a PEM block. */
export async function readPemFile(flag: string, path: string): Promise<Buffer> {
  return checkPem(flag, path, await readInputBytes(path, { flag, holding: 'a PEM certificate or key', kind: 'config' }));
}

/** The same for synchronous readers (lint's file facts): a file it cannot take is null with the reason, never a hang. */
export function readPemFileSync(flag: string, path: string): { bytes: Buffer } | { error: string } {
  try {
    return { bytes: checkPem(flag, path, readInputBytesSync(path, { flag, holding: 'a PEM certificate or key', kind: 'config' })) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * --cacert/--cert/--key read once, so that a missing or wrong file is a usage error before anything is dialed.
 * `caRequired`: a client certificate without a CA to check the server is refused (etcd clients); peers may use the system CAs.
 */
export async function readTlsMaterial(files: TlsFileNames, options: { caRequired: boolean }): Promise<TlsMaterial> {
  const tls: TlsMaterial = {};
  if (files.cacert === undefined && files.cert === undefined && files.key === undefined) return tls;
  if (options.caRequired && files.cacert === undefined) throw new UsageError('--cert/--key need --cacert to check the server certificate');
  if ((files.cert === undefined) !== (files.key === undefined)) throw new UsageError('--cert and --key go together: give both for TLS client auth, or neither');
  if (files.cacert !== undefined) tls.ca = await readPemFile('--cacert', files.cacert);
  if (files.cert !== undefined) tls.cert = await readPemFile('--cert', files.cert);
  if (files.key !== undefined) tls.key = await readPemFile('--key', files.key);
  return tls;
}
