// Finds report.json files among the paths given to `compare` and reads each into a node summary, many at a time.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CLUSTER_REPORT_KIND } from '../cluster/report.js';
import { UsageError } from '../model/errors.js';
import { readReport } from '../report/load.js';
import { summarise, type NodeSummary } from './fleet.js';

/** Enough reads in flight to hide file-system latency, few enough not to run out of file descriptors. */
const READ_CONCURRENCY = 32;
/** run --cluster's driver writes <out>/cluster/cluster-report.json beside the node reports: compare reads both. */
export const CLUSTER_REPORT_FILE = 'cluster-report.json';
/** run writes reports/<host>-<run id>/report.json: two levels cover a directory of such directories and one above it. */
const MAX_DEPTH = 3;

async function walk(dir: string, depth: number, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      // run's scratch space holds fio files and etcd data, never reports.
      if (depth < MAX_DEPTH && !e.name.startsWith('.')) await walk(path, depth + 1, found);
    } else if (e.isFile() && (e.name === 'report.json' || e.name === CLUSTER_REPORT_FILE || (depth === 0 && e.name.endsWith('.json')))) {
      found.push(path);
    }
  }
}

/** Files as given; a directory contributes its *.json files and every report.json below it. */
export async function collectReportPaths(inputs: string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      throw new UsageError(`${input}: no such file or directory`);
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(input, 0, found);
      if (found.length === 0) throw new UsageError(`${input} holds no report.json (looked for *.json in it and report.json below it)`);
      paths.push(...found.sort());
    } else paths.push(input);
  }
  return [...new Set(paths)];
}

/** The kind is the second key the cluster report writes: its head is enough, and a huge or endless file is not read whole here (readReport refuses it later in one line). */
const KIND_SNIFF_BYTES = 4096;

async function readHead(path: string): Promise<string> {
  const info = await stat(path);
  if (!info.isFile()) return '';
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(KIND_SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, KIND_SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Node reports and cluster reports apart: a cluster report is named so, or says so in its kind. */
export async function splitClusterReports(paths: string[]): Promise<{ nodes: string[]; clusters: string[] }> {
  const nodes: string[] = [];
  const clusters: string[] = [];
  for (const p of paths) {
    if (basename(p) === CLUSTER_REPORT_FILE) clusters.push(p);
    else if (
      basename(p) !== 'report.json' &&
      (await readHead(p).then(
        (t) => t.includes(`"kind": "${CLUSTER_REPORT_KIND}"`),
        () => false,
      ))
    )
      clusters.push(p);
    else nodes.push(p);
  }
  return { nodes, clusters };
}

export async function readSummaries(paths: string[]): Promise<NodeSummary[]> {
  const out = new Array<NodeSummary>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      const path = paths[i]!;
      // Only the summary is kept: a thousand full reports with their samples would hold far more memory than needed.
      out[i] = summarise(await readReport(path), path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return out;
}
