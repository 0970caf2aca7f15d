// Scenario thresholds in a readable form ("p99 < 25ms", "rate >= 0.9 * target", "errors == 0"): parsed when the scenario loads, judged on a phase result.
import type { LoadPhaseResult } from '../model/artifacts.js';
import { parseDuration } from '../util/units.js';

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  expr: string;
  metric: string;
  /** A latency metric of one op only, e.g. p99(put). */
  op: string | null;
  cmp: Comparator;
  /** In the metric's unit: microseconds for latency, requests/s for rate, a count for errors, a fraction for error-rate. */
  value: number;
}

interface PhaseTarget {
  rate: number | null;
}

const LATENCY = /^(p\d+(?:\.\d+)?|max|min|avg|stdev)$/;

export function parseThreshold(expr: string, phase: PhaseTarget): Threshold {
  const m = /^\s*([a-z][\w.-]*)(?:\(([a-z-]+)\))?\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/.exec(expr);
  if (!m) throw new Error(`"${expr}" is not a threshold (expected e.g. "p99 < 25ms", "rate >= 0.9 * target", "errors == 0")`);
  const [, rawMetric, op, cmp, rhs] = m as unknown as [string, string, string | undefined, Comparator, string];
  const metric = rawMetric === 'mean' ? 'avg' : rawMetric;
  const base = { expr: expr.trim(), metric, op: op ?? null, cmp };
  if (op !== undefined && !LATENCY.test(metric)) throw new Error(`"${expr}": only a latency metric takes an op, as in p99(put)`);
  if (LATENCY.test(metric)) {
    let ms: number;
    try {
      ms = parseDuration('latency', rhs);
    } catch {
      throw new Error(`"${expr}": a latency needs a number with a unit (us, ms, s), as in 25ms`);
    }
    return { ...base, value: ms * 1000 };
  }
  if (metric === 'rate') {
    const rel = /^(?:(\d+(?:\.\d+)?)\s*\*\s*)?target$/.exec(rhs);
    if (rel) {
      if (phase.rate === null) throw new Error(`"${expr}": this phase has no target rate (give rate: and model: open)`);
      return { ...base, value: Number(rel[1] ?? 1) * phase.rate };
    }
    if (!/^\d+(?:\.\d+)?$/.test(rhs)) throw new Error(`"${expr}": a rate is a number of requests per second or "F * target"`);
    return { ...base, value: Number(rhs) };
  }
  if (metric === 'errors' || metric === 'requests') {
    if (!/^\d+$/.test(rhs)) throw new Error(`"${expr}": ${metric} is compared with a whole number`);
    return { ...base, value: Number(rhs) };
  }
  if (metric === 'error-rate') {
    const p = /^(\d+(?:\.\d+)?)\s*%$/.exec(rhs);
    if (!p) throw new Error(`"${expr}": error-rate is compared with a percentage, as in 1%`);
    return { ...base, value: Number(p[1]) / 100 };
  }
  throw new Error(`"${expr}": unknown metric "${rawMetric}" (expected p50, p90, p99, p99.9, max, min, avg, stdev, rate, errors, requests or error-rate)`);
}

function compare(a: number, cmp: Comparator, b: number): boolean {
  switch (cmp) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function formatUs(us: number): string {
  return us >= 1_000_000 ? `${(us / 1_000_000).toFixed(2)}s` : `${(us / 1000).toFixed(2)}ms`;
}

/** Judges one threshold on a finished phase; a latency with no samples fails, since nothing shows it holds. */
export function evaluateThreshold(t: Threshold, r: LoadPhaseResult): { expr: string; ok: boolean; actual: string } {
  let actual: number | undefined;
  let text: string;
  if (LATENCY.test(t.metric)) {
    const stats = t.op === null ? r.latencyUs : r.latencyByOpUs[t.op];
    actual = stats?.[t.metric];
    text = actual === undefined ? 'no samples' : formatUs(actual);
  } else if (t.metric === 'rate') {
    actual = r.ratePerSec;
    text = `${actual.toFixed(1)}/s`;
  } else if (t.metric === 'errors') {
    actual = r.errors;
    text = String(actual);
  } else if (t.metric === 'requests') {
    actual = r.requests;
    text = String(actual);
  } else {
    const all = r.requests + r.errors;
    actual = all === 0 ? 0 : r.errors / all;
    text = `${(actual * 100).toFixed(2)}%`;
  }
  return { expr: t.expr, ok: actual !== undefined && compare(actual, t.cmp, t.value), actual: `${t.metric}${t.op ? `(${t.op})` : ''} = ${text}` };
}
