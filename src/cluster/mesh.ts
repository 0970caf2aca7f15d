// The RTT mesh: this node measures every other member, by ICMP to its address and by HTTP on its temporary member's peer URL (the path raft takes).
import type { NetworkArtifact, PeerRtt } from '../model/artifacts.js';
import type { MeshLink } from '../model/cluster-run.js';
import { errorMessage } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import { runNetworkProbe, type PeerTlsFiles } from '../probes/network.js';
import type { Progress } from '../util/progress.js';

/** Samples per peer: --quick must still see a stall of a second or two, so it samples 8 s; the default 30 s as `run`. */
export const MESH_SAMPLING = { default: { count: 150, intervalMs: 200 }, quick: { count: 80, intervalMs: 100 } };

export interface MeshTarget {
  name: string;
  host: string;
  peerUrl: string;
  /** Trust for this peer's URL: its own certificate with auto-TLS. */
  tls: PeerTlsFiles;
}

export interface MeshResult {
  network: ProbeResult<NetworkArtifact>;
  links: MeshLink[];
}

function failedPeer(t: MeshTarget, error: string, intervalMs: number): PeerRtt {
  return {
    host: t.host,
    url: t.peerUrl,
    method: 'http',
    loopback: false,
    sent: 0,
    received: 0,
    lossPct: 100,
    rttMs: {},
    samplesMs: [],
    samples: [],
    longestGapMs: 0,
    intervalMs,
    error,
    errorKind: 'other',
  };
}

export function linkOf(from: string, to: string, p: PeerRtt): MeshLink {
  const stat = (k: string) => (p.received > 0 ? (p.rttMs[k] ?? null) : null);
  return {
    from,
    to,
    method: p.method,
    target: p.url ?? p.address ?? p.host,
    received: p.received,
    sent: p.sent,
    p50Ms: stat('p50'),
    p99Ms: stat('p99'),
    maxMs: stat('max'),
    longestGapMs: p.longestGapMs,
    intervalMs: p.intervalMs ?? 0,
    ...(p.error !== undefined ? { error: p.error } : {}),
  };
}

export async function runMesh(self: string, targets: MeshTarget[], quick: boolean, progress?: Progress): Promise<MeshResult> {
  const sampling = quick ? MESH_SAMPLING.quick : MESH_SAMPLING.default;
  const measure = (method: 'icmp' | 'http', peers: string[], tls?: PeerTlsFiles) =>
    runNetworkProbe({ peers, method, ...sampling, ...(tls ? { tls } : {}), ...(progress ? { progress } : {}) }).catch((err: unknown) =>
      probeError<NetworkArtifact>(errorMessage(err)),
    );
  // Every probe at once: a stall on the link then shows in all of them, and the mesh takes the time of one.
  // http goes one peer at a time per probe, each trusting that peer's own certificate.
  const [icmp, ...perPeer] = await Promise.all([
    measure(
      'icmp',
      targets.map((t) => t.host),
    ),
    ...targets.map((t) => measure('http', [t.peerUrl], t.tls)),
  ]);
  const firstOk = perPeer.find((r): r is { ok: true; data: NetworkArtifact } => r.ok);
  const http: ProbeResult<NetworkArtifact> =
    firstOk === undefined
      ? probeError(perPeer.map((r) => (r.ok ? '' : r.error)).join('; '))
      : probeOk({
          peers: perPeer.flatMap((r, i) => (r.ok ? r.data.peers : [failedPeer(targets[i]!, r.error, sampling.intervalMs)])),
          quantileMethod: firstOk.data.quantileMethod,
        });
  const links: MeshLink[] = [];
  const peers: PeerRtt[] = [];
  for (const [result, method] of [
    [http, 'http'],
    [icmp, 'icmp'],
  ] as const) {
    if (!result.ok) {
      for (const t of targets)
        links.push({
          from: self,
          to: t.name,
          method,
          target: method === 'http' ? t.peerUrl : t.host,
          received: 0,
          sent: 0,
          p50Ms: null,
          p99Ms: null,
          maxMs: null,
          longestGapMs: 0,
          intervalMs: sampling.intervalMs,
          error: result.error,
        });
      continue;
    }
    result.data.peers.forEach((p, i) => {
      links.push(linkOf(self, targets[i]!.name, p));
      peers.push(p);
    });
  }
  const answered = http.ok ? http.data : icmp.ok ? icmp.data : null;
  const network: ProbeResult<NetworkArtifact> =
    answered !== null
      ? probeOk({ peers, quantileMethod: answered.quantileMethod })
      : probeError(`http: ${http.ok ? '' : http.error}; icmp: ${icmp.ok ? '' : icmp.error}`);
  return { network, links };
}

/** The directed pair with the highest p99: http links first (raft's own path), ICMP only where no http link answered. */
export function slowestPair(links: MeshLink[]): { from: string; to: string; method: MeshLink['method']; p99Ms: number } | null {
  const answered = links.filter((l) => l.p99Ms !== null);
  const http = answered.filter((l) => l.method === 'http');
  const pool = http.length > 0 ? http : answered;
  if (pool.length === 0) return null;
  const worst = pool.reduce((a, b) => (b.p99Ms! > a.p99Ms! ? b : a));
  return { from: worst.from, to: worst.to, method: worst.method, p99Ms: worst.p99Ms! };
}
