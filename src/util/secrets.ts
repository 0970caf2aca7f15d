// Keeps passwords out of every output: argv is redacted by its flags, and the secrets given this run are masked in any text the tool writes.

/** What a secret is replaced with. */
export const REDACTED = '***';

/** Flags whose whole value is a secret. */
const SECRET_FLAGS = new Set(['--password']);
/** Flags whose value is `name:secret` (etcdctl's --user root:PASSWORD). */
const USER_FLAGS = new Set(['--user']);
/** Shorter strings are masked in argv only: masking every "ab" in free text would garble the report and hide nothing. */
const MIN_MASKED_LENGTH = 3;

const secrets = new Set<string>();

/** Registers a secret given to this run, so that any text the tool writes has it masked (redact()). */
export function addSecret(secret: string | undefined): void {
  if (secret !== undefined && secret.length >= MIN_MASKED_LENGTH) secrets.add(secret);
}

function maskUser(value: string): string {
  const colon = value.indexOf(':');
  return colon < 0 ? value : `${value.slice(0, colon)}:${REDACTED}`;
}

/**
 * argv with secret values replaced: `--password X`, `--password=X`, `--user root:X`, `--user=root:X`. A later
 * report of the command line tells what was run without what would let a reader log in.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const mask = SECRET_FLAGS.has(flag) ? () => REDACTED : USER_FLAGS.has(flag) ? maskUser : null;
    if (mask === null) out.push(redact(arg));
    else if (inline !== undefined) out.push(`${flag}=${mask(inline)}`);
    else {
      out.push(arg);
      if (i + 1 < argv.length) out.push(mask(argv[++i]!));
    }
  }
  return out;
}

/** `text` with every registered secret masked. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}

/** A copy of a JSON-shaped value with every string redacted (the report, a --json answer). */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0) return value;
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v)) as T;
}

/** The tool's own command line, as reports record it: redacted. */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string[] {
  return ['etcd-advisor', ...redactArgv(argv)];
}
