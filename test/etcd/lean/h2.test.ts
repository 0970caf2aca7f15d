// The lean HTTP/2 client frame by frame, against a node:http2 server made to send CONTINUATION, GOAWAY, RST_STREAM, SETTINGS changes, HPACK table-size updates and WINDOW_UPDATEs.
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GRPC_STATUS, GrpcError } from '../../../src/etcd/lean/grpc.js';
import { H2Channel, H2Connection } from '../../../src/etcd/lean/h2.js';

const FRAME_NAMES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];

interface SeenFrame {
  type: string;
  flags: number;
  streamId: number;
  length: number;
  /** The first payload byte: for a header block, 001xxxxx is an HPACK dynamic table size update. */
  first: number | undefined;
}

/** A TCP pass-through that parses what the server sends, so that each test shows the frames it is about really crossed the wire. */
class FrameRecorder {
  readonly frames: SeenFrame[] = [];
  private server!: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async start(targetPort: number): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
      this.sockets.add(client).add(upstream);
      let pending = Buffer.alloc(0);
      upstream.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 9) {
          const length = (pending[0]! << 16) | (pending[1]! << 8) | pending[2]!;
          if (pending.length < 9 + length) break;
          this.frames.push({
            type: FRAME_NAMES[pending[3]!] ?? String(pending[3]),
            flags: pending[4]!,
            streamId: pending.readUInt32BE(5) & 0x7fffffff,
            length,
            first: length > 0 ? pending[9] : undefined,
          });
          pending = pending.subarray(9 + length);
        }
        client.write(chunk);
      });
      client.on('data', (c: Buffer) => upstream.write(c));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  of(type: string): SeenFrame[] {
    return this.frames.filter((f) => f.type === type);
  }

  clear(): void {
    this.frames.length = 0;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function grpcFrame(message: Buffer): Buffer {
  const b = Buffer.alloc(5 + message.length);
  b.writeUInt32BE(message.length, 1);
  message.copy(b, 5);
  return b;
}

type Handler = (stream: http2.ServerHttp2Stream, body: Buffer, session: http2.Http2Session) => void;

/** A gRPC-shaped reply: :status 200, the message, trailers with grpc-status 0 (and any extra headers asked for). */
function reply(stream: http2.ServerHttp2Stream, message: Buffer, headers: http2.OutgoingHttpHeaders = {}): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...headers }, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(grpcFrame(message));
}

const handlers = new Map<string, Handler>();
let server: http2.Http2Server;
let recorder: FrameRecorder;
let sessions = 0;
const liveSessions = new Set<http2.ServerHttp2Session>();
let endpoint: string;

beforeAll(async () => {
  // A small dynamic table for the server's encoder: its first header block starts with a table size update.
  server = http2.createServer({ maxDeflateDynamicTableSize: 256, settings: { initialWindowSize: 65_535 } });
  server.on('session', (session) => {
    sessions++;
    liveSessions.add(session);
    session.on('close', () => liveSessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const handler = handlers.get(String(headers[':path']));
      if (handler === undefined) stream.respond({ ':status': 404 }, { endStream: true });
      else handler(stream, body.length >= 5 ? body.subarray(5) : body, stream.session!);
    });
    stream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  recorder = new FrameRecorder();
  await recorder.start((server.address() as net.AddressInfo).port);
  endpoint = `http://127.0.0.1:${recorder.port}`;
});

afterAll(async () => {
  // server.close() waits for every session: the ones the tests left open go first.
  for (const s of liveSessions) s.destroy();
  await recorder?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const open: (H2Connection | H2Channel)[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  handlers.clear();
  recorder.clear();
});

function connection(): H2Connection {
  const c = new H2Connection(endpoint);
  open.push(c);
  return c;
}

const soon = () => Date.now() + 10_000;

describe('H2Connection against node:http2', () => {
  it('decodes a header block split over CONTINUATION frames, after the table size update that starts it', async () => {
    // A header larger than the 16 KiB frame size: the server must send HEADERS without END_HEADERS, then CONTINUATION.
    const big = 'x'.repeat(40_000);
    handlers.set('/big-headers', (stream, body) => reply(stream, body, { 'x-big': big }));
    const c = connection();
    const out = await c.call('/big-headers', Buffer.from('hello'), null, soon());
    expect(out.toString()).toBe('hello');
    expect(recorder.of('CONTINUATION').length).toBeGreaterThanOrEqual(2);
    const firstHeaders = recorder.of('HEADERS')[0]!;
    expect(firstHeaders.flags & 0x4).toBe(0);
    // 001xxxxx: HPACK dynamic table size update (RFC 7541 6.3), as the 256-byte table asks.
    expect(firstHeaders.first! & 0xe0).toBe(0x20);
    // The table stays in step: later blocks, indexed against it, still decode.
    handlers.set('/again', (stream, body) => reply(stream, body, { 'x-small': 'y' }));
    for (let i = 0; i < 5; i++) expect((await c.call('/again', Buffer.from(`n${i}`), null, soon())).toString()).toBe(`n${i}`);
  });

  it('receives a response larger than the flow-control window and the frame size whole', async () => {
    const payload = Buffer.alloc(3 * 2 ** 20);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    handlers.set('/big', (stream) => reply(stream, payload));
    const out = await connection().call('/big', Buffer.alloc(0), null, soon());
    expect(out.length).toBe(payload.length);
    expect(out.equals(payload)).toBe(true);
    // More than one default window (65535) and more than one frame of it.
    expect(recorder.of('DATA').reduce((n, f) => n + f.length, 0)).toBeGreaterThan(payload.length);
    expect(recorder.of('DATA').length).toBeGreaterThan(payload.length / 16_384);
  });

  it('sends a request larger than the server window as the server gives WINDOW_UPDATEs', async () => {
    const request = Buffer.alloc(300_000, 7);
    handlers.set('/echo-size', (stream, body) => reply(stream, Buffer.from(String(body.length))));
    const out = await connection().call('/echo-size', request, null, soon());
    expect(out.toString()).toBe(String(request.length));
    expect(recorder.of('WINDOW_UPDATE').length).toBeGreaterThan(0);
  });

  it('follows SETTINGS changes mid-connection: a smaller initial window and at most one stream at a time', async () => {
    handlers.set('/echo', (stream, body) => reply(stream, body));
    const c = connection();
    expect((await c.call('/echo', Buffer.from('warm'), null, soon())).toString()).toBe('warm');
    const session = [...(await sessionsOf())][0]!;
    await new Promise<void>((resolve) => session.settings({ initialWindowSize: 1_000, maxConcurrentStreams: 1 }, () => resolve()));
    const bodies = Array.from({ length: 5 }, (_, i) => Buffer.alloc(5_000 + i, 65 + i));
    const outs = await Promise.all(bodies.map((b) => c.call('/echo', b, null, soon())));
    outs.forEach((o, i) => expect(o.equals(bodies[i]!)).toBe(true));
    // The change arrived as a SETTINGS frame of its own, after the first.
    expect(recorder.of('SETTINGS').filter((f) => (f.flags & 0x1) === 0).length).toBeGreaterThanOrEqual(1);
    expect(recorder.of('WINDOW_UPDATE').length).toBeGreaterThan(0);
  });

  it('fails a stream the server resets (RST_STREAM) with the matching gRPC status, and the connection goes on', async () => {
    handlers.set('/refuse', (stream) => stream.close(http2.constants.NGHTTP2_REFUSED_STREAM));
    handlers.set('/cancel', (stream) => stream.close(http2.constants.NGHTTP2_CANCEL));
    handlers.set('/echo', (stream, body) => reply(stream, body));
    const c = connection();
    await expect(c.call('/refuse', Buffer.from('a'), null, soon())).rejects.toMatchObject({ code: GRPC_STATUS.UNAVAILABLE });
    await expect(c.call('/cancel', Buffer.from('a'), null, soon())).rejects.toMatchObject({ code: GRPC_STATUS.CANCELLED });
    expect(recorder.of('RST_STREAM').length).toBe(2);
    expect((await c.call('/echo', Buffer.from('still'), null, soon())).toString()).toBe('still');
  });

  it('on GOAWAY finishes the streams the server will process, fails the later ones, and the channel opens a new connection', async () => {
    let first: http2.ServerHttp2Stream | null = null;
    handlers.set('/hold', (stream) => {
      if (first === null) {
        first = stream;
        return;
      }
      // The second call has arrived: tell the client only the first will be processed, then answer it.
      stream.session!.goaway(http2.constants.NGHTTP2_NO_ERROR, first.id);
      setTimeout(() => reply(first!, Buffer.from('first')), 50);
    });
    handlers.set('/echo', (stream, body) => reply(stream, body));
    const channel = new H2Channel(endpoint);
    open.push(channel);
    const before = sessions;
    const a = channel.unary('/hold', Buffer.from('1'));
    await new Promise((r) => setTimeout(r, 100));
    const b = channel.unary('/hold', Buffer.from('2')).catch((e: unknown) => e);
    expect((await a).toString()).toBe('first');
    const err = await b;
    expect(err).toBeInstanceOf(GrpcError);
    expect((err as GrpcError).code).toBe(GRPC_STATUS.UNAVAILABLE);
    expect(recorder.of('GOAWAY').length).toBe(1);
    expect((await channel.unary('/echo', Buffer.from('after'))).toString()).toBe('after');
    // One connection before the GOAWAY, one after it.
    expect(sessions).toBe(before + 2);
  });
});

/** The server sessions open now. */
async function sessionsOf(): Promise<Set<http2.Http2Session>> {
  const found = new Set<http2.Http2Session>();
  const probe = new Promise<void>((resolve) => {
    handlers.set('/whoami', (stream) => {
      found.add(stream.session!);
      reply(stream, Buffer.from('me'));
      resolve();
    });
  });
  const c = open[open.length - 1] as H2Connection;
  await c.call('/whoami', Buffer.alloc(0), null, soon());
  await probe;
  return found;
}
