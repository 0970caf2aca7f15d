// Drives put/get load against etcd under a prefix unique to the run and records latencies in HDR histograms; it never judges.
import { randomBytes } from 'node:crypto';
import * as hdr from 'hdr-histogram-js';
import type { Etcd3 } from 'etcd3';
import type { LatencyStats, LoadArtifact, LoadPhaseResult } from '../model/artifacts.js';
import { errorMessage } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import { createEtcd3Client, type EtcdConnection } from '../etcd/client.js';
import { percentileKey } from '../parsers/percentile-keys.js';
import { onCleanup, onInterrupt } from '../util/cleanup.js';
import type { Progress } from '../util/progress.js';

export type LoadOp = 'put' | 'get';

export interface LoadPhaseSpec {
  name: string;
  clients: number;
  conns: number;
  durationSec: number;
  keySize: number;
  valueSize: number;
  keySpace: number;
  /** Share of each op, summing to 1. */
  mix: Partial<Record<LoadOp, number>>;
}

export interface LoadScenario {
  name: string;
  phases: LoadPhaseSpec[];
}

/** A short mixed phase for `run --quick` and the tests. */
export const QUICK_SCENARIO: LoadScenario = {
  name: 'quick',
  phases: [{ name: 'quick', clients: 16, conns: 2, durationSec: 5, keySize: 32, valueSize: 256, keySpace: 1000, mix: { put: 0.5, get: 0.5 } }],
};

/** The default of `run`: the write load of `etcdctl check perf --load s` (ETCD-FACTS.md "etcdctl check perf") and reads beside it. */
export const DEFAULT_SCENARIO: LoadScenario = {
  name: 'default',
  phases: [
    { name: 'writes', clients: 50, conns: 4, durationSec: 20, keySize: 256, valueSize: 1024, keySpace: 10_000, mix: { put: 1 } },
    { name: 'mixed', clients: 50, conns: 4, durationSec: 15, keySize: 256, valueSize: 1024, keySpace: 10_000, mix: { put: 0.2, get: 0.8 } },
  ],
};

const LOAD_PERCENTILES = [50, 90, 99, 99.9];
/** One Node thread: above this share of one core the client, not etcd, sets the pace. */
export const CLIENT_CPU_LIMIT_PCT = 90;

export interface LoadProbeOptions {
  connection: EtcdConnection;
  scenario: LoadScenario;
  prefix: string;
  embedded: boolean;
  progress?: Progress;
}

function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
}

export function histogramStats(h: hdr.Histogram): LatencyStats {
  if (h.totalCount === 0) return {};
  const stats: LatencyStats = { min: h.minNonZeroValue, avg: h.mean, max: h.maxValue, stdev: h.stdDeviation };
  for (const p of LOAD_PERCENTILES) stats[percentileKey(p)] = h.getValueAtPercentile(p);
  return stats;
}

function keyName(prefix: string, index: number, keySize: number): string {
  const base = `${prefix}${index.toString(36)}`;
  return base.length >= keySize ? base : base + '-'.repeat(keySize - base.length);
}

function pickOp(mix: Partial<Record<LoadOp, number>>): LoadOp {
  let r = Math.random();
  for (const [op, share] of Object.entries(mix) as [LoadOp, number][]) {
    r -= share;
    if (r < 0) return op;
  }
  return 'put';
}

function errorKind(err: unknown): string {
  const text = errorMessage(err);
  if (/deadline|timed? ?out/i.test(text)) return 'timeout';
  if (/unavailable|ECONNREFUSED|connect/i.test(text)) return 'unavailable';
  if (/no space|NOSPACE/i.test(text)) return 'nospace';
  return text.split(':')[0]?.slice(0, 60) ?? 'error';
}

async function runPhase(clients: Etcd3[], spec: LoadPhaseSpec, prefix: string, progress: Progress | undefined, shouldStop: () => boolean): Promise<LoadPhaseResult> {
  const all = newHistogram();
  const byOp = new Map<LoadOp, hdr.Histogram>();
  const errorsByKind: Record<string, number> = {};
  const rateSeries: number[] = [];
  const value = randomBytes(Math.ceil(spec.valueSize / 2)).toString('hex').slice(0, spec.valueSize);
  let requests = 0;
  let errors = 0;
  let doneInSecond = 0;
  const t0 = Date.now();
  const deadline = t0 + spec.durationSec * 1000;
  const cpu0 = process.cpuUsage();
  const ticker = setInterval(() => {
    rateSeries.push(doneInSecond);
    progress?.tick('load', `${spec.name}: ${doneInSecond} req/s, p99 ${all.totalCount ? (all.getValueAtPercentile(99) / 1000).toFixed(1) : '-'} ms`);
    doneInSecond = 0;
  }, 1000);

  const worker = async (w: number) => {
    const client = clients[w % clients.length]!;
    while (Date.now() < deadline && !shouldStop()) {
      const op = pickOp(spec.mix);
      const key = keyName(prefix, Math.floor(Math.random() * spec.keySpace), spec.keySize);
      const start = process.hrtime.bigint();
      try {
        if (op === 'put') await client.put(key).value(value).exec();
        else await client.get(key).exec();
        const us = Math.max(1, Math.round(Number(process.hrtime.bigint() - start) / 1000));
        all.recordValue(us);
        let h = byOp.get(op);
        if (h === undefined) byOp.set(op, (h = newHistogram()));
        h.recordValue(us);
        requests++;
        doneInSecond++;
      } catch (err) {
        errors++;
        const kind = errorKind(err);
        errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
        // A member that is gone fails fast: do not spin on it.
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: spec.clients }, (_, w) => worker(w)));
  clearInterval(ticker);
  const durationSec = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const clientCpuPct = (100 * (cpu.user + cpu.system)) / 1000 / (durationSec * 1000);
  const result: LoadPhaseResult = {
    name: spec.name,
    model: 'closed',
    clients: spec.clients,
    conns: clients.length,
    targetRatePerSec: null,
    requests,
    errors,
    errorsByKind,
    durationSec,
    ratePerSec: requests / durationSec,
    latencyUs: histogramStats(all),
    latencyByOpUs: Object.fromEntries([...byOp].map(([op, h]) => [op, histogramStats(h)])),
    rateSeries,
    clientCpuPct,
    clientLimited: clientCpuPct >= CLIENT_CPU_LIMIT_PCT,
    thresholds: [],
  };
  for (const h of [all, ...byOp.values()]) h.destroy();
  return result;
}

export async function runLoadProbe(options: LoadProbeOptions): Promise<ProbeResult<LoadArtifact>> {
  const { connection, scenario, prefix } = options;
  const maxConns = Math.max(...scenario.phases.map((p) => p.conns));
  const clients: Etcd3[] = [];
  let interrupted = false;
  const stopListening = onInterrupt(() => (interrupted = true));
  const close = onCleanup('close etcd clients', () => clients.forEach((c) => c.close()));
  let owned = false;
  try {
    for (let i = 0; i < maxConns; i++) clients.push(await createEtcd3Client(connection, [connection.endpoints[i % connection.endpoints.length]!]));
    const admin = clients[0]!;
    const existing = await admin.getAll().prefix(prefix).count();
    if (existing > 0) return probeError(`the prefix ${prefix} already holds ${existing} keys: refusing to write there (give another --prefix)`, 'bad-input');
    owned = true;
    const version = (await admin.maintenance.status()).version;
    const phases: LoadPhaseResult[] = [];
    for (const spec of scenario.phases) {
      if (interrupted) break;
      options.progress?.phase('load', `${spec.name}: ${spec.clients} clients for ${spec.durationSec}s`);
      const phase = await runPhase(clients.slice(0, spec.conns), spec, prefix, options.progress, () => interrupted);
      options.progress?.done('load', `${spec.name}: ${phase.ratePerSec.toFixed(0)} req/s, p99 ${((phase.latencyUs.p99 ?? 0) / 1000).toFixed(2)} ms`);
      phases.push(phase);
    }
    return probeOk({ endpoints: connection.endpoints, embedded: options.embedded, client: 'etcd3', scenario: scenario.name, prefix, etcdVersion: version, phases });
  } catch (err) {
    return probeError(`etcd load could not run against ${connection.endpoints.join(', ')}: ${errorMessage(err)}`, 'unreachable');
  } finally {
    stopListening();
    // Delete exactly our keys, and only when the prefix was ours.
    if (owned) await clients[0]?.delete().prefix(prefix).exec().catch(() => undefined);
    await close();
  }
}
