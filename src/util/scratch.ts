// The scratch directory a run writes in (fio's files, the throwaway etcd's data), on the disk under test; it always goes at the end, and a dead run's is swept.
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { checkTestDir } from '../probes/disk.js';
import { writeFileAtomic } from './atomic.js';
import { onCleanup } from './cleanup.js';
import { UsageError } from '../model/errors.js';
import { isAlive, parseOwner, thisProcess } from './owner.js';
import { errnoText, isPlaceError, makeDirectory } from './out-dir.js';

/** The file in a scratch directory naming the run that owns it, so that a later run can tell a dead run's leftovers. */
export const OWNER_FILE = 'owner.json';
/** Scratch directories under --data-dir are named so; under ./reports/.scratch/ every entry is one. */
const DATA_DIR_PREFIX = 'etcd-advisor-';

export interface ScratchDir {
  path: string;
  /** Scratch directories of dead runs that were removed on the way in. */
  swept: string[];
  /** Removes the directory now (once); also registered to run on Ctrl-C, SIGTERM and errors. */
  remove: () => Promise<void>;
}

/**
 * Removes the scratch directories under `root` whose owner is dead (a run killed with kill -9, a power cut).
 * A directory without an owner file is left alone: it may be an operator's, or a run still starting.
 */
export async function sweepDeadScratch(root: string, namePrefix = ''): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const name of entries) {
    if (!name.startsWith(namePrefix)) continue;
    const dir = join(root, name);
    let owner;
    try {
      owner = parseOwner(await readFile(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (owner === null || isAlive(owner)) continue;
    await rm(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}

/** A new directory under --data-dir when given (refused if it is not a directory), else under ./reports/.scratch/. */
export async function createScratchDir(dataDir: string | undefined, runId: string): Promise<ScratchDir> {
  let path: string;
  let prefix = '';
  if (dataDir !== undefined) {
    await checkTestDir(dataDir, '--data-dir');
    path = join(resolve(dataDir), `${DATA_DIR_PREFIX}${runId}`);
    prefix = DATA_DIR_PREFIX;
  } else {
    path = resolve('reports', '.scratch', runId);
  }
  const swept = await sweepDeadScratch(dirname(path), prefix);
  const flag = dataDir !== undefined ? `--data-dir ${dataDir}` : `--data-dir (default ${dirname(path)})`;
  try {
    await makeDirectory(path, 0o700);
  } catch (err) {
    if (isPlaceError(err))
      throw new UsageError(`${flag}: cannot write there (${errnoText(err)}); give a directory this user can write on the disk etcd will use`);
    throw err;
  }
  const remove = onCleanup('remove scratch directory', () => rm(path, { recursive: true, force: true }));
  try {
    await writeFileAtomic(join(path, OWNER_FILE), JSON.stringify(thisProcess(runId)) + '\n');
  } catch (err) {
    await remove();
    if (isPlaceError(err))
      throw new UsageError(`${flag}: cannot write there (${errnoText(err)}); give a directory this user can write on the disk etcd will use`);
    throw err;
  }
  return { path, swept, remove };
}
