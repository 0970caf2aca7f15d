// Which filesystem holds a directory (type, device, mount options, free space): figures from tmpfs or overlay do not describe a real etcd disk.
import { readFile, realpath, statfs } from 'node:fs/promises';
import type { FilesystemInfo } from '../model/artifacts.js';

interface MountEntry {
  mountPoint: string;
  type: string;
  device: string;
  options: string[];
}

/** /proc/self/mountinfo escapes spaces and other bytes in paths as \ooo octal. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const fields = left.split(' ');
    const [type, device, superOptions] = right.split(' ');
    const mountPoint = fields[4];
    if (mountPoint === undefined || type === undefined) continue;
    const options = [...(fields[5] ?? '').split(','), ...(superOptions ?? '').split(',')].filter((o) => o !== '');
    entries.push({ mountPoint: unescapeMountPath(mountPoint), type, device: device ?? '', options: [...new Set(options)] });
  }
  return entries;
}

function isUnder(path: string, mountPoint: string): boolean {
  return mountPoint === '/' || path === mountPoint || path.startsWith(mountPoint + '/');
}

export async function filesystemOf(dir: string): Promise<FilesystemInfo | null> {
  try {
    const path = await realpath(dir);
    const mounts = parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
    // The last, longest match is the mount that is visible at this path.
    let best: MountEntry | undefined;
    for (const m of mounts) {
      if (isUnder(path, m.mountPoint) && (best === undefined || m.mountPoint.length >= best.mountPoint.length)) best = m;
    }
    const fs = await statfs(path);
    return {
      path,
      mountPoint: best?.mountPoint ?? '/',
      type: best?.type ?? 'unknown',
      device: best?.device ?? 'unknown',
      options: best?.options ?? [],
      freeBytes: fs.bavail * fs.bsize,
      totalBytes: fs.blocks * fs.bsize,
    };
  } catch {
    return null;
  }
}

/** Filesystems whose timings say nothing about the disk etcd would use. */
export const NOT_A_REAL_DISK = new Set([
  // memory
  'tmpfs',
  // /dev: device nodes in RAM
  'devtmpfs',
  'ramfs',
  // a container's copy-on-write layers
  'overlay',
  'aufs',
  // network and shared filesystems
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'fuse.sshfs',
  '9p',
  'virtiofs',
  'fuse.glusterfs',
  'glusterfs',
  'ceph',
  'fuse.ceph-fuse',
  'lustre',
  'gpfs',
  'beegfs',
  'afs',
  'fuse.s3fs',
  'fuse.rclone',
]);
