// The fdatasync p99 tiers on recorded runs: this machine's disk passes, the throttled one fails, and the warn tier sits between.
import { describe, expect, it } from 'vitest';
import { FDATASYNC_P99_FAIL_MS, FDATASYNC_P99_PASS_MS } from '../../../src/advisor/rules/disk-fdatasync-p99.js';
import { diskArtifacts, diskChecks } from './disk-artifacts.js';

describe('disk.fdatasync-p99', () => {
  it('passes the etcd profile on this machine (p99 well under 10 ms), from JSON and from text alike', () => {
    for (const fixture of ['etcd-fdatasync.json', 'etcd-fdatasync.txt', 'etcd-fdatasync.oneline.txt']) {
      const check = diskChecks(diskArtifacts(fixture)).get('disk.fdatasync-p99')!;
      expect(check.status).toBe('pass');
      expect(check.value).toBeLessThan(FDATASYNC_P99_PASS_MS);
    }
  });

  it('fails the throttled disk (fdatasync p99 around 200 ms)', () => {
    const check = diskChecks(diskArtifacts('slow-disk.txt')).get('disk.fdatasync-p99')!;
    expect(check.status).toBe('fail');
    expect(check.value).toBeGreaterThan(FDATASYNC_P99_FAIL_MS);
    expect(check.message).toMatch(/too slow for etcd's WAL/);
  });

  it('warns between 10 and 20 ms (a what-if value over a recorded run)', () => {
    const warn = diskChecks(diskArtifacts('etcd-fdatasync.json'), { fsyncP99Ms: 15 }).get('disk.fdatasync-p99')!;
    expect(warn.status).toBe('warn');
    expect(warn.message).toMatch(/expect slow commits and leader elections under load/);
    expect(diskChecks(diskArtifacts('etcd-fdatasync.json'), { fsyncP99Ms: FDATASYNC_P99_FAIL_MS }).get('disk.fdatasync-p99')!.status).toBe('warn');
    expect(diskChecks(diskArtifacts('etcd-fdatasync.json'), { fsyncP99Ms: FDATASYNC_P99_PASS_MS }).get('disk.fdatasync-p99')!.status).toBe('warn');
  });

  it('is not an error but absent when the run measured no fdatasync', () => {
    const checks = diskChecks(diskArtifacts('direct-8k-group.txt'));
    expect(checks.has('disk.fdatasync-p99')).toBe(false);
    expect([...checks.values()].some((c) => c.status === 'error')).toBe(false);
  });
});
