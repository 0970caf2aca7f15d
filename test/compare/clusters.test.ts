// compare reads cluster reports (run --cluster) beside node reports: found where the driver writes them, one row per load round.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClusterSummary } from '../../src/compare/clusters.js';
import { fleetFails } from '../../src/compare/fleet.js';
import { compareReports, writeComparison } from '../../src/compare/index.js';
import { renderCompareText } from '../../src/compare/render.js';
import { fixturePath } from '../report/fixtures.js';

const CLUSTER_FIXTURE = new URL('../fixtures/cluster/cluster-report-quick-validate.json', import.meta.url).pathname;
const NODE_FIXTURE = new URL('../fixtures/cluster/n2-report.json', import.meta.url).pathname;

describe('compare with cluster reports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ea13-compare-'));
    // As run --cluster leaves them: <out>/report.json on every node, <out>/cluster/cluster-report.json on the driver.
    await mkdir(join(dir, 'n1', 'cluster'), { recursive: true });
    await copyFile(fixturePath('quick'), join(dir, 'n1', 'report.json'));
    await copyFile(CLUSTER_FIXTURE, join(dir, 'n1', 'cluster', 'cluster-report.json'));
    await mkdir(join(dir, 'n2'));
    await copyFile(NODE_FIXTURE, join(dir, 'n2', 'report.json'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks the node reports and lists the cluster apart', async () => {
    const fleet = await compareReports([dir]);
    expect(fleet.nodes).toHaveLength(2);
    expect(fleet.clusters).toHaveLength(1);
    const c = fleet.clusters![0]!;
    expect(c.members).toEqual(['n1', 'n2', 'n3']);
    expect(c.rounds.map((r) => r.flags)).toEqual(['defaults', 'recommended']);
    expect(c.slowestPair).toMatch(/^n\d->n\d [\d.]+ ms \(http\)$/);
  });

  it('writes compare-clusters.csv and a clusters section in compare.html', async () => {
    const out = join(dir, 'out');
    const files = await writeComparison(out, await compareReports([dir]), '2026-12-01T00:00:00Z');
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['compare.html', 'compare.csv', 'compare-clusters.csv']);
    const csv = await readFile(join(out, 'compare-clusters.csv'), 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(3);
    expect(csv).toContain(',n1 n2 n3,n1,');
    expect(await readFile(join(out, 'compare.html'), 'utf8')).toContain('Clusters qualified together');
  });

  it('says each cluster report on the terminal, and a cluster that does not qualify fails the comparison', async () => {
    const fleet = await compareReports([join(dir, 'n1', 'cluster', 'cluster-report.json')]);
    expect(fleet.nodes).toHaveLength(0);
    expect(renderCompareText(fleet, [])).toMatch(
      /^0 nodes: .*\nCluster n1, n2, n3 \(run 20261201T094002Z-625e, .*cluster-report\.json\): qualified; slowest pair n\d->n\d /,
    );
    expect(fleetFails(fleet)).toBe(false);
    const failing = JSON.parse(await readFile(CLUSTER_FIXTURE, 'utf8')) as { verdict: string };
    failing.verdict = 'not-qualified';
    await mkdir(join(dir, 'failing'));
    await writeFile(join(dir, 'failing', 'cluster-report.json'), JSON.stringify(failing));
    const failed = await compareReports([join(dir, 'failing', 'cluster-report.json')]);
    expect(renderCompareText(failed, [])).toContain('): not-qualified;');
    expect(fleetFails(failed)).toBe(true);
  });

  it('writes no cluster files when there is no cluster report', async () => {
    const out = join(dir, 'out-nodes');
    const files = await writeComparison(out, await compareReports([join(dir, 'n2')]), '2026-12-01T00:00:00Z');
    expect(files).toHaveLength(2);
  });

  it('refuses a cluster report of another schema version, or one with a bad figure, in one line naming the file', async () => {
    const good = JSON.parse(await readFile(CLUSTER_FIXTURE, 'utf8')) as Record<string, unknown> & { cluster: { rounds: { heartbeatMs: unknown }[] } };
    const write = async (name: string, doc: unknown) => {
      const path = join(dir, name, 'cluster-report.json');
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(path, JSON.stringify(doc));
      return path;
    };
    const v2 = await write('v2', { ...good, schemaVersion: 2 });
    await expect(readClusterSummary(v2)).rejects.toThrow(
      new RegExp(`^${v2.replace(/[.]/g, '\\.')}: schemaVersion 2 is not one this etcd-advisor reads \\(it reads cluster reports of 1\\)$`),
    );
    const bad = structuredClone(good);
    bad.cluster.rounds[0]!.heartbeatMs = 'fast';
    const badPath = await write('bad', bad);
    await expect(readClusterSummary(badPath)).rejects.toThrow(
      `${badPath}: not a valid etcd-advisor cluster report: cluster.rounds[0].heartbeatMs: Expected number, received string`,
    );
    const noVersion = await write('none', { ...good, schemaVersion: undefined });
    await expect(readClusterSummary(noVersion)).rejects.toThrow(/schemaVersion missing is not one/);
    await expect(compareReports([join(dir, 'v2')])).rejects.toThrow(/v2\/cluster-report\.json: schemaVersion 2/);
  });
});
