// One naming for percentiles everywhere ("p99", "p99.9"), whatever the source called them ("99.000000", 0.99).

/** 99 -> "p99", 99.9 -> "p99.9", 99.99 -> "p99.99". */
export function percentileKey(percent: number): string {
  return `p${Number(percent.toFixed(4))}`;
}

/** "p99.9" -> 99.9; null for keys that are not percentiles. */
export function percentOfKey(key: string): number | null {
  const m = /^p(\d+(?:\.\d+)?)$/.exec(key);
  return m ? Number(m[1]) : null;
}
