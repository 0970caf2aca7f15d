// One fio job's write figures, whichever output they came from, and how several jobs (no group_reporting) become one summary.
import type { FioSummary, LatencyStats } from '../model/artifacts.js';
import { UsageError } from '../model/errors.js';

/** What the JSON and the text parser each read from one job block; the summary is built from these the same way. */
export type FioJobResult = Pick<FioSummary, 'writeIops' | 'bandwidthBytesPerSec' | 'totalWriteIos' | 'runtimeMs' | 'clatUs' | 'syncUs'> & {
  name: string;
  /** fio's reporting group: jobs of one group ran together, groups (--stonewall, --new_group) one after another. */
  group: number;
  /** fio's error number for the job (0: none), e.g. 28 for ENOSPC, and its text when the output has it. */
  error: number;
  errorText?: string;
};

/**
 * Several jobs' latencies as one: min of the mins, mean weighted by writes, and for max, stdev and every percentile the
 * worst job's value. Percentiles of separate jobs cannot be merged exactly from their summaries; the worst job is an
 * upper bound, and etcd's WAL sits on the slowest path anyway.
 */
function combineLatency(parts: { stats: LatencyStats; weight: number }[]): LatencyStats {
  const combined: LatencyStats = {};
  const keys = new Set(parts.flatMap((p) => Object.keys(p.stats)));
  const totalWeight = parts.reduce((sum, p) => sum + p.weight, 0);
  for (const key of keys) {
    const present = parts.filter((p) => p.stats[key] !== undefined);
    const values = present.map((p) => p.stats[key]!);
    if (key === 'min') combined[key] = Math.min(...values);
    else if (key === 'avg' && totalWeight > 0)
      combined[key] = present.reduce((sum, p) => sum + p.stats[key]! * p.weight, 0) / present.reduce((sum, p) => sum + p.weight, 0);
    else combined[key] = Math.max(...values);
  }
  return combined;
}

/** The summary the advisor reads: IOPS and bandwidth add up over jobs; latencies as combineLatency says. */
export function summarizeJobs(version: string | null, jobs: FioJobResult[]): FioSummary {
  const first = jobs[0];
  if (first === undefined)
    throw new UsageError(
      'the fio output holds no job results: expected at least one job block (fio prints one per job, or one per group with --group_reporting)',
    );
  const failed = jobs.find((j) => j.error !== 0);
  if (failed !== undefined) {
    throw new UsageError(
      `fio job "${failed.name}" ended with error ${failed.error}${failed.errorText ? ` (${failed.errorText})` : ''}: its figures are partial or missing; fix the cause and run fio again`,
    );
  }
  const writers = jobs.filter((j) => j.totalWriteIos > 0 || j.writeIops > 0);
  if (writers.length === 0) {
    throw new UsageError(
      'the fio output has no write results: the etcd disk test is a write test (fio --rw=write --ioengine=sync --fdatasync=1 --bs=2300 --size=22m)',
    );
  }
  const groups = new Set(writers.map((j) => j.group));
  if (groups.size > 1) {
    throw new UsageError(
      `the fio output holds ${groups.size} groups that ran one after another (--stonewall or --new_group), whose figures do not add up: run or paste one group at a time`,
    );
  }
  const syncing = writers.filter((j) => j.syncUs !== null);
  return {
    version,
    jobName: first.name,
    jobs: jobs.length,
    writeIops: writers.reduce((sum, j) => sum + j.writeIops, 0),
    bandwidthBytesPerSec: writers.reduce((sum, j) => sum + j.bandwidthBytesPerSec, 0),
    totalWriteIos: writers.reduce((sum, j) => sum + j.totalWriteIos, 0),
    runtimeMs: Math.max(...writers.map((j) => j.runtimeMs)),
    clatUs: writers.length === 1 ? writers[0]!.clatUs : combineLatency(writers.map((j) => ({ stats: j.clatUs, weight: j.totalWriteIos }))),
    syncUs:
      syncing.length === 0
        ? null
        : syncing.length === 1
          ? syncing[0]!.syncUs
          : combineLatency(syncing.map((j) => ({ stats: j.syncUs!, weight: j.totalWriteIos }))),
  };
}
