// A lean etcd KV client: one HTTP/2 connection, hand-encoded requests, user/password tokens; the load loop's hot path, where etcd3 costs too much CPU.
import {
  countRangeKvs,
  decodeAuthenticate,
  decodeDeleteRange,
  decodeRange,
  decodeStatus,
  decodeTxnDeleted,
  decodeTxnSucceeded,
  encodeAuthenticate,
  encodeDeleteRange,
  putMessage,
  type Encoded,
  encodeRange,
  encodeTxnDeletes,
  encodeTxnPut,
  type RangeOptions,
  type RangeResult,
  type StatusResult,
} from './proto.js';
import { DEFAULT_CALL_TIMEOUT_MS, GrpcChannel, GrpcError, type TlsFiles } from './grpc.js';
import { H2Channel } from './h2.js';

const PUT = '/etcdserverpb.KV/Put';
const RANGE = '/etcdserverpb.KV/Range';
const DELETE_RANGE = '/etcdserverpb.KV/DeleteRange';
const TXN = '/etcdserverpb.KV/Txn';
const AUTHENTICATE = '/etcdserverpb.Auth/Authenticate';
const STATUS = '/etcdserverpb.Maintenance/Status';

/** etcd's messages for a token it no longer knows (server/etcdserver/api/v3rpc/rpctypes/error.go). */
const STALE_TOKEN = /invalid auth token|auth token is expired/i;

export interface LeanCredentials {
  user: string;
  password: string;
}

/** raw: the tool's own HTTP/2 framing (the default, cheapest); node-http2: node:http2, kept to compare with and to fall back on. */
export type LeanTransport = 'raw' | 'node-http2';

export class LeanEtcdClient {
  private readonly channel: GrpcChannel | H2Channel;

  constructor(
    readonly endpoint: string,
    tls: TlsFiles = {},
    private readonly credentials: LeanCredentials | null = null,
    callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS,
    transport: LeanTransport = 'raw',
  ) {
    this.channel = transport === 'raw' ? new H2Channel(endpoint, tls, callTimeoutMs) : new GrpcChannel(endpoint, tls, callTimeoutMs);
  }

  /** Gets a token when auth is on; call once before the load starts. */
  async authenticate(): Promise<void> {
    if (this.credentials === null) return;
    this.channel.token = null;
    const res = await this.channel.unary(AUTHENTICATE, encodeAuthenticate(this.credentials.user, this.credentials.password));
    this.channel.token = decodeAuthenticate(res);
  }

  /** One call; a token that expired is renewed once, since that is the session's upkeep, not a failure of the request. */
  private async call(path: string, message: Buffer | Encoded): Promise<Buffer> {
    try {
      return await this.channel.unary(path, message);
    } catch (err) {
      if (this.credentials !== null && err instanceof GrpcError && STALE_TOKEN.test(err.details)) {
        await this.authenticate();
        return this.channel.unary(path, message);
      }
      throw err;
    }
  }

  async put(key: Buffer, value: Buffer): Promise<void> {
    await this.call(PUT, putMessage(key, value));
  }

  async range(key: Buffer, options: RangeOptions = {}): Promise<RangeResult> {
    return decodeRange(await this.call(RANGE, encodeRange(key, options)));
  }

  /** A range whose keys and values are not wanted, only how many came back. */
  async rangeCount(key: Buffer, options: RangeOptions = {}): Promise<number> {
    return countRangeKvs(await this.call(RANGE, encodeRange(key, options)));
  }

  async get(key: Buffer, serializable = false): Promise<Buffer | null> {
    const r = await this.range(key, { serializable });
    return r.kvs[0]?.value ?? null;
  }

  async deleteRange(key: Buffer, rangeEnd?: Buffer): Promise<number> {
    return decodeDeleteRange(await this.call(DELETE_RANGE, encodeDeleteRange(key, rangeEnd)));
  }

  /** Kubernetes' update: a compare on the key's version, then a put. */
  async txnPut(key: Buffer, value: Buffer): Promise<boolean> {
    return decodeTxnSucceeded(await this.call(TXN, encodeTxnPut(key, value)));
  }

  /** Deletes exactly these keys in one transaction (at most etcd's --max-txn-ops); returns how many were there. */
  async txnDelete(keys: readonly Buffer[]): Promise<number> {
    return decodeTxnDeleted(await this.call(TXN, encodeTxnDeletes(keys)));
  }

  async status(): Promise<StatusResult> {
    return decodeStatus(await this.call(STATUS, Buffer.alloc(0)));
  }

  close(): void {
    this.channel.close();
  }
}
