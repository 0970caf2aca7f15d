// Reading report.json back: one clear usage error (exit 2) per kind of bad file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { parseReport, readReport } from '../../src/report/load.js';
import { fixturePath, loadFixture } from './fixtures.js';

describe('parseReport', () => {
  it('rejects text that is not JSON, naming the file', () => {
    expect(() => parseReport('{', 'a.json')).toThrow(UsageError);
    expect(() => parseReport('{', 'a.json')).toThrow(/^a\.json is not JSON/);
  });

  it('rejects another schema version', () => {
    expect(() => parseReport(JSON.stringify({ ...loadFixture('quick'), schemaVersion: 2 }), 'b.json')).toThrow(/schemaVersion 2 is not one this etcd-advisor reads/);
  });

  it('lists what a truncated report lacks', () => {
    const { checks: _c, advice: _a, ...rest } = loadFixture('quick');
    expect(() => parseReport(JSON.stringify(rest), 'c.json')).toThrow('c.json: not a complete etcd-advisor report (missing or malformed: checks, advice)');
  });
});

describe('readReport', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ea7-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a recorded report', async () => {
    expect((await readReport(fixturePath('full'))).run.scenario).toBe('default');
  });

  it('says when the file is missing or a directory', async () => {
    await expect(readReport(join(dir, 'nope.json'))).rejects.toThrow(`${join(dir, 'nope.json')}: no such file`);
    await expect(readReport(dir)).rejects.toThrow(`${dir} is a directory: give the report.json inside it`);
  });

  it('says when the file is empty', async () => {
    await writeFile(join(dir, 'empty.json'), '');
    await expect(readReport(join(dir, 'empty.json'))).rejects.toThrow(/empty\.json: is empty/);
  });
});
