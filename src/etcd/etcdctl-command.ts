// etcdctl command lines the tool prints, carrying the connection flags of the call that led to them (never a password).
import { isAbsolute, resolve } from 'node:path';
import type { EtcdConnection } from './client.js';

/** What a printed etcdctl command needs to reach the cluster as the tool did: files as absolute paths, the user without its password. */
export interface EtcdctlConnection {
  endpoints: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  /** The user name only: etcdctl asks for the password itself, so no secret lands in a report or a shell history. */
  user?: string;
}

/** The printable part of a connection; relative paths are made absolute so that the command works from any directory. */
export function printableConnection(conn: EtcdConnection): EtcdctlConnection {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(p));
  const out: EtcdctlConnection = { endpoints: [...conn.endpoints] };
  if (conn.cacert !== undefined) out.cacert = abs(conn.cacert);
  if (conn.cert !== undefined) out.cert = abs(conn.cert);
  if (conn.key !== undefined) out.key = abs(conn.key);
  if (conn.user !== undefined) out.user = conn.user.split(':')[0]!;
  return out;
}

/** A word as a POSIX shell reads it back: plain words stay bare, anything else goes in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `etcdctl --endpoints=... --cacert=... --cert=... --key=... [--user=NAME] ARGS`: the same flags the tool's call used.
 * `endpoints` narrows the command to some members (a defrag names one member at a time).
 */
export function etcdctlCommand(conn: EtcdctlConnection | undefined, args: readonly string[], endpoints?: readonly string[]): string {
  const eps = endpoints ?? conn?.endpoints ?? [];
  const flags: string[] = [];
  if (eps.length > 0) flags.push(`--endpoints=${eps.join(',')}`);
  if (conn?.cacert !== undefined) flags.push(`--cacert=${conn.cacert}`);
  if (conn?.cert !== undefined) flags.push(`--cert=${conn.cert}`);
  if (conn?.key !== undefined) flags.push(`--key=${conn.key}`);
  if (conn?.user !== undefined) flags.push(`--user=${conn.user}`);
  return ['etcdctl', ...flags, ...args].map(shellWord).join(' ');
}
