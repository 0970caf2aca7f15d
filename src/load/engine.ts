// Runs one load phase (closed or open model) over a set of connections and returns its raw measurements (HDR latencies per op, rate per second, errors by kind, the client's own CPU and event loop); it never judges.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import type { LatencyStats, LoadPhaseResult } from '../model/artifacts.js';
import { errorMessage } from '../model/errors.js';
import { percentileKey } from '../parsers/percentile-keys.js';
import type { Progress } from '../util/progress.js';
import type { KvDriver } from './driver.js';
import type { LoadPhaseSpec, OpSpec } from './scenario.js';

const LOAD_PERCENTILES = [50, 90, 99, 99.9];
/** With no successful request for this long, the endpoint is taken as gone and the phase ends with what it has. */
export const UNREACHABLE_STOP_MS = 3_000;
/** A closed-model client that got an error waits this long, so that a member that fails fast is not hammered in a tight loop. */
const ERROR_BACKOFF_MS = 50;
/** The open-model scheduler wakes this often to send what is due. */
const OPEN_TICK_MS = 1;
/** Latencies up to two minutes fit; calls time out long before. */
const HIGHEST_TRACKABLE_US = 120_000_000;

export interface PhaseContext {
  drivers: KvDriver[];
  spec: LoadPhaseSpec;
  prefix: string;
  progress?: Progress;
  /** Polled every second: a reason to end the phase now (interrupt, database growth), or null. */
  stopReason?: () => string | null;
  /** Told the completions of each second, for a live display that sums several threads. */
  onSecond?: (completed: number) => void;
}

/** What one thread measured in a phase, before it becomes a result; threads' parts add up. */
export interface PhaseParts {
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  errorSamples: Record<string, string>;
  elapsedMs: number;
  rateSeries: number[];
  /** Event-loop utilization of the thread (0-1). */
  elu: number;
  backlogTicks: number;
  slotBoundTicks: number;
  stoppedEarly?: string;
  all: hdr.Histogram;
  byOp: Map<string, hdr.Histogram>;
}

function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_TRACKABLE_US, numberOfSignificantValueDigits: 3 });
}

export function histogramStats(h: hdr.Histogram): LatencyStats {
  if (h.totalCount === 0) return {};
  const stats: LatencyStats = { min: h.minNonZeroValue, avg: Math.round(h.mean), max: h.maxValue, stdev: Math.round(h.stdDeviation) };
  for (const p of LOAD_PERCENTILES) stats[percentileKey(p)] = h.getValueAtPercentile(p);
  return stats;
}

/** The same fault gets the same name from the lean client and from etcd3, so that results compare. */
export function errorKind(err: unknown): string {
  const text = errorMessage(err);
  if (/request is too large|larger than max|message larger/i.test(text)) return 'request-too-large';
  if (/deadline|timed? ?out/i.test(text)) return 'timeout';
  if (/no space|NOSPACE|space exceeded/i.test(text)) return 'nospace';
  if (/auth|permission denied|unauthenticated/i.test(text)) return 'auth';
  if (/too many requests/i.test(text)) return 'too-many-requests';
  if (/no leader|leader changed/i.test(text)) return 'no-leader';
  if (/unavailable|ECONNREFUSED|ECONNRESET|EPIPE|connect|closed|GOAWAY|socket|stream/i.test(text)) return 'unavailable';
  return 'other';
}

/** Keys `<prefix>k<index in base 36>`, padded with "x" to the key size, so every key of the phase lies under the prefix. */
export class KeyMaker {
  private readonly width: number;
  constructor(
    private readonly prefix: string,
    private readonly keySize: number,
    readonly keySpace: number,
  ) {
    this.width = Math.max(1, (keySpace - 1).toString(36).length);
  }
  key(index: number): Buffer {
    const base = `${this.prefix}k${index.toString(36).padStart(this.width, '0')}`;
    return Buffer.from(base.length >= this.keySize ? base : base + 'x'.repeat(this.keySize - base.length));
  }
  random(): Buffer {
    return this.key(Math.floor(Math.random() * this.keySpace));
  }
  /** True when `key` is one this maker makes: the load deletes exactly these, never another client's key under the prefix. */
  makes(key: Buffer): boolean {
    const head = this.prefix.length + 1 + this.width;
    if (key.length < head) return false;
    const digits = key.subarray(this.prefix.length + 1, head).toString('latin1');
    if (!/^[0-9a-z]+$/.test(digits)) return false;
    const index = parseInt(digits, 36);
    return index < this.keySpace && this.key(index).equals(key);
  }
}

/** The first key after every key that starts with the prefix (etcd's prefix range end). */
export function prefixRangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

interface Counters {
  requests: number;
  errors: number;
  /** Errors since the last success: only a run of failures, not a slow stretch after an old error, means the endpoint is gone. */
  errorsSinceSuccess: number;
  inSecond: number;
  lastSuccess: number;
  lastError: string;
}

/** Runs one phase on this thread and returns its result. */
export async function runPhase(ctx: PhaseContext): Promise<LoadPhaseResult> {
  const cpu0 = process.cpuUsage();
  const parts = await runPhaseParts(ctx);
  const cpu = process.cpuUsage(cpu0);
  return buildResult(ctx.spec, [parts], { conns: ctx.drivers.length, cpuMicros: cpu.user + cpu.system, threads: 1 });
}

/** Runs one phase on this thread and returns what it measured, histograms included (the caller destroys them). */
export async function runPhaseParts(ctx: PhaseContext): Promise<PhaseParts> {
  const { spec, drivers } = ctx;
  const keys = new KeyMaker(ctx.prefix, spec.keySize, spec.keySpace);
  const rangeStart = Buffer.from(ctx.prefix);
  const rangeEnd = prefixRangeEnd(ctx.prefix);
  const valuePool = randomBytes(spec.valueSize.max);
  const valueSpread = spec.valueSize.max - spec.valueSize.min + 1;
  const value = (): Buffer => (valueSpread === 1 ? valuePool : valuePool.subarray(0, spec.valueSize.min + Math.floor(Math.random() * valueSpread)));
  const totalWeight = spec.ops.reduce((s, o) => s + o.weight, 0);
  const pickOp = (): OpSpec => {
    let r = Math.random() * totalWeight;
    for (const op of spec.ops) {
      r -= op.weight;
      if (r < 0) return op;
    }
    return spec.ops[spec.ops.length - 1]!;
  };
  const execOp = (d: KvDriver, op: OpSpec): Promise<unknown> => {
    switch (op.kind) {
      case 'put':
        return d.put(keys.random(), value());
      case 'get':
        return d.get(keys.random(), op.serializable);
      case 'range':
        return d.range(rangeStart, rangeEnd, op.limit, op.serializable);
      case 'delete':
        return d.delete(keys.random());
      case 'txn':
        return d.txnPut(keys.random(), value());
    }
  };

  const all = newHistogram();
  const byOp = new Map<string, hdr.Histogram>(spec.ops.map((o) => [o.name, newHistogram()]));
  const errorsByKind: Record<string, number> = {};
  const errorSamples: Record<string, string> = {};
  const rateSeries: number[] = [];
  const c: Counters = { requests: 0, errors: 0, errorsSinceSuccess: 0, inSecond: 0, lastSuccess: performance.now(), lastError: '' };
  const record = (op: OpSpec, from: number) => {
    const us = Math.max(1, Math.round((performance.now() - from) * 1000));
    all.recordValue(us);
    byOp.get(op.name)!.recordValue(us);
    c.requests++;
    c.inSecond++;
  };
  const fail = (err: unknown) => {
    c.errors++;
    c.errorsSinceSuccess++;
    const kind = errorKind(err);
    errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
    c.lastError = errorMessage(err);
    errorSamples[kind] ??= c.lastError.slice(0, 200);
  };

  let stopped: string | null = null;
  let stopEarly: string | undefined;
  let wake: (() => void) | null = null;
  const stop = (why: string, early: boolean) => {
    if (stopped !== null) return;
    stopped = why;
    if (early) stopEarly = why;
    wake?.();
  };
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const durationTimer = spec.durationSec === null ? null : setTimeout(() => stop('duration', false), spec.durationSec * 1000);
  const ticker = setInterval(() => {
    rateSeries.push(c.inSecond);
    ctx.onSecond?.(c.inSecond);
    ctx.progress?.tick(
      'load',
      `${spec.name}: ${c.inSecond} req/s, p99 ${all.totalCount ? (all.getValueAtPercentile(99) / 1000).toFixed(1) : '-'} ms${c.errors ? `, ${c.errors} errors` : ''}`,
    );
    c.inSecond = 0;
    const external = ctx.stopReason?.() ?? null;
    if (external !== null) stop(external, true);
    const now = performance.now();
    if (c.errorsSinceSuccess > 0 && now - c.lastSuccess > UNREACHABLE_STOP_MS)
      stop(`no request succeeded for ${((now - c.lastSuccess) / 1000).toFixed(0)} s (last error: ${c.lastError.slice(0, 160)})`, true);
  }, 1000);

  let openStats = { backlogTicks: 0, slotBoundTicks: 0 };
  try {
    if (spec.model === 'closed') await runClosed();
    else openStats = await runOpen();
  } finally {
    if (durationTimer) clearTimeout(durationTimer);
    clearInterval(ticker);
  }
  const elapsedMs = performance.now() - t0;
  // A second whose tick lost the race with the end of the phase still counts; a last, partial second only when it is most of
  // a second (scaled), so the series is not dragged down by a stub.
  if (rateSeries.length < Math.floor(elapsedMs / 1000)) rateSeries.push(c.inSecond);
  else if (elapsedMs % 1000 >= 500) rateSeries.push(Math.round(c.inSecond / ((elapsedMs % 1000) / 1000)));
  const parts: PhaseParts = {
    requests: c.requests,
    errors: c.errors,
    errorsByKind,
    errorSamples,
    elapsedMs,
    rateSeries,
    elu: performance.eventLoopUtilization(elu0).utilization,
    ...openStats,
    all,
    byOp,
  };
  if (stopEarly !== undefined) parts.stoppedEarly = stopEarly;
  return parts;

  async function runClosed(): Promise<void> {
    let issued = 0;
    const total = spec.total;
    const worker = async (w: number) => {
      const d = drivers[w % drivers.length]!;
      while (stopped === null) {
        if (total !== null) {
          if (issued >= total) return;
          issued++;
        }
        const op = pickOp();
        const start = performance.now();
        try {
          await execOp(d, op);
          record(op, start);
          c.lastSuccess = performance.now();
          c.errorsSinceSuccess = 0;
        } catch (err) {
          fail(err);
          await new Promise((r) => setTimeout(r, ERROR_BACKOFF_MS));
        }
      }
    };
    await Promise.all(Array.from({ length: spec.clients }, (_, w) => worker(w)));
    stop('done', false);
  }

  /** Sends at the target rate whatever etcd does; a request waits for a free client, and its latency counts from when it should have gone. */
  function runOpen(): Promise<{ backlogTicks: number; slotBoundTicks: number }> {
    const intervalMs = 1000 / spec.rate!;
    const total = spec.total;
    let sent = 0;
    let inFlight = 0;
    let backlogTicks = 0;
    let slotBoundTicks = 0;
    return new Promise((resolve) => {
      const finishIfDone = () => {
        if (inFlight === 0 && (stopped !== null || (total !== null && sent >= total))) {
          clearInterval(timer);
          stop('done', false);
          resolve({ backlogTicks, slotBoundTicks });
        }
      };
      const pump = (fromTimer: boolean) => {
        if (stopped !== null) return finishIfDone();
        let due = Math.floor((performance.now() - t0) / intervalMs) + 1;
        if (total !== null && due > total) due = total;
        if (fromTimer && due > sent) {
          backlogTicks++;
          if (inFlight >= spec.clients) slotBoundTicks++;
        }
        while (sent < due && inFlight < spec.clients) {
          const intended = t0 + sent * intervalMs;
          const d = drivers[sent % drivers.length]!;
          sent++;
          inFlight++;
          const op = pickOp();
          execOp(d, op).then(
            () => {
              inFlight--;
              record(op, intended);
              c.lastSuccess = performance.now();
              c.errorsSinceSuccess = 0;
              pump(false);
            },
            (err: unknown) => {
              inFlight--;
              fail(err);
              pump(false);
            },
          );
        }
        finishIfDone();
      };
      const timer = setInterval(() => pump(true), OPEN_TICK_MS);
      wake = () => pump(false);
      pump(true);
    });
  }
}

/** Turns the parts of one or more threads into the phase result: counts add, histograms merge, the rate series add second by second. */
export function buildResult(spec: LoadPhaseSpec, parts: PhaseParts[], run: { conns: number; cpuMicros: number; threads: number }): LoadPhaseResult {
  const all = newHistogram();
  const byOp = new Map<string, hdr.Histogram>();
  const errorsByKind: Record<string, number> = {};
  const errorSamples: Record<string, string> = {};
  const rateSeries: number[] = [];
  let requests = 0;
  let errors = 0;
  let elapsedMs = 0;
  let elu = 0;
  let backlogTicks = 0;
  let slotBoundTicks = 0;
  let stopEarly: string | undefined;
  for (const p of parts) {
    requests += p.requests;
    errors += p.errors;
    for (const [k, n] of Object.entries(p.errorsByKind)) errorsByKind[k] = (errorsByKind[k] ?? 0) + n;
    for (const [k, m] of Object.entries(p.errorSamples)) errorSamples[k] ??= m;
    p.rateSeries.forEach((n, i) => (rateSeries[i] = (rateSeries[i] ?? 0) + n));
    elapsedMs = Math.max(elapsedMs, p.elapsedMs);
    elu = Math.max(elu, p.elu);
    backlogTicks += p.backlogTicks;
    slotBoundTicks += p.slotBoundTicks;
    stopEarly ??= p.stoppedEarly;
    all.add(p.all);
    for (const [op, h] of p.byOp) {
      let merged = byOp.get(op);
      if (merged === undefined) byOp.set(op, (merged = newHistogram()));
      merged.add(h);
    }
  }
  const durationSec = elapsedMs / 1000;
  const clientCpuPct = (100 * run.cpuMicros) / 1000 / Math.max(1, elapsedMs);
  const ratePerSec = durationSec > 0 ? requests / durationSec : 0;

  const result: LoadPhaseResult = {
    name: spec.name,
    model: spec.model,
    clients: spec.clients,
    conns: run.conns,
    targetRatePerSec: spec.rate,
    requests,
    errors,
    errorsByKind,
    durationSec: Math.round(durationSec * 1000) / 1000,
    ratePerSec: Math.round(ratePerSec * 10) / 10,
    latencyUs: histogramStats(all),
    latencyByOpUs: Object.fromEntries([...byOp].filter(([, h]) => h.totalCount > 0).map(([op, h]) => [op, histogramStats(h)])),
    rateSeries,
    clientCpuPct: Math.round(clientCpuPct * 10) / 10,
    threads: run.threads,
    eventLoopUtilization: Math.round(elu * 1000) / 1000,
    latencyFromIntendedStart: spec.model === 'open',
    // As written: the advisor judges them (src/advisor/load-phase.ts), so a saved report is re-judged under today's rules.
    thresholds: [...spec.thresholds],
  };
  if (spec.model === 'open') Object.assign(result, { backlogTicks, slotBoundTicks });
  if (Object.keys(errorSamples).length > 0) result.errorSamples = errorSamples;
  if (stopEarly !== undefined) result.stoppedEarly = stopEarly;
  for (const h of [all, ...byOp.values()]) h.destroy();
  for (const p of parts) for (const h of [p.all, ...p.byOp.values()]) h.destroy();
  return result;
}

/** Histograms cross a thread boundary as compressed base64, as HdrHistogram logs carry them. */
export function encodeHistogram(h: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(text: string): hdr.Histogram {
  const decoded = hdr.decodeFromCompressedBase64(text);
  const h = newHistogram();
  h.add(decoded);
  decoded.destroy();
  return h;
}
