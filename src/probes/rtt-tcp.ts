// TCP RTT: the time to open a connection to the peer port (SYN to SYN-ACK), for networks that drop ICMP.
import { connect } from 'node:net';
import type { PeerErrorKind, PeerRtt } from '../model/artifacts.js';
import { pacedProblem, pacedSamples, type SampleOutcome } from './rtt-sampler.js';
import { peerResult, type PeerIdentity } from './rtt-stats.js';

/** Socket error codes -> why a probe failed. */
export function kindOfSocketError(code: string | undefined): PeerErrorKind {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unresolvable';
    case 'ETIMEDOUT':
      return 'no-reply';
    default:
      return 'other';
  }
}

export function tcpConnectOnce(address: string, port: number, timeoutMs: number): Promise<SampleOutcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = connect({ host: address, port });
    const done = (outcome: SampleOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ rttMs: null, failure: { message: `no TCP answer from ${address}:${port} within ${timeoutMs} ms`, kind: 'no-reply' } }),
    );
    socket.once('connect', () => done({ rttMs: performance.now() - t0 }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({ rttMs: null, failure: { message: `TCP connect to ${address}:${port}: ${err.code ?? err.message}`, kind: kindOfSocketError(err.code) } }),
    );
  });
}

export interface TcpOptions {
  count: number;
  intervalMs: number;
  timeoutMs: number;
}

export async function tcpPeer(id: PeerIdentity & { address: string; port: number }, options: TcpOptions): Promise<PeerRtt> {
  const run = await pacedSamples(options.count, options.intervalMs, options.timeoutMs, () => tcpConnectOnce(id.address, id.port, options.timeoutMs));
  const problem = pacedProblem(run, {
    noAnswer: `no TCP connection to ${id.address}:${id.port}`,
    allFailed: 'every attempt failed',
    someFailed: 'some connects failed',
  });
  return peerResult(id, 'tcp', run.samples, options.intervalMs, problem);
}
