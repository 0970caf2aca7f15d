// The directory a command writes its files into: made when missing, refused with a usage error when it cannot be one.
import { mkdir } from 'node:fs/promises';
import { UsageError } from '../model/errors.js';

/**
 * Creates `dir` (and its parents) or says in one line why it cannot be: `run` calls it before measuring, so that a
 * bad --out is refused up front instead of after minutes of measurements have nowhere to go.
 */
export async function ensureOutDir(dir: string, flag = '--out'): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`${flag} ${dir}: a file is in the way; give a directory`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UsageError(`${flag} ${dir}: cannot write there (${code}); give a directory you can write to`);
    throw err;
  }
}
