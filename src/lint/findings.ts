// The lint result shape: what `lint --json` prints, and the checks its exit code comes from (as every command's).
import type { Check, Status } from '../model/check.js';

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
  /** Where the rule that found it comes from (the rule's source), as every advisor check says. */
  source?: string;
  /** lint --upgrade-to: the step of the upgrade the finding belongs to, e.g. "3.4 -> 3.5". */
  step?: string;
}

export function finding(severity: Severity, rule: string, file: string, line: number | null, flag: string | null, message: string): Finding {
  return { severity, rule, message, file, line, flag };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function byFileAndLine(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || ORDER[a.severity] - ORDER[b.severity] || a.rule.localeCompare(b.rule);
}

const STATUS: Record<Severity, Status> = { error: 'fail', warning: 'warn', info: 'info' };

/** A finding in the advisor's vocabulary: an error is a fail (etcd will not start), a warning a warn. */
export function asCheck(f: Finding): Check {
  return {
    id: f.rule,
    section: 'lint',
    title: `${f.file}${f.line !== null ? `:${f.line}` : ''}`,
    status: STATUS[f.severity],
    message: f.message,
    ...(f.flag !== null ? { flag: f.flag } : {}),
    ...(f.source !== undefined ? { source: f.source } : {}),
  };
}
