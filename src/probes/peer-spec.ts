// Reads a peer as the operator wrote it (host, host:port, [v6]:port or a peer URL) and resolves it, so that every method probes the same address.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseEtcdUrl } from '../etcd/urls.js';
import { UsageError } from '../model/errors.js';

export interface PeerSpec {
  /** As given, for messages. */
  raw: string;
  /** Host name or address, without brackets. */
  host: string;
  port?: number;
  scheme?: 'http' | 'https';
}

/** Characters that cannot be in a host: a typo here is bad usage (exit 2), not a peer to try. */
const NOT_IN_HOST = /[\s/@?#,[\]]/;

function portOf(text: string, raw: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`peer "${raw}": port "${text}" is not a number from 1 to 65535`);
  return port;
}

function checkHost(host: string, raw: string): string {
  if (host === '' || NOT_IN_HOST.test(host)) throw new UsageError(`peer "${raw}": expected a host, host:port, [IPv6]:port or a URL like https://10.0.0.2:2380`);
  return host;
}

export function parsePeerSpec(input: string): PeerSpec {
  const raw = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    // A peer URL by etcd's own rules (etcd/urls.ts), as --initial-cluster and lint read it: scheme://host:port, no path.
    const url = parseEtcdUrl(raw);
    if (typeof url === 'string') throw new UsageError(`peer ${url}`);
    if (url.scheme !== 'http' && url.scheme !== 'https') throw new UsageError(`peer "${raw}": only http:// and https:// peer URLs can be probed`);
    return { raw, host: checkHost(url.host, raw), scheme: url.scheme, port: portOf(url.port, raw) };
  }
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(raw);
  if (bracketed) {
    if (isIP(bracketed[1]!) !== 6) throw new UsageError(`peer "${raw}": "${bracketed[1]}" in brackets is not an IPv6 address`);
    return { raw, host: bracketed[1]!, ...(bracketed[2] !== undefined ? { port: portOf(bracketed[2], raw) } : {}) };
  }
  if (isIP(raw) === 6) return { raw, host: raw };
  const colon = raw.lastIndexOf(':');
  if (colon >= 0) {
    if (raw.indexOf(':') !== colon) throw new UsageError(`peer "${raw}": write an IPv6 address with a port as [address]:port`);
    return { raw, host: checkHost(raw.slice(0, colon), raw), port: portOf(raw.slice(colon + 1), raw) };
  }
  return { raw, host: checkHost(raw, raw) };
}

/** "a,b, c" -> specs; an empty list or a malformed peer is bad usage. */
export function parsePeerList(list: string | readonly string[]): PeerSpec[] {
  const items = (typeof list === 'string' ? list.split(',') : list.flatMap((l) => l.split(','))).map((p) => p.trim()).filter((p) => p !== '');
  if (items.length === 0) throw new UsageError('--peers is empty: give the other members, e.g. --peers 10.0.0.2,10.0.0.3');
  return items.map(parsePeerSpec);
}

export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return address === '::1' || /^::ffff:127\./i.test(address);
  return address === 'localhost';
}

/** True for a peer written as a loopback host or address (before any lookup). */
export function isLoopback(peer: string): boolean {
  try {
    return isLoopbackAddress(parsePeerSpec(peer).host);
  } catch {
    return false;
  }
}

export type Resolved = { ok: true; address: string } | { ok: false; error: string };

export async function resolvePeer(host: string): Promise<Resolved> {
  if (isIP(host) !== 0) return { ok: true, address: host };
  try {
    const { address } = await lookup(host);
    return { ok: true, address };
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    const why = code === 'ENOTFOUND' ? 'no such host' : code === 'EAI_AGAIN' ? 'the name server could not be reached or did not answer' : code;
    return { ok: false, error: `cannot resolve ${host}: ${why} (${code})` };
  }
}
