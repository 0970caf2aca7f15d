// A host-wide list of the runs now measuring, so that a run whose disk test would overlap another's says so, and a dead run's scratch is found wherever it was.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { onCleanup } from './cleanup.js';
import { isAlive, parseOwner, thisProcess, type Owner } from './owner.js';
import { OWNER_FILE } from './scratch.js';

export interface LiveRun extends Owner {
  /** The scratch directory the run's fio and etcd write in. */
  scratch: string;
  /** st_dev of the scratch directory: two runs with the same one share a disk. */
  device: number;
}

/** Where the records live; ETCD_ADVISOR_RUNS_DIR moves it (tests, a host without a shared /tmp). */
export function liveRunsDir(): string {
  // One per user and private to it: a record names a directory to remove, so nobody else may write one.
  return process.env.ETCD_ADVISOR_RUNS_DIR ?? join(tmpdir(), `etcd-advisor-runs-${process.getuid?.() ?? 'user'}`);
}

async function readRecords(dir: string): Promise<{ file: string; run: LiveRun | null }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: { file: string; run: LiveRun | null }[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(dir, name);
    try {
      const text = await readFile(file, 'utf8');
      const owner = parseOwner(text);
      const raw = JSON.parse(text) as Partial<LiveRun>;
      out.push({ file, run: owner === null ? null : { ...owner, scratch: String(raw.scratch ?? ''), device: Number(raw.device ?? -1) } });
    } catch {
      out.push({ file, run: null });
    }
  }
  return out;
}

/** Only a directory named for the run, holding the run's own owner file, is that run's scratch. */
async function isScratchOf(run: LiveRun): Promise<boolean> {
  if (run.scratch === '' || run.runId === '' || !(basename(run.scratch) === run.runId || basename(run.scratch) === `etcd-advisor-${run.runId}`)) return false;
  try {
    const owner = parseOwner(await readFile(join(run.scratch, OWNER_FILE), 'utf8'));
    return owner !== null && owner.pid === run.pid && owner.runId === run.runId;
  } catch {
    return false;
  }
}

export interface Registration {
  /** Other live runs whose scratch is on the same device as this one's: their disk tests and this one's disturb each other. */
  overlapping: LiveRun[];
  /** Scratch directories of dead runs that were removed. */
  swept: string[];
  release: () => Promise<void>;
}

/** Records this run; sweeps the records (and scratch directories) of dead runs; tells which live runs share the disk. */
export async function registerLiveRun(runId: string, scratch: string): Promise<Registration> {
  const dir = liveRunsDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  const ours = process.getuid === undefined || (info.uid === process.getuid() && (info.mode & 0o022) === 0);
  const device = (await stat(scratch)).dev;
  const overlapping: LiveRun[] = [];
  const swept: string[] = [];
  for (const { file, run } of await readRecords(dir)) {
    if (run !== null && isAlive(run)) {
      if (run.pid !== process.pid && run.device === device) overlapping.push(run);
      continue;
    }
    if (run !== null && ours && (await isScratchOf(run))) {
      await rm(run.scratch, { recursive: true, force: true });
      swept.push(run.scratch);
    }
    await rm(file, { force: true });
  }
  const me: LiveRun = { ...thisProcess(runId), scratch, device };
  const file = join(dir, `${process.pid}-${runId}.json`);
  await writeFileAtomic(file, JSON.stringify(me) + '\n');
  const release = onCleanup('remove the live-run record', () => rm(file, { force: true }));
  return { overlapping, swept, release };
}
