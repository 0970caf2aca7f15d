// HTTP RTT on the path raft takes: GET /version on the member's peer URL, over one kept-alive connection, so stalls of that connection show.
import http from 'node:http';
import https from 'node:https';
import type { TlsMaterial } from '../etcd/client.js';
import type { PeerErrorKind, PeerRtt } from '../model/artifacts.js';
import { pacedProblem, pacedSamples, type SampleOutcome } from './rtt-sampler.js';
import { peerResult, type PeerIdentity } from './rtt-stats.js';
import { kindOfSocketError } from './rtt-tcp.js';

export interface HttpOptions {
  count: number;
  intervalMs: number;
  timeoutMs: number;
  /** For an https peer URL: the CA that signed the peer certificates and, with client auth, our certificate. */
  tls?: TlsMaterial;
}

function kindOf(err: NodeJS.ErrnoException): PeerErrorKind {
  const code = err.code ?? '';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/i.test(code) || /certificate|handshake/i.test(err.message)) return 'tls';
  return kindOfSocketError(code);
}

/** OpenSSL's messages carry its internal file and line; the code and a hint say more to an operator. */
function describeError(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  const text = /:error:/.test(err.message) ? '' : err.message;
  const hint = /BAD_CERTIFICATE|CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(code)
    ? 'the peer rejected our client certificate, or none was given (--cert, --key)'
    : '';
  return [code, text, hint].filter((s) => s !== '').join(' ');
}

/**
 * One GET /version. The clock starts when the request can leave, on a connection already open or once the new
 * one's TCP (and TLS) handshake is done, so every sample is one HTTP round trip; a reconnect shows in the gaps.
 */
function getVersionOnce(agent: http.Agent, url: URL, timeoutMs: number): Promise<SampleOutcome> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let sentAt: number | undefined;
    let settled = false;
    const finish = (outcome: SampleOutcome) => {
      if (settled) return;
      settled = true;
      resolve(sentAt !== undefined ? { ...outcome, sentAt } : outcome);
    };
    const request = url.protocol === 'https:' ? https.request : http.request;
    const req = request(url, { agent, method: 'GET', headers: { accept: 'application/json' } });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ rttMs: null, failure: { message: `no HTTP answer from ${url.href} within ${timeoutMs} ms`, kind: 'no-reply' } });
    }, timeoutMs);
    req.on('socket', (socket) => {
      const ready = () => (sentAt = performance.now());
      if (req.reusedSocket) ready();
      else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', ready);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        const now = performance.now();
        if (res.statusCode !== 200) {
          finish({ rttMs: null, failure: { message: `${url.href} answered HTTP ${res.statusCode}: is this an etcd peer URL?`, kind: 'http-status' } });
          return;
        }
        finish({ rttMs: now - (sentAt ?? startedAt) });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // A failed request must not leave its socket half-open on the peer.
      req.socket?.destroy();
      finish({ rttMs: null, failure: { message: `GET ${url.href}: ${describeError(err)}`, kind: kindOf(err) } });
    });
    req.end();
  });
}

export async function httpPeer(id: PeerIdentity & { url: string }, options: HttpOptions): Promise<PeerRtt> {
  const url = new URL(id.url);
  // One socket, kept alive: the probes queue on it as raft messages queue on their stream.
  const agent =
    url.protocol === 'https:'
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 1,
          ...(options.tls?.ca ? { ca: options.tls.ca } : {}),
          ...(options.tls?.cert ? { cert: options.tls.cert } : {}),
          ...(options.tls?.key ? { key: options.tls.key } : {}),
        })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const run = await pacedSamples(options.count, options.intervalMs, options.timeoutMs, () => getVersionOnce(agent, url, options.timeoutMs));
    const problem = pacedProblem(run, { noAnswer: `no HTTP answer from ${url.href}`, allFailed: 'every request failed', someFailed: 'some requests failed' });
    return peerResult(id, 'http', run.samples, options.intervalMs, problem);
  } finally {
    agent.destroy();
  }
}
