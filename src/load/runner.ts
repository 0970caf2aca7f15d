// Where a phase runs: on this thread, or split over worker threads so that the load generator has more than one core, as a Go client does.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadPhaseResult } from '../model/artifacts.js';
import type { EtcdConnection } from '../etcd/client.js';
import type { Progress } from '../util/progress.js';
import { openDrivers, type ClientKind, type KvDriver } from './driver.js';
import { buildResult, decodeHistogram, runPhaseParts, type PhaseParts } from './engine.js';
import type { LoadPhaseSpec } from './scenario.js';

/** How often a stop reason (interrupt, database growth) is passed on to the threads. */
const STOP_POLL_MS = 250;

/** The compiled worker; under the test runner (TypeScript sources) it does not exist and phases run on this thread. */
const WORKER_URL = new URL('./worker.js', import.meta.url);

export function workerThreadsAvailable(): boolean {
  return WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * One thread unless asked: the lean client spends about 10 us of CPU per put, so one event loop drives 20k+ puts/s, and on a
 * candidate node a second thread only takes CPU from the etcd being measured (bench/lean-vs-go.sh measured 2 threads slower on 2 cores).
 */
export const DEFAULT_THREADS = 1;

export interface PhaseRequest {
  spec: LoadPhaseSpec;
  prefix: string;
  progress?: Progress;
  stopReason: () => string | null;
}

export interface LoadRunner {
  readonly threads: number;
  runPhase(request: PhaseRequest): Promise<LoadPhaseResult>;
  close(): Promise<void>;
}

// ---- messages between the main thread and a worker ----
export interface WorkerInit {
  kind: ClientKind;
  connection: EtcdConnection;
  conns: number;
}
export interface SerializedParts extends Omit<PhaseParts, 'all' | 'byOp'> {
  all: string;
  byOp: [string, string][];
}
export type ToWorker = { type: 'phase'; spec: LoadPhaseSpec; prefix: string; conns: number } | { type: 'stop'; reason: string } | { type: 'close' };
export type FromWorker =
  { type: 'ready' } | { type: 'error'; message: string } | { type: 'second'; completed: number } | { type: 'parts'; parts: SerializedParts };

function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/** The slice of a phase that thread i of n runs: clients, connections, rate and total divided, thresholds judged on the whole. */
export function phaseSlice(spec: LoadPhaseSpec, n: number, i: number): LoadPhaseSpec {
  return {
    ...spec,
    clients: share(spec.clients, n, i),
    conns: Math.max(1, share(spec.conns, n, i)),
    rate: spec.rate === null ? null : spec.rate / n,
    total: spec.total === null ? null : share(spec.total, n, i),
    thresholds: [],
  };
}

class InProcessRunner implements LoadRunner {
  readonly threads = 1;
  constructor(private readonly drivers: KvDriver[]) {}
  async runPhase(r: PhaseRequest): Promise<LoadPhaseResult> {
    const cpu0 = process.cpuUsage();
    const drivers = this.drivers.slice(0, r.spec.conns);
    const parts = await runPhaseParts({ drivers, spec: r.spec, prefix: r.prefix, stopReason: r.stopReason, ...(r.progress ? { progress: r.progress } : {}) });
    const cpu = process.cpuUsage(cpu0);
    return buildResult(r.spec, [parts], { conns: drivers.length, cpuMicros: cpu.user + cpu.system, threads: 1 });
  }
  async close(): Promise<void> {
    for (const d of this.drivers) d.close();
  }
}

class ThreadedRunner implements LoadRunner {
  private constructor(
    private readonly workers: Worker[],
    private readonly connsPerWorker: number,
  ) {}
  get threads(): number {
    return this.workers.length;
  }

  static async open(init: Omit<WorkerInit, 'conns'>, conns: number, threads: number): Promise<ThreadedRunner> {
    const connsPerWorker = Math.max(1, Math.ceil(conns / threads));
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < threads; i++) {
        const w = new Worker(WORKER_URL, { workerData: { ...init, conns: connsPerWorker } satisfies WorkerInit });
        workers.push(w);
        await new Promise<void>((resolve, reject) => {
          const onMessage = (m: FromWorker) => {
            if (m.type === 'ready') resolve();
            else if (m.type === 'error') reject(new Error(m.message));
            else return;
            w.off('message', onMessage);
            w.off('error', reject);
          };
          w.on('message', onMessage);
          w.on('error', reject);
        });
      }
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new ThreadedRunner(workers, connsPerWorker);
  }

  async runPhase(r: PhaseRequest): Promise<LoadPhaseResult> {
    const n = Math.min(this.workers.length, r.spec.clients);
    const active = this.workers.slice(0, n);
    const cpu0 = process.cpuUsage();
    let second = 0;
    let inSecond = 0;
    let reported = 0;
    const stopPoll = setInterval(() => {
      const why = r.stopReason();
      if (why !== null) for (const w of active) w.postMessage({ type: 'stop', reason: why } satisfies ToWorker);
    }, STOP_POLL_MS);
    try {
      const parts = await Promise.all(
        active.map(
          (w, i) =>
            new Promise<PhaseParts>((resolve, reject) => {
              const onMessage = (m: FromWorker) => {
                if (m.type === 'second') {
                  // Each thread reports its second; the display shows the sum once every thread has.
                  inSecond += m.completed;
                  if (++reported === n) {
                    second++;
                    r.progress?.tick('load', `${r.spec.name}: ${inSecond} req/s over ${n} threads (${second} s)`);
                    inSecond = 0;
                    reported = 0;
                  }
                  return;
                }
                w.off('message', onMessage);
                w.off('error', reject);
                if (m.type === 'parts') resolve(deserializeParts(m.parts));
                else if (m.type === 'error') reject(new Error(m.message));
              };
              w.on('message', onMessage);
              w.on('error', reject);
              const slice = phaseSlice(r.spec, n, i);
              w.postMessage({ type: 'phase', spec: slice, prefix: r.prefix, conns: Math.min(this.connsPerWorker, slice.conns) } satisfies ToWorker);
            }),
        ),
      );
      const cpu = process.cpuUsage(cpu0);
      const conns = active.reduce((s, _, i) => s + Math.min(this.connsPerWorker, phaseSlice(r.spec, n, i).conns), 0);
      return buildResult(r.spec, parts, { conns, cpuMicros: cpu.user + cpu.system, threads: n });
    } finally {
      clearInterval(stopPoll);
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate().then(() => resolve()), 2_000);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            w.postMessage({ type: 'close' } satisfies ToWorker);
          }),
      ),
    );
  }
}

export function serializeParts(p: PhaseParts, encode: (h: PhaseParts['all']) => string): SerializedParts {
  return { ...p, all: encode(p.all), byOp: [...p.byOp].map(([op, h]) => [op, encode(h)]) };
}

function deserializeParts(p: SerializedParts): PhaseParts {
  return { ...p, all: decodeHistogram(p.all), byOp: new Map(p.byOp.map(([op, h]) => [op, decodeHistogram(h)])) };
}

/** Threads as asked; one when worker threads cannot load (the test runner runs the TypeScript sources). */
export async function openRunner(kind: ClientKind, connection: EtcdConnection, conns: number, threads: number): Promise<LoadRunner> {
  if (threads > 1 && workerThreadsAvailable()) return ThreadedRunner.open({ kind, connection }, conns, threads);
  return new InProcessRunner(await openDrivers(kind, connection, conns));
}
