// A probe's outcome: its typed artifact, or the reason it could not run, so that one failed probe never stops the others.
import { UsageError } from './errors.js';

export type ProbeResult<T> = { ok: true; data: T } | { ok: false; error: string; /** e.g. "missing-tool", "unreachable", "bad-input" */ kind?: string };

export function probeOk<T>(data: T): ProbeResult<T> {
  return { ok: true, data };
}

export function probeError<T>(error: string, kind?: string): ProbeResult<T> {
  return kind === undefined ? { ok: false, error } : { ok: false, error, kind };
}

/** A probe's "bad-input" failure is the operator's mistake, not the machine's: the command stops with exit 2 and the probe's one line. */
export function refuseBadInput<T>(result: ProbeResult<T>): ProbeResult<T> {
  if (!result.ok && result.kind === 'bad-input') throw new UsageError(result.error);
  return result;
}
