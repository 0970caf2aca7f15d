// Small HTTP(S) GETs to the temporary members (health, version, metrics), trusting the run's own CA bundle.
import http from 'node:http';
import https from 'node:https';
import type { TlsMaterial } from '../etcd/client.js';

export interface GetResult {
  status: number;
  body: string;
}

/** GET url; resolves null on any network or TLS error or timeout (the caller decides what absence means). */
export function httpGet(url: string, tls: TlsMaterial = {}, timeoutMs = 2_000): Promise<GetResult | null> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const done = (r: GetResult | null) => {
      clearTimeout(timer);
      resolve(r);
    };
    const options = {
      timeout: timeoutMs,
      ...(u.protocol === 'https:'
        ? { ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}), agent: false as const }
        : { agent: false as const }),
    };
    const req = (u.protocol === 'https:' ? https : http).get(u, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => done(null));
    });
    const timer = setTimeout(() => req.destroy(), timeoutMs);
    req.on('error', () => done(null));
  });
}

export async function getJson(url: string, tls?: TlsMaterial, timeoutMs?: number): Promise<unknown> {
  const r = await httpGet(url, tls, timeoutMs);
  if (r === null || r.status !== 200) return null;
  try {
    return JSON.parse(r.body) as unknown;
  } catch {
    return null;
  }
}
