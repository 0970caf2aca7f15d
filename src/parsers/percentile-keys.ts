// One naming for percentiles everywhere ("p99", "p99.9"), whatever the source called them ("99.000000", 0.99).

/** 99 -> "p99", 99.9 -> "p99.9", 99.99 -> "p99.99". */
export function percentileKey(percent: number): string {
  return `p${Number(percent.toFixed(4))}`;
}
