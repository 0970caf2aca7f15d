// A minimal HTTP/2 client for unary gRPC (RFC 7540): one socket, frames written in batches, flow control, HPACK; it does per request
// a fraction of the work of node:http2, whose stream objects cost more CPU than etcd spends on the request.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { DEFAULT_CALL_TIMEOUT_MS, GRPC_STATUS, GrpcError, type TlsFiles } from './grpc.js';
import { encodeRequestHeaders, HpackDecoder } from './hpack.js';
import type { Encoded } from './proto.js';

const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
const SETTING = { ENABLE_PUSH: 2, MAX_CONCURRENT_STREAMS: 3, INITIAL_WINDOW_SIZE: 4, MAX_FRAME_SIZE: 5 } as const;
const ERROR_CODE = { REFUSED_STREAM: 7, CANCEL: 8 } as const;
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** RFC 7540 6.9.2: a window starts at 65535 bytes and may grow to 2^31-1. */
const DEFAULT_WINDOW = 65_535;
const MAX_WINDOW = 2 ** 31 - 1;
const DEFAULT_MAX_FRAME = 16_384;
/** Stream ids are 31 bits and never reused: a connection this close to the end is replaced. */
const LAST_STREAM_ID = 2 ** 31 - 1 - 2;
/** Our receive window is given back once this much arrived. */
const RECEIVE_REFILL_BYTES = 2 ** 30;
const FRAME_HEADER = 9;
/**
 * The requests of one flush are framed into this much of a reused buffer: a new buffer per request and a copy of the batch
 * per flush were external memory that V8 frees only at its next GC, tens of MB at 2000 clients (bench/README.md).
 */
const ARENA_BYTES = 512 * 1024;
const GRPC_PREFIX = 5;

interface Stream {
  id: number;
  deadline: number;
  resolve: (b: Buffer) => void;
  reject: (e: GrpcError) => void;
  body: Buffer | null;
  chunks: Buffer[] | null;
  status: number | null;
  message: string;
  httpStatus: string;
  sendWindow: number;
  /** Request bytes (gRPC prefix + message) still to send, when flow control held them back. */
  unsent: Buffer | null;
}

function frameHeader(buf: Buffer, at: number, length: number, type: number, flags: number, streamId: number): void {
  buf[at] = (length >>> 16) & 0xff;
  buf[at + 1] = (length >>> 8) & 0xff;
  buf[at + 2] = length & 0xff;
  buf[at + 3] = type;
  buf[at + 4] = flags;
  buf.writeUInt32BE(streamId, at + 5);
}

function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const buf = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  frameHeader(buf, 0, payload.length, type, flags, streamId);
  payload.copy(buf, FRAME_HEADER);
  return buf;
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}

export class H2Connection {
  private readonly socket: net.Socket;
  private readonly streams = new Map<number, Stream>();
  private readonly blocked: Stream[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly hpack = new HpackDecoder();
  private readonly headerCache = new Map<string, Buffer>();
  private out: Buffer[] = [];
  /** Whether everything queued since the last flush lies in the arena, in order: then it leaves as one slice, uncopied. */
  private outInArena = true;
  private arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
  private arenaUsed = 0;
  private flushScheduled = false;
  private inbuf: Buffer | null = null;
  private nextStreamId = 1;
  private connSendWindow = DEFAULT_WINDOW;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = DEFAULT_MAX_FRAME;
  private peerMaxStreams = Infinity;
  private received = 0;
  /** A header block split over CONTINUATION frames: its stream, flags and pieces. */
  private continuation: { streamId: number; endStream: boolean; parts: Buffer[] } | null = null;
  private goingAway = false;
  private dead: string | null = null;
  private readonly scheme: 'http' | 'https';
  private readonly authority: string;

  constructor(endpoint: string, tlsFiles: TlsFiles = {}) {
    const url = new URL(endpoint);
    this.scheme = url.protocol === 'https:' ? 'https' : 'http';
    this.authority = url.host;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (this.scheme === 'https' ? 443 : 80));
    if (this.scheme === 'https') {
      const options: tls.ConnectionOptions = { host, port, ALPNProtocols: ['h2'] };
      if (net.isIP(host) === 0) options.servername = host;
      if (tlsFiles.ca !== undefined) options.ca = tlsFiles.ca;
      if (tlsFiles.cert !== undefined) options.cert = tlsFiles.cert;
      if (tlsFiles.key !== undefined) options.key = tlsFiles.key;
      const socket = tls.connect(options);
      socket.once('secureConnect', () => {
        if (socket.alpnProtocol !== 'h2') socket.destroy(new Error(`${endpoint} did not agree to HTTP/2 (ALPN ${socket.alpnProtocol || 'none'})`));
      });
      this.socket = socket;
    } else {
      this.socket = net.connect({ host, port });
    }
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    let socketError: Error | null = null;
    this.socket.on('error', (err) => (socketError = err));
    this.socket.on('close', () => this.fail(socketError?.message ?? 'connection closed'));
    // Preface, our settings (no push, the largest stream window) and the largest connection window: responses never wait on us.
    const settings = Buffer.allocUnsafe(12);
    settings.writeUInt16BE(SETTING.ENABLE_PUSH, 0);
    settings.writeUInt32BE(0, 2);
    settings.writeUInt16BE(SETTING.INITIAL_WINDOW_SIZE, 6);
    settings.writeUInt32BE(MAX_WINDOW, 8);
    this.queue(PREFACE);
    this.queue(frame(FRAME.SETTINGS, 0, 0, settings));
    this.queue(frame(FRAME.WINDOW_UPDATE, 0, 0, u32(MAX_WINDOW - DEFAULT_WINDOW)));
  }

  /** False once the connection failed, was told to go away, or ran out of stream ids: the channel opens another. */
  get usable(): boolean {
    return this.dead === null && !this.goingAway && this.nextStreamId < LAST_STREAM_ID;
  }

  get idle(): boolean {
    return this.streams.size === 0;
  }

  /** `n` bytes of the arena for one request's frames, or a buffer of its own when the arena is full. */
  private take(n: number): { buf: Buffer; inArena: boolean } {
    if (this.arenaUsed + n > this.arena.length) return { buf: Buffer.allocUnsafe(n), inArena: false };
    const buf = this.arena.subarray(this.arenaUsed, this.arenaUsed + n);
    this.arenaUsed += n;
    return { buf, inArena: true };
  }

  private queue(buf: Buffer, inArena = false): void {
    if (!inArena) this.outInArena = false;
    this.out.push(buf);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Every request made while handling one batch of responses leaves in one write.
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0 || this.dead !== null) return;
    const uncopied = this.outInArena;
    const data = uncopied ? this.arena.subarray(0, this.arenaUsed) : this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out);
    this.out = [];
    this.outInArena = true;
    this.socket.write(data);
    // The socket took the slice whole (the kernel has it) unless it queued some: then that arena is the socket's until
    // written, and the next flush frames into a new one.
    if (uncopied && this.socket.writableLength > 0) this.arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
    this.arenaUsed = 0;
  }

  private headerBlock(path: string, token: string | null): Buffer {
    const key = token === null ? path : `${path}\n${token}`;
    let block = this.headerCache.get(key);
    if (block === undefined) {
      block = encodeRequestHeaders(this.scheme, this.authority, path, token === null ? [] : [['token', token]]);
      if (this.headerCache.size > 64) this.headerCache.clear();
      this.headerCache.set(key, block);
    }
    return block;
  }

  /** Starts a unary call; resolves with the response message. */
  call(path: string, message: Buffer | Encoded, token: string | null, deadline: number): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const start = () => {
        if (this.dead !== null) return reject(new GrpcError(GRPC_STATUS.UNAVAILABLE, this.dead));
        const id = this.nextStreamId;
        this.nextStreamId += 2;
        const s: Stream = {
          id,
          deadline,
          resolve,
          reject,
          body: null,
          chunks: null,
          status: null,
          message: '',
          httpStatus: '',
          sendWindow: this.peerInitialWindow,
          unsent: null,
        };
        this.streams.set(id, s);
        const block = this.headerBlock(path, token);
        const payloadLength = GRPC_PREFIX + message.length;
        if (payloadLength <= s.sendWindow && payloadLength <= this.connSendWindow && payloadLength <= this.peerMaxFrame) {
          // HEADERS and the whole DATA frame in one buffer: the common case costs one allocation.
          const { buf, inArena } = this.take(FRAME_HEADER + block.length + FRAME_HEADER + payloadLength);
          frameHeader(buf, 0, block.length, FRAME.HEADERS, FLAG.END_HEADERS, id);
          block.copy(buf, FRAME_HEADER);
          let at = FRAME_HEADER + block.length;
          frameHeader(buf, at, payloadLength, FRAME.DATA, FLAG.END_STREAM, id);
          at += FRAME_HEADER;
          buf[at] = 0;
          buf.writeUInt32BE(message.length, at + 1);
          if (Buffer.isBuffer(message)) message.copy(buf, at + GRPC_PREFIX);
          else message.writeTo(buf, at + GRPC_PREFIX);
          s.sendWindow -= payloadLength;
          this.connSendWindow -= payloadLength;
          this.queue(buf, inArena);
        } else {
          this.queue(frame(FRAME.HEADERS, FLAG.END_HEADERS, id, block));
          const payload = Buffer.allocUnsafe(payloadLength);
          payload[0] = 0;
          payload.writeUInt32BE(message.length, 1);
          if (Buffer.isBuffer(message)) message.copy(payload, GRPC_PREFIX);
          else message.writeTo(payload, GRPC_PREFIX);
          s.unsent = payload;
          this.blocked.push(s);
          this.sendBlocked();
        }
      };
      if (this.streams.size < this.peerMaxStreams) start();
      else this.waiting.push(start);
    });
  }

  /** Sends what flow control now allows of the requests it held back, oldest first. */
  private sendBlocked(): void {
    while (this.blocked.length > 0) {
      const s = this.blocked[0]!;
      if (!this.streams.has(s.id) || s.unsent === null) {
        this.blocked.shift();
        continue;
      }
      const n = Math.min(s.unsent.length, s.sendWindow, this.connSendWindow, this.peerMaxFrame);
      if (n <= 0) return;
      const last = n === s.unsent.length;
      this.queue(frame(FRAME.DATA, last ? FLAG.END_STREAM : 0, s.id, s.unsent.subarray(0, n)));
      s.sendWindow -= n;
      this.connSendWindow -= n;
      s.unsent = last ? null : s.unsent.subarray(n);
      if (last) this.blocked.shift();
    }
  }

  private onData(chunk: Buffer): void {
    let buf = chunk;
    if (this.inbuf !== null) {
      // A frame began in an earlier chunk: copy only that frame's bytes together, never the whole chunk.
      const held = this.inbuf;
      if (held.length < FRAME_HEADER) {
        buf = Buffer.concat([held, chunk]);
        this.inbuf = null;
      } else {
        const need = FRAME_HEADER + ((held[0]! << 16) | (held[1]! << 8) | held[2]!) - held.length;
        if (chunk.length < need) {
          this.inbuf = Buffer.concat([held, chunk]);
          return;
        }
        this.inbuf = null;
        if (!this.parse(Buffer.concat([held, chunk.subarray(0, need)]))) return;
        buf = chunk.subarray(need);
      }
    }
    this.parse(buf);
  }

  /** Handles the whole frames in buf and holds back a partial one; false when the connection had to be dropped. */
  private parse(buf: Buffer): boolean {
    let pos = 0;
    try {
      while (buf.length - pos >= FRAME_HEADER) {
        const length = (buf[pos]! << 16) | (buf[pos + 1]! << 8) | buf[pos + 2]!;
        if (buf.length - pos < FRAME_HEADER + length) break;
        const type = buf[pos + 3]!;
        const flags = buf[pos + 4]!;
        const streamId = buf.readUInt32BE(pos + 5) & 0x7fffffff;
        this.onFrame(type, flags, streamId, buf.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + length));
        pos += FRAME_HEADER + length;
      }
    } catch (err) {
      this.socket.destroy(err instanceof Error ? err : new Error(String(err)));
      return false;
    }
    if (pos < buf.length) this.inbuf = Buffer.from(buf.subarray(pos));
    return true;
  }

  private onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    switch (type) {
      case FRAME.DATA: {
        this.received += payload.length;
        if (this.received >= RECEIVE_REFILL_BYTES) {
          this.queue(frame(FRAME.WINDOW_UPDATE, 0, 0, u32(this.received)));
          this.received = 0;
        }
        const s = this.streams.get(streamId);
        if (s === undefined) return;
        let data = payload;
        if (flags & FLAG.PADDED) data = payload.subarray(1, payload.length - payload[0]!);
        if (s.body === null) s.body = data;
        else (s.chunks ??= [s.body]).push(data);
        if (flags & FLAG.END_STREAM) this.finish(s);
        return;
      }
      case FRAME.HEADERS: {
        let block = payload;
        if (flags & FLAG.PADDED) block = block.subarray(1, block.length - block[0]!);
        if (flags & FLAG.PRIORITY) block = block.subarray(5);
        const endStream = (flags & FLAG.END_STREAM) !== 0;
        if (flags & FLAG.END_HEADERS) this.onHeaders(streamId, endStream, block);
        else this.continuation = { streamId, endStream, parts: [Buffer.from(block)] };
        return;
      }
      case FRAME.CONTINUATION: {
        const c = this.continuation;
        if (c === null || c.streamId !== streamId) throw new Error('HTTP/2: unexpected CONTINUATION frame');
        c.parts.push(Buffer.from(payload));
        if (flags & FLAG.END_HEADERS) {
          this.continuation = null;
          this.onHeaders(streamId, c.endStream, Buffer.concat(c.parts));
        }
        return;
      }
      case FRAME.RST_STREAM: {
        const s = this.streams.get(streamId);
        if (s === undefined) return;
        const code = payload.readUInt32BE(0);
        this.end(s);
        const grpc = code === ERROR_CODE.REFUSED_STREAM ? GRPC_STATUS.UNAVAILABLE : code === ERROR_CODE.CANCEL ? GRPC_STATUS.CANCELLED : GRPC_STATUS.INTERNAL;
        s.reject(new GrpcError(grpc, `stream reset by the server (HTTP/2 error code ${code})`));
        return;
      }
      case FRAME.SETTINGS: {
        if (flags & FLAG.ACK) return;
        for (let i = 0; i + 6 <= payload.length; i += 6) {
          const id = payload.readUInt16BE(i);
          const value = payload.readUInt32BE(i + 2);
          if (id === SETTING.INITIAL_WINDOW_SIZE) {
            // RFC 7540 6.9.2: a new initial window shifts every open stream's window by the difference.
            const delta = value - this.peerInitialWindow;
            this.peerInitialWindow = value;
            for (const s of this.streams.values()) s.sendWindow += delta;
          } else if (id === SETTING.MAX_FRAME_SIZE) this.peerMaxFrame = value;
          else if (id === SETTING.MAX_CONCURRENT_STREAMS) this.peerMaxStreams = value;
        }
        this.queue(frame(FRAME.SETTINGS, FLAG.ACK, 0));
        this.sendBlocked();
        return;
      }
      case FRAME.PING:
        if (!(flags & FLAG.ACK)) this.queue(frame(FRAME.PING, FLAG.ACK, 0, Buffer.from(payload)));
        return;
      case FRAME.GOAWAY: {
        const lastStreamId = payload.readUInt32BE(0) & 0x7fffffff;
        this.goingAway = true;
        // Streams above the last one the server will process never ran: they fail as unavailable, the others finish.
        for (const s of [...this.streams.values()]) {
          if (s.id > lastStreamId) {
            this.end(s);
            s.reject(new GrpcError(GRPC_STATUS.UNAVAILABLE, 'the server is going away (GOAWAY)'));
          }
        }
        if (this.streams.size === 0) this.socket.end();
        return;
      }
      case FRAME.WINDOW_UPDATE: {
        const increment = payload.readUInt32BE(0) & 0x7fffffff;
        if (streamId === 0) this.connSendWindow += increment;
        else {
          const s = this.streams.get(streamId);
          if (s !== undefined) s.sendWindow += increment;
        }
        this.sendBlocked();
        return;
      }
      default:
        // PRIORITY, PUSH_PROMISE (push is off) and unknown frame types are ignored (RFC 7540 4.1).
        return;
    }
  }

  private onHeaders(streamId: number, endStream: boolean, block: Buffer): void {
    // Every block is decoded, even for a stream given up on, or the table falls out of step with the server's.
    const headers = this.hpack.decode(block);
    const s = this.streams.get(streamId);
    if (s === undefined) return;
    const status = headers.get(':status');
    if (status !== undefined) s.httpStatus = status;
    const grpcStatus = headers.get('grpc-status');
    if (grpcStatus !== undefined) {
      s.status = Number(grpcStatus);
      const m = headers.get('grpc-message');
      if (m !== undefined) s.message = decodeURIComponent(m);
    }
    if (endStream) this.finish(s);
  }

  private end(s: Stream): void {
    this.streams.delete(s.id);
    if (s.unsent !== null) s.unsent = null;
    const next = this.waiting.shift();
    if (next !== undefined) next();
    if (this.goingAway && this.streams.size === 0) this.socket.end();
  }

  private finish(s: Stream): void {
    this.end(s);
    if (s.status === null) {
      s.reject(
        new GrpcError(
          GRPC_STATUS.UNAVAILABLE,
          s.httpStatus !== '' && s.httpStatus !== '200' ? `HTTP status ${s.httpStatus} without grpc-status` : 'response without grpc-status',
        ),
      );
      return;
    }
    if (s.status !== GRPC_STATUS.OK) {
      s.reject(new GrpcError(s.status, s.message));
      return;
    }
    const data = s.chunks === null ? s.body : Buffer.concat(s.chunks);
    if (data === null || data.length < GRPC_PREFIX) {
      s.resolve(Buffer.alloc(0));
      return;
    }
    s.resolve(data.subarray(GRPC_PREFIX, GRPC_PREFIX + data.readUInt32BE(1)));
  }

  /** Gives up the calls past their deadline: the server is told to cancel them. */
  sweep(now: number): void {
    for (const s of this.streams.values()) {
      if (s.deadline <= now) {
        this.end(s);
        this.queue(frame(FRAME.RST_STREAM, 0, s.id, u32(ERROR_CODE.CANCEL)));
        s.reject(new GrpcError(GRPC_STATUS.DEADLINE_EXCEEDED, 'context deadline exceeded'));
      }
    }
  }

  private fail(why: string): void {
    if (this.dead !== null) return;
    this.dead = why;
    const streams = [...this.streams.values()];
    this.streams.clear();
    this.blocked.length = 0;
    for (const s of streams) s.reject(new GrpcError(GRPC_STATUS.UNAVAILABLE, why));
    for (const w of this.waiting.splice(0)) w();
  }

  close(why = 'client closed'): void {
    this.fail(why);
    this.socket.destroy();
  }
}

/** How often calls are checked against their deadline: a deadline is honoured within this much. */
const DEADLINE_SWEEP_MS = 100;

/** Unary calls to one endpoint over one H2Connection at a time, replaced when it fails or goes away. */
export class H2Channel {
  private conn: H2Connection | null = null;
  private readonly retiring = new Set<H2Connection>();
  private sweeper: NodeJS.Timeout | null = null;
  private closed = false;
  token: string | null = null;

  constructor(
    readonly endpoint: string,
    private readonly tls: TlsFiles = {},
    readonly callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS,
  ) {}

  private connection(): H2Connection {
    if (this.conn !== null && this.conn.usable) return this.conn;
    if (this.conn !== null && !this.conn.idle) this.retiring.add(this.conn);
    this.conn = new H2Connection(this.endpoint, this.tls);
    if (this.sweeper === null) {
      this.sweeper = setInterval(() => {
        const now = Date.now();
        this.conn?.sweep(now);
        for (const c of this.retiring) {
          c.sweep(now);
          if (c.idle) this.retiring.delete(c);
        }
      }, DEADLINE_SWEEP_MS);
      this.sweeper.unref();
    }
    return this.conn;
  }

  unary(path: string, message: Buffer | Encoded, timeoutMs = this.callTimeoutMs): Promise<Buffer> {
    if (this.closed) return Promise.reject(new GrpcError(GRPC_STATUS.CANCELLED, 'client closed'));
    return this.connection().call(path, message, this.token, Date.now() + timeoutMs);
  }

  close(): void {
    this.closed = true;
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
    this.conn?.close();
    for (const c of this.retiring) c.close();
    this.retiring.clear();
    this.conn = null;
  }
}
