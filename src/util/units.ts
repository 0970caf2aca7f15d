// Sizes ("8GiB", "512MB", "1572864") and durations ("150ms", "1.5s", "20") as operators type them, a bad value being a UsageError naming the option; and sizes written back for them to read.
import { UsageError } from '../model/errors.js';

/** Decimal units as in disk sizes (MB = 10^6), binary units as etcd's own docs write quotas (GiB = 2^30). */
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/** Bytes from "8GiB", "512MB", "1.5 MiB" or a bare byte count. */
export function parseSize(option: string, text: string | number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(text));
  const factor = m ? SIZE_UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || factor === undefined) throw new UsageError(`--${option} "${text}" is not a size: give bytes or a number with a unit, e.g. 8GiB, 512MB`);
  return Math.round(Number(m[1]) * factor);
}

/** Bytes as a reader takes them in: "1.5 GiB", "512 KiB", one decimal at most (the inverse of parseSize's binary units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(1))} ${units[i]}`;
}

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds from "150ms", "1.5s", "5m", "1h" or a bare number of milliseconds. */
export function parseDurationMs(option: string, text: string | number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(String(text));
  if (!m) throw new UsageError(`--${option} "${text}" is not a duration: give milliseconds or a number with ms, s, m or h, e.g. 150ms, 1.5s, 5m`);
  return Number(m[1]) * DURATION_MS[(m[2] ?? 'ms').toLowerCase()]!;
}

/** A positive count from "1000", "1000/s", "1k/s". */
export function parseRate(option: string, text: string | number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k)?\s*(\/s)?\s*$/i.exec(String(text));
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--${option} "${text}" is not a rate: give writes per second, e.g. 1000 or 1k/s`);
  return Number(m[1]) * (m[2] ? 1000 : 1);
}
