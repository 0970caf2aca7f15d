// One judge: `load` and `advise --from` say the same about every saved load phase, old reports (thresholds with a saved verdict) included, and about a fresh real load.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise, judgeSections } from '../../src/advisor/advise.js';
import { assembleReport } from '../../src/run.js';
import type { Artifacts, LoadArtifact } from '../../src/model/artifacts.js';
import type { Check } from '../../src/model/check.js';
import { exitCodeFor } from '../../src/model/check.js';
import { probeError, probeOk } from '../../src/model/probe.js';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../support/cli.js';
import { readFileSync } from 'node:fs';

const FIXTURES = ['quick', 'full', 'no-fio', 'thresholds'] as const;
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/reports/${name}.json`, import.meta.url));
const SCENARIO = fileURLToPath(new URL('../fixtures/scenarios/thresholds.yaml', import.meta.url));

/** Checks in a stable order, so that two judges' lists compare. */
const sorted = (checks: readonly Check[]) => [...checks].sort((a, b) => `${a.title}${a.message}`.localeCompare(`${b.title}${b.message}`));

async function adviseFromLoad(path: string): Promise<{ load: Check[]; exitCode: number | undefined }> {
  const r = await runCli(['advise', '--from', path, '--json']);
  const findings = (JSON.parse(String(r.stdout)) as { findings: Check[] }).findings;
  return { load: findings.filter((c) => c.section === 'load'), exitCode: r.exitCode };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shape-agree-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('load and advise --from agree', () => {
  it.each(FIXTURES)('on every phase of the recorded report %s.json', async (name) => {
    const report = JSON.parse(readFileSync(fixture(name), 'utf8')) as Report;
    // What `load` judges: its artifact alone, as runLoadSession passes it to the advisor.
    const asLoad = judgeSections({ host: probeError('not gathered by load', 'not-asked'), load: report.artifacts.load! }, ['load']);
    const fromReport = await adviseFromLoad(fixture(name));
    expect(asLoad.checks.length).toBeGreaterThan(0);
    expect(sorted(fromReport.load)).toEqual(sorted(asLoad.checks));
  });

  it('re-judges the old {expr, ok, actual} thresholds from their expressions, keeping what they measured', async () => {
    const report = JSON.parse(readFileSync(fixture('thresholds'), 'utf8')) as Report;
    const { checks, verdict } = judgeSections(report.artifacts, ['load']);
    const thresholds = checks.filter((c) => c.id === 'load.thresholds');
    expect(thresholds.map((c) => [c.title, c.status])).toEqual([
      ['load thresholds: closed-mix', 'fail'],
      ['load thresholds: open-put', 'pass'],
    ]);
    expect(thresholds[0]!.message).toMatch(/^missed: p50 < 1us \(p50 = \d+\.\d\dms\)\.$/);
    // The recorded run came to the same verdict through the old engine.
    expect(verdict).toBe(report.verdict);
  });

  it('on a fresh real load: the checks `load --json` prints are the ones `advise --from` gives for its artifact, and the exit code follows them', async () => {
    const r = await runCli(['load', '--scenario', SCENARIO, '--json']);
    const out = JSON.parse(String(r.stdout)) as LoadArtifact & { checks: Check[]; verdict: Report['verdict'] };
    expect(out.phases.map((p) => p.name)).toEqual(['closed-mix', 'open-put']);
    // The engine carries the thresholds as written; only the advisor says whether they hold.
    expect(out.phases[0]!.thresholds).toEqual(['errors == 0', 'p99 < 1s', 'p50 < 1us', 'requests > 100']);
    expect(out.checks.find((c) => c.title === 'load thresholds: closed-mix')?.status).toBe('fail');
    expect(out.verdict).toBe('not-qualified');
    expect(r.exitCode).toBe(exitCodeFor(out.verdict));

    const { checks: _c, verdict: _v, ...artifact } = out;
    const saved = join(dir, 'report.json');
    const artifacts: Artifacts = { host: probeError('not gathered by load', 'not-asked'), load: probeOk(artifact) };
    // Saved as a whole report.json, as `run` writes one: advise --from reads only complete reports.
    const now = new Date().toISOString();
    const report = assembleReport(artifacts, advise(artifacts), {
      id: 'load-agree',
      argv: ['etcd-advisor', 'load'],
      startedAt: now,
      finishedAt: now,
      durationSec: 0,
      quick: false,
      embeddedEtcd: true,
      scenario: artifact.scenario,
      notes: [],
    });
    await writeFile(saved, JSON.stringify(report));
    const fromReport = await adviseFromLoad(saved);
    expect(sorted(fromReport.load)).toEqual(sorted(out.checks));
    expect(fromReport.exitCode).toBe(1);
  });
});
