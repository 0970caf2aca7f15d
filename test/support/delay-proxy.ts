// A TCP proxy on loopback that adds a fixed one-way delay and periodic stalls: the suite's slow network, since this kernel has no netem.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface StallSchedule {
  /** A stall starts every `everyMs`... */
  everyMs: number;
  /** ...and holds all traffic, both ways, for `forMs`. */
  forMs: number;
  /** When the first stall starts, counted from start(); default `everyMs`. */
  firstAtMs?: number;
}

export interface DelayProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Added to every chunk in each direction, so a round trip gains twice this. */
  delayMs?: number;
  stall?: StallSchedule;
  /** Where the proxy listens; default 127.0.0.1 on a free port. */
  listenHost?: string;
  listenPort?: number;
}

interface Pending {
  releaseAt: number;
  chunk: Buffer;
}

/**
 * One direction of one connection: chunks leave in arrival order, each no earlier than its arrival plus the delay,
 * and none while a stall window is open.
 */
class DelayedPipe {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastReleaseAt = 0;
  private ended = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly proxy: DelayProxy,
  ) {
    from.on('data', (chunk: Buffer) => this.push(chunk));
    from.on('end', () => {
      this.ended = true;
      this.flushLater();
    });
  }

  private push(chunk: Buffer): void {
    const releaseAt = Math.max(this.proxy.releaseTime(Date.now() + this.proxy.delayMs), this.lastReleaseAt);
    this.lastReleaseAt = releaseAt;
    this.queue.push({ releaseAt, chunk });
    // A deep queue means the far side is slower than the near one: pause the reader, as a real link would.
    if (this.queue.length > 256) this.from.pause();
    this.flushLater();
  }

  private flushLater(): void {
    if (this.timer !== null) return;
    const next = this.queue[0];
    if (next === undefined) {
      if (this.ended && !this.to.destroyed) this.to.end();
      return;
    }
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush();
      },
      Math.max(0, next.releaseAt - Date.now()),
    );
  }

  private flush(): void {
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0]!.releaseAt <= now) {
      const { chunk } = this.queue.shift()!;
      if (!this.to.destroyed) this.to.write(chunk);
    }
    if (this.queue.length <= 64 && this.from.isPaused()) this.from.resume();
    this.flushLater();
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}

export class DelayProxy {
  delayMs: number;
  stall: StallSchedule | undefined;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly pipes = new Set<DelayedPipe>();
  private startedAt = 0;
  private boundPort: number;
  private closed = false;

  constructor(private readonly options: DelayProxyOptions) {
    this.delayMs = options.delayMs ?? 0;
    this.stall = options.stall;
    this.boundPort = options.listenPort ?? 0;
  }

  get host(): string {
    return this.options.listenHost ?? '127.0.0.1';
  }

  /** The listening port; valid after start(). */
  get port(): number {
    return this.boundPort;
  }

  /** "host:port" of the proxy, for URLs and peer lists. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Milliseconds since start(), the clock the stall schedule runs on. */
  elapsedMs(now = Date.now()): number {
    return now - this.startedAt;
  }

  /** The stall windows [startMs, endMs) that began before `untilMs` on the proxy's clock, for tests to compare against. */
  stallWindows(untilMs = this.elapsedMs()): { startMs: number; endMs: number }[] {
    const s = this.stall;
    if (s === undefined) return [];
    const windows: { startMs: number; endMs: number }[] = [];
    for (let t = s.firstAtMs ?? s.everyMs; t < untilMs; t += s.everyMs) windows.push({ startMs: t, endMs: t + s.forMs });
    return windows;
  }

  /** The earliest moment at or after `at` (epoch ms) outside every stall window. */
  releaseTime(at: number): number {
    const s = this.stall;
    if (s === undefined || s.forMs <= 0 || s.everyMs <= 0) return at;
    const first = s.firstAtMs ?? s.everyMs;
    const t = at - this.startedAt;
    if (t < first) return at;
    const intoCycle = (t - first) % s.everyMs;
    return intoCycle < s.forMs ? at + (s.forMs - intoCycle) : at;
  }

  /** Listens (again, on the same port after a stop()) and starts the stall clock; returns the port. */
  async start(): Promise<number> {
    if (this.closed) throw new Error('delay proxy is closed');
    if (this.server !== null) return this.boundPort;
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('delay proxy: no TCP address');
    this.boundPort = address.port;
    this.server = server;
    this.startedAt = Date.now();
    return this.boundPort;
  }

  /** Stops listening and cuts every open connection, as a peer that went away; start() brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const p of this.pipes) p.close();
    this.pipes.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** stop() for good. */
  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
  }

  private accept(client: Socket): void {
    // Half-open on both sides: a FIN is passed on only after the data queued before it, as on a real slow link.
    const upstream = connect({ host: this.options.targetHost, port: this.options.targetPort, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const pipes = [new DelayedPipe(client, upstream, this), new DelayedPipe(upstream, client, this)];
    for (const p of pipes) this.pipes.add(p);
    const forget = () => {
      for (const p of pipes) {
        p.close();
        this.pipes.delete(p);
      }
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    const reset = () => {
      forget();
      client.destroy();
      upstream.destroy();
    };
    client.on('error', reset);
    upstream.on('error', reset);
    let open = 2;
    const closed = () => {
      if (--open === 0) forget();
    };
    client.on('close', closed);
    upstream.on('close', closed);
  }
}

/** Creates and starts a proxy in one step. */
export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const proxy = new DelayProxy(options);
  await proxy.start();
  return proxy;
}
