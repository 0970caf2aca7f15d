// observeCluster against a real 3-member etcd cluster: a window's figures, its saved scrapes read back, a member killed mid-window.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObservationArtifact } from '../../src/model/observation.js';
import { observeCluster, readSavedObservation } from '../../src/probes/observe.js';
import { metricsUrl } from '../../src/metrics/scrape.js';
import { describeEtcd } from '../support/etcd-versions.js';
import { startTestCluster, writeFor, type TestCluster } from '../support/etcd-cluster.js';

const dirs: string[] = [];

describe.each(['3.4.23', '3.5.30'])('a recorded window of etcd %s (record-window.sh)', (version) => {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'metrics', `window-${version}`);

  it('parses to the same figures as the live run computed from the same scrapes', async () => {
    const recorded = JSON.parse(readFileSync(join(dir, 'observation.json'), 'utf8')) as ObservationArtifact;
    const again = await readSavedObservation(dir);
    expect(again).toEqual(recorded);
    expect(again.members.map((m) => m.version)).toEqual([version, version, version]);
  });

  it('counts the WAL fsyncs of the window as the raw text has them', async () => {
    const again = await readSavedObservation(dir);
    const files = readdirSync(join(dir, 'm1')).sort();
    const countIn = (f: string) => Number(/^etcd_disk_wal_fsync_duration_seconds_count (\S+)$/m.exec(readFileSync(join(dir, 'm1', f), 'utf8'))![1]);
    expect(again.members[0]!.figures!.walFsync!.count).toBe(countIn(files[files.length - 1]!) - countIn(files[0]!));
    expect(again.members[0]!.figures!.walFsync!.count).toBeGreaterThan(100);
  });
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describeEtcd('observeCluster', (etcd) => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ hosts: ['127.0.0.34', '127.0.0.35', '127.0.0.36'], binary: etcd.binary, parentDir: '/dev/shm' });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('scrapes every member at the start, each interval and the end, and its saved scrapes give the same figures', async () => {
    const save = await mkdtemp(join(tmpdir(), 'obs-save-'));
    dirs.push(save);
    const targets = cluster.members.map((m) => ({ endpoint: m.clientUrl, metricsUrl: metricsUrl(m.metricsUrl) }));
    const [{ artifact }] = await Promise.all([observeCluster({ targets, forMs: 6000, everyMs: 2000, saveDir: save }), writeFor(cluster.endpoints, 5000)]);
    expect(artifact.members).toHaveLength(3);
    expect(artifact.durationSec).toBeGreaterThanOrEqual(5.5);
    expect(artifact.endedEarly).toBeUndefined();
    for (const m of artifact.members) {
      // t = 0, 2, 4, 6 s: four rounds.
      expect(m.scrapes).toBe(4);
      expect(m.failedScrapes).toBe(0);
      expect(m.outages).toEqual([]);
      expect(m.version).toBe(etcd.version);
      expect(m.figures!.walFsync!.count).toBeGreaterThan(10);
      expect(m.figures!.walFsync!.p99Ms).toBeGreaterThan(0);
      expect(m.figures!.leaderChanges).toBe(0);
      expect(m.series.map((p) => Math.round(p.tSec / 2))).toEqual([1, 2, 3]);
      expect(m.first!.quotaBytes).toBe(2 ** 31);
      expect(m.last!.dbSizeBytes).toBeGreaterThan(0);
    }
    // Each member's peers are the other two, by the ids the others report for themselves.
    const ids = artifact.members.map((m) => m.memberId);
    expect(new Set(ids).size).toBe(3);
    expect((await readdir(save)).sort()).toEqual(['m1', 'm2', 'm3', 'timelines.json']);
    const again = await readSavedObservation(save);
    expect(again).toEqual(artifact);
  });

  it('ends early on a signal and still reports what it saw', async () => {
    const targets = cluster.members.map((m) => ({ endpoint: m.clientUrl, metricsUrl: metricsUrl(m.clientUrl) }));
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 2500);
    const t0 = Date.now();
    const { artifact } = await observeCluster({ targets, forMs: 60_000, everyMs: 1000, signal: stop.signal });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(artifact.endedEarly).toBe('interrupted');
    expect(artifact.requestedSec).toBe(60);
    for (const m of artifact.members) expect(m.scrapes).toBeGreaterThanOrEqual(3);
  });

  it('records when a killed member went away; the others keep complete figures', async () => {
    const targets = cluster.members.map((m) => ({ endpoint: m.clientUrl, metricsUrl: metricsUrl(m.metricsUrl) }));
    const victim = cluster.members[2]!;
    let killedAt = 0;
    const killer = new Promise<void>((resolve) =>
      setTimeout(() => {
        killedAt = Date.now();
        void victim.kill().then(resolve);
      }, 3000),
    );
    const [{ artifact }] = await Promise.all([observeCluster({ targets, forMs: 8000, everyMs: 1000 }), killer, writeFor(cluster.endpoints, 7000)]);
    const [a, b, gone] = artifact.members;
    for (const m of [a!, b!]) {
      expect(m.failedScrapes).toBe(0);
      expect(m.scrapes).toBe(9);
      expect(m.figures!.walFsync!.count).toBeGreaterThan(0);
    }
    expect(gone!.outages).toHaveLength(1);
    const out = gone!.outages[0]!;
    expect(out.backAt).toBeNull();
    expect(new Date(out.lastSeenAt!).getTime()).toBeLessThanOrEqual(killedAt + 200);
    expect(new Date(out.from).getTime()).toBeGreaterThanOrEqual(killedAt);
    expect(new Date(out.from).getTime() - killedAt).toBeLessThan(2500);
    expect(out.error).toMatch(/refused|reset|no reply/);
    expect(gone!.scrapes).toBeGreaterThanOrEqual(3);
    expect(gone!.scrapes + gone!.failedScrapes).toBe(9);
  });
});
