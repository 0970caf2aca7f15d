// Sequential write IOPS of the etcd profile against the hardware guide's 50 and 500, on recorded runs.
import { describe, expect, it } from 'vitest';
import { HEAVY_LOAD_SEQUENTIAL_IOPS, MIN_SEQUENTIAL_IOPS } from '../../../src/advisor/rules/disk-write-iops.js';
import { diskArtifacts, diskChecks } from './disk-artifacts.js';

describe('disk.write-iops', () => {
  it('passes this machine (thousands of fdatasync writes a second)', () => {
    const check = diskChecks(diskArtifacts('etcd-fdatasync.txt')).get('disk.write-iops')!;
    expect(check.status).toBe('pass');
    expect(check.value).toBeGreaterThanOrEqual(HEAVY_LOAD_SEQUENTIAL_IOPS);
  });

  it('fails the throttled disk (a few writes a second)', () => {
    const check = diskChecks(diskArtifacts('slow-disk.txt')).get('disk.write-iops')!;
    expect(check.status).toBe('fail');
    expect(check.value).toBeLessThan(MIN_SEQUENTIAL_IOPS);
  });

  it('adds up the jobs of a run without group_reporting', () => {
    const artifacts = diskArtifacts('multijob.json');
    const check = diskChecks(artifacts).get('disk.write-iops')!;
    expect(check.value).toBe(Math.round(artifacts.disk!.ok ? artifacts.disk!.data.fio.writeIops : -1));
  });
});
