// Parses real etcd /metrics scrapes (recorded from 3-member clusters under load) and the text format's corner cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, parseValue } from '../../src/metrics/parse.js';

const fixture = (version: string, name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'metrics', `etcd-${version}`, name), 'utf8');

/** Sample lines of a text, read apart from the parser: "name{labels} value" with the labels kept raw. */
function rawLines(text: string): { name: string; labels: string; value: string }[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(l)!;
      return { name: m[1]!, labels: m[2] ?? '', value: m[3]! };
    });
}

describe.each(['3.4.23', '3.5.30'])('a real etcd %s scrape', (version) => {
  const text = fixture(version, 'm1-after.txt');
  const families = parseExposition(text);

  it('has one family per TYPE line and accounts for every sample line', () => {
    const typed = text.split('\n').filter((l) => l.startsWith('# TYPE ')).length;
    expect(families.size).toBe(typed);
    let lines = 0;
    for (const f of families.values()) {
      if (f.type === 'histogram') lines += f.histograms.reduce((n, h) => n + h.buckets.length + 2, 0);
      else if (f.type !== 'summary') lines += f.samples.length;
    }
    const summaryLines = rawLines(text).filter((l) => families.get(l.name.replace(/_(sum|count)$/, ''))?.type === 'summary').length;
    expect(lines + summaryLines).toBe(rawLines(text).length);
  });

  it('reads counters and gauges as the text has them', () => {
    for (const l of rawLines(text).filter(
      (r) => r.labels === '' && families.get(r.name)?.type !== undefined && ['counter', 'gauge'].includes(families.get(r.name)!.type),
    )) {
      expect(families.get(l.name)!.samples[0]!.value).toBe(parseValue(l.value));
    }
    expect(families.get('etcd_server_quota_backend_bytes')!.samples[0]!.value).toBe(2 ** 31);
  });

  it('keeps each peer RTT series apart, with cumulative buckets ending at +Inf = count', () => {
    const rtt = families.get('etcd_network_peer_round_trip_time_seconds')!;
    expect(rtt.type).toBe('histogram');
    expect(rtt.histograms.map((h) => Object.keys(h.labels))).toEqual([['To'], ['To']]);
    expect(new Set(rtt.histograms.map((h) => h.labels['To'])).size).toBe(2);
    for (const f of families.values()) {
      for (const h of f.histograms) {
        const last = h.buckets[h.buckets.length - 1]!;
        expect(last.le).toBe(Infinity);
        expect(last.count).toBe(h.count);
        for (let i = 1; i < h.buckets.length; i++) {
          expect(h.buckets[i]!.le).toBeGreaterThan(h.buckets[i - 1]!.le);
          expect(h.buckets[i]!.count).toBeGreaterThanOrEqual(h.buckets[i - 1]!.count);
        }
      }
    }
    // ETCD-FACTS.md "Metrics and alert thresholds": peer RTT buckets are ExponentialBuckets(0.0001, 2, 16).
    expect(rtt.histograms[0]!.buckets.map((b) => b.le)).toEqual(
      [...Array.from({ length: 16 }, (_, i) => 0.0001 * 2 ** i), Infinity].map((x) => expect.closeTo(x, 12)),
    );
  });

  it('reads info gauges by their labels', () => {
    expect(families.get('etcd_server_version')!.samples[0]!.labels).toEqual({ server_version: version });
    expect(families.get('etcd_server_id')!.samples[0]!.labels['server_id']).toMatch(/^[0-9a-f]+$/);
  });
});

describe('parseExposition: the text format', () => {
  it('unescapes label values and HELP text, allows a trailing comma, spaces and timestamps', () => {
    const f = parseExposition('# HELP x A \\\\ help\\nline\n# TYPE x counter\nx{path="C:\\\\DIR",msg="say \\"hi\\"\\n", } 3 1395066363000\n');
    expect(f.get('x')!.help).toBe('A \\ help\nline');
    expect(f.get('x')!.samples).toEqual([{ labels: { path: 'C:\\DIR', msg: 'say "hi"\n' }, value: 3 }]);
  });

  it('reads Go float spellings', () => {
    const f = parseExposition('a 2.147483648e+09\nb +Inf\nc -Inf\nd NaN\ne 1e-05\n');
    expect(['a', 'b', 'c', 'e'].map((n) => f.get(n)!.samples[0]!.value)).toEqual([2147483648, Infinity, -Infinity, 0.00001]);
    expect(f.get('d')!.samples[0]!.value).toBeNaN();
    expect(f.get('a')!.type).toBe('untyped');
  });

  it("keeps a summary's count and leaves its quantiles, NaN or not", () => {
    const f = parseExposition(
      '# TYPE go_gc_duration_seconds summary\ngo_gc_duration_seconds{quantile="0"} NaN\ngo_gc_duration_seconds_sum 0\ngo_gc_duration_seconds_count 0\n',
    );
    expect(f.get('go_gc_duration_seconds')!.samples).toEqual([{ labels: {}, value: 0 }]);
  });

  it('groups histogram series by their labels without le, in any line order', () => {
    const f = parseExposition(
      '# TYPE h histogram\nh_bucket{op="b",le="+Inf"} 1\nh_bucket{le="1",op="a"} 2\nh_bucket{op="a",le="+Inf"} 3\nh_count{op="a"} 3\nh_sum{op="a"} 1.5\nh_bucket{op="b",le="1"} 0\n',
    );
    const [a, b] = [...f.get('h')!.histograms].sort((x, y) => x.labels['op']!.localeCompare(y.labels['op']!));
    expect(a).toEqual({
      labels: { op: 'a' },
      buckets: [
        { le: 1, count: 2 },
        { le: Infinity, count: 3 },
      ],
      count: 3,
      sum: 1.5,
    });
    expect(b!.buckets).toEqual([
      { le: 1, count: 0 },
      { le: Infinity, count: 1 },
    ]);
  });

  it('refuses what is not an exposition, naming the line', () => {
    expect(() => parseExposition('<html><body>404</body></html>')).toThrow(ExpositionError);
    expect(() => parseExposition('{"error":"no"}')).toThrow(/line 1/);
    expect(() => parseExposition('ok 1\nbroken{a="1" 2\n')).toThrow(/line 2/);
    expect(() => parseExposition('')).toThrow(/no sample/);
    expect(() => parseExposition('# TYPE x wrong\nx 1\n')).toThrow(/unknown type/);
    expect(() => parseExposition('x 0x10\n')).toThrow(/not a number/);
  });
});
