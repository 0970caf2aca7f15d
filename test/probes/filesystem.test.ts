// Which filesystem holds a directory, checked against findmnt on this machine's real mounts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { filesystemOf, NOT_A_REAL_DISK, parseMountInfo } from '../../src/probes/filesystem.js';

async function findmnt(dir: string): Promise<{ target: string; fstype: string }> {
  const { stdout } = await execa('findmnt', ['-J', '-o', 'TARGET,FSTYPE', '-T', dir]);
  return (JSON.parse(stdout) as { filesystems: { target: string; fstype: string }[] }).filesystems[0]!;
}

describe('filesystemOf', () => {
  it('agrees with findmnt for a scratch directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ea3-fs-'));
    try {
      const fs = await filesystemOf(dir);
      const expected = await findmnt(dir);
      expect(fs?.type).toBe(expected.fstype);
      expect(fs?.mountPoint).toBe(expected.target);
      expect(fs!.freeBytes).toBeGreaterThan(0);
      expect(fs!.totalBytes).toBeGreaterThanOrEqual(fs!.freeBytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('/dev/shm is a memory filesystem, not a real etcd disk', async () => {
    const fs = await filesystemOf('/dev/shm');
    expect(fs?.type).toBe((await findmnt('/dev/shm')).fstype);
    expect(NOT_A_REAL_DISK.has(fs!.type)).toBe(true);
  });

  it('/dev (devtmpfs, in RAM) is flagged like tmpfs', async () => {
    const fs = await filesystemOf('/dev');
    expect(fs?.type).toBe((await findmnt('/dev')).fstype);
    expect(NOT_A_REAL_DISK.has(fs!.type)).toBe(true);
  });

  it('a path that does not exist gives null, not a throw', async () => {
    expect(await filesystemOf('/no/such/dir/ea3')).toBeNull();
  });
});

describe('parseMountInfo', () => {
  it('unescapes octal in mount points and merges mount and super options', () => {
    const [entry] = parseMountInfo('36 35 98:0 / /mnt/with\\040space rw,noatime master:1 - ext4 /dev/vdb1 rw,errors=continue\n');
    expect(entry).toEqual({ mountPoint: '/mnt/with space', type: 'ext4', device: '/dev/vdb1', options: ['rw', 'noatime', 'errors=continue'] });
  });
});
