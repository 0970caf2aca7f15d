// Drives the suite's delay proxy through a real echo server: the added delay, the stalls, the order of bytes and stop/start are measured.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy } from './delay-proxy.js';

let echo: Server;
let echoPort: number;

beforeAll(async () => {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((r) => echo.close(() => r()));
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  });
}

/** Sends a numbered line every `everyMs` for `forMs`, and records when each echo came back. */
async function pingPong(port: number, everyMs: number, forMs: number): Promise<{ sentAt: number[]; backAt: number[]; order: number[] }> {
  const socket = await open(port);
  const sentAt: number[] = [];
  const backAt: number[] = [];
  const order: number[] = [];
  let buffered = '';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const n = Number(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      order.push(n);
      backAt[n] = Date.now();
    }
  });
  const count = Math.floor(forMs / everyMs);
  for (let i = 0; i < count; i++) {
    sentAt[i] = Date.now();
    socket.write(`${i}\n`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  // Wait for the last echoes (a stall may hold them).
  const deadline = Date.now() + 3000;
  while (order.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.destroy();
  return { sentAt, backAt, order };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe('delay proxy', () => {
  it('adds the fixed delay each way and holds everything during a stall, keeping byte order', async () => {
    const direct = await pingPong(echoPort, 20, 400);
    const directRtts = direct.sentAt.map((t, i) => direct.backAt[i]! - t);

    const proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: echoPort, delayMs: 30, stall: { everyMs: 4000, forMs: 1500, firstAtMs: 1000 } });
    try {
      const slow = await pingPong(proxy.port, 50, 3500);
      expect(slow.order).toEqual(slow.sentAt.map((_, i) => i));
      const rtts = slow.sentAt.map((t, i) => slow.backAt[i]! - t);
      // Round trip gains 2 x 30 ms; the loopback itself adds well under a millisecond.
      expect(median(directRtts)).toBeLessThan(20);
      expect(median(rtts)).toBeGreaterThanOrEqual(60);
      expect(median(rtts)).toBeLessThan(60 + 60);
      let longestGap = 0;
      for (let i = 1; i < slow.backAt.length; i++) longestGap = Math.max(longestGap, slow.backAt[i]! - slow.backAt[i - 1]!);
      // The 1.5 s stall shows as one gap with no echo, minus at most the 50 ms send interval.
      expect(longestGap).toBeGreaterThan(1400);
      expect(longestGap).toBeLessThan(2500);
      expect(Math.max(...rtts)).toBeGreaterThan(1400);
      expect(proxy.stallWindows(3500)).toEqual([{ startMs: 1000, endMs: 2500 }]);
    } finally {
      await proxy.close();
    }
  });

  it('stop() cuts open connections and start() listens again on the same port', async () => {
    const proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: echoPort, delayMs: 5 });
    try {
      const port = proxy.port;
      const socket = await open(port);
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      socket.on('error', () => {});
      await proxy.stop();
      await closed;
      await expect(open(port)).rejects.toThrow(/ECONNREFUSED/);
      expect(await proxy.start()).toBe(port);
      const again = await pingPong(port, 20, 200);
      expect(again.order.length).toBe(10);
    } finally {
      await proxy.close();
    }
  });

  it('passes a half-close on after the data queued before it', async () => {
    const proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: echoPort, delayMs: 40 });
    try {
      const socket = connect({ host: '127.0.0.1', port: proxy.port, allowHalfOpen: true });
      const received: Buffer[] = [];
      socket.on('data', (c: Buffer) => received.push(c));
      const ended = new Promise<void>((r) => socket.once('end', () => r()));
      socket.end('hello, slow world');
      await ended;
      expect(Buffer.concat(received).toString()).toBe('hello, slow world');
      socket.destroy();
    } finally {
      await proxy.close();
    }
  });
});
