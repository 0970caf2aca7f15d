// Who owns a scratch directory, an --out directory or a live-run record: a pid plus its start time, so a reused pid is not mistaken for the owner.
import { readFileSync } from 'node:fs';

export interface Owner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot); null where /proc is not there. */
  startTicks: number | null;
  runId: string;
  /** For the operator: when the owning run started. */
  startedAt: string;
}

function startTicksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

export function thisProcess(runId: string): Owner {
  return { pid: process.pid, startTicks: startTicksOf(process.pid), runId, startedAt: new Date().toISOString() };
}

/** True while the owning process runs; a pid now held by another process (another start time) is dead for this purpose. */
export function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.startTicks === null) return true;
  const now = startTicksOf(owner.pid);
  return now === null || now === owner.startTicks;
}

/** An owner record read back from its JSON text, or null when it is not one (a crash while writing it, a stray file). */
export function parseOwner(text: string): Owner | null {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0) return null;
    return {
      pid: o.pid,
      startTicks: typeof o.startTicks === 'number' ? o.startTicks : null,
      runId: String(o.runId ?? ''),
      startedAt: String(o.startedAt ?? ''),
    };
  } catch {
    return null;
  }
}
