// The whole pipeline of `etcd-advisor run`: probes gather artifacts, the advisor judges them, renderers write the report.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { advise, type AdvisorResult } from './advisor/advise.js';
import type { WhatIf } from './advisor/inputs.js';
import type { EtcdConnection } from './etcd/client.js';
import { resolveEtcdBinary, type ResolvedEtcd } from './etcd/binary.js';
import { whyThrowawayGone, type EmbeddedEtcd } from './etcd/embedded.js';
import { startThrowawayEtcd } from './etcd/throwaway.js';
import type { Artifacts, NetworkArtifact, RttMethodChoice, RunPhase } from './model/artifacts.js';
import { exitCodeFor, verdictOf } from './model/check.js';
import { EXIT, UsageError } from './model/errors.js';
import { probeError, probeOk, refuseBadInput } from './model/probe.js';
import { newRunId, SCHEMA_VERSION, type Report } from './model/report.js';
import { runClusterProbe } from './probes/cluster.js';
import { runCurrentConfigProbe } from './probes/current-config.js';
import { preflightConnection } from './etcd/preflight.js';
import { ETCD_FIO_PROFILE, ETCD_FIO_PROFILE_QUICK, runDiskProbe } from './probes/disk.js';
import { gatherHost } from './probes/host.js';
import { DEFAULT_SCENARIO_NAME, QUICK_SCENARIO_NAME, loadScenario, runLoadProbe, type LoadScenario } from './probes/load.js';
import { withMemberMetrics } from './probes/etcd-metrics.js';
import { runNetworkProbe } from './probes/network.js';
import { isLoopback } from './probes/peer-spec.js';
import { memberIdentity, type MemberOptions } from './report/unit.js';
import { memberNameFor, ReportWriteError, writeReport } from './report/write.js';
import { Progress } from './util/progress.js';
import { createScratchDir } from './util/scratch.js';
import { exitCodeForSignal, interruption } from './util/cleanup.js';
import { TOOL_VERSION } from './version.js';
import { redactArgv, redactDeep } from './util/secrets.js';
import { prepareOutDir } from './util/out-dir.js';
import { registerLiveRun } from './util/live-runs.js';
import { formatBytes } from './util/units.js';

export interface RunOptions {
  /** A directory on the disk that will hold etcd's data; default: a new one under ./reports/.scratch/. */
  dataDir?: string;
  /** Where the report goes; default ./reports/<hostname>-<UTC timestamp>/. */
  out?: string;
  /** An existing cluster to load; without it a throwaway etcd is started. */
  connection?: EtcdConnection;
  peers?: string[];
  method?: RttMethodChoice;
  quick?: boolean;
  scenario?: LoadScenario;
  whatIf?: WhatIf;
  argv?: string[];
  progress?: Progress;
  /** The etcd binary for the throwaway member (--etcd-binary); else $ETCD_ADVISOR_ETCD_BINARY, else etcd on PATH. */
  etcdBinary?: string;
  fioBinary?: string;
  /** Who the member of the generated etcd.service/etcd.conf is (--name, URLs, TLS files); the rest comes from the cluster. */
  member?: MemberOptions;
  /** The member's data directory when it is not the qualified --data-dir. */
  targetDataDir?: string;
  /** The files this member is started from today (--unit, --env-file, --config-file), for current -> recommended. */
  currentFiles?: { unit?: string | undefined; envFiles?: string[] | undefined; configFile?: string | undefined };
}

export interface RunOutcome {
  report: Report;
  outDir: string;
  files: string[];
  /** Files of the report that could not be written (a disk that filled during the run): the command prints the verdict and checks instead. */
  unwritten?: { path: string; error: string }[];
  exitCode: number;
}

/** Samples per peer and interval: the default lasts 30 s so that periodic stalls show; --quick 2 s. */
export const RTT_SAMPLING = { default: { count: 150, intervalMs: 200 }, quick: { count: 40, intervalMs: 50 } };

export function assembleReport(artifacts: Artifacts, result: AdvisorResult, run: Report['run']): Report {
  // Notes and probe errors may quote what the operator gave: the report never holds a password.
  return redactDeep({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'etcd-advisor', version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    run,
    artifacts,
    checks: result.checks,
    advice: result.advice,
    // An interrupted run is incomplete whatever the finished phases say: nobody reads a half-run as a verdict.
    verdict: artifacts.interruption !== undefined ? 'incomplete' : verdictOf(result.checks),
  });
}

/**
 * This member's identity for the generated files: the running cluster's member list and this node's addresses say who
 * it is, the operator's flags override, and the qualified --data-dir is its data directory unless --target-data-dir.
 * Without member TLS files, the run's own --cacert/--cert/--key stand in (said as assumed in the files' header).
 */
function identityOf(options: RunOptions, artifacts: Artifacts, host: string) {
  const cluster = artifacts.cluster?.ok ? artifacts.cluster.data : undefined;
  const given = options.member ?? {};
  const conn = options.connection;
  const memberTls = [given.certFile, given.keyFile, given.trustedCaFile, given.peerCertFile, given.peerKeyFile, given.peerTrustedCaFile].some(
    (f) => f !== undefined,
  );
  const https = conn?.endpoints.some((e) => e.startsWith('https:')) === true;
  const stand = !memberTls && https && conn?.cert !== undefined && conn.key !== undefined && conn.cacert !== undefined;
  const identity = memberIdentity({
    ...given,
    ...(stand ? { certFile: resolve(conn.cert!), keyFile: resolve(conn.key!), trustedCaFile: resolve(conn.cacert!) } : {}),
    fallbackName: memberNameFor(host),
    ...(cluster?.members ? { members: cluster.members, running: true } : {}),
    localAddresses: [...(artifacts.host.ok ? (artifacts.host.data.addresses ?? []) : []), host],
    ...(options.targetDataDir !== undefined ? { dataDir: resolve(options.targetDataDir) } : {}),
    ...(options.dataDir !== undefined ? { qualifiedDataDir: resolve(options.dataDir) } : {}),
  });
  if (stand) {
    for (const [setting, file, flag] of [
      ['cert-file', conn.cert!, '--cert-file'],
      ['key-file', conn.key!, '--key-file'],
      ['trusted-ca-file', conn.cacert!, '--trusted-ca-file'],
    ] as const)
      identity.assumptions.push({
        setting,
        assumed: resolve(file),
        why: "the run's own client TLS file stands in for this member's (it must carry this member's address in its SANs and serve both server and client auth).",
        fix: flag,
      });
  }
  return identity;
}

export async function runAll(options: RunOptions): Promise<RunOutcome> {
  const started = new Date();
  const runId = newRunId(started);
  const progress = options.progress ?? new Progress();
  const quick = options.quick ?? false;
  const host = hostname();
  const outDir = resolve(options.out ?? join('reports', `${host}-${runId}`));

  const method = options.method ?? 'icmp';
  const peersGiven = options.peers !== undefined && options.peers.length > 0;
  // tcp and http need a listener: without --peers, the baseline is the throwaway etcd's own peer port.
  const baselineNeedsEtcd = !peersGiven && (method === 'tcp' || method === 'http');
  // Bad usage is said before any endpoint is dialed: the flags alone decide it.
  if (baselineNeedsEtcd && options.connection !== undefined)
    throw new UsageError(`--method ${method} with --endpoints needs --peers: give the other members' peer URLs (e.g. https://10.0.0.2:2380)`);
  // Every file and endpoint is checked before anything is measured: a wrong --cacert ends the run in a second, not after fio.
  if (options.connection !== undefined) {
    for (const d of await preflightConnection(options.connection)) progress.warn(d.unreachable!);
  }
  // --out is made, written to and claimed before anything is measured: a read-only or full disk, or another live run there, ends the run now.
  const releaseOut = await prepareOutDir(outDir, runId);
  // The scratch directory holds fio's files and the throwaway etcd's data, on the disk under test; it always goes.
  let scratchDir;
  try {
    scratchDir = await createScratchDir(options.dataDir, runId);
  } catch (err) {
    await releaseOut();
    throw err;
  }
  const { path: scratch, remove: removeScratch } = scratchDir;
  const notes: string[] = [];
  let embedded: EmbeddedEtcd | null = null;
  let releaseLive: (() => Promise<void>) | null = null;

  try {
    const live = await registerLiveRun(runId, scratch);
    releaseLive = live.release;
    for (const other of live.overlapping) {
      const line = `Another etcd-advisor run (pid ${other.pid}, run ${other.runId}) was measuring on the same disk (${other.scratch}) when this run started: both disk tests share the disk, and its figures may be worse than the disk alone gives.`;
      notes.push(line);
      progress.warn(line);
    }
    // A binary the operator named that is not etcd is bad usage, found before anything is measured; no etcd on PATH is
    // what the throwaway member's start reports (the run still measures the disk and the network).
    const etcdBinary: ResolvedEtcd | null = await resolveEtcdBinary(options.etcdBinary).catch((err: unknown) => {
      if (err instanceof UsageError) throw err;
      return null;
    });
    const hostProbe = await gatherHost(etcdBinary?.binary);
    if (hostProbe.ok && etcdBinary !== null && etcdBinary.source !== 'PATH') hostProbe.data.etcdBinary = etcdBinary.binary;
    const artifacts: Artifacts = { host: hostProbe };

    const sampling = quick ? RTT_SAMPLING.quick : RTT_SAMPLING.default;
    const profile = quick ? ETCD_FIO_PROFILE_QUICK : ETCD_FIO_PROFILE;
    const scenarioName = options.scenario?.name ?? (quick ? QUICK_SCENARIO_NAME : DEFAULT_SCENARIO_NAME);
    if (quick)
      notes.push(
        `--quick: fio wrote ${formatBytes(profile.sizeBytes)} instead of 22 MiB and RTT was sampled for ${(sampling.count * sampling.intervalMs) / 1000} s; tail percentiles are less certain.`,
      );

    const startThrowaway = async (): Promise<EmbeddedEtcd | null> => {
      const started = await startThrowawayEtcd({ parentDir: scratch, progress, ...(etcdBinary ? { etcdBinary: etcdBinary.binary } : {}) });
      if (!started.ok) {
        artifacts.load = started;
        return null;
      }
      notes.push(
        `Load ran against a throwaway etcd ${started.data.version} started by the tool on loopback, with its data on the disk under test (${scratch}).`,
      );
      return started.data;
    };
    if (baselineNeedsEtcd) embedded = await startThrowaway();

    const peers = peersGiven ? options.peers! : baselineNeedsEtcd ? (embedded ? [embedded.peerUrl] : []) : ['127.0.0.1'];
    if (peers.every(isLoopback) || baselineNeedsEtcd)
      notes.push(
        'RTT was measured to loopback only: it is a baseline of this host, not the network between members. Give --peers with the other members to size heartbeat and election from real RTTs.',
      );
    // https peer URLs are checked with the cluster's own CA and client certificate.
    const tls = options.connection?.cacert !== undefined ? options.connection : undefined;

    // A phase that ends after a signal was cut short by it (every probe stops on one); a phase not begun by then never runs.
    const cutShort: RunPhase[] = [];
    const notStarted: RunPhase[] = [];
    const measured = <T>(phase: RunPhase, p: Promise<T>): Promise<T> =>
      p.then((r) => {
        if (interruption() !== null) cutShort.push(phase);
        return r;
      });
    const mayStart = (phase: RunPhase): boolean => {
      if (interruption() === null) return true;
      notStarted.push(phase);
      return false;
    };

    // An operator's own cluster is read first (issue 8 health, issue 12 current values): before the load adds to it.
    if (options.connection !== undefined && mayStart('cluster'))
      artifacts.cluster = await measured('cluster', runClusterProbe({ connection: options.connection, progress }));
    const currentFiles = options.currentFiles ?? {};
    const filesGiven = currentFiles.unit !== undefined || currentFiles.configFile !== undefined || (currentFiles.envFiles?.length ?? 0) > 0;
    if (filesGiven || options.connection !== undefined) {
      artifacts.current = await runCurrentConfigProbe({
        ...currentFiles,
        ...(options.connection !== undefined ? { processMatch: { endpoints: options.connection.endpoints, name: options.member?.name } } : {}),
      });
      if (artifacts.current.ok) notes.push(...artifacts.current.data.notes);
    }

    // The network alone, before fio and the load: with the CPU and disk busy, RTT figures would describe this host, not the network.
    const network =
      peers.length === 0
        ? probeError<NetworkArtifact>(`--method ${method} had no listener to measure: the throwaway etcd did not start`)
        : await measured('network', runNetworkProbe({ peers, method, ...sampling, progress, ...(tls ? { tls } : {}) }));
    artifacts.network = refuseBadInput(network);
    notes.push('RTT was measured on its own, before fio and the load ran, so that it describes the network rather than this host under load.');
    // Ctrl-C during the RTT measurement ends the run there: fio does not start after it (it would run whole, then be called cut short).
    if (mayStart('disk'))
      artifacts.disk = refuseBadInput(
        await measured('disk', runDiskProbe({ dir: scratch, profile, progress, ...(options.fioBinary ? { fioBinary: options.fioBinary } : {}) })),
      );

    let connection = options.connection;
    const loadNeeded = connection !== undefined || embedded !== null || !baselineNeedsEtcd;
    if (loadNeeded && mayStart('load')) {
      if (connection === undefined && embedded === null && !baselineNeedsEtcd) embedded = await startThrowaway();
      if (connection === undefined && embedded !== null) connection = { endpoints: [embedded.clientUrl] };
      if (connection !== undefined) {
        const scenario = options.scenario ?? (await loadScenario(scenarioName));
        const load = () =>
          measured('load', runLoadProbe({ connection: connection!, scenario, prefix: `/etcd-advisor/${runId}/`, embedded: embedded !== null, progress }));
        if (embedded === null) artifacts.load = await load();
        else {
          // The throwaway etcd's own /metrics over the load: what its WAL fsyncs took, beside fio's prediction (rule disk.fio-vs-wal-fsync).
          const { result, delta } = await withMemberMetrics(embedded.name, 'load', embedded.clientUrl, load);
          artifacts.load = result;
          artifacts.etcdMetrics = delta.window === null ? probeError(delta.error ?? "the throwaway etcd's /metrics could not be read") : probeOk([delta]);
          // A throwaway etcd that died or froze under the load says nothing about the node: the run could not complete.
          if (!cutShort.includes('load')) {
            const gone = await whyThrowawayGone(embedded);
            if (gone !== null) artifacts.load = probeError(gone, 'etcd-gone');
          }
        }
      }
    }
    if (embedded) await embedded.stop();

    const signal = interruption();
    if (signal === 'SIGINT' || signal === 'SIGTERM') artifacts.interruption = { signal, atSec: (Date.now() - started.getTime()) / 1000, cutShort, notStarted };
    const result = advise(artifacts, options.whatIf);
    const member = identityOf(options, artifacts, host);
    const finished = new Date();
    const report = assembleReport(artifacts, result, {
      id: runId,
      argv: redactArgv(options.argv ?? []),
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationSec: (finished.getTime() - started.getTime()) / 1000,
      quick,
      embeddedEtcd: options.connection === undefined,
      scenario: artifacts.load?.ok ? artifacts.load.data.scenario : scenarioName,
      notes,
    });
    report.member = member;
    // A signal that comes while the files are written lets them finish (each is whole or absent), then ends the run as interrupted.
    const exitCode = () => {
      const s = interruption();
      return s !== null ? exitCodeForSignal(s) : exitCodeFor(report.verdict);
    };
    try {
      const files = await writeReport(outDir, report);
      return { report, outDir, files, unwritten: [], exitCode: exitCode() };
    } catch (err) {
      if (!(err instanceof ReportWriteError)) throw err;
      return { report, outDir, files: err.written, unwritten: err.failed, exitCode: interruption() !== null ? exitCode() : EXIT.incomplete };
    }
  } finally {
    if (embedded) await embedded.stop();
    await removeScratch();
    await releaseLive?.();
    await releaseOut();
  }
}
