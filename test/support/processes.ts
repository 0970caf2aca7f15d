// Looks for processes left behind by a run (etcd, fio), by their command lines in /proc.
import { readdir, readFile } from 'node:fs/promises';

/** Command lines of live processes that mention `needle` (e.g. a scratch directory). */
export async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
      if (cmdline.includes(needle)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
