// One node's part of a cluster run: start its member, meet the others at barrier keys, probe, let the first-named member drive the load, and clean up.
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { EtcdConnection, TlsMaterial } from '../etcd/client.js';
import type { DiskArtifact, HostArtifact, LoadArtifact, NetworkArtifact, RunPhase } from '../model/artifacts.js';
import type { ClusterLoadRound, ClusterRunArtifact, ClusterRunMember, MeshLink } from '../model/cluster-run.js';
import { IncompleteError, errorMessage } from '../model/errors.js';
import type { ProbeResult } from '../model/probe.js';
import { newRunId } from '../model/report.js';
import { ETCD_FIO_PROFILE, ETCD_FIO_PROFILE_QUICK, runDiskProbe } from '../probes/disk.js';
import { gatherHost } from '../probes/host.js';
import { DEFAULT_SCENARIO_NAME, QUICK_SCENARIO_NAME, loadScenario, runLoadProbe, type LoadScenario } from '../probes/load.js';
import { interruption, onCleanup } from '../util/cleanup.js';
import { ensureOutDir } from '../util/out-dir.js';
import { Progress } from '../util/progress.js';
import { createScratchDir } from '../util/scratch.js';
import { Barrier, MissingPeersError, PeerStoppedError, stopIfSignalled } from './barrier.js';
import { memberHealthy, memberVersion, startMember, type ClusterSecurity, type RunningMember } from './member.js';
import { runMesh, slowestPair } from './mesh.js';
import { metricsRound } from './metrics.js';
import type { ClusterPlan } from './plan.js';
import { recommendedTiming, writesViaScenario } from './rounds.js';

/** Default of --wait: how long a node waits for the others to start their member and meet at a barrier. */
export const DEFAULT_WAIT_MS = 120_000;
/** How long the driver's load, the restart of --validate and the report may take before the others give up on it. */
const DRIVER_DEADLINE_MS = 10 * 60_000;
/** The last barrier (everyone has the cluster result) is short: the result is already written. */
const BYE_WAIT_MS = 20_000;
/** A member whose peer port stays closed this long has gone away (killed without raising the stop key). */
const MEMBER_GONE_MS = 10_000;
/** etcd's defaults, the first load round's flags (ETCD-FACTS.md "Flags"). */
export const ETCD_DEFAULT_HEARTBEAT_MS = 100;
export const ETCD_DEFAULT_ELECTION_MS = 1000;

export interface ClusterNodeOptions {
  plan: ClusterPlan;
  security: ClusterSecurity;
  dataDir?: string;
  out?: string;
  quick: boolean;
  validate: boolean;
  scenario?: LoadScenario;
  waitMs?: number;
  etcdBinary?: string;
  fioBinary?: string;
  runId: string;
  progress?: Progress;
  /** One line of coordination news, for stderr. */
  log: (line: string) => void;
}

/** What the driver publishes when it is done, and what every node's report carries. */
export interface ClusterNodeResult {
  artifact: ClusterRunArtifact | null;
  host: ProbeResult<HostArtifact>;
  disk: ProbeResult<DiskArtifact>;
  network: ProbeResult<NetworkArtifact>;
  /** The driver's first load round. */
  load?: ProbeResult<LoadArtifact>;
  scratch: string;
  outDir: string;
  startedAt: Date;
}

/** What a node had measured when a signal stopped it: written as its report, marked interrupted, by runCluster. */
export class ClusterNodeInterrupted extends IncompleteError {
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    readonly partial: {
      host: ProbeResult<HostArtifact> | null;
      disk?: ProbeResult<DiskArtifact>;
      network?: ProbeResult<NetworkArtifact>;
      cutShort: RunPhase[];
      notStarted: RunPhase[];
      outDir: string;
      startedAt: Date;
    },
  ) {
    super(`stopped by ${signal}`);
  }
}

interface Arrival {
  member: ClusterRunMember;
  clientCertPem: string;
  peerCertPem: string;
}

interface Probed {
  disk: ProbeResult<DiskArtifact>;
  network: ProbeResult<NetworkArtifact>;
  links: MeshLink[];
}

interface RestartSignal {
  heartbeatMs: number;
  electionMs: number;
}

function tcpAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function runClusterNode(o: ClusterNodeOptions): Promise<ClusterNodeResult> {
  const { plan, log } = o;
  const startedAt = new Date();
  const progress = o.progress ?? new Progress();
  const waitMs = o.waitMs ?? DEFAULT_WAIT_MS;
  const names = plan.members.map((m) => m.name);
  const others = plan.members.filter((m) => m !== plan.self);
  // The run id is the cluster's (the same for a rerun of the same cluster): the directory adds this node's start.
  const outDir = resolve(o.out ?? join('reports', `${hostname()}-${plan.self.name}-${newRunId(startedAt)}-${o.runId}`));
  // --data-dir is refused before --out is made: a bad one leaves no empty report directory behind.
  const { path: scratch, remove: removeScratch } = await createScratchDir(o.dataDir, o.runId);
  await ensureOutDir(outDir);

  let member: RunningMember | null = null;
  let barrier: Barrier | null = null;
  let stopWatch: (() => void) | null = null;
  // On Ctrl-C the others must hear it while this member is still up to carry it: clean-up runs the newest step first, so
  // the step is armed again after every start of the member (the one before it then does nothing).
  let disarm = () => {};
  const armTellOthers = () => {
    disarm();
    let armed = true;
    disarm = () => (armed = false);
    onCleanup('tell the other members this node stopped', async () => {
      if (armed) await barrier?.raiseStop('interrupted');
    });
  };

  const describeMissing = async (missing: string[], what: string): Promise<string> => {
    const parts = await Promise.all(
      missing.map(async (n) => {
        const m = plan.members.find((x) => x.name === n)!;
        const answers = await tcpAnswers(m.host, m.peerPort);
        return `${n} (${m.host}:${m.peerPort}) ${answers ? 'answers on its peer port but did not join this run (another --cluster list, --run-label or --token, or a certificate one side refuses?)' : 'does not answer on its peer port'}`;
      }),
    );
    return `${what} within ${(waitMs / 1000).toFixed(0)} s: ${parts.join('; ')}. Start the same command with --name ${missing.join(', --name ')} there.`;
  };

  // A member killed outright raises no stop key: a peer port closed for MEMBER_GONE_MS while we wait for it says it went.
  const closedSince = new Map<string, number>();
  let lastLook = 0;
  const stillThere = async (missing: string[]): Promise<void> => {
    if (Date.now() - lastLook < 2_000) return;
    lastLook = Date.now();
    for (const n of missing) {
      const m = plan.members.find((x) => x.name === n)!;
      if (await tcpAnswers(m.host, m.peerPort)) closedSince.delete(n);
      else if (!closedSince.has(n)) closedSince.set(n, Date.now());
      else if (Date.now() - closedSince.get(n)! > MEMBER_GONE_MS)
        throw new MissingPeersError([n], `member ${n} (${m.host}:${m.peerPort}) went away: its peer port has not answered for ${MEMBER_GONE_MS / 1000} s`);
    }
  };

  const start = async (flags: string[]): Promise<RunningMember> => {
    progress.phase('member', `starting member ${plan.self.name}`);
    const m = await startMember({ plan, security: o.security, scratch, flags, ...(o.etcdBinary !== undefined ? { etcdBinary: o.etcdBinary } : {}) });
    member = m;
    const deadline = Date.now() + waitMs;
    let lastMissing = '';
    while (!(await memberHealthy(m))) {
      stopIfSignalled();
      if (m.etcd.exited()) throw new IncompleteError(`the temporary etcd member ${plan.self.name} exited: ${m.etcd.stderrTail()}`);
      if (Date.now() > deadline) {
        const down: string[] = [];
        for (const x of others) if (!(await tcpAnswers(x.host, x.peerPort))) down.push(x.name);
        const suspects = down.length > 0 ? down : others.map((x) => x.name);
        throw new MissingPeersError(suspects, await describeMissing(suspects, `no quorum: member(s) ${suspects.join(', ')} never came`));
      }
      const missing = others.map((x) => x.name).join(', ');
      if (missing !== lastMissing) log(`waiting for a quorum of ${names.join(', ')} (up to ${(waitMs / 1000).toFixed(0)} s)`);
      lastMissing = missing;
      await new Promise((r) => setTimeout(r, 250));
    }
    progress.done('member', `member ${plan.self.name} has a leader`);
    return m;
  };

  // What was measured so far, and the phase a signal would cut short: an interrupted node writes these, marked so.
  let hostSoFar: ProbeResult<HostArtifact> | null = null;
  let diskSoFar: ProbeResult<DiskArtifact> | undefined;
  let networkSoFar: ProbeResult<NetworkArtifact> | undefined;
  let phase: 'meet' | 'probes' | 'load' | 'finish' = 'meet';
  try {
    log(
      `member ${plan.self.name} on ${plan.self.host} (client port ${plan.clientPort}, peer port ${plan.listenPeerPort}), token ${plan.token}, ${o.security.mode}`,
    );
    const host = await gatherHost(o.etcdBinary);
    hostSoFar = host;
    let m = await start([]);
    barrier = new Barrier(m.clientUrl, m.clientTls, plan.prefix, plan.self.name);
    armTellOthers();
    const me: ClusterRunMember = {
      name: plan.self.name,
      hostname: host.ok ? host.data.hostname : hostname(),
      address: plan.self.host,
      clientUrl: m.clientUrl,
      peerUrl: m.peerUrl,
      etcdVersion: await memberVersion(m),
      dataDir: o.dataDir !== undefined ? resolve(o.dataDir) : null,
      ...(o.security.mode === 'mutual-tls' ? { tlsFiles: o.security.files } : {}),
    };
    await barrier.put('arrive', { member: me, clientCertPem: m.clientCertPem, peerCertPem: m.peerCertPem } satisfies Arrival);
    const arrivals = await barrier.waitAll<Arrival>('arrive', names, Date.now() + waitMs, (missing) =>
      describeMissing(missing, `member(s) ${missing.join(', ')} never came`),
    );
    log(`all ${names.length} members are up: ${names.join(', ')}`);
    const members = names.map((n) => arrivals.get(n)!.member);
    // With auto-TLS every member's certificate is its own, all with the same subject: each member is trusted by its own certificate only.
    const certFile = async (name: string, side: 'client' | 'peer', pem: string): Promise<string> => {
      const path = join(scratch, `${name}-${side}-ca.pem`);
      await writeFile(path, pem);
      return path;
    };
    const clientCaOf = new Map<string, string>();
    const peerCaOf = new Map<string, string>();
    for (const n of names) {
      clientCaOf.set(n, await certFile(n, 'client', arrivals.get(n)!.clientCertPem));
      peerCaOf.set(n, await certFile(n, 'peer', arrivals.get(n)!.peerCertPem));
    }
    const peerTlsOf = (n: string) =>
      o.security.mode === 'mutual-tls'
        ? { cacert: peerCaOf.get(n)!, cert: o.security.files.peerCert, key: o.security.files.peerKey }
        : { cacert: peerCaOf.get(n)! };
    const cacertFor = Object.fromEntries(members.map((x) => [x.clientUrl, clientCaOf.get(x.name)!]));
    const connectionTo = (endpoints: string[]): EtcdConnection =>
      o.security.mode === 'mutual-tls' ? { endpoints, cacertFor, cert: o.security.files.cert, key: o.security.files.key } : { endpoints, cacertFor };

    let stoppedBy: PeerStoppedError | null = null;
    const onPeerStopped = (err: PeerStoppedError): void => {
      stoppedBy = err;
      log(err.message);
      // This node only relays the stop: it must not raise one of its own, or a third node may name this one as the cause.
      disarm();
      // The same path as Ctrl-C: long steps stop, clean-up runs, the process ends.
      process.kill(process.pid, 'SIGTERM');
    };
    stopWatch = barrier.watchStop(onPeerStopped);

    // Every node measures its own disk and its links to the others at the same time, before any load.
    const profile = o.quick ? ETCD_FIO_PROFILE_QUICK : ETCD_FIO_PROFILE;
    stopIfSignalled();
    phase = 'probes';
    const [disk, mesh] = await Promise.all([
      runDiskProbe({ dir: scratch, profile, progress, ...(o.fioBinary ? { fioBinary: o.fioBinary } : {}) }),
      runMesh(
        plan.self.name,
        others.map((x) => ({ name: x.name, host: x.host, peerUrl: arrivals.get(x.name)!.member.peerUrl, tls: peerTlsOf(x.name) })),
        o.quick,
        progress,
      ),
    ]);
    diskSoFar = disk;
    networkSoFar = mesh.network;
    // Probes a signal cut short are not published: the driver would judge them.
    stopIfSignalled();
    phase = plan.isDriver ? 'load' : 'finish';
    await barrier.put('probed', { disk, network: mesh.network, links: mesh.links } satisfies Probed);
    log(`disk and RTT mesh measured; ${plan.isDriver ? 'waiting for the others to finish theirs' : `waiting for ${plan.driver.name} to drive the load`}`);

    const restart = async (signal: RestartSignal, round: number): Promise<void> => {
      // Every node acknowledges first, so that nobody stops its member before all have seen the signal.
      await barrier!.put(`restart-ack-${round}`, true);
      try {
        await barrier!.waitAll(`restart-ack-${round}`, names, Date.now() + 10_000, async () => 'not every member acknowledged the restart');
      } catch (err) {
        if (!(err instanceof MissingPeersError)) throw err;
        log(`${err.message}; restarting anyway`);
      }
      stopWatch?.();
      barrier!.close();
      log(`restarting member ${plan.self.name} with --heartbeat-interval ${signal.heartbeatMs} --election-timeout ${signal.electionMs}`);
      await m.etcd.stop();
      m = await start(['--heartbeat-interval', String(signal.heartbeatMs), '--election-timeout', String(signal.electionMs)]);
      barrier = new Barrier(m.clientUrl, m.clientTls, plan.prefix, plan.self.name);
      armTellOthers();
      await barrier.put(`rejoin-${round}`, true);
      await barrier.waitAll(`rejoin-${round}`, names, Date.now() + waitMs, (missing) =>
        describeMissing(missing, `member(s) ${missing.join(', ')} did not come back after the restart`),
      );
      stopWatch = barrier.watchStop(onPeerStopped);
    };

    let artifact: ClusterRunArtifact | null = null;
    let firstLoad: ProbeResult<LoadArtifact> | undefined;
    if (plan.isDriver) {
      closedSince.clear();
      const probed = await barrier.waitAll<Probed>(
        'probed',
        names,
        Date.now() + DRIVER_DEADLINE_MS,
        (missing) => describeMissing(missing, `member(s) ${missing.join(', ')} did not finish their probes`),
        stillThere,
      );
      const links = names.flatMap((n) => probed.get(n)!.links);
      const disks = names.map((n) => ({ member: n, disk: probed.get(n)!.disk }));
      const networks = names.map((n) => ({ member: n, network: probed.get(n)!.network }));
      const scenario = o.scenario ?? (await loadScenario(o.quick ? QUICK_SCENARIO_NAME : DEFAULT_SCENARIO_NAME));
      const runRound = async (flags: ClusterLoadRound['flags'], heartbeatMs: number, electionMs: number): Promise<ClusterLoadRound> => {
        const tlsOf = new Map<string, TlsMaterial>();
        for (const x of members) tlsOf.set(x.name, { ...m.clientTls, ca: Buffer.from(arrivals.get(x.name)!.clientCertPem) });
        const metrics = metricsRound(members, tlsOf, await barrier!.memberIds());
        log(
          `load round "${flags}" (heartbeat ${heartbeatMs} ms, election ${electionMs} ms): scenario ${scenario.name} against ${members.map((x) => x.name).join(', ')}`,
        );
        stopIfSignalled();
        const load = await metrics.during('load', () =>
          runLoadProbe({
            connection: connectionTo(members.map((x) => x.clientUrl)),
            scenario,
            prefix: `${plan.prefix}load-${flags}/`,
            embedded: true,
            progress,
          }),
        );
        const writesVia: ClusterLoadRound['writesVia'] = [];
        for (const x of members) {
          stopIfSignalled();
          const via = await metrics.during(`writes via ${x.name}`, () =>
            runLoadProbe({
              connection: connectionTo([x.clientUrl]),
              scenario: writesViaScenario(x.name, o.quick),
              prefix: `${plan.prefix}via-${flags}-${x.name}/`,
              embedded: true,
              progress,
            }),
          );
          writesVia.push(via.ok ? { member: x.name, phase: via.data.phases[0] ?? null } : { member: x.name, phase: null, error: via.error });
        }
        return { flags, heartbeatMs, electionMs, load, writesVia, metrics: metrics.deltas() };
      };
      const rounds = [await runRound('defaults', ETCD_DEFAULT_HEARTBEAT_MS, ETCD_DEFAULT_ELECTION_MS)];
      stopIfSignalled();
      firstLoad = rounds[0]!.load;
      if (o.validate) {
        const timing = recommendedTiming({ networks, disks, load: firstLoad, host });
        if (timing === null) log('--validate: the advisor set no valid heartbeat/election pair, so there is nothing to validate');
        else {
          await barrier.put('restart-1', timing);
          await restart(timing, 1);
          rounds.push(await runRound('recommended', timing.heartbeatMs, timing.electionMs));
        }
      }
      artifact = {
        token: plan.token,
        prefix: plan.prefix,
        driver: plan.driver.name,
        security: o.security.mode,
        members,
        mesh: links,
        networks,
        slowestPair: slowestPair(links),
        disks,
        rounds,
        notes:
          o.security.mode === 'auto-tls'
            ? [
                "The temporary cluster used etcd's auto-TLS: traffic was encrypted but no member was authenticated (self-signed certificates, trusted only for this run). It listened on each member's own address and lived only for the run.",
              ]
            : ['The temporary cluster used mutual TLS with the certificates given (--peer-cacert, --peer-cert, --peer-key; --cacert, --cert, --key).'],
      };
      await barrier.put('done', artifact);
      log('cluster result published; waiting for every member to read it');
      try {
        closedSince.clear();
        await barrier.waitAll(
          'bye',
          others.map((x) => x.name),
          Date.now() + BYE_WAIT_MS,
          async (missing) => `member(s) ${missing.join(', ')} did not read the result`,
          stillThere,
        );
      } catch (err) {
        if (!(err instanceof MissingPeersError)) throw err;
        log(err.message);
      }
      await barrier.deleteAll().catch((err: unknown) => log(`could not delete the run's keys under ${plan.prefix}: ${errorMessage(err)}`));
    } else {
      // The others keep their member up and wait for the driver: a restart for --validate, then "done".
      const deadline = Date.now() + DRIVER_DEADLINE_MS;
      let round = 1;
      let driverDownSince: number | null = null;
      let lastDriverCheck = 0;
      for (;;) {
        await barrier.checkStopped();
        const keys = await barrier.list<unknown>('done').catch(() => new Map<string, unknown>());
        const done = keys.get(plan.driver.name) as ClusterRunArtifact | undefined;
        if (done !== undefined) {
          artifact = done;
          break;
        }
        const restartKey = (await barrier.list<RestartSignal>(`restart-${round}`).catch(() => new Map<string, RestartSignal>())).get(plan.driver.name);
        if (restartKey !== undefined) {
          await restart(restartKey, round);
          round++;
          continue;
        }
        if (Date.now() - lastDriverCheck > 2_000) {
          lastDriverCheck = Date.now();
          const up = await tcpAnswers(plan.driver.host, plan.driver.peerPort);
          driverDownSince = up ? null : (driverDownSince ?? Date.now());
          if (driverDownSince !== null && Date.now() - driverDownSince > MEMBER_GONE_MS)
            throw new IncompleteError(
              `the driver ${plan.driver.name} (${plan.driver.host}:${plan.driver.peerPort}) went away: its peer port has not answered for ${MEMBER_GONE_MS / 1000} s`,
            );
        }
        if (Date.now() > deadline) throw new IncompleteError(`the driver ${plan.driver.name} did not finish within ${DRIVER_DEADLINE_MS / 60_000} min`);
        await new Promise((r) => setTimeout(r, 250));
      }
      await barrier.put('bye', true);
      // The driver deletes the run's keys while every member is up; wait for that (or a short while) before stopping.
      const until = Date.now() + BYE_WAIT_MS;
      while (Date.now() < until) {
        const left = await barrier.list('arrive').catch(() => null);
        if (left !== null && left.size === 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    if (stoppedBy !== null) throw stoppedBy;
    stopWatch?.();
    stopWatch = null;
    barrier.close();
    barrier = null;
    await m.etcd.stop();
    log(`member ${plan.self.name} stopped`);
    return { artifact, host, disk, network: mesh.network, ...(firstLoad ? { load: firstLoad } : {}), scratch, outDir, startedAt };
  } catch (err) {
    // The others see this node's stop key and end too, each naming it and the reason.
    await barrier?.raiseStop(errorMessage(err));
    const signal = interruption();
    if (signal === 'SIGINT' || signal === 'SIGTERM') {
      const all: RunPhase[] = plan.isDriver ? ['disk', 'network', 'load'] : ['disk', 'network'];
      const cutShort: RunPhase[] = phase === 'probes' ? ['disk', 'network'] : phase === 'load' ? ['load'] : [];
      const done: RunPhase[] = phase === 'load' || phase === 'finish' ? ['disk', 'network'] : [];
      throw new ClusterNodeInterrupted(signal, {
        host: hostSoFar,
        ...(diskSoFar !== undefined ? { disk: diskSoFar } : {}),
        ...(networkSoFar !== undefined ? { network: networkSoFar } : {}),
        cutShort,
        notStarted: all.filter((p) => !cutShort.includes(p) && !done.includes(p)),
        outDir,
        startedAt,
      });
    }
    throw err;
  } finally {
    stopWatch?.();
    barrier?.close();
    disarm();
    if (member !== null) await (member as RunningMember).etcd.stop();
    await removeScratch();
  }
}
