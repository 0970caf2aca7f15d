// Fleet comparison: per-node figures from real reports, ranks, and the MAD outlier rule on the side that hurts etcd.
import { describe, expect, it } from 'vitest';
import {
  compareFleet,
  fleetFails,
  FDATASYNC_OUTLIER_FLOOR_MS,
  RTT_OUTLIER_FLOOR_MS,
  MIN_OUTLIER_RATIO,
  MODIFIED_Z_CONSTANT,
  MODIFIED_Z_CUTOFF,
  outlierCutoff,
  summarise,
} from '../../src/compare/fleet.js';
import { loadFixture } from '../report/fixtures.js';
import { fleetWithSlowDisk, scaledNode } from './fleet-fixture.js';

describe('summarise', () => {
  it('takes the figures from a recorded report', () => {
    const r = loadFixture('full');
    const n = summarise(r, 'full.json');
    if (!r.artifacts.disk?.ok || !r.artifacts.load?.ok || !r.artifacts.network?.ok) throw new Error('fixture changed');
    expect(n.metrics.fdatasyncP99Ms).toBe(r.artifacts.disk.data.fio.syncUs!.p99! / 1000);
    expect(n.metrics.writeIops).toBe(r.artifacts.disk.data.fio.writeIops);
    expect(n.metrics.rttP99Ms).toBe(r.artifacts.network.data.peers[0]!.rttMs.p99);
    const phases = r.artifacts.load.data.phases;
    expect(n.metrics.loadRatePerSec).toBeCloseTo(phases.reduce((a, p) => a + p.requests, 0) / phases.reduce((a, p) => a + p.durationSec, 0), 6);
    expect(n.metrics.loadP99Ms).toBe(Math.max(...phases.map((p) => p.latencyUs.p99!)) / 1000);
    expect(n.rttLoopbackOnly).toBe(true);
    expect(n).toMatchObject({ host: 'vm', verdict: 'qualified', scenario: 'default', failing: [], errors: [] });
  });

  it('has no disk figures when fio could not run, and names the checks that could not run', () => {
    const n = summarise(loadFixture('no-fio'), 'no-fio.json');
    expect(n.metrics.fdatasyncP99Ms).toBeNull();
    expect(n.metrics.writeIops).toBeNull();
    expect(n.errors).toContain('fdatasync p99 latency of the WAL disk');
    expect(n.verdict).toBe('incomplete');
  });

  it('prefers real peers over the loopback baseline for RTT', () => {
    const r = loadFixture('quick');
    if (!r.artifacts.network?.ok) throw new Error('fixture changed');
    const loop = r.artifacts.network.data.peers[0]!;
    r.artifacts.network.data.peers.push({ ...loop, host: '10.0.0.2', loopback: false, rttMs: { ...loop.rttMs, p99: 0.9 } });
    const n = summarise(r, 'x');
    expect(n.metrics.rttP99Ms).toBe(0.9);
    expect(n.rttLoopbackOnly).toBe(false);
  });
});

describe('compareFleet', () => {
  it('flags the slow disk, only it, and puts it first', () => {
    const fleet = compareFleet(fleetWithSlowDisk(50).map((r, i) => summarise(r, `${i}.json`)));
    expect(fleet.nodes[0]!.host).toBe('slow-disk');
    expect(fleet.nodes[0]!.outliers).toEqual(['fdatasyncP99Ms', 'writeIops']);
    expect(fleet.nodes.slice(1).every((n) => n.outliers.length === 0)).toBe(true);
    const disk = fleet.metrics.find((m) => m.key === 'fdatasyncP99Ms')!;
    expect(disk.outliers).toBe(1);
    expect(disk.cutoff).toBe(outlierCutoff(disk.median!, disk.mad!, 'lower'));
    expect(fleet.nodes[0]!.ranks.fdatasyncP99Ms).toBe(11);
  });

  it('does not flag a node that is far out in MAD terms but less than 1.5x the median', () => {
    const fleet = compareFleet(fleetWithSlowDisk(1.4).map((r, i) => summarise(r, `${i}.json`)));
    const slow = fleet.nodes.find((n) => n.host === 'slow-disk')!;
    const disk = fleet.metrics.find((m) => m.key === 'fdatasyncP99Ms')!;
    // The robust z-score alone would flag it:
    expect((MODIFIED_Z_CONSTANT * (slow.metrics.fdatasyncP99Ms! - disk.median!)) / disk.mad!).toBeGreaterThan(MODIFIED_Z_CUTOFF);
    expect(slow.metrics.fdatasyncP99Ms! / disk.median!).toBeLessThan(MIN_OUTLIER_RATIO);
    expect(slow.outliers).toEqual([]);
  });

  it('flags a fast outlier only on the side that hurts: a much faster disk is not an outlier', () => {
    const fleet = compareFleet([...fleetWithSlowDisk(1).slice(0, 10), scaledNode('fast', { disk: 0.1 })].map((r, i) => summarise(r, `${i}.json`)));
    expect(fleet.nodes.every((n) => n.outliers.length === 0)).toBe(true);
    expect(fleet.nodes.find((n) => n.host === 'fast')!.ranks.fdatasyncP99Ms).toBe(1);
  });

  it('ranks but flags nothing with fewer than three nodes', () => {
    const fleet = compareFleet([scaledNode('a', {}), scaledNode('b', { disk: 50 })].map((r) => summarise(r, 'x')));
    expect(fleet.nodes.map((n) => n.outliers)).toEqual([[], []]);
    expect(fleet.metrics[0]!.cutoff).toBeNull();
    expect(fleet.nodes.map((n) => [n.host, n.ranks.fdatasyncP99Ms])).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
  });

  it('gives equal figures the same rank and counts verdicts and duplicate hosts', () => {
    const a = summarise(scaledNode('same', {}), 'a.json');
    const b = summarise(scaledNode('same', {}), 'b.json');
    const c = summarise(loadFixture('no-fio'), 'c.json');
    const fleet = compareFleet([a, b, c]);
    expect(a.ranks.fdatasyncP99Ms).toBe(1);
    expect(b.ranks.fdatasyncP99Ms).toBe(1);
    expect(c.ranks.fdatasyncP99Ms).toBeNull();
    expect(fleet.verdicts).toEqual({ 'not-qualified': 0, incomplete: 1, qualified: 2 });
    expect(fleet.duplicateHosts).toEqual(['same']);
    expect(fleet.scenarios).toEqual(['default', 'quick']);
    expect(fleet.nodes[0]!.source).toBe('c.json');
  });

  it('has no median, cut-off or chart for a figure no node has', () => {
    const fleet = compareFleet(['a', 'b', 'c'].map((h) => summarise(loadFixture('no-fio'), `${h}.json`)));
    const disk = fleet.metrics.find((m) => m.key === 'fdatasyncP99Ms')!;
    expect(disk).toEqual({ key: 'fdatasyncP99Ms', nodes: 0, median: null, mad: null, cutoff: null, outliers: 0, group: null, apart: 0 });
    expect(fleet.nodes.every((n) => n.ranks.fdatasyncP99Ms === null)).toBe(true);
  });

  it('issue 12 case 7: a passing disk 5x slower than the median, and a 0.256 ms RTT 3x the median, are not outliers; a healthy fleet exits 0', () => {
    const reports = [...fleetWithSlowDisk(5).slice(0, 10), scaledNode('slow-disk', { disk: 5 }), scaledNode('rtt', { rtt: 6.5 })];
    const fleet = compareFleet(reports.map((r, i) => summarise(r, `${i}.json`)));
    const rtt = fleet.nodes.find((n) => n.host === 'rtt')!;
    expect(rtt.metrics.rttP99Ms!).toBeLessThan(RTT_OUTLIER_FLOOR_MS);
    expect(fleet.nodes.find((n) => n.host === 'slow-disk')!.metrics.fdatasyncP99Ms!).toBeLessThan(FDATASYNC_OUTLIER_FLOOR_MS);
    expect(fleet.nodes.every((n) => n.outliers.length === 0)).toBe(true);
    expect(fleetFails(fleet)).toBe(false);
  });

  it('ranks only runs measured alike: an http-method RTT is listed apart from icmp runs, with why and the method', () => {
    const http = scaledNode('http-node', { rtt: 117.8 });
    if (http.artifacts.network?.ok) for (const p of http.artifacts.network.data.peers) Object.assign(p, { method: 'http', loopback: false, host: '10.0.0.9' });
    const fleet = compareFleet([...fleetWithSlowDisk(1).slice(0, 5), http].map((r, i) => summarise(r, `${i}.json`)));
    const node = fleet.nodes.find((n) => n.host === 'http-node')!;
    expect(node.rttMethod).toBe('http');
    expect(node.ranks.rttP99Ms).toBeNull();
    expect(node.outliers).toEqual([]);
    expect(node.apart.map((a) => a.why).join()).toMatch(/RTT method http.*icmp.*not ranked/);
    expect(fleet.metrics.find((m) => m.key === 'rttP99Ms')).toMatchObject({ group: 'icmp (loopback baseline)', apart: 1 });
  });

  it('never gives a negative cut-off: a fleet spread wider than its median has none on the higher-is-better side', () => {
    const fleet = compareFleet([0.05, 0.06, 1, 8, 9].map((d, i) => summarise(scaledNode(`n${i}`, { disk: d }), `${i}.json`)));
    const iops = fleet.metrics.find((m) => m.key === 'writeIops')!;
    expect(iops.cutoff).toBeNull();
    expect(iops.cutoffNote).toMatch(/wider than its median/);
  });

  it('exits 1 for an outlier that matters: a judged figure past its floor and 2x the median', () => {
    const fleet = compareFleet(fleetWithSlowDisk(50).map((r, i) => summarise(r, `${i}.json`)));
    expect(fleet.nodes[0]!.significant).toEqual(['fdatasyncP99Ms', 'writeIops']);
    expect(fleetFails(fleet)).toBe(true);
  });
});
