// `compare` as a library call: paths in, the fleet comparison and its two files out.
import { join } from 'node:path';
import { UsageError } from '../model/errors.js';
import { compareFleet, type FleetComparison } from './fleet.js';
import { collectReportPaths, readSummaries } from './read.js';
import { renderCompareCsv, renderCompareHtml } from './render.js';
import { writeFileAtomic } from '../util/atomic.js';
import { ensureOutDir } from '../util/out-dir.js';

export async function compareReports(inputs: string[]): Promise<FleetComparison> {
  const paths = await collectReportPaths(inputs);
  if (paths.length === 0) throw new UsageError('give at least one report.json or a directory of them');
  return compareFleet(await readSummaries(paths));
}

export async function writeComparison(outDir: string, fleet: FleetComparison, generatedAt: string): Promise<string[]> {
  await ensureOutDir(outDir);
  const html = join(outDir, 'compare.html');
  const csv = join(outDir, 'compare.csv');
  await writeFileAtomic(html, renderCompareHtml(fleet, generatedAt));
  await writeFileAtomic(csv, renderCompareCsv(fleet));
  return [html, csv];
}
