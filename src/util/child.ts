// Starts the tool's children (the throwaway etcd, fio, ping) so that they die with the tool, even when the tool gets kill -9.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** util-linux setpriv: sets PR_SET_PDEATHSIG in the child and execs the command, so the kernel kills it when the tool dies. */
export const SETPRIV = '/usr/bin/setpriv';

/** The absolute path of `binary` on PATH (or `binary` itself when it holds a "/"), or null when it is not there. */
export function onPath(binary: string, path = process.env.PATH ?? ''): string | null {
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (binary.includes('/')) return executable(binary) ? binary : null;
  for (const dir of path.split(delimiter)) if (dir !== '' && executable(join(dir, binary))) return join(dir, binary);
  return null;
}

/**
 * The command line that runs `command` with SIGKILL as its parent-death signal. The kernel sends it when the thread
 * that forked the child exits: children are started on the main thread, which lives as long as the process.
 * A binary not on PATH is left as it is, so that the caller still sees ENOENT and says "not installed".
 * The kernel clears the signal when it execs a binary with file capabilities (ping on Debian): such a child still
 * dies with the tool because it writes to a pipe the tool held (SIGPIPE on its next line of output).
 */
export function dyingWithTool(command: readonly string[]): [string, string[]] {
  const [binary, ...args] = command;
  if (binary === undefined) throw new Error('empty command');
  if (process.platform !== 'linux' || !existsSync(SETPRIV) || onPath(binary) === null) return [binary, args];
  return [SETPRIV, ['--pdeathsig', 'KILL', '--', binary, ...args]];
}
