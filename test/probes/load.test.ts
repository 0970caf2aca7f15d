// The load probe's safety on a real etcd: an occupied prefix is refused, exactly the prefix is deleted, an endpoint that dies ends the phase with a partial result, the database growth cap stops a phase.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Etcd3 } from 'etcd3';
import { createEtcd3Client } from '../../src/etcd/client.js';
import { validateScenario } from '../../src/load/scenario.js';
import { loadFootprint, runLoadProbe } from '../../src/probes/load.js';
import { startTestEtcd } from '../load/real-etcd.js';

const scenario = (phase: Record<string, unknown>, name = 'test') =>
  validateScenario({ name, phases: [{ name: 'p', clients: 8, keySize: 64, valueSize: 256, keySpace: 300, ops: { put: 3, get: 1 }, ...phase }] }, 'test', name);

describe('runLoadProbe', () => {
  let etcd: Awaited<ReturnType<typeof startTestEtcd>>;
  let admin: Etcd3;
  beforeAll(async () => {
    etcd = await startTestEtcd();
    admin = await createEtcd3Client({ endpoints: [etcd.clientUrl] });
  });
  afterAll(async () => {
    admin?.close();
    await etcd?.cleanup();
  });

  it('refuses a prefix that holds keys, and leaves them alone', async () => {
    await admin.put('/taken/precious').value('keep me');
    const r = await runLoadProbe({ connection: { endpoints: [etcd.clientUrl] }, scenario: scenario({ total: 50 }), prefix: '/taken/', embedded: false });
    expect(r).toMatchObject({ ok: false, kind: 'bad-input' });
    expect(!r.ok && r.error).toMatch(/the prefix \/taken\/ already holds 1 keys/);
    expect(await admin.get('/taken/precious').string()).toBe('keep me');
  });

  it('deletes exactly the keys under its prefix at the end, with both clients', async () => {
    await admin.put('/etcd-advisor/run-a-sibling').value('outside');
    await admin.put('/etcd-advisor/run-a').value('outside too');
    for (const client of ['lean', 'etcd3'] as const) {
      let footprint = '';
      const r = await runLoadProbe({
        connection: { endpoints: [etcd.clientUrl] },
        scenario: scenario({ total: 300 }),
        prefix: '/etcd-advisor/run-a/',
        embedded: false,
        client,
        onFootprint: (f) => (footprint = f.text),
      });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.data.client).toBe(client);
      expect(r.data.phases[0]!.requests).toBe(300);
      expect(r.data.deletedKeys).toBeGreaterThan(0);
      expect(footprint).toMatch(/up to 300 keys .* under \/etcd-advisor\/run-a\//);
      expect(await admin.getAll().prefix('/etcd-advisor/run-a/').count()).toBe(0);
    }
    expect(await admin.getAll().prefix('/etcd-advisor/').strings()).toEqual({ '/etcd-advisor/run-a': 'outside too', '/etcd-advisor/run-a-sibling': 'outside' });
  });

  it('deletes only the keys it wrote: a key another client put under the prefix during the run survives', async () => {
    const prefix = '/etcd-advisor/run-b/';
    // Written by "another client" once the prefix passed the emptiness check, while the load runs; the last two look like the load's keys but are not among them.
    const foreign = [`${prefix}operator`, `${prefix}k`, `${prefix}kzzz`, `${prefix}k0${'y'.repeat(100)}`];
    let writes: Promise<unknown> = Promise.resolve();
    const r = await runLoadProbe({
      connection: { endpoints: [etcd.clientUrl] },
      scenario: scenario({ duration: '2s', keySpace: 300 }),
      prefix,
      embedded: false,
      onFootprint: () => {
        writes = new Promise((resolve) => setTimeout(resolve, 500)).then(() => Promise.all(foreign.map((k) => admin.put(k).value('theirs'))));
      },
    });
    await writes;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.phases[0]!.requests).toBeGreaterThan(100);
    expect(r.data.deletedKeys).toBeGreaterThan(0);
    expect(r.data.deletedKeys).toBeLessThanOrEqual(300);
    expect(Object.keys(await admin.getAll().prefix(prefix).strings()).sort()).toEqual([...foreign].sort());
    await admin.delete().prefix(prefix);
  });

  it('stops a phase when the database grows past the cap', async () => {
    const r = await runLoadProbe({
      connection: { endpoints: [etcd.clientUrl] },
      scenario: scenario({ duration: '30s', valueSize: '4KiB', keySpace: 100_000, ops: { put: 1 } }),
      prefix: '/growth/',
      embedded: false,
      maxDbGrowthBytes: 2 * 2 ** 20,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = r.data.phases[0]!;
    expect(p.stoppedEarly).toMatch(/the database grew by .* over --max-db-growth 2 MiB/);
    expect(p.durationSec).toBeLessThan(15);
    expect(r.data.dbGrowthBytes).toBeGreaterThan(2 * 2 ** 20);
    expect(await admin.getAll().prefix('/growth/').count()).toBe(0);
  });

  it('ends the phase within seconds with a partial result when its endpoint goes away', async () => {
    const doomed = await startTestEtcd();
    setTimeout(() => void doomed.cleanup(), 1500);
    const t0 = Date.now();
    const r = await runLoadProbe({
      connection: { endpoints: [doomed.clientUrl], callTimeoutMs: 2_000 },
      scenario: validateScenario(
        {
          phases: [
            { name: 'one', clients: 8, duration: '60s', keySize: 64, valueSize: 256 },
            { name: 'two', clients: 8, duration: '60s' },
          ],
        },
        't',
        't',
      ),
      prefix: '/doomed/',
      embedded: false,
    });
    const tookSec = (Date.now() - t0) / 1000;
    expect(tookSec).toBeLessThan(15);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.phases).toHaveLength(1);
    const p = r.data.phases[0]!;
    expect(p.requests).toBeGreaterThan(0);
    expect(p.errors).toBeGreaterThan(0);
    expect(p.errorsByKind.unavailable).toBeGreaterThan(0);
    expect(p.stoppedEarly).toMatch(/no request succeeded for \d+ s/);
    expect(r.data.cleanupError).toMatch(/could not delete the keys the load wrote under \/doomed\//);
  });

  it('describes its footprint from the scenario', () => {
    const f = loadFootprint(scenario({ duration: '10s', keySpace: 1000, keySize: 100, valueSize: '1KiB-2KiB' }), '/x/', 256 * 2 ** 20);
    expect(f).toMatchObject({ maxKeys: 1000, maxLiveBytes: 1000 * (100 + 2048), durationSec: 10 });
    expect(f.text).toMatch(/up to 1000 keys \(2 MiB live\) under \/x\/, about 10 s of load in 1 phase\(s\).*256 MiB \(--max-db-growth\)/);
  });
});
