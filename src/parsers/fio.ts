// Reads any fio output an operator has (json, json+, classic text) into the figures etcd cares about: write IOPS, bandwidth, clat and fdatasync latency.
import type { FioSummary, LatencyStats } from '../model/artifacts.js';
import { UsageError, errorMessage } from '../model/errors.js';
import { summarizeJobs, type FioJobResult } from './fio-jobs.js';
import { looksLikeFioText, parseFioText } from './fio-text.js';
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
  groupid?: number;
  error?: number;
  write?: { iops?: number; bw_bytes?: number; total_ios?: number; runtime?: number; clat_ns?: FioLatNs };
  sync?: { total_ios?: number; lat_ns?: FioLatNs };
}

interface FioJson {
  'fio version'?: string;
  jobs?: FioJob[];
}

/** Said by every parse error, so that the operator knows what to paste instead. */
export const EXPECTED_FIO_OUTPUT =
  'expected fio 3.x output: the JSON document of --output-format=json (or json+), or the normal text with a "NAME: (groupid=0, jobs=1): err= 0" line and a "write: IOPS=..." line';

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

/**
 * The JSON document inside what was given: fio may print notes before it ("note: both iodepth >= 1 and synchronous I/O
 * engine"), and --output-format=json,normal prints the classic text after it.
 */
function jsonPart(text: string): string {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : text.slice(Math.max(start, 0));
}

function jobFromJson(job: FioJob): FioJobResult {
  const write = job.write ?? {};
  const sync = job.sync?.lat_ns;
  // fio 3.33 leaves sync.total_ios at 0 even when it timed every fdatasync: the latency count is what says it synced.
  const hasSync = sync !== undefined && (sync.N ?? 0) > 0;
  return {
    name: job.jobname ?? '',
    group: job.groupid ?? 0,
    error: job.error ?? 0,
    writeIops: write.iops ?? 0,
    bandwidthBytesPerSec: write.bw_bytes ?? 0,
    totalWriteIos: write.total_ios ?? 0,
    runtimeMs: write.runtime ?? 0,
    clatUs: latencyFromNs(write.clat_ns ?? {}),
    syncUs: hasSync ? latencyFromNs(sync) : null,
  };
}

export function parseFioJson(text: string): FioSummary {
  let doc: FioJson;
  try {
    doc = JSON.parse(jsonPart(text)) as FioJson;
  } catch (err) {
    const reason = errorMessage(err);
    throw new UsageError(`the fio JSON is incomplete or malformed (${reason}; was it cut off when pasted?): ${EXPECTED_FIO_OUTPUT}`);
  }
  if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.jobs) || doc.jobs.length === 0 || !doc.jobs.some((j) => j?.write !== undefined)) {
    throw new UsageError(`this JSON is not fio's: it has no "jobs" array with a "write" section; ${EXPECTED_FIO_OUTPUT}`);
  }
  return summarizeJobs(doc['fio version'] ?? null, doc.jobs.map(jobFromJson));
}

/** The first bit of what was given, to show in an error: the operator sees at once what they pasted. */
function opening(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 60)}...` : line;
}

/** One entry point for every fio output: JSON (json, json+, also with notes or the text around it) or classic text. */
export function parseFioOutput(text: string): FioSummary {
  const input = text.replace(/^\uFEFF/, '');
  if (input.trim() === '') throw new UsageError(`the input is empty: ${EXPECTED_FIO_OUTPUT}`);
  if (/^\s*\d+;fio-/.test(input)) throw new UsageError(`this is fio's terse output, which has no fdatasync percentiles by name: ${EXPECTED_FIO_OUTPUT}`);
  const isJson = /\{\s*"/.test(input) && /"(?:fio version|jobs)"\s*:/.test(input);
  if (isJson) {
    try {
      return parseFioJson(input);
    } catch (err) {
      // --output-format=json,normal pasted with its JSON cut short still carries the whole text result.
      if (!looksLikeFioText(input)) throw err;
    }
  }
  if (looksLikeFioText(input)) return parseFioText(input);
  throw new UsageError(`this is not fio output (it starts with "${opening(input)}"): ${EXPECTED_FIO_OUTPUT}`);
}
