// The lean client (own HTTP/2 framing and node:http2) and the etcd3 package, on a real etcd: the same keys and values stored, the same error kinds for the same faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcd3Client } from '../../src/etcd/client.js';
import { openDrivers, type ClientKind, type KvDriver } from '../../src/load/driver.js';
import { errorKind, prefixRangeEnd } from '../../src/load/engine.js';
import { startTestEtcd } from './real-etcd.js';

const KINDS: ClientKind[] = ['lean', 'node-http2', 'etcd3'];
/** A small --max-request-bytes, so that a 16 KiB put is over it but far under gRPC's own limit (max-request-bytes + 512 KiB). */
const MAX_REQUEST_BYTES = 8192;

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('the call succeeded where it should have failed');
    },
    (err: unknown) => err,
  );
}

describe('lean and etcd3 drivers', () => {
  let etcd: Awaited<ReturnType<typeof startTestEtcd>>;
  beforeAll(async () => {
    etcd = await startTestEtcd(['--max-request-bytes', String(MAX_REQUEST_BYTES)]);
  });
  afterAll(async () => {
    await etcd?.cleanup();
  });

  it('store the same keys and values and read the same back', async () => {
    const admin = await createEtcd3Client({ endpoints: [etcd.clientUrl] });
    const stored: Record<string, Record<string, string>> = {};
    const reads: Record<string, unknown[]> = {};
    for (const kind of KINDS) {
      const [d] = (await openDrivers(kind, { endpoints: [etcd.clientUrl] }, 1)) as [KvDriver];
      const p = `/parity/${kind}/`;
      const k = (s: string) => Buffer.from(p + s);
      await d.put(k('a'), Buffer.from('alpha'));
      await d.put(k('b'), Buffer.alloc(3000, 0xfe));
      await d.put(k('c'), Buffer.from('to be deleted'));
      await d.txnPut(k('d'), Buffer.from('by txn'));
      await d.put(k('e'), Buffer.alloc(0));
      reads[kind] = [
        await d.delete(k('c')),
        await d.delete(k('nothing')),
        (await d.get(k('a'), false))?.toString(),
        (await d.get(k('b'), true))?.length,
        await d.get(k('missing'), false),
        await d.range(Buffer.from(p), prefixRangeEnd(p), 2, false),
        await d.range(Buffer.from(p), prefixRangeEnd(p), 100, true),
      ];
      d.close();
      const kvs = await admin.getAll().prefix(p).buffers();
      stored[kind] = Object.fromEntries(Object.entries(kvs).map(([key, v]) => [key.slice(p.length), v.toString('hex')]));
    }
    admin.close();
    expect(Object.keys(stored.lean!).sort()).toEqual(['a', 'b', 'd', 'e']);
    expect(stored.lean).toEqual(stored.etcd3);
    expect(stored['node-http2']).toEqual(stored.etcd3);
    expect(reads.lean).toEqual([1, 0, 'alpha', 3000, null, 2, 4]);
    expect(reads.lean).toEqual(reads.etcd3);
    expect(reads['node-http2']).toEqual(reads.etcd3);
  });

  it('report the same error for a request over --max-request-bytes', async () => {
    const errors: unknown[] = [];
    for (const kind of KINDS) {
      const [d] = (await openDrivers(kind, { endpoints: [etcd.clientUrl] }, 1)) as [KvDriver];
      errors.push(await failureOf(d.put(Buffer.from(`/parity/${kind}/big`), Buffer.alloc(2 * MAX_REQUEST_BYTES, 1))));
      d.close();
    }
    expect(errors.map(errorKind)).toEqual(KINDS.map(() => 'request-too-large'));
    for (const e of errors) expect(String((e as Error).message)).toMatch(/etcdserver: request is too large/);
  });

  it('report the same error for an endpoint that was stopped', async () => {
    const doomed = await startTestEtcd();
    const drivers = await Promise.all(KINDS.map(async (kind) => (await openDrivers(kind, { endpoints: [doomed.clientUrl], callTimeoutMs: 2_000 }, 1))[0]!));
    for (const d of drivers) await d.put(Buffer.from('/parity/up'), Buffer.from('1'));
    await doomed.cleanup();
    const errors: unknown[] = [];
    for (const d of drivers) errors.push(await failureOf(d.put(Buffer.from('/parity/down'), Buffer.from('1'))));
    for (const d of drivers) d.close();
    expect(errors.map(errorKind)).toEqual(KINDS.map(() => 'unavailable'));
  });
});

describe('the lean client under load', () => {
  it('keeps hundreds of calls in flight on one connection, values larger than a frame and a window included', async () => {
    const etcd = await startTestEtcd();
    try {
      const [d] = (await openDrivers('lean', { endpoints: [etcd.clientUrl] }, 1)) as [KvDriver];
      // 200 KiB values cross the 16 KiB frame size and the 64 KiB initial windows, so DATA goes out in pieces as windows open.
      const big = Buffer.alloc(200 * 1024, 7);
      const keys = Array.from({ length: 400 }, (_, i) => Buffer.from(`/many/${i}`));
      await Promise.all(keys.map((k, i) => d.put(k, i % 50 === 0 ? big : k)));
      const back = await Promise.all(keys.map((k) => d.get(k, false)));
      expect(back.every((v, i) => v !== null && v.equals(i % 50 === 0 ? big : keys[i]!))).toBe(true);
      expect(await d.range(Buffer.from('/many/'), prefixRangeEnd('/many/'), 1000, true)).toBe(400);
      d.close();
    } finally {
      await etcd.cleanup();
    }
  });
});
