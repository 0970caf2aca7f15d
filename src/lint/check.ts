// Lint's findings are checks (src/model/check.ts), in the advisor's vocabulary: fail = etcd will not start or join, warn = a risk, info = worth knowing; each names the file and line it points at.
import { byUrgency, type Check, type Status } from '../model/check.js';
import type { Setting } from './settings.js';

/** A lint rule judges files it can always read as text: it never has an 'error' (could not run) or a 'pass' to say. */
export type LintStatus = Extract<Status, 'fail' | 'warn' | 'info'>;

/** The title is the place (file:line), so that every check renderer names where to edit; file, line and flag stay apart for scripts. */
export function lintCheck(status: LintStatus, id: string, file: string, line: number | null, flag: string | null, message: string): Check {
  return {
    id,
    section: 'lint',
    title: `${file}${line !== null ? `:${line}` : ''}`,
    status,
    message,
    file,
    ...(line !== null ? { line } : {}),
    ...(flag !== null ? { flag } : {}),
  };
}

/** A finding about one setting, at the place it is written. */
export function settingCheck(status: LintStatus, id: string, s: Pick<Setting, 'flag' | 'file' | 'line'>, message: string): Check {
  return lintCheck(status, id, s.file, s.line, s.flag, message);
}

/** In file order, then line, the most urgent first, then by id: how an operator walks through the files. */
export function byFileAndLine(a: Check, b: Check): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || byUrgency(a, b) || a.id.localeCompare(b.id);
}
