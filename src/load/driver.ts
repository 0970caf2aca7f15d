// The calls the load loop makes, behind one interface: the lean client on the tool's own HTTP/2 framing (default), the lean client on node:http2, or etcd3.
import type { Etcd3 } from 'etcd3';
import { createEtcd3Client, readTlsFiles, userAndPassword, type EtcdConnection } from '../etcd/client.js';
import { LeanEtcdClient, type LeanTransport } from '../etcd/lean/client.js';
import { DEFAULT_CALL_TIMEOUT_MS } from '../etcd/lean/grpc.js';

/** lean: hand-encoded gRPC on the tool's HTTP/2 framing; node-http2: the same on node:http2 (about 5x the CPU per call); etcd3: the etcd3 package. */
export type ClientKind = 'lean' | 'node-http2' | 'etcd3';
export const CLIENT_KINDS: readonly ClientKind[] = ['lean', 'node-http2', 'etcd3'];

/** One connection to one endpoint. */
export interface KvDriver {
  readonly endpoint: string;
  put(key: Buffer, value: Buffer): Promise<void>;
  get(key: Buffer, serializable: boolean): Promise<Buffer | null>;
  /** Keys from start (inclusive) to end (exclusive), at most limit of them; returns how many came back. */
  range(start: Buffer, end: Buffer, limit: number, serializable: boolean): Promise<number>;
  delete(key: Buffer): Promise<number>;
  txnPut(key: Buffer, value: Buffer): Promise<void>;
  close(): void;
}

class LeanDriver implements KvDriver {
  constructor(private readonly client: LeanEtcdClient) {}
  get endpoint(): string {
    return this.client.endpoint;
  }
  put(key: Buffer, value: Buffer): Promise<void> {
    return this.client.put(key, value);
  }
  get(key: Buffer, serializable: boolean): Promise<Buffer | null> {
    return this.client.get(key, serializable);
  }
  async range(start: Buffer, end: Buffer, limit: number, serializable: boolean): Promise<number> {
    return this.client.rangeCount(start, { rangeEnd: end, limit, serializable });
  }
  delete(key: Buffer): Promise<number> {
    return this.client.deleteRange(key);
  }
  async txnPut(key: Buffer, value: Buffer): Promise<void> {
    await this.client.txnPut(key, value);
  }
  close(): void {
    this.client.close();
  }
}

class Etcd3Driver implements KvDriver {
  constructor(
    private readonly client: Etcd3,
    readonly endpoint: string,
  ) {}
  async put(key: Buffer, value: Buffer): Promise<void> {
    await this.client.put(key).value(value).exec();
  }
  get(key: Buffer, serializable: boolean): Promise<Buffer | null> {
    return this.client.get(key).serializable(serializable).buffer();
  }
  async range(start: Buffer, end: Buffer, limit: number, serializable: boolean): Promise<number> {
    const res = await this.client.getAll().inRange({ start, end }).limit(limit).serializable(serializable).exec();
    return res.kvs.length;
  }
  async delete(key: Buffer): Promise<number> {
    return Number((await this.client.delete().key(key).exec()).deleted);
  }
  async txnPut(key: Buffer, value: Buffer): Promise<void> {
    await this.client.if(key, 'Version', '>', -1).then(this.client.put(key).value(value)).else(this.client.get(key)).commit();
  }
  close(): void {
    this.client.close();
  }
}

function leanClient(conn: EtcdConnection, endpoint: string, tls: Awaited<ReturnType<typeof readTlsFiles>>, transport: LeanTransport): LeanEtcdClient {
  return new LeanEtcdClient(endpoint, tls, userAndPassword(conn), conn.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, transport);
}

/** A lean client on one endpoint (the tool's own HTTP/2 framing), authenticated: the load's own upkeep (status, counts, deleting its keys). */
export async function openLeanClient(conn: EtcdConnection, endpoint: string): Promise<LeanEtcdClient> {
  const client = leanClient(conn, endpoint, await readTlsFiles(conn, endpoint), 'raw');
  try {
    await client.authenticate();
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}

/** Opens `conns` connections spread over the endpoints in turn; with auth on, each gets its token before the load starts. */
export async function openDrivers(kind: ClientKind, conn: EtcdConnection, conns: number): Promise<KvDriver[]> {
  const drivers: KvDriver[] = [];
  try {
    if (kind === 'etcd3') {
      for (let i = 0; i < conns; i++) {
        const endpoint = conn.endpoints[i % conn.endpoints.length]!;
        drivers.push(new Etcd3Driver(await createEtcd3Client(conn, [endpoint]), endpoint));
      }
      return drivers;
    }
    const tlsByEndpoint = new Map<string, Awaited<ReturnType<typeof readTlsFiles>>>();
    for (const e of conn.endpoints) tlsByEndpoint.set(e, await readTlsFiles(conn, e));
    for (let i = 0; i < conns; i++) {
      const endpoint = conn.endpoints[i % conn.endpoints.length]!;
      const client = leanClient(conn, endpoint, tlsByEndpoint.get(endpoint)!, kind === 'lean' ? 'raw' : 'node-http2');
      drivers.push(new LeanDriver(client));
      await client.authenticate();
    }
    return drivers;
  } catch (err) {
    for (const d of drivers) d.close();
    throw err;
  }
}
