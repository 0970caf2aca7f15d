// Parses fio 3.x's classic text output (what operators paste into tickets), also with its line breaks lost or its header cut off.
import type { FioSummary, LatencyStats } from '../model/artifacts.js';
import { UsageError } from '../model/errors.js';
import { summarizeJobs, type FioJobResult } from './fio-jobs.js';
import { percentileKey } from './percentile-keys.js';

/** fio prints each latency block in the unit that fits its values; the model keeps microseconds. */
const US_PER_UNIT: Record<string, number> = { nsec: 0.001, usec: 1, msec: 1000 };

/** fio's num2str suffixes on counts (IOPS=37.2k, max=1235k). */
const COUNT_SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** Bandwidth and sizes: binary units by default, decimal ones with --kb_base=1000. */
const BYTES_PER_UNIT: Record<string, number> = {
  B: 1,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
};

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const COUNT = String.raw`(\d+(?:\.\d+)?)([kKMG]?)`;
const BYTES = String.raw`(\d+(?:\.\d+)?)(B|[KMGT]iB|[kKMGT]B)`;

/** A job's result block starts with "NAME: (groupid=0, jobs=1): err= 0: pid=...". */
const JOB_HEADER = /(\S*?): \(groupid=(\d+), jobs=\d+\): err= ?(\d+)(?: \([^)]*?error=([^)]*)\))?/g;

/** True when the text has what a fio 3.x text result must have, so that it is worth parsing as one. */
export function looksLikeFioText(text: string): boolean {
  return /\(groupid=\d+, jobs=\d+\)/.test(text) || /\bwrite: IOPS=/.test(text);
}

export function count(value: string, suffix: string): number {
  return Number(value) * (COUNT_SUFFIX[suffix] ?? 1);
}

export function bytes(value: string, unit: string): number {
  const factor = BYTES_PER_UNIT[unit];
  if (factor === undefined) throw new UsageError(`fio text output: unknown size unit "${unit}"`);
  return Number(value) * factor;
}

function toUs(value: number, unit: string): number {
  return value * (US_PER_UNIT[unit] ?? 1);
}

/** "clat (usec): min=25, max=758, avg=52.42, stdev=28.55" (or "sync (msec): ...") -> microseconds. */
function moments(segment: string, label: string): LatencyStats | null {
  const m = new RegExp(String.raw`(?<![a-z/])${label} \(([num]sec)\): min=${COUNT}, max=${COUNT}, avg=${NUMBER}, stdev=${NUMBER}`).exec(segment);
  if (!m) return null;
  const unit = m[1]!;
  return {
    min: toUs(count(m[2]!, m[3]!), unit),
    max: toUs(count(m[4]!, m[5]!), unit),
    avg: toUs(Number(m[6]), unit),
    stdev: toUs(Number(m[7]), unit),
  };
}

/** "clat percentiles (usec): | 1.00th=[ 28], 5.00th=[ 30], ..." -> { p1: 28, p5: 30, ... } in microseconds. */
function percentiles(segment: string, label: string): LatencyStats | null {
  const head = new RegExp(String.raw`(?<![a-z/])${label} percentiles \(([num]sec)\):`).exec(segment);
  if (!head) return null;
  const unit = head[1]!;
  const entry = /^ ?\|? *(\d+(?:\.\d+)?)th=\[ *(\d+(?:\.\d+)?)([kKMG]?)\],?/;
  const stats: LatencyStats = {};
  let rest = segment.slice(head.index + head[0].length);
  for (let m = entry.exec(rest); m; m = entry.exec(rest)) {
    stats[percentileKey(Number(m[1]))] = toUs(count(m[2]!, m[3]!), unit);
    rest = rest.slice(m[0].length);
  }
  return Object.keys(stats).length > 0 ? stats : null;
}

function latency(segment: string, label: string): LatencyStats | null {
  const m = moments(segment, label);
  const p = percentiles(segment, label);
  return m === null && p === null ? null : { ...m, ...p };
}

/** The write direction's lines: from "write: IOPS=" to whatever follows it (another direction, the latency buckets, sync, cpu). */
function writeSegment(block: string): string | null {
  const start = block.search(/\bwrite: IOPS=/);
  if (start < 0) return null;
  const after = block.slice(start + 1);
  const ends = [
    /\b(?:read|trim): IOPS=/,
    /(?<![a-z])lat \([num]sec\) +: /,
    /fsync\/fdatasync/,
    /(?<![a-z/])sync \([num]sec\):/,
    /\bcpu +: /,
    /Run status group/,
  ]
    .map((re) => after.search(re))
    .filter((i) => i >= 0);
  return block.slice(start, ends.length > 0 ? start + 1 + Math.min(...ends) : undefined);
}

function parseJobBlock(name: string, block: string, group = 0, error = 0, errorText?: string): FioJobResult {
  const failure = errorText === undefined ? { group, error } : { group, error, errorText };
  const write = writeSegment(block);
  if (write === null) return { name, ...failure, writeIops: 0, bandwidthBytesPerSec: 0, totalWriteIos: 0, runtimeMs: 0, clatUs: {}, syncUs: null };
  const rate = new RegExp(String.raw`write: IOPS=${COUNT}, BW=${BYTES}/s`).exec(write);
  if (!rate)
    throw new UsageError(
      `fio text output: job "${name}" has a write line fio 3.x would not print (expected "write: IOPS=..., BW=...KiB/s (...)(...KiB/...msec)")`,
    );
  const io = new RegExp(String.raw`\(${BYTES}/(\d+)msec\)`).exec(write);
  const writeIops = count(rate[1]!, rate[2]!);
  const runtimeMs = io ? Number(io[3]) : 0;
  // "issued rwts: total=READS,WRITES,TRIMS,SYNCS" counts the writes; without it (a partial paste), IOPS x runtime does.
  const issued = /issued rwts: total=\d+,(\d+),/.exec(block);
  return {
    name,
    ...failure,
    writeIops,
    bandwidthBytesPerSec: bytes(rate[3]!, rate[4]!),
    totalWriteIos: issued ? Number(issued[1]) : Math.round((writeIops * runtimeMs) / 1000),
    runtimeMs,
    clatUs: latency(write, 'clat') ?? {},
    syncUs: latency(block, 'sync'),
  };
}

/** "fio-3.33" from the header, which a paste may have lost. */
function versionOf(header: string): string | null {
  return /\b(fio-\d+\.\d+[\w.+-]*)/.exec(header)?.[1] ?? null;
}

export function parseFioText(text: string): FioSummary {
  // Whitespace carries no meaning in fio's text, and pasted text often lost its line breaks: parse it as one line.
  // A reply in a ticket or a mail may quote it line by line ("> "); fio's own lines never start with ">".
  const flat = text.replace(/^[ \t]*>[ \t]?/gm, '').replace(/\s+/g, ' ');
  if (/\bwrite: io=\S+, bw=/.test(flat)) {
    throw new UsageError('this is fio 2.x text output, which has no fdatasync percentiles: run fio 3.x (with --output-format=json) and paste that');
  }
  const headers = [...flat.matchAll(JOB_HEADER)];
  const jobs: FioJobResult[] = [];
  if (headers.length === 0) {
    // Only the lines of one job were pasted, without its "(groupid=" line.
    jobs.push(parseJobBlock('', flat));
  } else {
    headers.forEach((h, i) => {
      const end = headers[i + 1]?.index ?? flat.length;
      const block = flat.slice(h.index, end).split('Run status group')[0]!;
      jobs.push(parseJobBlock(h[1]!, block, Number(h[2]), Number(h[3]), h[4]?.trim()));
    });
  }
  return summarizeJobs(versionOf(flat.slice(0, headers[0]?.index ?? flat.length)), jobs);
}
