// Tells a tool that is not installed from one that ran and failed, the same way for fio, ping and etcd.

/** True when execa could not start the command because it is not on PATH: execa's result then carries the spawn errno. */
export function notOnPath(result: object): boolean {
  return 'code' in result && (result as { code?: unknown }).code === 'ENOENT';
}
