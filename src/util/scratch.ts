// The scratch directory a run writes in (fio's files, the throwaway etcd's data), on the disk under test; it always goes at the end.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkTestDir } from '../probes/disk.js';
import { onCleanup } from './cleanup.js';

export interface ScratchDir {
  path: string;
  /** Removes the directory now (once); also registered to run on Ctrl-C, SIGTERM and errors. */
  remove: () => Promise<void>;
}

/** A new directory under --data-dir when given (refused if it is not a directory), else under ./reports/.scratch/. */
export async function createScratchDir(dataDir: string | undefined, runId: string): Promise<ScratchDir> {
  let path: string;
  if (dataDir !== undefined) {
    await checkTestDir(dataDir, '--data-dir');
    path = join(resolve(dataDir), `etcd-advisor-${runId}`);
  } else {
    path = resolve('reports', '.scratch', runId);
  }
  await mkdir(path, { recursive: true, mode: 0o700 });
  const remove = onCleanup('remove scratch directory', () => rm(path, { recursive: true, force: true }));
  return { path, remove };
}
