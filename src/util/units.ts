// The one grammar for durations, sizes, rates and counts as operators type them (flags and scenario fields alike), with ranges, and the one formatter that writes sizes back.
import prettyBytes from 'pretty-bytes';
import { UsageError } from '../model/errors.js';

/**
 * How a value is named in errors: a flag ("--call-timeout", or "call-timeout", which gets its dashes here so that no
 * caller can print "----timeout") or a path in a file ("phases[0].duration"), printed as given.
 */
export function optionName(name: string): string {
  return /^[a-z][a-z0-9-]*$/.test(name) ? `--${name}` : name;
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
}

/** Bytes per unit. Decimal units as in disk sizes (MB = 10^6); binary ones as etcd's docs write quotas (GiB = 2^30); single letters as fio and docker read them (binary). */
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

export interface Range {
  min: number;
  max: number;
}

/**
 * Bytes from "8GiB", "512MB", "1.5 MiB", "22m" or a bare byte count, inside `range` (inclusive). The `bytes` package
 * reads "1GiB" as 1 and "512MB" as 2^29, and `bytes-iec` refuses fio's "22m": see test/util/units.test.ts.
 */
export function parseSize(name: string, text: string | number, range?: Range): number {
  let bytes: number | undefined;
  if (typeof text === 'number') bytes = Number.isInteger(text) ? text : undefined;
  else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(text));
    const factor = m ? SIZE_UNITS[(m[2] || 'b').toLowerCase()] : undefined;
    if (m && factor !== undefined) bytes = Math.round(Number(m[1]) * factor);
  }
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 0)
    throw new UsageError(`${optionName(name)} ${show(text)} is not a size: give bytes or a number with a unit, e.g. 8GiB, 512MB`);
  if (range && (bytes < range.min || bytes > range.max))
    throw new UsageError(`${optionName(name)} ${show(text)}: must be from ${formatBytes(range.min)} to ${formatBytes(range.max)}`);
  return bytes;
}

/** Bytes as a reader takes them in: "1.5 GiB", "512 KiB", one decimal at most; parseSize reads the text back. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  return prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 });
}

/** Milliseconds per unit of Go's time.ParseDuration, the grammar of etcd's own duration flags (µs in both spellings). */
const DURATION_UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/** The words every duration error ends with. */
export const GIVE_A_UNIT = 'give a unit: 200ms or 0.2s';

export interface DurationOptions {
  /**
   * The unit a bare number is in. Only options whose name says the unit (--rtt-ms) have one; everywhere else a bare
   * number is refused, since "0.2" reads as seconds to a ping user and as milliseconds to an etcd user.
   */
  bare?: 'ms' | 's';
  /** Inclusive bounds in milliseconds. */
  rangeMs?: Range;
}

/**
 * Milliseconds from Go's duration grammar as etcd operators type it: "150ms", "1.5s", "2m", "1m30s", "500us". Written
 * here because `ms` reads no "1m30s" and `parse-duration` reads "1s2" as 1002 ms and "1.s" as 1 ms (test/util/units.test.ts).
 */
export function parseDuration(name: string, text: string | number, options: DurationOptions = {}): number {
  const raw = typeof text === 'number' ? (Number.isFinite(text) ? String(text) : '') : text.trim();
  let ms: number;
  if (BARE_NUMBER.test(raw)) {
    if (options.bare === undefined) throw new UsageError(`${optionName(name)} ${show(text)}: ${GIVE_A_UNIT}`);
    ms = Number(raw) * (options.bare === 's' ? 1000 : 1);
  } else if (GO_DURATION.test(raw)) {
    ms = 0;
    for (const [, n, unit] of raw.matchAll(DURATION_PART)) ms += Number(n) * DURATION_UNITS_MS[unit!]!;
  } else {
    throw new UsageError(`${optionName(name)} ${show(text)} is not a duration: ${GIVE_A_UNIT} (also 2m, 1m30s, 500us)`);
  }
  if (!Number.isFinite(ms)) throw new UsageError(`${optionName(name)} ${show(text)} is not a duration: ${GIVE_A_UNIT}`);
  const r = options.rangeMs;
  if (r && (ms < r.min || ms > r.max))
    throw new UsageError(`${optionName(name)} ${show(text)}: must be from ${formatDuration(r.min)} to ${formatDuration(r.max)}`);
  return ms;
}

/** Milliseconds in the grammar parseDuration reads: "250ms", "1.5s", "2m", "1h30m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${Number((ms * 1000).toFixed(3))}us`;
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Number(((ms % 60_000) / 1000).toFixed(3));
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

/** A rate per second as a reader takes it in: "52", "3.5", "0.33"; a rate measured over a window is no exact count. */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec >= 100) return String(Math.round(perSec));
  return String(Number(perSec.toFixed(perSec >= 10 ? 1 : 2)));
}

/** A rate in requests or writes per second from "1000", "1000/s", "1k/s", inside `range`. */
export function parseRate(name: string, text: string | number, range: Range = { min: Number.MIN_VALUE, max: 1e7 }): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k)?\s*(\/s)?\s*$/i.exec(String(text));
  const rate = m ? Number(m[1]) * (m[2] ? 1000 : 1) : NaN;
  if (!m || !Number.isFinite(rate) || rate <= 0)
    throw new UsageError(`${optionName(name)} ${show(text)} is not a rate: give a number per second above zero, e.g. 1000 or 1k/s`);
  if (rate < range.min || rate > range.max) throw new UsageError(`${optionName(name)} ${show(text)}: must be from ${range.min} to ${range.max} per second`);
  return rate;
}

export interface CountOptions extends Range {
  /** Default true: a count of clients, members, requests. */
  integer?: boolean;
  /** What the number counts, for the error: "clients". */
  what?: string;
}

/**
 * A number from a flag or a file, inside its range. yargs turns "1e9" into 1e9 and "1e309" into Infinity, YAML does
 * the same: every such value passes here, so that no number reaches a loop, an allocation or a report unbounded.
 */
export function parseCount(name: string, value: unknown, o: CountOptions): number {
  const integer = o.integer ?? true;
  const n = typeof value === 'string' && /^\s*[-+]?\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value;
  const kind = integer ? 'a whole number' : 'a number';
  const bounds = `from ${o.min} to ${o.max}${o.what ? ` ${o.what}` : ''}`;
  if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new UsageError(`${optionName(name)} ${show(value)}: must be ${kind} ${bounds}`);
  if (n < o.min || n > o.max) throw new UsageError(`${optionName(name)} ${show(value)}: must be ${bounds}`);
  return n;
}
