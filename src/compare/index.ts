// `compare` as a library call: paths in, the fleet comparison and its two files out.
import { join } from 'node:path';
import { UsageError } from '../model/errors.js';
import { compareFleet, type FleetComparison } from './fleet.js';
import { readClusterSummary } from './clusters.js';
import { collectReportPaths, readSummaries, splitClusterReports } from './read.js';
import { renderClustersCsv, renderCompareCsv, renderCompareHtml } from './render.js';
import { writeFileAtomic } from '../util/atomic.js';
import { ensureOutDir } from '../util/out-dir.js';

export async function compareReports(inputs: string[]): Promise<FleetComparison> {
  const paths = await collectReportPaths(inputs);
  if (paths.length === 0) throw new UsageError('give at least one report.json or a directory of them');
  const { nodes, clusters } = await splitClusterReports(paths);
  const fleet = compareFleet(await readSummaries(nodes));
  if (clusters.length > 0) fleet.clusters = await Promise.all(clusters.map(readClusterSummary));
  return fleet;
}

export async function writeComparison(outDir: string, fleet: FleetComparison, generatedAt: string): Promise<string[]> {
  await ensureOutDir(outDir);
  const html = join(outDir, 'compare.html');
  const csv = join(outDir, 'compare.csv');
  await writeFileAtomic(html, renderCompareHtml(fleet, generatedAt));
  await writeFileAtomic(csv, renderCompareCsv(fleet));
  if (fleet.clusters === undefined || fleet.clusters.length === 0) return [html, csv];
  const clustersCsv = join(outDir, 'compare-clusters.csv');
  await writeFileAtomic(clustersCsv, renderClustersCsv(fleet.clusters));
  return [html, csv, clustersCsv];
}
