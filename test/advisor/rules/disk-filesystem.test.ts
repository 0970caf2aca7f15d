// The filesystem of the tested directory: tmpfs and overlay figures do not describe a real etcd disk.
import { describe, expect, it } from 'vitest';
import { filesystemOf, NOT_A_REAL_DISK } from '../../../src/probes/filesystem.js';
import { diskArtifacts, diskChecks } from './disk-artifacts.js';

// The checkout's own filesystem: a real disk here; in a container it may be overlay, which the tmpfs test covers.
const checkoutFs = await filesystemOf(import.meta.dirname);

describe('disk.filesystem', () => {
  it('warns on tmpfs (/dev/shm here)', async () => {
    const fs = await filesystemOf('/dev/shm');
    const check = diskChecks(diskArtifacts('etcd-fdatasync.json', fs)).get('disk.filesystem')!;
    expect(check.status).toBe('warn');
    expect(check.message).toMatch(/do not describe a real etcd disk/);
  });

  it.skipIf(checkoutFs === null || NOT_A_REAL_DISK.has(checkoutFs.type))('informs on the filesystem of a real disk', () => {
    const fs = checkoutFs;
    const check = diskChecks(diskArtifacts('etcd-fdatasync.json', fs)).get('disk.filesystem')!;
    expect(check.status).toBe('info');
    expect(check.message).toContain(fs!.type);
  });

  it('says nothing for a pasted output, whose filesystem is unknown', () => {
    expect(diskChecks(diskArtifacts('etcd-fdatasync.json', null)).has('disk.filesystem')).toBe(false);
  });
});
