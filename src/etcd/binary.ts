// Which etcd binary a command starts (--etcd-binary, then $ETCD_ADVISOR_ETCD_BINARY, then etcd on PATH) and its version.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { execa } from 'execa';
import { IncompleteError, UsageError } from '../model/errors.js';

/** The environment variable that names the etcd binary when --etcd-binary is not given. */
export const ETCD_BINARY_ENV = 'ETCD_ADVISOR_ETCD_BINARY';
/** What runs when neither the flag nor the variable names a binary: etcd on PATH. */
export const ETCD_ON_PATH = 'etcd';

/** "etcd Version: 3.5.30" in `etcd --version` of 3.4-3.6. */
const VERSION_LINE = /etcd Version:\s*(\S+)/;
const VERSION_TIMEOUT_MS = 10_000;

export interface ResolvedEtcd {
  /** What to execute: an absolute or relative path as given, or "etcd" for the one on PATH. */
  binary: string;
  /** Its `etcd --version`, e.g. "3.5.30". */
  version: string;
  /** Where the choice came from, for the report: "--etcd-binary", "$ETCD_ADVISOR_ETCD_BINARY" or "PATH". */
  source: '--etcd-binary' | `$${typeof ETCD_BINARY_ENV}` | 'PATH';
}

/** `etcd --version` of a binary: "3.4.23"; null when it does not run or does not print an etcd version. */
export async function etcdVersionOf(binary: string, env?: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const result = await execa(binary, ['--version'], {
      reject: false,
      timeout: VERSION_TIMEOUT_MS,
      stdin: 'ignore',
      ...(env ? { env, extendEnv: false } : {}),
    });
    return VERSION_LINE.exec(`${String(result.stdout)}\n${String(result.stderr)}`)?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * The etcd a command starts. A binary the operator named (flag or variable) that is missing, not executable or not etcd is
 * bad input (exit 2, naming the flag or variable and the path); no etcd on PATH is a missing tool (exit 3).
 */
export async function resolveEtcdBinary(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedEtcd> {
  const fromEnv = env[ETCD_BINARY_ENV];
  const [binary, source]: [string, ResolvedEtcd['source']] =
    flag !== undefined && flag !== ''
      ? [flag, '--etcd-binary']
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv, `$${ETCD_BINARY_ENV}`]
        : [ETCD_ON_PATH, 'PATH'];
  if (source !== 'PATH') {
    const info = await stat(binary).catch(() => null);
    if (info === null) throw new UsageError(`${source} ${binary}: no such file`);
    if (!info.isFile()) throw new UsageError(`${source} ${binary}: not a file`);
    const executable = await access(binary, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!executable) throw new UsageError(`${source} ${binary}: not executable`);
  }
  const version = await etcdVersionOf(binary, env === process.env ? undefined : env);
  if (version === null) {
    if (source === 'PATH')
      throw new IncompleteError(`etcd was not found on PATH (install etcd-server, or name a binary with --etcd-binary or $${ETCD_BINARY_ENV})`);
    throw new UsageError(`${source} ${binary}: not an etcd binary (\`${binary} --version\` printed no "etcd Version:")`);
  }
  return { binary, version, source };
}
