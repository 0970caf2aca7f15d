// Reading report.json back: one clear usage error (exit 2) per kind of bad file.
import { readFileSync } from 'node:fs';
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
    // A unit given as --report by mistake: JSON.parse quotes "[Unit]\nDesc", and the error is still one line.
    expect(() => parseReport('[Unit]\nDescription=etcd\n', 'etcd.service')).toThrow(/^etcd\.service is not JSON: [^\n]*$/);
  });

  it('rejects another schema version', () => {
    expect(() => parseReport(JSON.stringify({ ...loadFixture('quick'), schemaVersion: 2 }), 'b.json')).toThrow(
      /schemaVersion 2 is not one this etcd-advisor reads/,
    );
  });

  it('lists what a truncated report lacks', () => {
    const { checks: _c, advice: _a, ...rest } = loadFixture('quick');
    expect(() => parseReport(JSON.stringify(rest), 'c.json')).toThrow('c.json: not a complete etcd-advisor report (missing or malformed: checks, advice)');
  });
});

describe('parseReport: the schema every reader checks', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- malformed reports are made by mutating a parsed copy at any depth.
  const full = () => JSON.parse(JSON.stringify(loadFixture('full'))) as Record<string, any>;
  const refused = (value: unknown) => {
    try {
      parseReport(typeof value === 'string' ? value : JSON.stringify(value), 'r.json');
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).not.toMatch(/\n/);
      return (err as Error).message;
    }
    throw new Error('expected the report to be refused');
  };

  it('reads every recorded fixture', () => {
    for (const name of ['quick', 'full', 'no-fio'] as const) expect(parseReport(JSON.stringify(loadFixture(name)), name).schemaVersion).toBe(1);
  });

  it('refuses a future schema version before anything else', () => {
    expect(refused({ ...full(), schemaVersion: 99 })).toMatch(/^r\.json: schemaVersion 99 is not one this etcd-advisor reads \(it reads 1\)/);
  });

  it('refuses non-finite and negative numbers, naming where', () => {
    const text = JSON.stringify(full()).replace('"p99":181.248', '"p99":1e309');
    expect(refused(text)).toBe('r.json: artifacts.disk.data.fio.syncUs.p99 is not a finite number');
    const r = full();
    r.artifacts.network.data.peers[0].rttMs.avg = -1;
    expect(refused(r)).toBe('r.json: artifacts.network.data.peers[0].rttMs.avg is -1: a report holds no negative figure');
    const every = JSON.stringify(full())
      .replace(/:(\d+(\.\d+)?)([,}\]])/g, ':-1$3')
      .replace('"schemaVersion":-1', '"schemaVersion":1');
    expect(refused(every)).toMatch(/is -1: a report holds no negative figure/);
  });

  it('refuses 100,000 levels of nesting in one line, without recursing', () => {
    const r = full();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = JSON.stringify(r).replace('"checks":[', `"junk":${deep},"checks":[`);
    expect(refused(text)).toMatch(/^r\.json: junk\[0\]\[0\]\[0\]\.\.\. is nested deeper than 32 levels$/);
  });

  it('refuses wrong-shaped artifacts by their path', () => {
    const r = full();
    r.artifacts.host = null;
    expect(refused(r)).toMatch(/^r\.json: artifacts\.host: /);
    const s = full();
    s.artifacts.disk.data.fio = 'fast';
    expect(refused(s)).toMatch(/^r\.json: artifacts\.disk\.data\.fio: Expected object, received string$/);
    const t = full();
    t.checks[0].status = 'great';
    expect(refused(t)).toMatch(/^r\.json: checks\[0\]\.status: /);
  });

  it("checks observe's window too: a damaged observation is one usage line, never the advisor's TypeError", () => {
    for (const version of ['3.4.23', '3.5.30']) {
      const r = full();
      // The observation the live run computed from real etcd scrapes (test/fixtures/metrics/record-window.sh).
      r.artifacts.observation = {
        ok: true,
        data: JSON.parse(readFileSync(new URL(`../fixtures/metrics/window-${version}/observation.json`, import.meta.url), 'utf8')),
      };
      expect(parseReport(JSON.stringify(r), 'o.json').artifacts.observation?.ok).toBe(true);
      // `advise --from` said "o.members.some is not a function" and "best.v.toFixed is not a function" for these.
      const members = JSON.parse(JSON.stringify(r));
      members.artifacts.observation.data.members = 'x';
      expect(refused(members)).toBe('r.json: artifacts.observation.data.members: Expected array, received string');
      const p99 = JSON.parse(JSON.stringify(r));
      p99.artifacts.observation.data.members[0].figures.walFsync.p99Ms = 'lots';
      expect(refused(p99)).toMatch(/^r\.json: artifacts\.observation\.data\.members\[0\]\.figures\.walFsync\.p99Ms: /);
      const duration = JSON.parse(JSON.stringify(r));
      duration.artifacts.observation.data.durationSec = null;
      expect(refused(duration)).toBe('r.json: artifacts.observation.data.durationSec: Expected number, received null');
    }
  });

  it("checks run's etcdMetrics with the cluster run's own schema of a phase's /metrics", () => {
    const r = full();
    // A load phase's delta as a real cluster run recorded it (etcd 3.4.23, three members).
    const cluster = JSON.parse(readFileSync(new URL('../fixtures/cluster/cluster-report-quick-validate.json', import.meta.url), 'utf8'));
    r.artifacts.etcdMetrics = { ok: true, data: [cluster.cluster.rounds[0].metrics[0]] };
    expect(parseReport(JSON.stringify(r), 'e.json').artifacts.etcdMetrics?.ok).toBe(true);
    // disk.fio-vs-wal-fsync read it unchecked: "walMs.toFixed is not a function".
    r.artifacts.etcdMetrics.data[0].window.walFsync.p99Ms = 'x';
    expect(refused(r)).toBe('r.json: artifacts.etcdMetrics.data[0].window.walFsync.p99Ms: Expected number, received string');
  });

  it('refuses values that would add lines to etcd.service or etcd.conf (report --from re-validates, never trusts)', () => {
    const r = full();
    r.advice.unitSettings[0].value = 'best-effort\nExecStartPre=/bin/touch /run/pwned';
    expect(refused(r)).toMatch(/^r\.json: advice\.unitSettings\[0\]\.value: must be one word/);
    const f = full();
    f.advice.flags[0].flag = 'heartbeat-interval\nETCD_X';
    expect(refused(f)).toMatch(/^r\.json: advice\.flags\[0\]\.flag: must be an etcd flag name/);
    const v = full();
    v.advice.flags[0].value = 'x\ny';
    expect(refused(v)).toMatch(/^r\.json: advice\.flags\[0\]\.value: /);
    const e = full();
    e.advice.etcdVersion = '3.5\nExecStartPre=/bin/true';
    expect(refused(e)).toMatch(/^r\.json: advice\.etcdVersion: must be an etcd version/);
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

  it('names the flag that gave the file', async () => {
    await expect(readReport(join(dir, 'nope.json'), { flag: '--from' })).rejects.toThrow(`--from ${join(dir, 'nope.json')}: no such file`);
    await writeFile(join(dir, 'v99.json'), JSON.stringify({ ...loadFixture('quick'), schemaVersion: 99 }));
    await expect(readReport(join(dir, 'v99.json'), { flag: '--report' })).rejects.toThrow(/^--report .*v99\.json: schemaVersion 99/);
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
