// Samples round-trip time to every peer at the same time, by ICMP, TCP connect or HTTP on the peer URL; it records, never judges, and never throws.
import { readTlsMaterial, type TlsMaterial } from '../etcd/tls-files.js';
import type { NetworkArtifact, PeerRtt, RttMethodChoice } from '../model/artifacts.js';
import { errorMessage, UsageError } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import type { Progress } from '../util/progress.js';
import { isLoopbackAddress, parsePeerList, resolvePeer, type PeerSpec } from './peer-spec.js';
import { httpPeer } from './rtt-http.js';
import { icmpPeer } from './rtt-icmp.js';
import { peerResult, RTT_QUANTILE_METHOD, type PeerIdentity } from './rtt-stats.js';
import { tcpPeer } from './rtt-tcp.js';

/** etcd's default peer port (--listen-peer-urls http://...:2380). */
export const DEFAULT_PEER_PORT = 2380;

/** A probe without an answer after this long counts as lost (the same wait as ping -W 2). */
export const PROBE_TIMEOUT_MS = 2000;

/** Files for https peer URLs, read once before sampling. */
export interface PeerTlsFiles {
  cacert?: string;
  cert?: string;
  key?: string;
}

export interface NetworkProbeOptions {
  /** Peers as host, host:port, [v6]:port or peer URL. */
  peers: string[];
  method: RttMethodChoice;
  count: number;
  intervalMs: number;
  /** Port for tcp and http when a peer gives none (etcd's peer port by default). */
  port?: number;
  tls?: PeerTlsFiles;
  timeoutMs?: number;
  /** The ping command (default ["ping"]). */
  pingCommand?: readonly string[];
  progress?: Progress;
}

function readTls(files: PeerTlsFiles | undefined): Promise<TlsMaterial | undefined> {
  // Peers may be checked against the system CAs: a client certificate needs no --cacert here.
  return files === undefined ? Promise.resolve(undefined) : readTlsMaterial(files, { caRequired: false });
}

function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

async function measurePeer(spec: PeerSpec, options: NetworkProbeOptions, tls: TlsMaterial | undefined): Promise<PeerRtt> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const method = options.method === 'auto' ? 'icmp' : options.method;
  const port = spec.port ?? options.port ?? DEFAULT_PEER_PORT;
  const scheme = spec.scheme ?? (tls?.ca || tls?.cert ? 'https' : 'http');
  const url = `${scheme}://${hostForUrl(spec.host)}:${port}/version`;
  const base: PeerIdentity = { host: spec.host, loopback: isLoopbackAddress(spec.host) };
  const resolved = await resolvePeer(spec.host);
  if (!resolved.ok) {
    const id = method === 'icmp' ? base : method === 'tcp' ? { ...base, port } : { ...base, port, url };
    return peerResult(id, method, [], options.intervalMs, { error: resolved.error, errorKind: 'unresolvable' });
  }
  const id = { ...base, address: resolved.address, loopback: base.loopback || isLoopbackAddress(resolved.address) };
  const sampling = { count: options.count, intervalMs: options.intervalMs, timeoutMs };
  if (method === 'tcp') return tcpPeer({ ...id, port }, sampling);
  if (method === 'http') return httpPeer({ ...id, port, url }, { ...sampling, ...(tls !== undefined ? { tls } : {}) });
  const icmp = await icmpPeer(id, { ...sampling, ...(options.pingCommand !== undefined ? { pingCommand: options.pingCommand } : {}) });
  if (options.method === 'auto' && (icmp.errorKind === 'not-permitted' || icmp.errorKind === 'missing-tool')) {
    const tcp = await tcpPeer({ ...id, port }, sampling);
    tcp.note = `ICMP could not be used (${icmp.error}): measured by TCP connect to port ${port} instead`;
    return tcp;
  }
  return icmp;
}

/** Bad peers or TLS files are the result's error with kind "bad-input" (a command exits 2 on it); a peer that cannot be reached is its own error inside the artifact. */
export async function runNetworkProbe(options: NetworkProbeOptions): Promise<ProbeResult<NetworkArtifact>> {
  let specs: PeerSpec[];
  let tls: TlsMaterial | undefined;
  try {
    specs = parsePeerList(options.peers);
    tls = await readTls(options.tls);
  } catch (err) {
    return probeError(errorMessage(err), err instanceof UsageError ? 'bad-input' : undefined);
  }
  try {
    return probeOk(await samplePeers(specs, tls, options));
  } catch (err) {
    return probeError(`RTT sampling failed: ${errorMessage(err)}`);
  }
}

async function samplePeers(specs: PeerSpec[], tls: TlsMaterial | undefined, options: NetworkProbeOptions): Promise<NetworkArtifact> {
  options.progress?.phase('network', `${options.method} to ${specs.map((s) => s.raw).join(', ')}`);
  const ticker = setInterval(() => options.progress?.tick('network', `${options.count} samples per peer`), 1000);
  try {
    // All peers at once: a periodic stall on a shared link then shows on every peer at the same moment.
    const peers = await Promise.all(specs.map((spec) => measurePeer(spec, options, tls)));
    options.progress?.done('network');
    return { peers, quantileMethod: RTT_QUANTILE_METHOD };
  } finally {
    clearInterval(ticker);
  }
}
