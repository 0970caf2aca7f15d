// What a cluster run asks the advisor and the load driver: the artifacts of the whole cluster (slowest pair, slowest disk), the recommended timing, the per-member write phase.
import { advise, type AdvisorResult } from '../advisor/advise.js';
import type { Artifacts, DiskArtifact, HostArtifact, LoadArtifact, NetworkArtifact, PeerRtt } from '../model/artifacts.js';
import type { ClusterRunArtifact } from '../model/cluster-run.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import { parseOpList, type LoadScenario } from '../load/scenario.js';

/** The write phase from one member's client URL: enough puts for a p99, short enough to repeat on every member. */
const WRITES_VIA = { clients: 8, durationSec: { default: 5, quick: 2 } };

export function writesViaScenario(member: string, quick: boolean): LoadScenario {
  return {
    name: `writes-via-${member}`,
    phases: [
      {
        name: `writes via ${member}`,
        model: 'closed',
        clients: WRITES_VIA.clients,
        conns: 1,
        durationSec: quick ? WRITES_VIA.durationSec.quick : WRITES_VIA.durationSec.default,
        total: null,
        rate: null,
        keySize: 64,
        valueSize: { min: 256, max: 256 },
        keySpace: 1000,
        ops: parseOpList('put'),
        thresholds: [],
      },
    ],
  };
}

export interface ClusterInputs {
  /** The whole run, for the rules that judge the rounds and every member's fio-vs-etcd figures. */
  run?: ClusterRunArtifact;
  networks: { member: string; network: ProbeResult<NetworkArtifact> }[];
  disks: { member: string; disk: ProbeResult<DiskArtifact> }[];
  load: ProbeResult<LoadArtifact> | undefined;
  host: ProbeResult<HostArtifact>;
}

/**
 * The cluster as one set of artifacts: every directed link of the mesh as a peer (named "from->to", so the advice says
 * which pair set it), the disk with the slowest fdatasync p99, the driver's load. etcd needs the same heartbeat and
 * election timeout on every member, so they come from the slowest pair.
 */
export function clusterArtifacts(c: ClusterInputs): Artifacts {
  const peers: PeerRtt[] = [];
  let quantileMethod = '';
  for (const { member, network } of c.networks) {
    if (!network.ok) continue;
    quantileMethod = network.data.quantileMethod;
    for (const p of network.data.peers) peers.push({ ...p, host: `${member}->${p.host}` });
  }
  const measured = c.disks.filter(
    (d): d is { member: string; disk: { ok: true; data: DiskArtifact } } => d.disk.ok && d.disk.data.fio.syncUs?.p99 !== undefined,
  );
  const slowestDisk =
    measured.length === 0
      ? (c.disks[0]?.disk ?? probeError<DiskArtifact>('no member measured its disk'))
      : measured.reduce((a, b) => (b.disk.data.fio.syncUs!.p99! > a.disk.data.fio.syncUs!.p99! ? b : a)).disk;
  return {
    host: c.host,
    disk: slowestDisk,
    network: peers.length > 0 ? probeOk({ peers, quantileMethod }) : probeError('no member measured its links to the others'),
    ...(c.load !== undefined ? { load: c.load } : {}),
    ...(c.run !== undefined ? { clusterRun: probeOk({ ...c.run, self: undefined }) } : {}),
  };
}

export function clusterAdvice(c: ClusterInputs): AdvisorResult {
  return advise(clusterArtifacts(c));
}

/** The advised heartbeat and election timeout for --validate, or null when the advisor set no valid pair. */
export function recommendedTiming(c: ClusterInputs): { heartbeatMs: number; electionMs: number } | null {
  const flags = clusterAdvice(c).advice.flags;
  const hb = flags.find((f) => f.flag === 'heartbeat-interval')?.value;
  const el = flags.find((f) => f.flag === 'election-timeout')?.value;
  return typeof hb === 'number' && typeof el === 'number' ? { heartbeatMs: hb, electionMs: el } : null;
}

export function clusterInputsOf(a: ClusterRunArtifact, host: ProbeResult<HostArtifact>): ClusterInputs {
  return { run: a, networks: a.networks, disks: a.disks, load: a.rounds[0]?.load, host };
}
