// Writes a file so that a reader sees the old one or the whole new one, never a half-written or 0-byte file (a signal, a full disk).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temporary name a file is written under, in its own directory so that the rename stays on one filesystem. */
export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = temporaryNameFor(path);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      // The data is on disk before the name points at it: a crash after the rename leaves the whole file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
