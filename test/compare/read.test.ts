// Finding and reading report.json files for compare: directories as run leaves them, one clear error for a bad file.
import { mkdir, mkdtemp, rm, copyFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { collectReportPaths, readSummaries, splitClusterReports } from '../../src/compare/read.js';
import { fixturePath } from '../report/fixtures.js';

describe('collectReportPaths and readSummaries', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ea7-read-'));
    // reports/<host>-<run id>/report.json as run writes it, a loose *.json beside them, and run's scratch space.
    await mkdir(join(dir, 'vm-1'));
    await copyFile(fixturePath('quick'), join(dir, 'vm-1', 'report.json'));
    await mkdir(join(dir, 'site-b', 'vm-2'), { recursive: true });
    await copyFile(fixturePath('full'), join(dir, 'site-b', 'vm-2', 'report.json'));
    await copyFile(fixturePath('no-fio'), join(dir, 'loose.json'));
    await mkdir(join(dir, '.scratch', 'x'), { recursive: true });
    await writeFile(join(dir, '.scratch', 'x', 'report.json'), 'not a report');
    await writeFile(join(dir, 'vm-1', 'notes.json'), '{}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds report.json below a directory and *.json in it, skipping hidden directories', async () => {
    expect(await collectReportPaths([dir])).toEqual([join(dir, 'loose.json'), join(dir, 'site-b', 'vm-2', 'report.json'), join(dir, 'vm-1', 'report.json')]);
  });

  it('keeps files given twice once', async () => {
    const f = join(dir, 'loose.json');
    expect(await collectReportPaths([f, dir])).toHaveLength(3);
  });

  it('reads each into a summary, in the given order', async () => {
    const summaries = await readSummaries(await collectReportPaths([dir]));
    expect(summaries.map((s) => [s.scenario, s.verdict])).toEqual([
      ['quick', 'incomplete'],
      ['default', 'qualified'],
      ['quick', 'qualified'],
    ]);
  });

  it('names a missing path, an empty directory and a file that is not a report', async () => {
    await expect(collectReportPaths([join(dir, 'nope')])).rejects.toThrow(`${join(dir, 'nope')}: no such file or directory`);
    await mkdir(join(dir, 'empty'), { recursive: true });
    await expect(collectReportPaths([join(dir, 'empty')])).rejects.toThrow('holds no report.json');
    await expect(readSummaries([join(dir, 'vm-1', 'notes.json')])).rejects.toThrow(/notes\.json: schemaVersion missing/);
  });

  it('tells cluster reports from node reports by their head, without blocking on a FIFO', async () => {
    const renamed = join(dir, 'cluster-of-site-a.json');
    await copyFile(join(import.meta.dirname, '..', 'fixtures', 'cluster', 'cluster-report-quick-validate.json'), renamed);
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    try {
      const started = Date.now();
      const split = await splitClusterReports([renamed, fifo, join(dir, 'loose.json')]);
      expect(split).toEqual({ clusters: [renamed], nodes: [fifo, join(dir, 'loose.json')] });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await rm(fifo);
      await rm(renamed);
    }
  });
});
