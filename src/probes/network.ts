// Samples round-trip time to each peer (ICMP ping or TCP connect), all peers at once; it records, never judges.
import { connect } from 'node:net';
import { isIP } from 'node:net';
import { execa } from 'execa';
import type { NetworkArtifact, PeerRtt, RttMethod, RttSample } from '../model/artifacts.js';
import { parsePing } from '../parsers/ping.js';
import { onInterrupt } from '../util/cleanup.js';
import type { Progress } from '../util/progress.js';
import { longestGapMs, RTT_QUANTILE_METHOD, rttStats } from './rtt-stats.js';

export interface NetworkProbeOptions {
  peers: string[];
  method: RttMethod;
  count: number;
  intervalMs: number;
  /** TCP port for the tcp method (etcd's peer port by default). */
  port?: number;
  progress?: Progress;
}

export const DEFAULT_PEER_PORT = 2380;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function summarise(host: string, method: RttMethod, samples: RttSample[], totalMs: number, port?: number, error?: string): PeerRtt {
  const samplesMs = samples.flatMap((s) => (s.rttMs === null ? [] : [s.rttMs]));
  const sent = samples.length;
  const peer: PeerRtt = {
    host,
    method,
    loopback: isLoopback(host),
    sent,
    received: samplesMs.length,
    lossPct: sent === 0 ? 100 : (100 * (sent - samplesMs.length)) / sent,
    rttMs: rttStats(samplesMs),
    samplesMs,
    samples,
    longestGapMs: samplesMs.length === 0 ? totalMs : longestGapMs(samples, totalMs),
  };
  if (port !== undefined) peer.port = port;
  if (error !== undefined) peer.error = error;
  return peer;
}

async function pingPeer(host: string, options: NetworkProbeOptions): Promise<PeerRtt> {
  // -n: no reverse lookups (they add seconds); -i below 0.2 s needs root, which the install step has.
  const args = ['-n', '-c', String(options.count), '-i', (options.intervalMs / 1000).toFixed(3), '-W', '2', host];
  const t0 = Date.now();
  const child = execa('ping', args, { reject: false, stdin: 'ignore', cleanup: true });
  const stop = onInterrupt(() => child.kill('SIGINT'));
  const result = await child;
  stop();
  const totalMs = Date.now() - t0;
  const code = 'code' in result ? (result as { code?: string }).code : undefined;
  if (code === 'ENOENT') return summarise(host, 'icmp', [], 0, undefined, 'ping is not installed: install iputils-ping');
  const output = `${String(result.stdout)}\n${String(result.stderr)}`;
  let parsed;
  try {
    parsed = parsePing(output);
  } catch {
    return summarise(host, 'icmp', [], totalMs, undefined, output.trim().split('\n')[0] || `ping exited with ${result.exitCode}`);
  }
  const samples: RttSample[] = [];
  for (let seq = 1; seq <= Math.max(parsed.sent, options.count); seq++) {
    samples.push({ tMs: (seq - 1) * options.intervalMs, rttMs: parsed.replies.get(seq) ?? null });
  }
  const error = parsed.replies.size === 0 ? parsed.errors[0] ?? `no reply from ${host}` : undefined;
  return summarise(host, 'icmp', samples, totalMs, undefined, error);
}

function tcpConnectOnce(host: string, port: number, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const socket = connect({ host, port });
    const done = (ms: number | null) => {
      socket.destroy();
      resolve(ms);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('connect', () => done(Number(process.hrtime.bigint() - t0) / 1e6));
    socket.once('error', () => done(null));
  });
}

async function tcpPeer(host: string, options: NetworkProbeOptions): Promise<PeerRtt> {
  const port = options.port ?? DEFAULT_PEER_PORT;
  const samples: RttSample[] = [];
  const t0 = Date.now();
  let interrupted = false;
  const stop = onInterrupt(() => (interrupted = true));
  for (let i = 0; i < options.count && !interrupted; i++) {
    const due = t0 + i * options.intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    samples.push({ tMs: Date.now() - t0, rttMs: await tcpConnectOnce(host, port, 2000) });
  }
  stop();
  const error = samples.every((s) => s.rttMs === null) ? `no TCP connection to ${host}:${port}` : undefined;
  return summarise(host, 'tcp', samples, Date.now() - t0, port, error);
}

export async function runNetworkProbe(options: NetworkProbeOptions): Promise<NetworkArtifact> {
  options.progress?.phase('network', `${options.method} to ${options.peers.join(', ')}`);
  const ticker = setInterval(() => options.progress?.tick('network', `${options.count} samples per peer`), 1000);
  try {
    const peers = await Promise.all(options.peers.map((host) => (options.method === 'tcp' ? tcpPeer(host, options) : pingPeer(host, options))));
    options.progress?.done('network');
    return { peers, quantileMethod: RTT_QUANTILE_METHOD };
  } finally {
    clearInterval(ticker);
  }
}
