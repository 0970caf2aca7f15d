// Bench: `compare` over 1000 reports made from a recorded fixture, against only reading and JSON.parse-ing the same files.
// Run after `npm run build`: node bench/compare-fleet.mjs [count]. Prints both times and their ratio.
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareReports, writeComparison } from '../dist/compare/index.js';
import { collectReportPaths } from '../dist/compare/read.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const count = Number(process.argv[2] ?? 1000);
const fixture = JSON.parse(await readFile(join(here, '../test/fixtures/reports/full.json'), 'utf8'));

/** A deterministic spread of nodes: every value scaled by a factor from a fixed sequence, a few slow disks. */
function variant(i) {
  const r = structuredClone(fixture);
  const f = 0.8 + ((i * 7919) % 400) / 1000;
  r.artifacts.host.data.hostname = `node-${String(i).padStart(4, '0')}`;
  r.run.id = `bench-${i}`;
  if (r.artifacts.disk?.ok) {
    const sync = r.artifacts.disk.data.fio.syncUs;
    for (const k of Object.keys(sync)) sync[k] *= i % 97 === 0 ? 40 : f;
    r.artifacts.disk.data.fio.writeIops /= f;
  }
  for (const p of r.artifacts.network?.ok ? r.artifacts.network.data.peers : []) for (const k of Object.keys(p.rttMs)) p.rttMs[k] *= f;
  for (const p of r.artifacts.load?.ok ? r.artifacts.load.data.phases : []) {
    p.requests = Math.round(p.requests / f);
    p.latencyUs.p99 *= f;
  }
  return r;
}

const dir = await mkdtemp(join(tmpdir(), 'ea7-bench-'));
try {
  for (let i = 0; i < count; i++) {
    await mkdir(join(dir, `node-${i}`));
    await writeFile(join(dir, `node-${i}`, 'report.json'), JSON.stringify(variant(i), null, 2));
  }
  const paths = await collectReportPaths([dir]);

  // Reference: read and parse every file, nothing else.
  const t0 = performance.now();
  let parsed = 0;
  for (let i = 0; i < paths.length; i += 32) {
    const texts = await Promise.all(paths.slice(i, i + 32).map((p) => readFile(p, 'utf8')));
    for (const t of texts) parsed += JSON.parse(t).schemaVersion;
  }
  const parseMs = performance.now() - t0;

  const t1 = performance.now();
  const fleet = await compareReports([dir]);
  const files = await writeComparison(join(dir, 'out'), fleet, new Date().toISOString());
  const compareMs = performance.now() - t1;

  const outliers = fleet.nodes.filter((n) => n.outliers.length > 0).length;
  console.log(`reports: ${paths.length} (${parsed} parsed), outlier nodes: ${outliers}, files: ${files.length}`);
  console.log(`read + JSON.parse only: ${parseMs.toFixed(0)} ms`);
  console.log(`compare (read, check, summarise, rank, render HTML and CSV, write): ${compareMs.toFixed(0)} ms`);
  console.log(`ratio compare / parse: ${(compareMs / parseMs).toFixed(2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
