// Errors that carry the exit code the CLI must return, so that no command prints a stack trace for bad input.

export const EXIT = {
  ok: 0,
  /** At least one check fails: the node does not qualify. */
  failed: 1,
  /** Bad usage or bad input. */
  usage: 2,
  /** The run could not complete (a tool missing, etcd unreachable, disk full). */
  incomplete: 3,
  interrupted: 130,
} as const;

/** Bad flags, unreadable or malformed input: exit 2 with one clear line. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something the run needs is missing or broken: exit 3. */
export class IncompleteError extends Error {
  readonly exitCode = EXIT.incomplete;
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
