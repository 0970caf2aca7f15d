// Percentiles, loss and the longest gap without a reply, from samples and from recorded ping runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePing } from '../../src/parsers/ping.js';
import { peerFromPing, samplesFromPing } from '../../src/probes/rtt-icmp.js';
import { longestGapMs, peerResult, rttStats } from '../../src/probes/rtt-stats.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ping', name), 'utf8');

describe('rttStats', () => {
  it('gives min, percentiles (type 7), avg, max and the sample stdev', () => {
    const s = rttStats([4, 1, 3, 2, 5]);
    expect(s).toMatchObject({ min: 1, p50: 3, avg: 3, max: 5 });
    expect(s.p90).toBeCloseTo(4.6, 10);
    expect(s.stdev).toBeCloseTo(Math.sqrt(2.5), 10);
    expect(rttStats([])).toEqual({});
  });
});

describe('longestGapMs', () => {
  it('is about one interval on a healthy link', () => {
    const samples = Array.from({ length: 10 }, (_, i) => ({ tMs: i * 100, rttMs: 1 }));
    expect(longestGapMs(samples, 100)).toBe(100);
  });

  it('spans lost probes, and runs to one interval past the last probe when the end is lost', () => {
    const samples = [0, 100, 200, 300, 400].map((tMs) => ({ tMs, rttMs: tMs === 200 || tMs === 300 ? null : 1 }));
    expect(longestGapMs(samples, 100)).toBe(300);
    const tail = [0, 100, 200].map((tMs) => ({ tMs, rttMs: tMs === 0 ? 1 : null }));
    expect(longestGapMs(tail, 100)).toBe(299);
  });

  it('takes replies in arrival order, as held-up replies arrive together', () => {
    // Sent at 0,100,200; the first is held for 1000 ms, the others come back at once behind it.
    const samples = [
      { tMs: 0, rttMs: 1000 },
      { tMs: 100, rttMs: 900 },
      { tMs: 200, rttMs: 800 },
    ];
    expect(longestGapMs(samples, 100)).toBe(1000);
  });
});

describe('peers from recorded ping output', () => {
  it('finds the stall of a link that was down for 1.6 s (replies queued, then delivered together)', () => {
    const peer = peerFromPing(parsePing(fixture('iputils-stall.txt')), 200);
    expect(peer).toMatchObject({ host: '10.204.4.2', method: 'icmp', sent: 20, received: 20, lossPct: 0 });
    expect(peer.longestGapMs).toBeGreaterThan(1600);
    // ping's own summary (2056.024), not the reply line's 2056, which ping rounds above 100 ms.
    expect(peer.rttMs.max).toBe(2056.024);
  });

  it("takes min/avg/max/mdev from ping's own summary line, percentiles from the samples", () => {
    const parsed = parsePing(fixture('iputils-normal.txt'));
    const peer = peerFromPing(parsed, 200);
    // The replies average 0.0389 ms; ping said 0.038, and ping's figure is the one an operator compares with.
    expect(peer.rttMs).toMatchObject({ min: 0.035, avg: 0.038, max: 0.049, stdev: 0.004 });
    expect(peer.rttFromPingSummary).toBe(true);
    expect(peer.rttMs.p50).toBe(rttStats(peer.samplesMs).p50);
    expect(peer.rttMs.p99).toBe(rttStats(peer.samplesMs).p99);
    const bsd = peerFromPing(parsePing(fixture('bsd-freebsd-normal.txt')), 1000);
    expect(bsd.rttMs).toMatchObject({ min: 0.198, avg: 0.222, max: 0.253, stdev: 0.021 });
    // Without a summary (a run cut short), every figure comes from the replies.
    const cut = peerFromPing(parsePing(fixture('iputils-killed.txt')), 200);
    expect(cut.rttFromPingSummary).toBeUndefined();
    expect(cut.rttMs.avg).toBe(rttStats(cut.samplesMs).avg);
  });

  it('uses -D timestamps for the send times', () => {
    const parsed = parsePing(fixture('iputils-timestamps.txt'));
    const samples = samplesFromPing(parsed, 200);
    expect(samples[0]!.tMs).toBe(0);
    expect(samples[4]!.tMs).toBeCloseTo(812.798 - 0.026 + 0.041, 2);
  });

  it('carries loss, and errors of runs that measured nothing', () => {
    expect(peerFromPing(parsePing(fixture('busybox-loss.txt')), 200)).toMatchObject({ sent: 20, received: 12, lossPct: 40 });
    expect(peerFromPing(parsePing(fixture('iputils-unreachable.txt')), 500)).toMatchObject({ received: 0, errorKind: 'unreachable' });
    expect(peerFromPing(parsePing(fixture('busybox-unreachable.txt')), 500)).toMatchObject({ received: 0, errorKind: 'no-reply' });
    expect(peerFromPing(parsePing(fixture('iputils-not-permitted.txt')), 1000)).toMatchObject({ received: 0, errorKind: 'not-permitted' });
    const unknown = peerFromPing(parsePing(fixture('bsd-unknown-host.txt')), 1000);
    expect(unknown).toMatchObject({ host: 'unknown', errorKind: 'unresolvable' });
  });

  it('keeps the key names of the artifact', () => {
    const peer = peerResult({ host: 'h', loopback: false }, 'tcp', [{ tMs: 0, rttMs: 1 }], 100);
    expect(Object.keys(peer)).toEqual(
      expect.arrayContaining(['host', 'method', 'sent', 'received', 'lossPct', 'rttMs', 'samplesMs', 'samples', 'longestGapMs']),
    );
  });
});
