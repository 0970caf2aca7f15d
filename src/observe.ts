// The pipeline of `etcd-advisor observe`: watch a live cluster's own /metrics for a window, judge it, write the report.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { advise } from './advisor/advise.js';
import { readTlsFiles, type EtcdConnection } from './etcd/client.js';
import { metricsUrl } from './metrics/scrape.js';
import type { Artifacts, RunPhase } from './model/artifacts.js';
import { exitCodeForSignal, interruption } from './util/cleanup.js';
import { UsageError } from './model/errors.js';
import { probeError, probeOk } from './model/probe.js';
import type { ObservationArtifact } from './model/observation.js';
import { runClusterProbe } from './probes/cluster.js';
import { observeCluster, readSavedObservation, type ObserveTarget } from './probes/observe.js';
import { writeReport } from './report/write.js';
import { exitCodeFor } from './model/check.js';
import { newRunId } from './model/report.js';
import { assembleReport, type RunOutcome } from './run.js';
import { ensureOutDir } from './util/out-dir.js';
import { Progress } from './util/progress.js';

export interface ObserveRunOptions {
  connection: EtcdConnection;
  /** Where each member's /metrics are, in the order of the endpoints; default each endpoint's own /metrics. */
  metricsUrls?: string[];
  forMs: number;
  everyMs: number;
  out?: string;
  /** Keep every scrape's text (and an index) here, to judge the same window again with `fromDir`. */
  saveScrapes?: string;
  /** Judge a window saved with saveScrapes instead of observing one. */
  fromDir?: string;
  argv?: string[];
  progress?: Progress;
  signal?: AbortSignal;
}

/** Pairs every endpoint with the URL its metrics are read from: --metrics-urls one per endpoint, in order. */
export function observeTargets(endpoints: readonly string[], metricsUrls?: readonly string[]): ObserveTarget[] {
  if (metricsUrls !== undefined && metricsUrls.length !== endpoints.length)
    throw new UsageError(`--metrics-urls gives ${metricsUrls.length} URL(s) for ${endpoints.length} endpoint(s): give one per endpoint, in the same order`);
  return endpoints.map((endpoint, i) => ({ endpoint, metricsUrl: metricsUrl(metricsUrls?.[i] ?? endpoint) }));
}

export async function runObserve(options: ObserveRunOptions): Promise<RunOutcome> {
  const started = new Date();
  const runId = newRunId(started);
  const progress = options.progress ?? new Progress();
  const outDir = resolve(options.out ?? join('reports', `observe-${runId}`));
  await ensureOutDir(outDir);
  // The files are read before the window, so that a missing certificate is bad usage, not five minutes of failed scrapes.
  const tls = await readTlsFiles(options.connection);
  const targets = observeTargets(options.connection.endpoints, options.metricsUrls);

  let observation: ObservationArtifact;
  if (options.fromDir !== undefined) observation = await readSavedObservation(options.fromDir);
  else {
    if (options.saveScrapes !== undefined) await ensureOutDir(options.saveScrapes);
    observation = (
      await observeCluster({
        targets,
        forMs: options.forMs,
        everyMs: options.everyMs,
        ...(tls.ca !== undefined || tls.cert !== undefined ? { tls } : {}),
        progress,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.saveScrapes !== undefined ? { saveDir: options.saveScrapes } : {}),
      })
    ).artifact;
  }
  // This machine only watches: its memory and disk are not the members', so it is not read as a member host.
  const artifacts: Artifacts = {
    host: probeError('observe reads the members over the network: this host is not one of them', 'not-asked'),
    observation: probeOk(observation),
  };
  // A window a signal ended is written as scraped but judged by no rule (run.interrupted says so); the status read after it does not start.
  const cutShort: RunPhase[] = [];
  const notStarted: RunPhase[] = [];
  if (options.fromDir === undefined && observation.endedEarly === 'interrupted') cutShort.push('observation');
  // Status, member names and alarms at the end of the window, each member on its own (a saved window has none).
  if (options.fromDir === undefined) {
    if (signalled(options) === null) {
      artifacts.cluster = await runClusterProbe({ connection: options.connection, progress });
      if (signalled(options) !== null) cutShort.push('cluster');
    } else notStarted.push('cluster');
  }
  const signal = signalled(options);
  if (signal !== null && cutShort.length + notStarted.length > 0)
    artifacts.interruption = { signal, atSec: (Date.now() - started.getTime()) / 1000, cutShort, notStarted };

  const result = advise(artifacts);
  const finished = new Date();
  const notes = [
    ...(cutShort.includes('observation')
      ? [
          `The window was stopped by ${signal} after ${observation.durationSec.toFixed(0)} s of ${observation.requestedSec.toFixed(0)} s: its scrapes are in this report, but no check judges a window cut short.`,
        ]
      : []),
    `Observed ${observation.members.length} member(s) for ${observation.durationSec.toFixed(0)} s${observation.endedEarly ? ` (ended early: ${observation.endedEarly}; ${observation.requestedSec.toFixed(0)} s asked)` : ''}, a scrape every ${observation.intervalSec} s. Latencies are etcd's own histograms: ${observation.quantileMethod}.`,
    ...(options.fromDir !== undefined ? [`Judged from scrapes saved in ${options.fromDir}.`] : []),
  ];
  const report = assembleReport(artifacts, result, {
    id: runId,
    argv: options.argv ?? [],
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSec: (finished.getTime() - started.getTime()) / 1000,
    quick: false,
    embeddedEtcd: false,
    scenario: 'observe',
    notes,
  });
  const files = await writeReport(outDir, report);
  const stopped = signalled(options);
  return { report, outDir, files, exitCode: stopped !== null ? exitCodeForSignal(stopped) : exitCodeFor(report.verdict) };
}

/** The signal that stopped the run: SIGINT/SIGTERM to the process, or the caller's abort (read as Ctrl-C); null while none. */
function signalled(options: ObserveRunOptions): 'SIGINT' | 'SIGTERM' | null {
  const s = interruption();
  if (s === 'SIGINT' || s === 'SIGTERM') return s;
  return options.signal?.aborted ? 'SIGINT' : null;
}

/** The host name for the report directory when the operator gave none. */
export const OBSERVER_HOST = hostname();
