// The result of one rule: what an operator reads in every report, and how a run's verdict and exit code follow from them.
import { EXIT } from './errors.js';

export type Status = 'pass' | 'warn' | 'fail' | 'info' | 'error';

export type Section = 'run' | 'host' | 'disk' | 'network' | 'load' | 'cluster' | 'observe' | 'advice' | 'lint';

export interface Check {
  /** Stable rule id, e.g. "disk.fdatasync-p99". */
  id: string;
  section: Section;
  title: string;
  status: Status;
  /** A sentence the operator can act on. */
  message: string;
  /** The measured value the verdict was drawn from, when there is one. */
  value?: number | string;
  unit?: string;
  /** The threshold in readable form, e.g. "< 10 ms". */
  threshold?: string;
  /** Where the rule comes from (ETCD-FACTS.md section, etcd docs or code). */
  source?: string;
  /** The etcd flag this check is about, when there is one. */
  flag?: string;
  /** Where in the operator's files the check points (lint's checks): the file, and the line when there is one. */
  file?: string;
  line?: number;
  /** A change of an upgrade (lint --upgrade-to, advice.upgrade): the step it comes with, e.g. "3.4 -> 3.5". */
  step?: string;
}

export type Verdict = 'qualified' | 'not-qualified' | 'incomplete';

/** pass/warn/info qualify; any fail does not; an error (a check that could not run) makes the run incomplete. */
export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.some((c) => c.status === 'fail')) return 'not-qualified';
  if (checks.some((c) => c.status === 'error')) return 'incomplete';
  return 'qualified';
}

/** The one exit code of every command (run, disk, net, load, status, lint, advise): the verdict of the advisor's checks. */
export function exitCodeFor(verdict: Verdict): number {
  return verdict === 'qualified' ? EXIT.ok : verdict === 'not-qualified' ? EXIT.failed : EXIT.incomplete;
}

/** Every status, the most urgent first: the order reports list checks and count them in. */
export const STATUSES_BY_URGENCY: readonly Status[] = ['fail', 'error', 'warn', 'info', 'pass'];

const STATUS_ORDER = Object.fromEntries(STATUSES_BY_URGENCY.map((s, i) => [s, i])) as Record<Status, number>;

/** Failing checks first, as the report shows them. */
export function byUrgency(a: Check, b: Check): number {
  return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
}

/** The checks an operator must act on: every report lists them apart. */
export function needsAttention(check: Pick<Check, 'status'>): boolean {
  return check.status === 'fail' || check.status === 'error' || check.status === 'warn';
}
