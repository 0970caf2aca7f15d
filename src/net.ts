// The pipeline of `etcd-advisor net`: RTT, loss and stalls to the peers (or a pasted ping output), judged by the advisor's network rules.
import { advise, type AdvisorResult } from './advisor/advise.js';
import type { Artifacts, NetworkArtifact, PeerRtt, RttMethodChoice } from './model/artifacts.js';
import { exitCodeFor, verdictOf, type Check, type Verdict } from './model/check.js';
import { UsageError } from './model/errors.js';
import { probeError, probeOk, refuseBadInput, type ProbeResult } from './model/probe.js';
import { parsePing } from './parsers/ping.js';
import { gatherHost } from './probes/host.js';
import { runNetworkProbe, type PeerTlsFiles } from './probes/network.js';
import { peerFromPing } from './probes/rtt-icmp.js';
import { RTT_QUANTILE_METHOD } from './probes/rtt-stats.js';
import { readInputFile } from './util/input-file.js';
import type { Progress } from './util/progress.js';

export interface NetRunOptions {
  /** Measure: the peers as the operator wrote them (host, host:port, [IPv6]:port or peer URL). */
  peers?: string[];
  /** Judge: a file holding a ping output, "-" for stdin. */
  from?: string;
  method: RttMethodChoice;
  count: number;
  /** Between probes; for a pasted output, the interval that ping used. */
  intervalMs: number;
  port: number;
  tls?: PeerTlsFiles;
  progress?: Progress;
}

export interface NetOutcome {
  network: ProbeResult<NetworkArtifact>;
  checks: Check[];
  advice: AdvisorResult['advice'];
  verdict: Verdict;
  exitCode: number;
}

async function fromPasted(path: string, intervalMs: number): Promise<NetworkArtifact> {
  const text = await readInputFile(path, { flag: '--from', holding: 'ping output', kind: 'output', allowStdin: true });
  let peer: PeerRtt;
  try {
    peer = peerFromPing(parsePing(text), intervalMs);
  } catch (err) {
    // Named like every other --from error, as disk does for a fio output.
    if (err instanceof UsageError) throw new UsageError(`--from ${path}: ${err.message}`);
    throw err;
  }
  return { peers: [peer], quantileMethod: RTT_QUANTILE_METHOD };
}

export async function runNet(options: NetRunOptions): Promise<NetOutcome> {
  let artifacts: Artifacts;
  if (options.from !== undefined) {
    artifacts = {
      host: probeError('not gathered: the ping output came from elsewhere', 'not-asked'),
      network: probeOk(await fromPasted(options.from, options.intervalMs)),
    };
  } else if (options.peers !== undefined) {
    const [host, measured] = await Promise.all([
      gatherHost(),
      runNetworkProbe({
        peers: options.peers,
        method: options.method,
        count: options.count,
        intervalMs: options.intervalMs,
        port: options.port,
        ...(options.progress ? { progress: options.progress } : {}),
        ...(options.tls ? { tls: options.tls } : {}),
      }),
    ]);
    artifacts = { host, network: refuseBadInput(measured) };
  } else {
    throw new UsageError('give either --peers HOST[,HOST...] to measure, or --from FILE to judge a saved ping output');
  }
  // The advisor judges; this command shows the network's part of what it says.
  const result = advise(artifacts);
  const verdict = verdictOf(result.checks);
  return { network: artifacts.network!, checks: result.checks, advice: result.advice, verdict, exitCode: exitCodeFor(verdict) };
}
