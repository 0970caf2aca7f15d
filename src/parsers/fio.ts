// Parses fio's JSON output (json and json+) into the figures etcd cares about: write IOPS, bandwidth, clat and fdatasync latency.
import type { FioSummary, LatencyStats } from '../model/artifacts.js';
import { UsageError } from '../model/errors.js';
import { percentileKey } from './percentile-keys.js';

interface FioLatNs {
  min?: number;
  max?: number;
  mean?: number;
  stddev?: number;
  N?: number;
  percentile?: Record<string, number>;
}

interface FioJob {
  jobname?: string;
  write?: { iops?: number; bw_bytes?: number; total_ios?: number; runtime?: number; clat_ns?: FioLatNs };
  sync?: { total_ios?: number; lat_ns?: FioLatNs };
}

interface FioJson {
  'fio version'?: string;
  jobs?: FioJob[];
}

const NS_PER_US = 1000;

/** Percentiles and moments in microseconds, keyed "min", "avg", "max", "stdev", "p50", "p99.9", ... */
export function latencyFromNs(lat: FioLatNs): LatencyStats {
  const stats: LatencyStats = {};
  if (lat.min !== undefined) stats.min = lat.min / NS_PER_US;
  if (lat.mean !== undefined) stats.avg = lat.mean / NS_PER_US;
  if (lat.max !== undefined) stats.max = lat.max / NS_PER_US;
  if (lat.stddev !== undefined) stats.stdev = lat.stddev / NS_PER_US;
  for (const [pct, ns] of Object.entries(lat.percentile ?? {})) {
    stats[percentileKey(Number(pct))] = ns / NS_PER_US;
  }
  return stats;
}

/** fio sometimes prints notes before the JSON document (e.g. "note: both iodepth >= 1 and synchronous I/O engine"). */
function extractJson(text: string): string {
  const start = text.indexOf('{');
  return start > 0 ? text.slice(start) : text;
}

export function parseFioJson(text: string): FioSummary {
  let doc: FioJson;
  try {
    doc = JSON.parse(extractJson(text)) as FioJson;
  } catch (err) {
    throw new UsageError(`not fio JSON output (expected the document fio prints with --output-format=json): ${err instanceof Error ? err.message : String(err)}`);
  }
  const job = doc.jobs?.[0];
  if (doc === null || typeof doc !== 'object' || job?.write === undefined) {
    throw new UsageError('not fio JSON output: expected a "jobs" array whose first job has a "write" section (fio --output-format=json)');
  }
  const write = job.write;
  const sync = job.sync?.lat_ns;
  // fio 3.33 leaves sync.total_ios at 0 even when it timed every fdatasync: the latency count is what says it synced.
  const hasSync = sync !== undefined && (sync.N ?? 0) > 0;
  return {
    version: doc['fio version'] ?? null,
    jobName: job.jobname ?? '',
    jobs: doc.jobs?.length ?? 1,
    writeIops: write.iops ?? 0,
    bandwidthBytesPerSec: write.bw_bytes ?? 0,
    totalWriteIos: write.total_ios ?? 0,
    runtimeMs: write.runtime ?? 0,
    clatUs: latencyFromNs(write.clat_ns ?? {}),
    syncUs: hasSync ? latencyFromNs(sync) : null,
  };
}
