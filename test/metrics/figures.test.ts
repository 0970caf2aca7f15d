// Window figures from two real etcd 3.4 scrapes of one member before and after a load, checked against hand-worked buckets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbSizeBytes, histogramFigure, memberGauges, memberIdentity, memberWindowFigures } from '../../src/metrics/figures.js';
import { parseExposition } from '../../src/metrics/parse.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'metrics', 'etcd-3.4.23');
const scrape = (name: string, tMs: number) => ({ tMs, families: parseExposition(readFileSync(join(dir, name), 'utf8')) });
const before = scrape('m1-before.txt', 0);
const after = scrape('m1-after.txt', 36_000);

describe('memberWindowFigures on a real 3.4 member', () => {
  const f = memberWindowFigures([before, after]);

  it('takes the WAL fsync quantiles from the bucket deltas', () => {
    // Cumulative deltas (after - before): <=1ms 213, <=2ms 371, <=4ms 512, <=8ms 705, <=16ms 802, <=32ms 819, <=64ms 824 = count.
    // p99: rank 815.76 lies in (16, 32] ms holding 17: 16 + 16 * (815.76 - 802) / 17 = 28.9506 ms.
    // p50: rank 412 lies in (2, 4] ms holding 141: 2 + 2 * (412 - 371) / 141 = 2.5816 ms.
    expect(f.walFsync!.count).toBe(824);
    expect(f.walFsync!.p99Ms).toBeCloseTo(28.9506, 3);
    expect(f.walFsync!.p50Ms).toBeCloseTo(2.5816, 3);
    expect(f.walFsync!.meanMs).toBeCloseTo(((3.5050939720000014 - 0.006586072000000001) / 824) * 1000, 6);
    expect(f.walFsync!.p99AtLeast).toBe(false);
  });

  it('takes the backend commit quantiles the same way', () => {
    // Deltas: 5, 9, 11, 21, 35, 43, 46 (<=64ms) of 46. p99: rank 45.54 in (32, 64] holding 3: 32 + 32 * 2.54 / 3 = 59.093 ms.
    expect(f.backendCommit!.count).toBe(46);
    expect(f.backendCommit!.p99Ms).toBeCloseTo(59.0933, 3);
    expect(f.backendCommit!.p50Ms).toBeCloseTo(8 + (8 * 2) / 14, 3);
  });

  it("keeps peer RTT per peer and counts the window's rises", () => {
    expect(f.peerRtt.map((p) => p.toId).sort()).toEqual(['b09d022f259ed2ac', 'c91b97569d7377c9']);
    // etcd observes peer RTT every 30 s per round tripper: two more observations per peer in 36 s.
    expect(f.peerRtt.map((p) => p.count)).toEqual([2, 2]);
    expect(f.leaderChanges).toBe(0);
    expect(f.heartbeatSendFailures).toBe(0);
    expect(f.proposalsFailed).toBe(0);
    // 3.4 has no apply histogram and serves gRPC latencies only with --metrics=extensive.
    expect(f.apply).toBeNull();
    expect(f.requests).toBeNull();
    expect(f.seconds).toBe(36);
  });

  it('sums interval deltas: a window split in two gives the same figures', () => {
    const mid = { tMs: 18_000, families: after.families };
    expect(memberWindowFigures([before, mid, after]).walFsync).toEqual(f.walFsync);
  });

  it('counts a restart inside the window from zero instead of going negative', () => {
    const restarted = memberWindowFigures([after, before]);
    expect(restarted.walFsync!.count).toBe(7);
    // 1 -> 1 is no rise, and no restart either: a counter that did not fall is taken as it is.
    expect(restarted.leaderChanges).toBe(0);
  });
});

describe('gauges and identity', () => {
  it('reads the db size (either name), quota, RSS, fds and who the member is', () => {
    const g = memberGauges(after.families);
    expect(g.dbSizeBytes).toBeGreaterThan(0);
    expect(g.dbSizeBytes).toBe(dbSizeBytes(after.families));
    expect(g.dbSizeInUseBytes).toBeLessThanOrEqual(g.dbSizeBytes!);
    expect(g.quotaBytes).toBe(2 ** 31);
    expect(g.residentMemoryBytes).toBeGreaterThan(1e6);
    expect(g.openFds).toBeGreaterThan(5);
    expect(typeof g.isLeader).toBe('boolean');
    expect(g.hasLeader).toBe(true);
    expect(memberIdentity(after.families)).toEqual({ memberId: 'bf57a380c5b9fb12', version: '3.4.23' });
    const onlyOld = parseExposition('etcd_debugging_mvcc_db_total_size_in_bytes 4096\n');
    expect(dbSizeBytes(onlyOld)).toBe(4096);
  });
});

describe('histogramFigure', () => {
  it('says the p99 is a lower bound when it lies in +Inf', () => {
    const f = histogramFigure({
      labels: {},
      buckets: [
        { le: 0.5, count: 1 },
        { le: 1, count: 2 },
        { le: Infinity, count: 10 },
      ],
      count: 10,
      sum: 30,
    });
    expect(f).toMatchObject({ p99Ms: 1000, p99AtLeast: true, p50Ms: 1000, meanMs: 3000 });
  });

  it('has no quantiles without observations', () => {
    expect(
      histogramFigure({
        labels: {},
        buckets: [
          { le: 1, count: 0 },
          { le: Infinity, count: 0 },
        ],
        count: 0,
        sum: 0,
      }),
    ).toEqual({ count: 0, meanMs: null, p50Ms: null, p99Ms: null, p999Ms: null, p99AtLeast: false });
  });
});

describe('memberWindowFigures on a real 3.5 member', () => {
  const dir35 = join(import.meta.dirname, '..', 'fixtures', 'metrics', 'etcd-3.5.30');
  const at = (name: string, tMs: number) => ({ tMs, families: parseExposition(readFileSync(join(dir35, name), 'utf8')) });
  const [b, a] = [at('m1-before.txt', 0), at('m1-after.txt', 36_000)];

  it('adds the apply histogram over every op, and reads the db size under its 3.5 name', () => {
    const count = (e: typeof a) => e.families.get('etcd_server_apply_duration_seconds')!.histograms.reduce((n, h) => n + h.count, 0);
    const f = memberWindowFigures([b, a]);
    expect(f.apply!.count).toBe(count(a) - count(b));
    expect(f.apply!.count).toBeGreaterThan(1000);
    expect(f.apply!.p99Ms).toBeGreaterThan(0);
    expect(a.families.has('etcd_debugging_mvcc_db_total_size_in_bytes')).toBe(false);
    expect(memberGauges(a.families).dbSizeBytes).toBe(a.families.get('etcd_mvcc_db_total_size_in_bytes')!.samples[0]!.value);
  });
});
