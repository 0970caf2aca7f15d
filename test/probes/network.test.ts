// Real ICMP, TCP and HTTP probes on loopback: a real etcd member's peer port, directly and through the delay proxy with a fixed delay and stalls.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import { startEmbeddedEtcd, type EmbeddedEtcd } from '../../src/etcd/embedded.js';
import { UsageError } from '../../src/model/errors.js';
import { probeOk } from '../../src/model/probe.js';
import { runNetworkProbe } from '../../src/probes/network.js';
import { measured } from '../support/probes.js';
import { refuseBadInput } from '../../src/model/probe.js';
import { gatherHost } from '../../src/probes/host.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';

let scratch: string;
let etcd: EmbeddedEtcd;
let listener: Server;
let listenerPort: number;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ea4-net-'));
  etcd = await startEmbeddedEtcd({ parentDir: scratch, name: 'ea4-peer' });
  // Reads what comes (so the peer's FIN is seen) and hangs up at once: a TCP port that is not etcd.
  listener = createServer((s) => {
    s.resume();
    s.end();
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  listenerPort = (listener.address() as { port: number }).port;
});

afterAll(async () => {
  await etcd?.stop();
  await new Promise<void>((r) => listener.close(() => r()));
  await rm(scratch, { recursive: true, force: true });
});

describe('runNetworkProbe on loopback', () => {
  it('measures ICMP, TCP and HTTP at once and keeps per-peer errors apart', async () => {
    const t0 = Date.now();
    const net = await measured(runNetworkProbe({ peers: ['127.0.0.1', '::1', 'ea4-no-such-peer!'], method: 'icmp', count: 10, intervalMs: 50 }));
    const [v4, v6, unknown] = net.peers;
    for (const p of [v4!, v6!]) {
      expect(p).toMatchObject({ method: 'icmp', loopback: true, sent: 10, received: 10, lossPct: 0 });
      expect(p.error).toBeUndefined();
      expect(p.samplesMs).toHaveLength(10);
      expect(p.rttMs.p50!).toBeGreaterThan(0);
      expect(p.rttMs.p50!).toBeLessThan(20);
      for (const key of ['min', 'p50', 'avg', 'p90', 'p99', 'p99.9', 'max', 'stdev']) expect(p.rttMs[key]).toBeTypeOf('number');
      // min/avg/max/mdev are ping's own summary line, at ping's three decimals; the percentiles come from the samples.
      expect(p.rttFromPingSummary).toBe(true);
      for (const key of ['min', 'avg', 'max', 'stdev']) expect(Number(p.rttMs[key]!.toFixed(3))).toBe(p.rttMs[key]);
      // -D timestamps put each probe at its real send time, about 50 ms apart.
      expect(p.samples[9]!.tMs - p.samples[0]!.tMs).toBeGreaterThan(9 * 40);
      expect(p.longestGapMs).toBeLessThan(500);
    }
    expect(unknown).toMatchObject({ host: 'ea4-no-such-peer!', received: 0, errorKind: 'unresolvable' });
    expect(unknown!.error).toMatch(/cannot resolve ea4-no-such-peer!/);
    // In parallel: two peers of 10 x 50 ms take about 0.5 s, not twice that.
    expect(Date.now() - t0).toBeLessThan(5000);

    const tcp = await measured(
      runNetworkProbe({
        peers: [`127.0.0.1:${listenerPort}`, `127.0.0.1:${etcd.peerUrl.split(':')[2]}`, '127.0.0.1:1'],
        method: 'tcp',
        count: 5,
        intervalMs: 50,
      }),
    );
    expect(tcp.peers[0]).toMatchObject({ method: 'tcp', port: listenerPort, sent: 5, received: 5 });
    expect(tcp.peers[1]).toMatchObject({ method: 'tcp', sent: 5, received: 5 });
    expect(tcp.peers[2]).toMatchObject({ method: 'tcp', port: 1, received: 0, errorKind: 'refused' });

    const http = await measured(runNetworkProbe({ peers: [etcd.peerUrl], method: 'http', count: 10, intervalMs: 50 }));
    expect(http.peers[0]).toMatchObject({ method: 'http', url: `${etcd.peerUrl}/version`, sent: 10, received: 10, lossPct: 0 });
    expect(http.peers[0]!.rttMs.p50!).toBeLessThan(50);

    // A TCP port that hangs up is no peer URL.
    const wrong = await measured(runNetworkProbe({ peers: [`http://127.0.0.1:${listenerPort}`], method: 'http', count: 2, intervalMs: 50 }));
    expect(wrong.peers[0]).toMatchObject({ received: 0 });
    expect(wrong.peers[0]!.error).toBeDefined();
  });

  it('auto falls back to TCP where ICMP is not permitted or ping is missing; icmp says why', async () => {
    // A copy of ping without its file capability, run with CAP_NET_RAW dropped: ICMP is really not permitted.
    const ping = join(scratch, 'ping');
    await copyFile('/usr/bin/ping', ping);
    const noRaw = ['setpriv', '--bounding-set', '-net_raw', '--inh-caps', '-net_raw', ping];
    const peer = `127.0.0.1:${listenerPort}`;
    const [icmp, auto, missing] = await Promise.all([
      measured(runNetworkProbe({ peers: [peer], method: 'icmp', count: 3, intervalMs: 50, pingCommand: noRaw })),
      measured(runNetworkProbe({ peers: [peer], method: 'auto', count: 3, intervalMs: 50, pingCommand: noRaw })),
      measured(runNetworkProbe({ peers: [peer], method: 'auto', count: 3, intervalMs: 50, pingCommand: [join(scratch, 'no-such-ping')] })),
    ]);
    expect(icmp.peers[0]).toMatchObject({ method: 'icmp', received: 0, errorKind: 'not-permitted' });
    expect(icmp.peers[0]!.error).toMatch(/Operation not permitted/);
    expect(auto.peers[0]).toMatchObject({ method: 'tcp', port: listenerPort, received: 3 });
    expect(auto.peers[0]!.note).toMatch(/ICMP could not be used/);
    expect(missing.peers[0]).toMatchObject({ method: 'tcp', received: 3 });
    expect(missing.peers[0]!.note).toMatch(/not installed/);
  });

  it('returns malformed peers and unreadable TLS files as bad input (exit 2 in a command), never throwing', async () => {
    const bad = async (options: Parameters<typeof runNetworkProbe>[0]) => {
      const r = await runNetworkProbe(options);
      expect(r).toMatchObject({ ok: false, kind: 'bad-input' });
      expect(() => refuseBadInput(r)).toThrow(UsageError);
      return r.ok ? '' : r.error;
    };
    expect(await bad({ peers: ['10.0.0.1:http'], method: 'tcp', count: 1, intervalMs: 50 })).toBeTruthy();
    expect(await bad({ peers: ['ftp://10.0.0.1'], method: 'http', count: 1, intervalMs: 50 })).toMatch(/URL scheme must be http, https/);
    expect(await bad({ peers: [''], method: 'icmp', count: 1, intervalMs: 50 })).toMatch(/--peers is empty/);
    expect(await bad({ peers: ['127.0.0.1'], method: 'http', count: 1, intervalMs: 50, tls: { cacert: join(scratch, 'nope.pem') } })).toMatch(
      /--cacert .*no such file/,
    );
  });
});

describe('http method through the delay proxy in front of a real etcd peer port', () => {
  let proxy: DelayProxy;
  const DELAY_MS = 30;
  const STALL = { everyMs: 4000, forMs: 1500, firstAtMs: 2000 };

  afterAll(async () => {
    await proxy?.close();
  });

  it('sees the added delay in p50 and the stalls in the longest gap, while the direct path stays fast', async () => {
    const peerPort = Number(new URL(etcd.peerUrl).port);
    proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: peerPort, delayMs: DELAY_MS, stall: STALL });
    // Both at once, ~8 s: stalls at 2-3.5 s and 6-7.5 s of the proxy's clock.
    const net = await measured(runNetworkProbe({ peers: [etcd.peerUrl, `http://${proxy.address}`], method: 'http', count: 80, intervalMs: 100 }));
    const [direct, slow] = net.peers;
    expect(direct).toMatchObject({ method: 'http', sent: 80, received: 80 });
    expect(direct!.rttMs.p50!).toBeLessThan(20);
    expect(direct!.longestGapMs).toBeLessThan(1000);

    expect(slow!.received).toBe(slow!.sent);
    expect(slow!.sent).toBeGreaterThan(40);
    // Each round trip crosses the proxy twice.
    expect(slow!.rttMs.p50!).toBeGreaterThanOrEqual(2 * DELAY_MS);
    expect(slow!.rttMs.p50!).toBeLessThan(2 * DELAY_MS + 40);
    expect(slow!.longestGapMs).toBeGreaterThan(STALL.forMs - 100);
    expect(slow!.longestGapMs).toBeLessThan(STALL.forMs + 1500);
    expect(slow!.rttMs.max!).toBeGreaterThan(STALL.forMs - 200);

    // The advisor (not the probe) turns this into a stall warning for the slow path only.
    const { checks } = advise({ host: await gatherHost(), network: probeOk(net) });
    const stalls = checks.filter((c) => c.id === 'network.stall');
    expect(stalls.map((c) => c.status)).toEqual(['pass', 'info']);
    expect(stalls[1]!.message).toMatch(/followers would start an election/);
  });
});
