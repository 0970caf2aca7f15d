// Small tmpfs mounts for the fault tests (a full disk, a read-only one); each is unmounted by the test that made it, also when it fails.
import { mkdir } from 'node:fs/promises';
import { execa } from 'execa';

/** Mounts a tmpfs of `size` (e.g. "64k") on `dir`, read-only when asked; returns the unmount. Needs root, as the suite runs. */
export async function mountTmpfs(dir: string, size: string, options: { readOnly?: boolean } = {}): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${size}${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir]);
  let mounted = true;
  return async () => {
    if (!mounted) return;
    mounted = false;
    // Lazy: a process the test could not stop must not leave the mount behind.
    await execa('umount', ['-l', dir], { reject: false });
  };
}

/** Fills the filesystem holding `dir` to the last byte, with one file named `name`. */
export async function fill(dir: string, name = 'filler'): Promise<void> {
  await execa('dd', ['if=/dev/zero', `of=${dir}/${name}`, 'bs=4k'], { reject: false });
}
