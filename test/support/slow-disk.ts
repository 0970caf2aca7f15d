// Throttles one process's writes to a block device with a cgroup (v2 io.max where the io controller is on, else v1 blkio): a slow disk for one etcd member.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface Throttle {
  /** Moves the process back to the root group and removes the throttled group. */
  remove(): Promise<void>;
}

const V2_ROOTS = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'];
const V1_BLKIO = '/sys/fs/cgroup/blkio';

/** "254:0": the device holding `path`, as cgroups name it. */
export async function deviceOf(path: string): Promise<string> {
  const { stdout } = await execa('findmnt', ['-no', 'MAJ:MIN', '-T', path]);
  // A partition's writes are throttled on the whole disk in v2; findmnt gives the partition, which v1 takes as is.
  return stdout.trim();
}

async function v2Root(): Promise<string | null> {
  for (const root of V2_ROOTS) {
    const controllers = await readFile(join(root, 'cgroup.controllers'), 'utf8').catch(() => '');
    if (controllers.split(/\s+/).includes('io')) return root;
  }
  return null;
}

/** Whether this machine can throttle a process's disk writes at all (root, and a cgroup io or blkio controller). */
export async function canThrottle(): Promise<boolean> {
  return (await v2Root()) !== null || existsSync(join(V1_BLKIO, 'blkio.throttle.write_iops_device'));
}

/** Caps `pid`'s writes to the device under `path` at `writeIops` per second. */
export async function throttleWrites(pid: number, path: string, writeIops: number): Promise<Throttle> {
  const device = await deviceOf(path);
  const name = `etcd-advisor-slow-${process.pid}-${pid}`;
  const v2 = await v2Root();
  if (v2 !== null) {
    const group = join(v2, name);
    await mkdir(group);
    await writeFile(join(v2, 'cgroup.subtree_control'), '+io').catch(() => undefined);
    await writeFile(join(group, 'io.max'), `${device} wiops=${writeIops}`);
    await writeFile(join(group, 'cgroup.procs'), String(pid));
    return { remove: () => release(v2, group, pid) };
  }
  const group = join(V1_BLKIO, name);
  await mkdir(group);
  await writeFile(join(group, 'blkio.throttle.write_iops_device'), `${device} ${writeIops}`);
  await writeFile(join(group, 'cgroup.procs'), String(pid));
  return { remove: () => release(V1_BLKIO, group, pid) };
}

async function release(root: string, group: string, pid: number): Promise<void> {
  // The process may have exited already; a group with no process left can go.
  await writeFile(join(root, 'cgroup.procs'), String(pid)).catch(() => undefined);
  await rmdir(group).catch(() => undefined);
}
