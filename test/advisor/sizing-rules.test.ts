// snapshot-count, quota-backend-bytes, auto-compaction, max-request-bytes and logger: version defaults, bounds from memory, disk and write rate, and their warnings.
import { describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import type { WhatIf } from '../../src/advisor/inputs.js';
import {
  ASSUMED_ENTRY_BYTES,
  FOLLOWER_CATCHUP_WINDOW_S,
  MAX_SNAPSHOT_COUNT,
  RAFT_LOG_MEMORY_SHARE,
  SNAPSHOT_CATCHUP_ENTRIES,
} from '../../src/advisor/rules/advice-snapshot-count.js';
import { MAX_SUGGESTED_QUOTA_BYTES } from '../../src/advisor/rules/advice-quota-backend-bytes.js';
import { HISTORY_QUOTA_SHARE, MIN_RETENTION_MINUTES } from '../../src/advisor/rules/advice-auto-compaction.js';
import { WARN_MAX_REQUEST_BYTES } from '../../src/advisor/rules/advice-max-request-bytes.js';
import { DEFAULT_QUOTA_BYTES } from '../../src/etcd/flags.js';
import { flagMap } from '../../src/model/advice.js';
import type { Artifacts } from '../../src/model/artifacts.js';
import { probeError } from '../../src/model/probe.js';

const GIB = 2 ** 30;
const MIB = 2 ** 20;
const NOTHING_MEASURED: Artifacts = { host: probeError('not measured in this test') };
const run = (whatIf: WhatIf) => advise(NOTHING_MEASURED, whatIf);
const flags = (whatIf: WhatIf) => flagMap(run(whatIf).advice);
const check = (whatIf: WhatIf, id: string) => run(whatIf).checks.find((c) => c.id === id)!;

describe('snapshot-count', () => {
  it.each([
    ['3.4', 100_000],
    ['3.5', 100_000],
    ['3.6', 10_000],
  ])("keeps etcd %s's default %i when memory and writes allow it", (etcdVersion, expected) => {
    expect(flags({ etcdVersion, memoryBytes: 16 * GIB })['snapshot-count']).toBe(expected);
  });

  it('lowers the count on a small machine so that the retained entries fit the memory share', () => {
    const memoryBytes = 1 * GIB;
    const value = Number(flags({ etcdVersion: '3.4', memoryBytes })['snapshot-count']);
    expect(value).toBeLessThan(100_000);
    expect((value + SNAPSHOT_CATCHUP_ENTRIES) * ASSUMED_ENTRY_BYTES).toBeLessThanOrEqual(memoryBytes * RAFT_LOG_MEMORY_SHARE);
    expect(value % 1000).toBe(0);
  });

  it("raises 3.6's 10000 when the write rate would outrun the follower catch-up window", () => {
    const value = Number(flags({ etcdVersion: '3.6', writeRate: 3000, memoryBytes: 16 * GIB })['snapshot-count']);
    expect(value).toBe(3000 * FOLLOWER_CATCHUP_WINDOW_S);
  });

  it('never goes above 100000, and warns when memory cannot hold what the write rate needs', () => {
    expect(flags({ etcdVersion: '3.6', writeRate: 50_000, memoryBytes: 64 * GIB })['snapshot-count']).toBe(MAX_SNAPSHOT_COUNT);
    const c = check({ etcdVersion: '3.4', writeRate: 5000, memoryBytes: 1 * GIB }, 'advice.snapshot-count');
    expect(c.status).toBe('warn');
    expect(c.message).toMatch(/Add memory/);
  });

  it('says a measured rate as a reader takes it, and a window with no writes without an infinite cover', () => {
    // An observation's rate is commits over seconds: 51.97087622395179/s was printed whole.
    const measured = check({ etcdVersion: '3.4', writeRate: 51.97087622395179, memoryBytes: 16 * GIB }, 'advice.snapshot-count');
    expect(measured.message).toContain('at 52/s');
    expect(check({ writeRate: 51.97087622395179 }, 'advice.auto-compaction').message).toContain('at 52 writes/s');
    const idle = check({ etcdVersion: '3.4', writeRate: 0, memoryBytes: 16 * GIB }, 'advice.snapshot-count');
    expect(idle.message).not.toMatch(/Infinity/);
    expect(idle.message).toContain('no writes seen');
  });
});

describe('quota-backend-bytes', () => {
  it('sets the 2 GiB default explicitly when nothing says otherwise', () => {
    expect(flags({})['quota-backend-bytes']).toBe(DEFAULT_QUOTA_BYTES);
  });

  it('gives a 3 GiB database twice its size, in whole GiB', () => {
    expect(flags({ dbSizeBytes: 3 * GIB, memoryBytes: 32 * GIB, diskFreeBytes: 500 * GIB })['quota-backend-bytes']).toBe(6 * GIB);
  });

  it('keeps the memory-mapped database within half the memory, and warns when the data needs more', () => {
    const r = run({ dbSizeBytes: 3 * GIB, memoryBytes: 8 * GIB });
    expect(flagMap(r.advice)['quota-backend-bytes']).toBe(4 * GIB);
    expect(r.checks.find((c) => c.id === 'advice.quota-backend-bytes')!.status).toBe('warn');
  });

  it('leaves room on the disk for a defrag copy', () => {
    expect(flags({ memoryBytes: 64 * GIB, diskFreeBytes: 3 * GIB })['quota-backend-bytes']).toBe(1 * GIB);
  });

  it('warns above the 8 GiB etcd suggests', () => {
    const r = run({ dbSizeBytes: 6 * GIB, memoryBytes: 64 * GIB, diskFreeBytes: 1000 * GIB });
    expect(Number(flagMap(r.advice)['quota-backend-bytes'])).toBeGreaterThan(MAX_SUGGESTED_QUOTA_BYTES);
    expect(r.checks.find((c) => c.id === 'advice.quota-backend-bytes')!.message).toMatch(/above the 8 GiB/);
  });
});

describe('auto-compaction', () => {
  it('turns compaction on (the default keeps every revision): periodic, one hour', () => {
    const f = flags({});
    expect(f['auto-compaction-mode']).toBe('periodic');
    expect(f['auto-compaction-retention']).toBe('1h');
  });

  it('shortens the retention so that the history of a busy cluster stays within a quarter of the quota', () => {
    const writeRate = 1000;
    const retention = String(flags({ writeRate })['auto-compaction-retention']);
    expect(retention).toMatch(/^\d+m$/);
    const minutes = Number(retention.slice(0, -1));
    expect(minutes).toBeGreaterThanOrEqual(MIN_RETENTION_MINUTES);
    expect(writeRate * ASSUMED_ENTRY_BYTES * minutes * 60).toBeLessThanOrEqual(DEFAULT_QUOTA_BYTES * HISTORY_QUOTA_SHARE);
  });

  it('warns when even five minutes of history overflow the quota', () => {
    expect(check({ writeRate: 20_000 }, 'advice.auto-compaction').status).toBe('warn');
  });
});

describe('max-request-bytes', () => {
  it('keeps the 1.5 MiB default unless larger requests are expected', () => {
    expect(flags({})['max-request-bytes']).toBe(1_572_864);
    expect(flags({ largestRequestBytes: 1 * MIB })['max-request-bytes']).toBe(1_572_864);
  });

  it('raises it to take the largest request, in whole MiB', () => {
    expect(flags({ largestRequestBytes: 4 * MIB })['max-request-bytes']).toBe(5 * MIB);
  });

  it('warns above 10 MiB and near the quota', () => {
    const big = check({ largestRequestBytes: 20 * MIB }, 'advice.max-request-bytes');
    expect(big.status).toBe('warn');
    expect(big.message).toContain(`above the ${WARN_MAX_REQUEST_BYTES / MIB} MiB`);
    const nearQuota = check({ largestRequestBytes: 6 * MIB, diskFreeBytes: 128 * MIB }, 'advice.max-request-bytes');
    expect(nearQuota.status).toBe('warn');
    expect(nearQuota.message).toMatch(/of the .* quota/);
  });
});

describe('logger and version differences', () => {
  it('recommends zap on 3.4, where capnslog is the deprecated default, and nothing on 3.5+', () => {
    expect(flags({ etcdVersion: '3.4' }).logger).toBe('zap');
    expect(flags({ etcdVersion: '3.5' }).logger).toBeUndefined();
    expect(check({ etcdVersion: '3.6' }, 'advice.logger').message).toMatch(/--enable-v2/);
  });

  it('reads a full version and advises for the nearest catalogue entry', () => {
    expect(run({ etcdVersion: 'v3.5.17' }).advice.etcdVersion).toBe('3.5');
    const r = run({ etcdVersion: '3.7.0' });
    expect(r.advice.etcdVersion).toBe('3.6');
    expect(r.inputs.etcdVersion.basis).toMatch(/nearest/);
  });
});

describe('member count', () => {
  it.each([
    [1, 'warn', /tolerates no failure/],
    [3, 'pass', /tolerate 1 failed member/],
    [4, 'warn', /no more than 3 would/],
    [5, 'pass', /tolerate 2 failed members/],
    [9, 'warn', /no more than 7/],
  ])('%i members -> %s', (members, status, message) => {
    const c = check({ members }, 'advice.members');
    expect(c.status).toBe(status);
    expect(c.message).toMatch(message);
  });

  it('says nothing when the member count is unknown', () => {
    expect(run({}).checks.find((c) => c.id === 'advice.members')).toBeUndefined();
  });
});
