// Units of fio's text output that this machine's disk cannot produce (GiB/s, M IOPS, msec clat, k-suffixed max), tested by rewriting a real recording's lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytes, count, parseFioText } from '../../src/parsers/fio-text.js';

const recorded = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'fio', 'direct-8k-group.txt'), 'utf8');

describe('fio text units', () => {
  it('sizes: binary by default, decimal with --kb_base=1000', () => {
    expect(bytes('1.5', 'GiB')).toBe(1.5 * 2 ** 30);
    expect(bytes('291', 'MiB')).toBe(291 * 2 ** 20);
    expect(bytes('5399', 'KiB')).toBe(5399 * 1024);
    expect(bytes('6550', 'B')).toBe(6550);
    expect(bytes('305', 'MB')).toBe(305e6);
    expect(bytes('5528', 'kB')).toBe(5528e3);
  });

  it('counts: k and M suffixes', () => {
    expect(count('37.2', 'k')).toBe(37200);
    expect(count('1.2', 'M')).toBe(1.2e6);
    expect(count('2403', '')).toBe(2403);
  });

  it('a fast disk: BW in GiB/s and IOPS with an M suffix', () => {
    const fast = recorded.replace(/write: IOPS=\S+ BW=\S+/, 'write: IOPS=1.10M, BW=4.20GiB/s');
    const summary = parseFioText(fast);
    expect(summary.writeIops).toBe(1.1e6);
    expect(summary.bandwidthBytesPerSec).toBe(4.2 * 2 ** 30);
  });

  it('a slow disk: clat in msec, with a k-suffixed max, and msec percentiles', () => {
    const slow = recorded
      .replace(/clat \(usec\): min=\d+, max=\d+/, 'clat (msec): min=2, max=1235k')
      .replace('clat percentiles (usec)', 'clat percentiles (msec)');
    const clat = parseFioText(slow).clatUs;
    expect(clat.min).toBe(2000);
    expect(clat.max).toBe(1235e6);
    const p99Recorded = Number(/99\.00th=\[\s*(\d+)\]/.exec(recorded)![1]);
    expect(clat.p99).toBe(p99Recorded * 1000);
  });

  it('only the write lines of a job, without its "(groupid=" line', () => {
    const lines = recorded.slice(recorded.indexOf('  write: IOPS'), recorded.indexOf('  lat (usec)   :'));
    const summary = parseFioText(lines);
    expect(summary.jobs).toBe(1);
    expect(summary.clatUs.p99).toBe(parseFioText(recorded).clatUs.p99);
    // No "issued rwts" line: writes are IOPS x runtime.
    expect(summary.totalWriteIos).toBe(Math.round((summary.writeIops * summary.runtimeMs) / 1000));
  });
});
