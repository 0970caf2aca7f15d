// The phase engine on a real etcd: open model holds its rate and counts latency from the intended send time, closed model stops at its total, the client's limits are named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3 } from 'etcd3';
import { createEtcd3Client } from '../../src/etcd/client.js';
import { openDrivers, type KvDriver } from '../../src/load/driver.js';
import { KeyMaker, prefixRangeEnd, runPhase } from '../../src/load/engine.js';
import { validateScenario, type LoadPhaseSpec } from '../../src/load/scenario.js';
import { clientLimitedReason, judgeLoadPhase } from '../../src/advisor/load-phase.js';
import { startTestEtcd } from './real-etcd.js';

function phase(spec: Record<string, unknown>): LoadPhaseSpec {
  return validateScenario({ phases: [{ name: 'p', keySize: 48, valueSize: 128, keySpace: 200, ...spec }] }, 'test', 'test').phases[0]!;
}

describe('runPhase', () => {
  let etcd: Awaited<ReturnType<typeof startTestEtcd>>;
  let drivers: KvDriver[];
  let admin: Etcd3;
  beforeAll(async () => {
    etcd = await startTestEtcd(['--max-request-bytes', '4096']);
    drivers = await openDrivers('lean', { endpoints: [etcd.clientUrl] }, 2);
    admin = await createEtcd3Client({ endpoints: [etcd.clientUrl] });
  });
  afterAll(async () => {
    for (const d of drivers ?? []) d.close();
    admin?.close();
    await etcd?.cleanup();
  });

  it('open model: holds a modest rate, reports it per second, and carries the thresholds as written for the advisor to judge', async () => {
    const spec = phase({
      model: 'open',
      rate: 200,
      clients: 10,
      duration: '2s',
      ops: { put: 1, get: 1 },
      thresholds: ['rate >= 0.9 * target', 'errors == 0', 'p99 < 1ms'],
    });
    const r = await runPhase({ drivers, spec, prefix: '/engine/open/' });
    expect(r.model).toBe('open');
    expect(r.latencyFromIntendedStart).toBe(true);
    expect(r.ratePerSec).toBeGreaterThan(170);
    expect(r.ratePerSec).toBeLessThan(230);
    expect(r.rateSeries.length).toBeGreaterThanOrEqual(2);
    expect(r.rateSeries[0]).toBeGreaterThan(150);
    expect(Object.keys(r.latencyByOpUs).sort()).toEqual(['get', 'put']);
    expect(r.thresholds).toEqual(['rate >= 0.9 * target', 'errors == 0', 'p99 < 1ms']);
    const judged = judgeLoadPhase(r);
    expect(judged.thresholds.slice(0, 2).map((t) => t.ok)).toEqual([true, true]);
    // A sub-millisecond p99 on a shared machine is not expected; the point is that a failing threshold says so with the value.
    expect(judged.thresholds[2]!.actual).toMatch(/^p99 = \d+\.\d\dms$/);
    expect(judged.clientLimitedReason).toBeNull();
  });

  it('open model: a request waiting for a busy client counts its wait (coordinated omission), and the client is not blamed', async () => {
    // One client cannot send 5000 puts a second; every late request carries its queueing time.
    const spec = phase({ model: 'open', rate: 5000, clients: 1, duration: '1500ms', ops: { put: 1 } });
    const r = await runPhase({ drivers, spec, prefix: '/engine/co/' });
    expect(r.ratePerSec).toBeLessThan(0.9 * 5000);
    expect(r.latencyUs.p99!).toBeGreaterThan(200_000);
    expect(r.latencyUs.p50!).toBeGreaterThan(50_000);
    // Every client was busy while late: etcd's latency, not the sender, held the requests back.
    expect(r.backlogTicks!).toBeGreaterThan(0);
    expect(clientLimitedReason(r)).toBeNull();
  });

  it('a saturated load generator is named as the limit, not etcd', async () => {
    // Another job on the client's thread takes nearly all of its event loop, as a starved or overloaded client would.
    const hog = setInterval(() => {
      const until = Date.now() + 98;
      while (Date.now() < until);
    }, 100);
    const spec = phase({ model: 'open', rate: 2000, clients: 50, duration: '1500ms', ops: { get: 1 } });
    const r = await runPhase({ drivers, spec, prefix: '/engine/hog/' }).finally(() => clearInterval(hog));
    expect(r.eventLoopUtilization).toBeGreaterThanOrEqual(0.9);
    expect(clientLimitedReason(r)).toMatch(/load generator's CPU was saturated/);
  });

  it('closed model: stops at its total, writes only under the prefix, counts errors by kind', async () => {
    const prefix = '/engine/closed/';
    const spec = phase({ clients: 8, total: 400, keySpace: 50, ops: { put: 3, 'get-serializable': 1, range: { weight: 1, limit: 10 }, txn: 1, delete: 1 } });
    const r = await runPhase({ drivers, spec, prefix });
    expect(r.requests + r.errors).toBe(400);
    expect(r.errors).toBe(0);
    expect(r.latencyFromIntendedStart).toBe(false);
    const keys = await admin.getAll().prefix('/').keys();
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.every((k) => k.startsWith('/engine/'))).toBe(true);
    const mine = keys.filter((k) => k.startsWith(prefix));
    expect(mine.every((k) => k.length === 48 && /^\/engine\/closed\/k[0-9a-z]{2}x+$/.test(k))).toBe(true);
    expect(mine.length).toBeLessThanOrEqual(50);

    const big = phase({ clients: 2, total: 20, valueSize: '8KiB', ops: { put: 1 } });
    const failed = await runPhase({ drivers, spec: big, prefix });
    expect(failed.errors).toBe(20);
    expect(failed.errorsByKind).toEqual({ 'request-too-large': 20 });
    expect(failed.errorSamples?.['request-too-large']).toMatch(/request is too large/);
  });

  it('makes keys of the asked size under the prefix, and the prefix range end after all of them', () => {
    const keys = new KeyMaker('/p/', 16, 1000);
    expect(keys.key(0).toString()).toBe('/p/k00xxxxxxxxxx');
    expect(keys.key(999).toString()).toBe('/p/krrxxxxxxxxxx');
    expect(prefixRangeEnd('/p/').toString()).toBe('/p0');
    expect(Buffer.compare(keys.key(999), prefixRangeEnd('/p/'))).toBe(-1);
  });

  it('tells its own keys from other keys under the prefix, padding included', () => {
    const keys = new KeyMaker('/p/', 16, 1000);
    for (const i of [0, 33, 999]) expect(keys.makes(keys.key(i))).toBe(true);
    // Index 1000 is past the key space; the others are another client's names.
    for (const k of ['/p/ks8xxxxxxxxxx', '/p/k00', '/p/k00xxxxxxxxxxy', '/p/operator', '/p/kZZxxxxxxxxxx', '/q/k00xxxxxxxxxx'])
      expect(keys.makes(Buffer.from(k))).toBe(false);
  });
});
