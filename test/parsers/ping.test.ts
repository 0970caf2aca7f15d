// Reads recorded iputils and busybox ping outputs (and BSD/macOS ones written from their documented format) into replies, loss and errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { parsePing } from '../../src/parsers/ping.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ping', name), 'utf8');
const parse = (name: string) => parsePing(fixture(name));

describe('parsePing: iputils (recorded)', () => {
  it('reads a normal run and agrees with its summary', () => {
    const p = parse('iputils-normal.txt');
    expect(p.flavour).toBe('iputils');
    expect(p.host).toBe('10.204.4.2');
    expect(p.firstSeq).toBe(1);
    expect(p.sent).toBe(10);
    expect(p.received).toBe(10);
    expect(p.lossPct).toBe(0);
    expect(p.replies.get(1)).toBe(0.04);
    expect(p.replies.get(10)).toBe(0.035);
    expect(p.summary).toMatchObject({ transmitted: 10, received: 10, duplicates: 0, lossPct: 0, rttMs: { min: 0.035, avg: 0.038, max: 0.049, spread: 0.004 } });
    expect(Math.min(...p.replies.values())).toBe(p.summary!.rttMs!.min);
    expect(Math.max(...p.replies.values())).toBe(p.summary!.rttMs!.max);
    expect(p.errors).toEqual([]);
  });

  it('counts lost probes from the gap in sequence numbers and the summary', () => {
    const p = parse('iputils-loss.txt');
    expect(p.sent).toBe(20);
    expect(p.received).toBe(12);
    expect(p.lossPct).toBe(40);
    expect([...p.replies.keys()]).toEqual([1, 2, 3, 4, 5, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('keeps the late replies of a stall with their long RTTs', () => {
    const p = parse('iputils-stall.txt');
    expect(p.received).toBe(20);
    expect(p.replies.get(6)).toBe(2056);
    expect(p.replies.get(15)).toBe(200);
  });

  it('reads a SIGINT-stopped run (iputils prints the summary) and a SIGKILLed one (no summary) alike', () => {
    const stopped = parse('iputils-sigint.txt');
    expect(stopped.summary?.transmitted).toBe(6);
    const killed = parse('iputils-killed.txt');
    expect(killed.summary).toBeNull();
    expect(killed.sent).toBe(6);
    expect(killed.received).toBe(6);
    expect(killed.lossPct).toBe(0);
    expect(killed.replies.get(6)).toBe(0.041);
  });

  it('computes sent and loss from the reply lines when the summary is cut off', () => {
    const lines = fixture('iputils-loss.txt').split('\n');
    const cut = lines.slice(0, lines.findIndex((l) => l.includes('icmp_seq=16')) + 1).join('\n');
    const p = parsePing(cut);
    expect(p.summary).toBeNull();
    expect(p.sent).toBe(16);
    expect(p.received).toBe(8);
    expect(p.lossPct).toBe(50);
  });

  it('reads -D timestamps', () => {
    const p = parse('iputils-timestamps.txt');
    expect(p.replyLines[0]!.atUnixMs).toBeCloseTo(1795499484987.516, 2);
    expect(p.replyLines[4]!.atUnixMs! - p.replyLines[0]!.atUnixMs!).toBeCloseTo(812.798, 2);
  });

  it('reads IPv6 output', () => {
    const p = parse('iputils-ipv6-loopback.txt');
    expect(p.flavour).toBe('iputils');
    expect(p.host).toBe('::1');
    expect(p.received).toBe(3);
  });

  it('counts duplicates with and without (DUP!) marks, and keeps the first reply of each sequence', () => {
    for (const name of ['iputils-broadcast-duplicates.txt', 'iputils-broadcast-duplicates-verbose.txt']) {
      const p = parse(name);
      expect(p.sent).toBe(4);
      expect(p.received).toBe(4);
      expect(p.duplicates).toBe(3);
      expect(p.summary?.duplicates).toBe(3);
      expect(p.replyLines.filter((r) => r.duplicate).map((r) => r.from)).toEqual(['10.204.4.2', '10.204.4.2', '10.204.4.2']);
    }
  });

  it('reports unreachable hosts as lost probes with an error', () => {
    const p = parse('iputils-unreachable.txt');
    expect(p.sent).toBe(6);
    expect(p.received).toBe(0);
    expect(p.lossPct).toBe(100);
    expect(p.reportedLost).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p.summary?.errors).toBe(6);
    expect(p.errors).toEqual([{ kind: 'unreachable', line: 'From 10.204.4.9 icmp_seq=1 Destination Host Unreachable' }]);
    expect(parse('iputils-network-unreachable.txt').errors[0]?.kind).toBe('network-unreachable');
  });

  it('classifies unknown hosts, an unreachable name server and a missing capability', () => {
    expect(parse('iputils-unknown-host.txt').errors).toEqual([{ kind: 'unresolvable', line: 'ping: bad_host!: Name or service not known' }]);
    expect(parse('iputils-dns-unavailable.txt').errors[0]?.kind).toBe('unresolvable');
    const denied = parse('iputils-not-permitted.txt');
    expect(denied.errors.map((e) => e.kind)).toEqual(['not-permitted']);
    expect(denied.sent).toBe(0);
  });
});

describe('parsePing: busybox (recorded)', () => {
  it('numbers from 0 and reads its summary', () => {
    const p = parse('busybox-normal.txt');
    expect(p.flavour).toBe('busybox');
    expect(p.firstSeq).toBe(0);
    expect(p.sent).toBe(10);
    expect(p.received).toBe(10);
    expect(p.summary?.rttMs).toEqual({ min: 0.026, avg: 0.04, max: 0.054 });
  });

  it('counts loss, duplicates and a summary-less run', () => {
    expect(parse('busybox-loss.txt')).toMatchObject({ sent: 20, received: 12, lossPct: 40 });
    expect(parse('busybox-broadcast-duplicates.txt')).toMatchObject({ sent: 4, received: 4, duplicates: 3 });
    const killed = parse('busybox-killed.txt');
    expect(killed.summary).toBeNull();
    expect(killed).toMatchObject({ flavour: 'busybox', sent: 6, received: 6, lossPct: 0 });
    expect(parse('busybox-sigint.txt').summary?.transmitted).toBe(6);
  });

  it('reports silence, unknown hosts and a missing capability', () => {
    expect(parse('busybox-unreachable.txt')).toMatchObject({ sent: 4, received: 0, lossPct: 100, errors: [] });
    expect(parse('busybox-unknown-host.txt').errors[0]?.kind).toBe('unresolvable');
    expect(parse('busybox-not-permitted.txt').errors[0]?.kind).toBe('not-permitted');
  });
});

describe('parsePing: BSD and macOS (documented format)', () => {
  it('reads FreeBSD output with stddev and duplicates', () => {
    const p = parse('bsd-freebsd-normal.txt');
    expect(p.flavour).toBe('bsd');
    expect(p.firstSeq).toBe(0);
    expect(p).toMatchObject({ sent: 4, received: 4, lossPct: 0 });
    expect(p.summary?.rttMs).toEqual({ min: 0.198, avg: 0.222, max: 0.253, spread: 0.021 });
    expect(parse('bsd-freebsd-duplicates.txt')).toMatchObject({ sent: 2, received: 2, duplicates: 2 });
  });

  it('reads macOS request timeouts as lost probes, with or without a summary', () => {
    const p = parse('bsd-macos-timeouts.txt');
    expect(p).toMatchObject({ sent: 6, received: 4, reportedLost: [2, 3] });
    expect(p.summary?.lossPct).toBe(33.3);
    const cut = parse('bsd-macos-interrupted.txt');
    expect(cut.summary).toBeNull();
    expect(cut).toMatchObject({ flavour: 'bsd', sent: 4, received: 3, lossPct: 25, reportedLost: [2] });
  });

  it('reports unreachable, unknown hosts and a missing permission', () => {
    const p = parse('bsd-unreachable.txt');
    expect(p).toMatchObject({ sent: 2, received: 0 });
    expect(p.errors).toEqual([{ kind: 'unreachable', line: '92 bytes from 10.0.0.1: Destination Host Unreachable' }]);
    expect(parse('bsd-unknown-host.txt').errors[0]?.kind).toBe('unresolvable');
    expect(parse('bsd-not-permitted.txt').errors[0]?.kind).toBe('not-permitted');
  });
});

describe('parsePing: not ping output', () => {
  it('throws a UsageError naming the expected format', () => {
    expect(() => parsePing('hello\nworld\n')).toThrow(UsageError);
    expect(() => parsePing('')).toThrow(/not ping output/);
  });
});
