// Every output file, rendered from the recorded fixtures with a pinned generation time, against its snapshot; the generation time is the only part that varies.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberNameFor, REPORT_FILES, renderAll, renderAllFromRecord, writeReport } from '../../src/report/write.js';
import { FIXTURE_NAMES, loadFixture, PINNED_GENERATED_AT } from './fixtures.js';

describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  const files = renderAll(loadFixture(name));

  it.each(REPORT_FILES)('%s matches its snapshot', async (file) => {
    await expect(files[file]).toMatchFileSnapshot(`./__snapshots__/${name}/${file}`);
  });

  it('differs from a rendering at another time only in the generation time', () => {
    const later = '2027-06-30T12:34:56.789Z';
    const again = renderAll(loadFixture(name, later));
    for (const file of REPORT_FILES) expect(again[file].replaceAll(later, PINNED_GENERATED_AT), file).toBe(files[file]);
    // The time is in the record and in the page; a file that never shows it is identical outright.
    expect(again['report.json']).not.toBe(files['report.json']);
    expect(again['report.html']).not.toBe(files['report.html']);
    expect(again['report.csv']).toBe(files['report.csv']);
  });

  it('renders the same from the record read back as from the live report', () => {
    expect(renderAllFromRecord(loadFixture(name))).toEqual(files);
  });
});

describe('a run where every probe failed', () => {
  it('renders every file, each section saying why it could not run', () => {
    const r = loadFixture('no-fio');
    r.artifacts.host = { ok: false, error: 'host facts: /proc is not mounted' };
    r.artifacts.network = { ok: false, error: 'ping is not installed: install iputils-ping', kind: 'missing-tool' };
    r.artifacts.load = { ok: false, error: 'etcd did not start: bind: address already in use', kind: 'unreachable' };
    const files = renderAll(r);
    for (const reason of ['/proc is not mounted', 'fio is not installed', 'ping is not installed', 'address already in use']) {
      expect(files['report.html']).toMatch(new RegExp(`<strong>Could not run:</strong> [^<]*${reason}`));
      expect(files['report.csv']).toContain(reason);
    }
    expect(files['summary.md']).toContain('| network | could not run: ping is not installed: install iputils-ping |');
    expect(files['summary.md']).toContain('| load | could not run: etcd did not start: bind: address already in use |');
  });
});

describe('writeReport', () => {
  it('writes every file into the directory and returns their paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ea7-write-'));
    try {
      const paths = await writeReport(join(dir, 'out'), loadFixture('quick'));
      expect(paths).toEqual(REPORT_FILES.map((f) => join(dir, 'out', f)));
      expect(await readFile(join(dir, 'out', 'summary.md'), 'utf8')).toBe(renderAll(loadFixture('quick'))['summary.md']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('memberNameFor', () => {
  it.each([
    ['node-1.example.com', 'node-1'],
    ['<script>alert(1)</script>', 'script-alert-1-script'],
    ['...', 'etcd-1'],
    ['', 'etcd-1'],
  ])('%j -> %j, a name etcd accepts', (hostname, name) => {
    expect(memberNameFor(hostname)).toBe(name);
  });
});
