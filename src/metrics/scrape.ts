// Reads one member's /metrics over http or https (CA, client cert and key), bounded in time and size, into a parsed exposition.
import http from 'node:http';
import https from 'node:https';
import type { TlsMaterial } from '../etcd/client.js';
import { parseExposition, type Exposition } from './parse.js';

/** A full etcd 3.5 scrape is about 150 KiB, with --metrics=extensive a few MiB: 32 MiB means the URL is not /metrics. */
export const MAX_SCRAPE_BYTES = 32 * 2 ** 20;
/** A member that takes longer than this to list its metrics is stuck; its absence is a finding, not a wait. */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 5000;

export interface ScrapeOptions {
  tls?: TlsMaterial;
  timeoutMs?: number;
}

/** One scrape: when it was taken, the text as served (kept for fixtures and re-reading) and its families. */
export interface Scrape {
  url: string;
  /** Wall clock at the reply, ISO 8601. */
  at: string;
  /** Epoch milliseconds at the reply, for rates and time series. */
  tMs: number;
  text: string;
  families: Exposition;
}

export class ScrapeError extends Error {}

/** The /metrics URL of a client or metrics URL: "http://10.0.0.1:2379" -> "http://10.0.0.1:2379/metrics"; a URL with a path keeps it. */
export function metricsUrl(base: string): string {
  const url = new URL(base);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/metrics';
  return url.toString();
}

/** The body of GET url as text; rejects with a ScrapeError saying why (refused, timeout, TLS, status, too large). */
export function fetchText(url: string, options: ScrapeOptions = {}): Promise<string> {
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS;
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') return Promise.reject(new ScrapeError(`${url}: only http:// and https:// are scraped`));
  const tls = options.tls ?? {};
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new ScrapeError(`${url}: ${why}`));
    const requestOptions: https.RequestOptions = { method: 'GET', headers: { accept: 'text/plain' }, timeout: timeoutMs, agent: false };
    if (secure) {
      if (tls.ca !== undefined) requestOptions.ca = tls.ca;
      if (tls.cert !== undefined) requestOptions.cert = tls.cert;
      if (tls.key !== undefined) requestOptions.key = tls.key;
    }
    const req = (secure ? https : http).request(target, requestOptions, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(`HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trimEnd());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_SCRAPE_BYTES) {
          req.destroy();
          fail(`reply larger than ${MAX_SCRAPE_BYTES} bytes: not a /metrics page`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => fail(err.message));
    });
    req.on('timeout', () => {
      req.destroy();
      fail(`no reply within ${timeoutMs} ms`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => fail(describeError(err)));
    req.end();
  });
}

function describeError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (is the member running?)';
  if (err.code === 'ECONNRESET') return 'connection reset';
  if (err.code !== undefined && /CERT|SSL|TLS|SELF_SIGNED/.test(err.code)) return `TLS: ${err.message} (check --cacert, --cert, --key)`;
  return err.message;
}

/** Scrapes one member: a reply that is not an exposition is an error like a refused connection. */
export async function scrapeMetrics(url: string, options: ScrapeOptions = {}): Promise<Scrape> {
  const text = await fetchText(url, options);
  const tMs = Date.now();
  return fromText(url, text, tMs);
}

/** A scrape from saved text (a fixture, a recorded window), parsed as a live one is. */
export function fromText(url: string, text: string, tMs: number): Scrape {
  let families: Exposition;
  try {
    families = parseExposition(text);
  } catch (err) {
    throw new ScrapeError(`${url}: ${(err as Error).message}`);
  }
  return { url, at: new Date(tMs).toISOString(), tMs, text, families };
}
