// The directories a run writes into: made when missing, proven writable (with the real errno) before measuring, and held by one live run at a time.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../model/errors.js';
import { onCleanup } from './cleanup.js';
import { isAlive, parseOwner, thisProcess, type Owner } from './owner.js';
import { formatBytes } from './units.js';

/** Room a run's report needs: its six files come to about 100 KiB (report.html about 55 KiB); twice that, for the temporary copies. */
export const REPORT_ROOM_BYTES = 256 * 1024;
/** The file in --out that says which live run is writing there. */
export const OUT_LOCK_FILE = '.etcd-advisor.lock';

const ERRNO_TEXT: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  EIO: 'input/output error',
};

/** "EROFS: read-only file system": the errno and what it means, as the operator would read it from the kernel. */
export function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === undefined) return err instanceof Error ? err.message : String(err);
  return `${code}: ${ERRNO_TEXT[code] ?? (err as Error).message}`;
}

/** True for the errors that mean "this place cannot take the files" rather than a bug. */
export function isPlaceError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code !== undefined && code in ERRNO_TEXT;
}

/**
 * mkdir -p that fails with the errno of the level that could not be made: Node's recursive mkdir answers ENOENT on a
 * read-only mount, where the operator must read EROFS.
 */
export async function makeDirectory(dir: string, mode?: number): Promise<void> {
  const options = mode === undefined ? {} : { mode };
  try {
    await mkdir(dir, options);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await stat(dir)).isDirectory()) return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err;
  }
  await makeDirectory(dirname(dir));
  try {
    await mkdir(dir, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw err;
  }
}

/**
 * Creates `dir` (and its parents) or says in one line why it cannot be: `run` calls it before measuring, so that a
 * bad --out is refused up front instead of after minutes of measurements have nowhere to go.
 */
export async function ensureOutDir(dir: string, flag = '--out'): Promise<void> {
  try {
    await makeDirectory(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`${flag} ${dir}: a file is in the way; give a directory`);
    if (isPlaceError(err)) throw new UsageError(`${flag} ${dir}: cannot write there (${errnoText(err)}); give a directory you can write to`);
    throw err;
  }
}

/**
 * Writes `bytes` into a temporary file in `dir`, syncs and removes it: a read-only mount, a missing permission or a
 * full disk answers here with its real errno, before anything is measured.
 */
export async function checkWritable(dir: string, flag: string, bytes = REPORT_ROOM_BYTES): Promise<void> {
  const probe = join(dir, `.etcd-advisor-probe-${process.pid}-${randomBytes(3).toString('hex')}`);
  try {
    const handle = await open(probe, 'wx', 0o600);
    try {
      await handle.writeFile(Buffer.alloc(bytes));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (!isPlaceError(err)) throw err;
    const room = (err as NodeJS.ErrnoException).code === 'ENOSPC' ? ` (it needs about ${formatBytes(bytes)} free)` : '';
    throw new UsageError(`${flag} ${dir}: cannot write there (${errnoText(err)})${room}; give a directory you can write to`);
  } finally {
    await rm(probe, { force: true });
  }
}

/**
 * Claims `dir` for this run: a second run aimed at the same --out while the first lives is refused, since the two
 * would overwrite each other's files. A lock left by a dead run is taken over. The claim goes with the run.
 */
export async function claimOutDir(dir: string, runId: string, flag = '--out'): Promise<() => Promise<void>> {
  const lock = join(dir, OUT_LOCK_FILE);
  const mine = thisProcess(runId);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lock, 'wx', 0o644);
      try {
        await handle.writeFile(JSON.stringify(mine) + '\n');
      } finally {
        await handle.close();
      }
      await sweepDeadTemporaries(dir);
      return onCleanup(`release ${flag} ${dir}`, () => rm(lock, { force: true }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new UsageError(`${flag} ${dir}: cannot write there (${errnoText(err)}); give a directory you can write to`);
    }
    let holder: Owner | null = null;
    try {
      holder = parseOwner(await readFile(lock, 'utf8'));
    } catch {
      // Removed meanwhile: try again.
    }
    if (holder !== null && isAlive(holder)) {
      throw new UsageError(
        `${flag} ${dir} is being written by another run (pid ${holder.pid}, run ${holder.runId}, started ${holder.startedAt}): give another ${flag}, or wait for it to finish`,
      );
    }
    // A lock without a live owner (kill -9, or cut short while it was written) is stale.
    await rm(lock, { force: true });
  }
  throw new UsageError(`${flag} ${dir}: could not claim it (${OUT_LOCK_FILE} keeps coming back); give another ${flag}`);
}

/** The temporary files (util/atomic.ts) a run killed while writing left behind: their pid is in the name. */
async function sweepDeadTemporaries(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^\..+\.(\d+)-[0-9a-f]{6}\.tmp$/.exec(name);
    if (m === null) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') await rm(join(dir, name), { force: true });
    }
  }
}

/**
 * Made, proven writable, and claimed: what `run` does with --out before it measures. The release also removes the
 * directory when this run made it and wrote nothing into it (a bad --data-dir refused next leaves no empty report directory).
 */
export async function prepareOutDir(dir: string, runId: string, flag = '--out'): Promise<() => Promise<void>> {
  const existed = await stat(dir).then(
    () => true,
    () => false,
  );
  await ensureOutDir(dir, flag);
  await checkWritable(dir, flag);
  const release = await claimOutDir(dir, runId, flag);
  return async () => {
    await release();
    // rmdir removes only an empty directory: a report written into it keeps it.
    if (!existed) await rmdir(dir).catch(() => undefined);
  };
}
