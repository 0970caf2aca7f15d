// The lint result shape: what `lint --json` prints and what decides its exit code.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** error: etcd will not start or join; warning: a risk; info: worth knowing. */
  severity: Severity;
  rule: string;
  /** What is wrong and the exact fix. */
  message: string;
  file: string;
  line: number | null;
  flag: string | null;
}

export function finding(severity: Severity, rule: string, file: string, line: number | null, flag: string | null, message: string): Finding {
  return { severity, rule, message, file, line, flag };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function byFileAndLine(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || ORDER[a.severity] - ORDER[b.severity] || a.rule.localeCompare(b.rule);
}
