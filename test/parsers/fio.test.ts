// The fio parsers on every recorded fixture: JSON and text of the same run agree, pastes still parse, bad input says what was expected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FioSummary, LatencyStats } from '../../src/model/artifacts.js';
import { UsageError } from '../../src/model/errors.js';
import { parseFioJson, parseFioOutput } from '../../src/parsers/fio.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'fio');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Each kind was recorded as one fio run with --output-format=normal,json (see test/fixtures/fio/README.md). */
const KINDS = [
  'etcd-fdatasync',
  'etcd-fdatasync-jsonplus',
  'etcd-fsync',
  'direct-8k-group',
  'multijob',
  'multijob-jsonplus',
  'time-based',
  'buffered-4k',
  'slow-disk',
];
const SYNCED = new Set(['etcd-fdatasync', 'etcd-fdatasync-jsonplus', 'etcd-fsync', 'multijob', 'multijob-jsonplus', 'time-based', 'slow-disk']);
const US_PER: Record<string, number> = { nsec: 0.001, usec: 1, msec: 1000 };

/** The unit fio printed a text block in: the text is exact to one of it, the JSON (nanoseconds) is exact. */
function unitUs(text: string, pattern: RegExp): number {
  const unit = pattern.exec(text)?.[1];
  expect(unit, `unit of ${pattern} in the text`).toBeDefined();
  return US_PER[unit!]!;
}

function expectLatencyAgrees(fromText: LatencyStats, fromJson: LatencyStats, momentsUnitUs: number, percentileUnitUs: number): void {
  expect(Object.keys(fromText).sort()).toEqual(Object.keys(fromJson).sort());
  for (const [key, jsonValue] of Object.entries(fromJson)) {
    const tolerance = key.startsWith('p') ? percentileUnitUs : momentsUnitUs;
    expect(Math.abs(fromText[key]! - jsonValue), `${key}: text ${fromText[key]} vs json ${jsonValue}`).toBeLessThanOrEqual(tolerance);
  }
}

describe('parseFioOutput on real fio 3.33 runs: the JSON and the text of the same run agree', () => {
  for (const kind of KINDS) {
    it(kind, () => {
      const text = read(`${kind}.txt`);
      const fromJson = parseFioOutput(read(`${kind}.json`));
      const fromText = parseFioOutput(text);
      expect(fromJson.version).toBe('fio-3.33');
      expect(fromText.version).toBe('fio-3.33');
      expect(fromText.jobs).toBe(fromJson.jobs);
      expect(fromText.jobName).toBe(fromJson.jobName);
      expect(fromText.totalWriteIos).toBe(fromJson.totalWriteIos);
      expect(fromText.runtimeMs).toBe(fromJson.runtimeMs);
      // fio prints IOPS with 4 significant digits (integers below 10000) and bandwidth with 3.
      expect(Math.abs(fromText.writeIops - fromJson.writeIops)).toBeLessThanOrEqual(Math.max(1, fromJson.writeIops * 0.005));
      expect(Math.abs(fromText.bandwidthBytesPerSec - fromJson.bandwidthBytesPerSec)).toBeLessThanOrEqual(fromJson.bandwidthBytesPerSec * 0.005);
      expect(fromJson.writeIops).toBeGreaterThan(0);
      expect(fromJson.clatUs.p99).toBeGreaterThan(0);
      expectLatencyAgrees(fromText.clatUs, fromJson.clatUs, unitUs(text, /clat \(([num]sec)\):/), unitUs(text, /clat percentiles \(([num]sec)\)/));
      if (SYNCED.has(kind)) {
        expect(fromJson.syncUs).not.toBeNull();
        expect(fromText.syncUs).not.toBeNull();
        expectLatencyAgrees(fromText.syncUs!, fromJson.syncUs!, unitUs(text, /sync \(([num]sec)\):/), unitUs(text, /sync percentiles \(([num]sec)\)/));
      } else {
        expect(fromJson.syncUs).toBeNull();
        expect(fromText.syncUs).toBeNull();
      }
    });
  }
});

describe('figures read from the recordings', () => {
  it('the etcd profile: the fdatasync p99 and p99.9 of the JSON, in microseconds', () => {
    const doc = JSON.parse(read('etcd-fdatasync.json')) as { jobs: { sync: { lat_ns: { percentile: Record<string, number>; max: number } } }[] };
    const ns = doc.jobs[0]!.sync.lat_ns;
    const summary = parseFioJson(read('etcd-fdatasync.json'));
    expect(summary.syncUs!.p99).toBe(ns.percentile['99.000000']! / 1000);
    expect(summary.syncUs!['p99.9']).toBe(ns.percentile['99.900000']! / 1000);
    expect(summary.syncUs!.max).toBe(ns.max / 1000);
    expect(Object.keys(summary.syncUs!)).toEqual(
      expect.arrayContaining(['p50', 'p90', 'p99', 'p99.5', 'p99.9', 'p99.95', 'p99.99', 'min', 'avg', 'max', 'stdev']),
    );
  });

  it('the slow disk: "sync percentiles (msec)" become microseconds', () => {
    const text = read('slow-disk.txt');
    const p99Ms = Number(/99\.00th=\[\s*(\d+)\]/.exec(text.slice(text.indexOf('sync percentiles (msec)')))![1]);
    expect(parseFioOutput(text).syncUs!.p99).toBe(p99Ms * 1000);
    expect(p99Ms).toBeGreaterThan(20);
  });

  it('group_reporting: one result for jobs=2, IOPS with a k suffix', () => {
    const text = read('direct-8k-group.txt');
    expect(text).toMatch(/jobs=2\)/);
    const iops = /IOPS=([\d.]+)k/.exec(text)![1]!;
    const summary = parseFioOutput(text);
    expect(summary.jobs).toBe(1);
    expect(summary.writeIops).toBe(Number(iops) * 1000);
  });

  it('several jobs without group_reporting: IOPS add up, latency is the worst job', () => {
    const text = read('multijob.txt');
    const perJobIops = [...text.matchAll(/IOPS=(\d+)/g)].map((m) => Number(m[1]));
    const perJobSyncMax = [...text.matchAll(/sync \(usec\): min=\d+, max=(\d+)/g)].map((m) => Number(m[1]));
    expect(perJobIops).toHaveLength(2);
    const summary = parseFioOutput(text);
    expect(summary.jobs).toBe(2);
    expect(summary.writeIops).toBe(perJobIops[0]! + perJobIops[1]!);
    expect(summary.syncUs!.max).toBe(Math.max(...perJobSyncMax));
  });
});

describe('pastes: the same run as the recording, however it arrived', () => {
  const reference = (kind: string) => parseFioOutput(read(`${kind}.txt`));
  const same = (a: FioSummary, b: FioSummary) => expect({ ...a, version: null }).toEqual({ ...b, version: null });

  it('all on one line', () => {
    same(parseFioOutput(read('etcd-fdatasync.oneline.txt')), reference('etcd-fdatasync'));
    same(parseFioOutput(read('direct-8k-group.oneline.txt')), reference('direct-8k-group'));
    expect(read('etcd-fdatasync.oneline.txt')).not.toContain('\n');
  });

  it('quoted in a reply, "> " before every line', () => {
    const quoted = read('multijob.txt').replace(/^/gm, '> ');
    expect(parseFioOutput(quoted)).toEqual(reference('multijob'));
  });

  it('with CRLF line ends', () => {
    expect(parseFioOutput(read('etcd-fdatasync.crlf.txt'))).toEqual(reference('etcd-fdatasync'));
  });

  it('without the header: the figures, no version', () => {
    const noHeader = parseFioOutput(read('etcd-fdatasync.noheader.txt'));
    same(noHeader, reference('etcd-fdatasync'));
    expect(noHeader.version).toBeNull();
    same(parseFioOutput(read('multijob.noheader.txt')), reference('multijob'));
  });

  it('the whole --output-format=normal,json output as fio printed it: the JSON wins', () => {
    const text = read('etcd-fdatasync.txt');
    const split = text.indexOf('\n\n');
    const whole = `${text.slice(0, split)}\n${read('etcd-fdatasync.json')}${text.slice(split)}`;
    expect(parseFioOutput(whole)).toEqual(parseFioOutput(read('etcd-fdatasync.json')));
  });

  it('JSON on one line, after a note fio printed', () => {
    const json = read('etcd-fdatasync.json');
    expect(parseFioOutput(`note: both iodepth >= 1 and synchronous I/O engine are selected ${json.replace(/\n/g, ' ')}`)).toEqual(parseFioOutput(json));
  });
});

describe('bad input: one clear error that says what was expected', () => {
  const cases: [string, string | (() => string), RegExp][] = [
    ['an empty file', 'bad-empty.txt', /the input is empty: expected fio 3\.x output/],
    ['ping output', 'bad-ping.txt', /this is not fio output \(it starts with "PING 127\.0\.0\.1.*"\): expected fio 3\.x output/],
    ['truncated JSON', 'bad-truncated.json', /fio JSON is incomplete or malformed .*cut off.*expected fio 3\.x output/],
    ["JSON that is not fio's", () => '{"jobs": "none", "name": "x"}', /this JSON is not fio's/],
    ['a read-only fio job', () => read('etcd-fdatasync.txt').replace(/write: IOPS/g, 'read: IOPS'), /has no write results: the etcd disk test is a write test/],
    ['a job that failed (text)', 'job-error.txt', /fio job "full" ended with error 28 \(No space left on device\): its figures are partial/],
    ['a job that failed (JSON)', 'job-error.json', /fio job "full" ended with error 28: its figures are partial/],
    ['groups that ran one after another (text)', 'two-groups.txt', /holds 2 groups that ran one after another .*one group at a time/],
    ['groups that ran one after another (JSON)', 'two-groups.json', /holds 2 groups that ran one after another/],
    ['fio terse output', () => '3;fio-3.33;etcd;0;0;0;0;0;0;0', /terse output/],
    ['fio 2.x text', () => 'etcd: (groupid=0, jobs=1): err= 0: pid=1\n  write: io=22528KB, bw=1250.6KB/s, iops=556, runt= 18015msec', /fio 2\.x/],
  ];
  for (const [what, input, message] of cases) {
    it(what, () => {
      const text = typeof input === 'string' ? read(input) : input();
      expect(() => parseFioOutput(text)).toThrow(UsageError);
      expect(() => parseFioOutput(text)).toThrow(message);
    });
  }
});
