// Hand-encoded protobuf for the few etcd messages the load loop sends (api/etcdserverpb/rpc.proto, etcd 3.4-3.6), so a put costs bytes, not objects.

/** Wire types of the protobuf encoding. */
const VARINT = 0;
const LEN = 2;

/** A growable buffer writer; one per message, sized up front where the sizes are known. */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(capacity = 64) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Non-negative integers only; negative int64 values go through int64(). */
  varint(n: number): this {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** int64 field; a negative value takes the ten bytes of its two's complement, as protobuf requires. */
  int64(field: number, n: number): this {
    if (n === 0) return this;
    this.tag(field, VARINT);
    if (n > 0) return this.varint(n);
    let v = BigInt.asUintN(64, BigInt(n));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  bool(field: number, b: boolean): this {
    return b ? this.tag(field, VARINT).varint(1) : this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, LEN).varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** A string field in UTF-8. */
  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Reads the fields of one message; unknown fields are skipped, as protobuf requires. */
export class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  }

  /** [field number, wire type] */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }

  /** A length-delimited field as a view on the buffer (no copy). */
  lenView(): Buffer {
    const n = this.varint();
    const start = this.pos;
    this.pos += n;
    if (this.pos > this.end) throw new Error('protobuf: truncated field');
    return this.buf.subarray(start, this.pos);
  }

  /** A sub-message as a Reader over its bytes. */
  sub(): Reader {
    const n = this.varint();
    const start = this.pos;
    this.pos += n;
    if (this.pos > this.end) throw new Error('protobuf: truncated message');
    return new Reader(this.buf, start, this.pos);
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2: {
        // Read the length first: `this.pos += this.varint()` would add to the position from before the length.
        const n = this.varint();
        this.pos += n;
        return;
      }
      case 5:
        this.pos += 4;
        return;
      default:
        throw new Error(`protobuf: unsupported wire type ${wire}`);
    }
  }
}

// ---- etcdserverpb messages (field numbers from rpc.proto and kv.proto) ----

export interface KeyValue {
  key: Buffer;
  value: Buffer;
  modRevision: number;
  version: number;
}

export interface RangeResult {
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export interface RangeOptions {
  rangeEnd?: Buffer;
  limit?: number;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
}

/** A request message written straight into the frame that carries it, not first into a buffer of its own. */
export interface Encoded {
  readonly length: number;
  writeTo(buf: Buffer, at: number): void;
}

function varintBytes(n: number): number {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[at++] = n;
  return at;
}

/**
 * PutRequest{key=1, value=2} as encodePut writes it, framed in place: at 2000 clients a buffer per put was external
 * memory that V8 frees only at its next GC, tens of MB of the load process's peak (bench/README.md).
 */
export function putMessage(key: Uint8Array, value: Uint8Array): Encoded {
  return {
    length: 2 + varintBytes(key.length) + key.length + varintBytes(value.length) + value.length,
    writeTo(buf: Buffer, at: number): void {
      buf[at++] = 0x0a;
      at = writeVarint(buf, at, key.length);
      buf.set(key, at);
      at += key.length;
      buf[at++] = 0x12;
      at = writeVarint(buf, at, value.length);
      buf.set(value, at);
    },
  };
}

/** The message as a buffer of its own, for a transport that wants one. */
export function messageBuffer(m: Buffer | Encoded): Buffer {
  if (Buffer.isBuffer(m)) return m;
  const buf = Buffer.allocUnsafe(m.length);
  m.writeTo(buf, 0);
  return buf;
}

/** PutRequest{key=1, value=2}. */
export function encodePut(key: Uint8Array, value: Uint8Array): Buffer {
  return new Writer(key.length + value.length + 16).bytes(1, key).bytes(2, value).finish();
}

/** RangeRequest{key=1, range_end=2, limit=3, serializable=7, keys_only=8, count_only=9}. */
export function encodeRange(key: Uint8Array, options: RangeOptions = {}): Buffer {
  const w = new Writer(key.length + (options.rangeEnd?.length ?? 0) + 24).bytes(1, key);
  if (options.rangeEnd !== undefined) w.bytes(2, options.rangeEnd);
  if (options.limit !== undefined && options.limit > 0) w.int64(3, options.limit);
  return w
    .bool(7, options.serializable ?? false)
    .bool(8, options.keysOnly ?? false)
    .bool(9, options.countOnly ?? false)
    .finish();
}

/** DeleteRangeRequest{key=1, range_end=2}. */
export function encodeDeleteRange(key: Uint8Array, rangeEnd?: Uint8Array): Buffer {
  const w = new Writer(key.length + (rangeEnd?.length ?? 0) + 8).bytes(1, key);
  if (rangeEnd !== undefined) w.bytes(2, rangeEnd);
  return w.finish();
}

/**
 * The update Kubernetes sends: TxnRequest{compare=1: [Compare{result=GREATER(1), target=VERSION(0), key=3, version=4: -1}],
 * success=2: [RequestOp{request_put=2}], failure=3: [RequestOp{request_range=1}]}; the compare always holds, so it writes.
 */
export function encodeTxnPut(key: Uint8Array, value: Uint8Array): Buffer {
  const compare = new Writer(key.length + 24)
    .varint(1 * 8 + VARINT)
    .varint(1)
    .bytes(3, key)
    .int64(4, -1)
    .finish();
  const put = encodePut(key, value);
  const range = encodeRange(key);
  const success = new Writer(put.length + 8).bytes(2, put).finish();
  const failure = new Writer(range.length + 8).bytes(1, range).finish();
  return new Writer(compare.length + success.length + failure.length + 16).bytes(1, compare).bytes(2, success).bytes(3, failure).finish();
}

/** TxnRequest{success=2: [RequestOp{request_delete_range=3: DeleteRangeRequest{key=1}}]}: one transaction deleting exactly these keys. */
export function encodeTxnDeletes(keys: readonly Uint8Array[]): Buffer {
  const ops = keys.map((key) => {
    const del = encodeDeleteRange(key);
    return new Writer(del.length + 8).bytes(3, del).finish();
  });
  const w = new Writer(ops.reduce((n, op) => n + op.length + 8, 16));
  for (const op of ops) w.bytes(2, op);
  return w.finish();
}

/** AuthenticateRequest{name=1, password=2}. */
export function encodeAuthenticate(name: string, password: string): Buffer {
  return new Writer().string(1, name).string(2, password).finish();
}

function decodeKeyValue(r: Reader): KeyValue {
  const kv: KeyValue = { key: Buffer.alloc(0), value: Buffer.alloc(0), modRevision: 0, version: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === LEN) kv.key = r.lenView();
    else if (field === 3 && wire === VARINT) kv.modRevision = r.varint();
    else if (field === 4 && wire === VARINT) kv.version = r.varint();
    else if (field === 5 && wire === LEN) kv.value = r.lenView();
    else r.skip(wire);
  }
  return kv;
}

/** RangeResponse{header=1, kvs=2, more=3, count=4}. */
export function decodeRange(buf: Buffer): RangeResult {
  const r = new Reader(buf);
  const result: RangeResult = { kvs: [], more: false, count: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 2 && wire === LEN) result.kvs.push(decodeKeyValue(r.sub()));
    else if (field === 3 && wire === VARINT) result.more = r.varint() !== 0;
    else if (field === 4 && wire === VARINT) result.count = r.varint();
    else r.skip(wire);
  }
  return result;
}

/** How many kvs a RangeResponse holds, without decoding them: a load loop reading 500-key pages needs only the count. */
export function countRangeKvs(buf: Buffer): number {
  const r = new Reader(buf);
  let n = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 2 && wire === LEN) n++;
    r.skip(wire);
  }
  return n;
}

/** The last value of one varint field of a message, or 0 (protobuf's default) when it is absent. */
function varintField(buf: Buffer, wanted: number): number {
  const r = new Reader(buf);
  let value = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === wanted && wire === VARINT) value = r.varint();
    else r.skip(wire);
  }
  return value;
}

/** DeleteRangeResponse{header=1, deleted=2}. */
export function decodeDeleteRange(buf: Buffer): number {
  return varintField(buf, 2);
}

/** TxnResponse{header=1, succeeded=2}. */
export function decodeTxnSucceeded(buf: Buffer): boolean {
  return varintField(buf, 2) !== 0;
}

/** TxnResponse{responses=3: [ResponseOp{response_delete_range=3: DeleteRangeResponse{deleted=2}}]}: the keys deleted in all. */
export function decodeTxnDeleted(buf: Buffer): number {
  const r = new Reader(buf);
  let deleted = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field !== 3 || wire !== LEN) {
      r.skip(wire);
      continue;
    }
    const op = r.sub();
    while (!op.done()) {
      const [f, w] = op.tag();
      if (f === 3 && w === LEN) deleted += decodeDeleteRange(op.lenView());
      else op.skip(w);
    }
  }
  return deleted;
}

/** AuthenticateResponse{header=1, token=2}. */
export function decodeAuthenticate(buf: Buffer): string {
  const r = new Reader(buf);
  let token = '';
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 2 && wire === LEN) token = r.lenView().toString('utf8');
    else r.skip(wire);
  }
  return token;
}

export interface StatusResult {
  version: string;
  dbSize: number;
  leader: string;
  memberId: string;
  raftIndex: number;
  /** The store's revision when the member answered (ResponseHeader.revision). */
  revision: number;
}

function readUint64String(r: Reader): string {
  // Member ids use all 64 bits: read them exactly, as text, since they overflow a double.
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = r.buf[r.pos++];
    if (b === undefined) throw new Error('protobuf: truncated varint');
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return result.toString(16);
    shift += 7n;
  }
}

/** StatusResponse{header=1{member_id=2, revision=3}, version=2, dbSize=3, leader=4, raftIndex=5}. */
export function decodeStatus(buf: Buffer): StatusResult {
  const r = new Reader(buf);
  const result: StatusResult = { version: '', dbSize: 0, leader: '', memberId: '', raftIndex: 0, revision: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === LEN) {
      const h = r.sub();
      while (!h.done()) {
        const [hf, hw] = h.tag();
        if (hf === 2 && hw === VARINT) result.memberId = readUint64String(h);
        else if (hf === 3 && hw === VARINT) result.revision = h.varint();
        else h.skip(hw);
      }
    } else if (field === 2 && wire === LEN) result.version = r.lenView().toString('utf8');
    else if (field === 3 && wire === VARINT) result.dbSize = r.varint();
    else if (field === 4 && wire === VARINT) result.leader = readUint64String(r);
    else if (field === 5 && wire === VARINT) result.raftIndex = r.varint();
    else r.skip(wire);
  }
  return result;
}
