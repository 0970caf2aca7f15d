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

/** Every error's text as the tool says it: grpc-js's own wording (status numbers, "Resolution note:") is said in the tool's words. */
export function errorMessage(err: unknown): string {
  return grpcInOwnWords(err instanceof Error ? err.message : String(err));
}

/** The gRPC status names grpc-js puts first ("14 UNAVAILABLE: ..."), as an operator reads them. */
const GRPC_CODES: Record<string, string> = {
  CANCELLED: 'cancelled',
  UNKNOWN: 'failed',
  INVALID_ARGUMENT: 'refused as invalid',
  DEADLINE_EXCEEDED: 'timed out',
  NOT_FOUND: 'not found',
  ALREADY_EXISTS: 'already exists',
  PERMISSION_DENIED: 'permission denied',
  RESOURCE_EXHAUSTED: 'refused: resource exhausted',
  FAILED_PRECONDITION: 'refused: failed precondition',
  ABORTED: 'aborted',
  OUT_OF_RANGE: 'out of range',
  UNIMPLEMENTED: 'not implemented by this etcd',
  INTERNAL: 'internal error',
  UNAVAILABLE: 'unavailable',
  DATA_LOSS: 'data loss',
  UNAUTHENTICATED: 'not authenticated',
};

/**
 * Rewrites grpc-js's error text: "14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED
 * 127.0.0.1:1. Resolution note: " becomes "unavailable: connection refused by 127.0.0.1:1". Other text is left as it is.
 */
export function grpcInOwnWords(message: string): string {
  const m = /^(\d{1,2}) ([A-Z_]+): ([\s\S]*)$/.exec(message);
  if (m === null || GRPC_CODES[m[2]!] === undefined) return message;
  let detail = m[3]!
    .replace(/\s*Resolution note:[\s\S]*$/, '')
    .replace(/No connection established\.\s*(Last error:\s*)?/, '')
    .replace(/^(Error:\s*)+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const refused = /connect ECONNREFUSED (\S+?)\.?$/.exec(detail);
  if (refused) detail = `connection refused by ${refused[1]} (is etcd running there?)`;
  const timedOut = /^Deadline exceeded after ([\d.]+s)/.exec(detail);
  if (timedOut) detail = `no answer within ${timedOut[1]}`;
  detail = detail.replace(/\.$/, '');
  const what = GRPC_CODES[m[2]!]!;
  return detail === '' || detail.toLowerCase() === what ? what : `${what}: ${detail}`;
}
