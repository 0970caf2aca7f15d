// Unary gRPC calls over one node:http2 session: 5-byte framing, grpc-status from the trailers, a sweep for deadlines; no per-call timers or objects beyond the stream.
import * as http2 from 'node:http2';
import { messageBuffer, type Encoded } from './proto.js';

/** The deadline of one call when the caller names none: etcdctl's --command-timeout default (5s), so that a gone member ends a call instead of hanging it. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

/** gRPC status codes (grpc/doc/statuscodes.md) that the load engine tells apart. */
export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const STATUS_NAMES: Record<number, string> = Object.fromEntries(Object.entries(GRPC_STATUS).map(([k, v]) => [v, k]));

/** A failed call: the gRPC status code and etcd's message (e.g. "etcdserver: request is too large"). */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${STATUS_NAMES[code] ?? 'STATUS'}: ${details}`);
    this.name = 'GrpcError';
  }
}

export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

interface PendingCall {
  stream: http2.ClientHttp2Stream;
  deadline: number;
  reject: (err: GrpcError) => void;
}

/** How often pending calls are checked against their deadline: a deadline is honoured within this much. */
const DEADLINE_SWEEP_MS = 100;
/** A receive window large enough that 1000 streams of small responses never wait on WINDOW_UPDATE frames. */
const RECEIVE_WINDOW_BYTES = 16 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

/** One HTTP/2 connection to one endpoint, reopened on the next call after it fails. */
export class GrpcChannel {
  private session: http2.ClientHttp2Session | null = null;
  private readonly pending = new Set<PendingCall>();
  private sweeper: NodeJS.Timeout | null = null;
  private closed = false;
  /** Header sets per method path, built once: node:http2 copies them, so they can be shared. */
  private readonly headerCache = new Map<string, http2.OutgoingHttpHeaders>();
  token: string | null = null;

  constructor(
    readonly endpoint: string,
    private readonly tls: TlsFiles = {},
    readonly callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS,
  ) {}

  private connect(): http2.ClientHttp2Session {
    if (this.session !== null && !this.session.closed && !this.session.destroyed) return this.session;
    const options: http2.SecureClientSessionOptions = {
      settings: { enablePush: false, initialWindowSize: RECEIVE_WINDOW_BYTES },
      // Hundreds of in-flight streams per connection are the point of the load loop.
      maxSessionMemory: 256,
      peerMaxConcurrentStreams: 100_000,
    };
    if (this.endpoint.startsWith('https:')) {
      if (this.tls.ca !== undefined) options.ca = this.tls.ca;
      if (this.tls.cert !== undefined) options.cert = this.tls.cert;
      if (this.tls.key !== undefined) options.key = this.tls.key;
      options.ALPNProtocols = ['h2'];
    }
    const session = http2.connect(this.endpoint, options);
    session.on('error', () => {
      // Each stream reports the failure itself; the session is simply dropped and reopened on the next call.
    });
    session.on('close', () => {
      if (this.session === session) this.session = null;
    });
    session.on('connect', () => session.setLocalWindowSize(RECEIVE_WINDOW_BYTES));
    this.session = session;
    if (this.sweeper === null) {
      this.sweeper = setInterval(() => this.sweep(), DEADLINE_SWEEP_MS);
      this.sweeper.unref();
    }
    return session;
  }

  private sweep(): void {
    if (this.pending.size === 0) return;
    const now = Date.now();
    for (const call of this.pending) {
      if (call.deadline <= now) {
        this.pending.delete(call);
        call.stream.close(http2.constants.NGHTTP2_CANCEL);
        call.reject(new GrpcError(GRPC_STATUS.DEADLINE_EXCEEDED, 'context deadline exceeded'));
      }
    }
  }

  private headersFor(path: string): http2.OutgoingHttpHeaders {
    const key = this.token === null ? path : `${path}\n${this.token}`;
    let headers = this.headerCache.get(key);
    if (headers === undefined) {
      headers = { ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' };
      if (this.token !== null) headers.token = this.token;
      if (this.headerCache.size > 64) this.headerCache.clear();
      this.headerCache.set(key, headers);
    }
    return headers;
  }

  /** Sends one request message and resolves with the response message bytes, or rejects with a GrpcError. */
  unary(path: string, encoded: Buffer | Encoded, timeoutMs = this.callTimeoutMs): Promise<Buffer> {
    const message = messageBuffer(encoded);
    return new Promise<Buffer>((resolve, reject) => {
      if (this.closed) {
        reject(new GrpcError(GRPC_STATUS.CANCELLED, 'client closed'));
        return;
      }
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.connect().request(this.headersFor(path), { endStream: false });
      } catch (err) {
        this.session?.destroy();
        this.session = null;
        reject(new GrpcError(GRPC_STATUS.UNAVAILABLE, err instanceof Error ? err.message : String(err)));
        return;
      }
      let settled = false;
      const call: PendingCall = {
        stream,
        deadline: Date.now() + timeoutMs,
        reject: (err) => {
          settled = true;
          reject(err);
        },
      };
      this.pending.add(call);
      let body: Buffer = EMPTY;
      let chunks: Buffer[] | null = null;
      let status: number | null = null;
      let statusMessage = '';
      let httpStatus = 0;
      const readStatus = (h: http2.IncomingHttpHeaders) => {
        const s = h['grpc-status'];
        if (s !== undefined) {
          status = Number(s);
          const m = h['grpc-message'];
          if (typeof m === 'string') statusMessage = decodeURIComponent(m);
        }
      };
      stream.on('response', (h) => {
        httpStatus = Number(h[':status'] ?? 0);
        readStatus(h);
      });
      stream.on('trailers', readStatus);
      stream.on('data', (chunk: Buffer) => {
        if (body.length === 0 && chunks === null) body = chunk;
        else (chunks ??= [body]).push(chunk);
      });
      let streamError: Error | null = null;
      stream.on('error', (err) => (streamError = err));
      stream.on('close', () => {
        this.pending.delete(call);
        if (settled) return;
        settled = true;
        if (status === null) {
          const why = streamError?.message ?? (httpStatus !== 0 ? `HTTP status ${httpStatus} without grpc-status` : 'connection closed');
          reject(new GrpcError(GRPC_STATUS.UNAVAILABLE, why));
          return;
        }
        if (status !== GRPC_STATUS.OK) {
          reject(new GrpcError(status, statusMessage));
          return;
        }
        const data = chunks === null ? body : Buffer.concat(chunks);
        // One length-prefixed message: byte 0 is the compression flag, bytes 1-4 the big-endian length.
        if (data.length < 5) {
          resolve(EMPTY);
          return;
        }
        const length = data.readUInt32BE(1);
        resolve(data.subarray(5, 5 + length));
      });
      const frame = Buffer.allocUnsafe(5 + message.length);
      frame[0] = 0;
      frame.writeUInt32BE(message.length, 1);
      message.copy(frame, 5);
      stream.end(frame);
    });
  }

  close(): void {
    this.closed = true;
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const call of this.pending) call.reject(new GrpcError(GRPC_STATUS.CANCELLED, 'client closed'));
    this.pending.clear();
    this.session?.destroy();
    this.session = null;
  }
}
