// A fio run without fsync/fdatasync: the advisor says it did not measure what etcd needs and judges nothing from clat or IOPS.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verdictOf } from '../../../src/model/check.js';
import { probeError, probeOk } from '../../../src/model/probe.js';
import { parseFioOutput } from '../../../src/parsers/fio.js';
import { diskArtifacts, diskChecks } from './disk-artifacts.js';

describe('disk.sync-measured', () => {
  for (const fixture of ['direct-8k-group.json', 'direct-8k-group.txt', 'buffered-4k.json']) {
    it(`${fixture}: one warning, no verdict from clat or IOPS`, () => {
      const checks = diskChecks(diskArtifacts(fixture));
      const check = checks.get('disk.sync-measured')!;
      expect(check.status).toBe('warn');
      expect(check.message).toMatch(/did not measure what etcd needs/);
      expect(check.message).toMatch(/clat p99 .* is not judged/);
      expect(checks.has('disk.fdatasync-p99')).toBe(false);
      expect(checks.has('disk.fdatasync-tail')).toBe(false);
      expect(checks.has('disk.write-iops')).toBe(false);
      expect(verdictOf([...checks.values()])).toBe('qualified');
    });
  }

  it('fdatasync timed but without percentiles (fio before 3.5): says the p99 cannot be judged', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'fio', 'etcd-fdatasync.txt'), 'utf8');
    // The recorded run with its "sync percentiles" block taken out, as older fio printed it.
    const withoutPercentiles = text.replace(/ {4}sync percentiles \(usec\):\n(?: {5}\|.*\n)+/, '');
    expect(withoutPercentiles).not.toContain('sync percentiles');
    const fio = parseFioOutput(withoutPercentiles);
    const checks = diskChecks({ host: probeError('not measured'), disk: probeOk({ dir: 'x', profile: 'old fio', command: [], filesystem: null, fio }) });
    expect(checks.get('disk.sync-measured')?.status).toBe('warn');
    expect(checks.get('disk.sync-measured')?.message).toMatch(/no percentiles .*cannot be judged/);
    expect(checks.has('disk.fdatasync-p99')).toBe(false);
  });

  it('says nothing when the run did measure fdatasync (fsync=1 counts)', () => {
    expect(diskChecks(diskArtifacts('etcd-fsync.json')).has('disk.sync-measured')).toBe(false);
    expect(diskChecks(diskArtifacts('time-based.txt')).has('disk.sync-measured')).toBe(false);
  });
});
