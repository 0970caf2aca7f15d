// fdatasync p99.9 and max reported as stall risk, and the p99.9 feeding the election-timeout advice.
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import { FDATASYNC_STALL_WARN_MS } from '../../../src/advisor/rules/disk-fdatasync-tail.js';
import { diskArtifacts, diskChecks } from './disk-artifacts.js';

describe('disk.fdatasync-tail', () => {
  it('info on this machine: p99.9 and max named, both under two heartbeats', () => {
    const artifacts = diskArtifacts('etcd-fdatasync.json');
    const sync = artifacts.disk!.ok ? artifacts.disk!.data.fio.syncUs! : {};
    const check = diskChecks(artifacts).get('disk.fdatasync-tail')!;
    expect(check.status).toBe('info');
    expect(check.message).toContain(`p99.9 ${(sync['p99.9']! / 1000).toFixed(2)} ms`);
    expect(check.message).toContain(`max ${(sync.max! / 1000).toFixed(2)} ms`);
    expect(check.value).toBeLessThan(FDATASYNC_STALL_WARN_MS);
  });

  it('warns on the throttled disk: fdatasync of 200 ms and more', () => {
    const check = diskChecks(diskArtifacts('slow-disk.json')).get('disk.fdatasync-tail')!;
    expect(check.status).toBe('warn');
    expect(check.message).toMatch(/failed to send out heartbeat on time/);
    expect(check.value).toBeGreaterThanOrEqual(FDATASYNC_STALL_WARN_MS);
  });

  it('the p99.9 sizes --election-timeout (twice the stall) when RTT is known', () => {
    const result = advise(diskArtifacts('slow-disk.json'), { rttMs: 1 });
    const election = result.advice.flags.find((f) => f.flag === 'election-timeout')!;
    const p999 = result.inputs.fsyncP999Ms;
    expect('value' in p999 && p999.value).toBeGreaterThan(200);
    expect(Number(election.value)).toBeGreaterThanOrEqual(2 * ('value' in p999 ? p999.value : 0));
    expect(election.basis).toMatch(/fdatasync p99\.9/);
  });
});
