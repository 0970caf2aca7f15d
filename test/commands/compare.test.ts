// `etcd-advisor compare`: files or a directory in, compare.html and compare.csv out, exit 1 when a node fails or stands out.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { fleetWithSlowDisk } from '../compare/fleet-fixture.js';
import { fixturePath } from '../report/fixtures.js';
import { runCli } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea7-compare-cmd-'));
  await mkdir(join(dir, 'recorded'));
  for (const name of ['quick', 'full'] as const) {
    await mkdir(join(dir, 'recorded', name));
    await copyFile(fixturePath(name), join(dir, 'recorded', name, 'report.json'));
  }
  await mkdir(join(dir, 'fleet'));
  for (const [i, r] of fleetWithSlowDisk(50).entries()) await writeFile(join(dir, 'fleet', `node-${i}.json`), renderJson(r));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('etcd-advisor compare', () => {
  it('compares a directory of runs and files given one by one', async () => {
    const out = join(dir, 'out-recorded');
    const r = await runCli(['compare', join(dir, 'recorded'), fixturePath('no-fio'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('3 nodes: 2 qualified, 0 not qualified, 1 could not complete; 0 with outliers.');
    const csv = await readFile(join(out, 'compare.csv'), 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(4);
    expect(await readFile(join(out, 'compare.html'), 'utf8')).toContain('<h1>etcd-advisor: 3 nodes compared</h1>');
  });

  it('flags the outlier, exits 1, and with --json prints only JSON', async () => {
    const out = join(dir, 'out-fleet');
    const r = await runCli(['compare', join(dir, 'fleet'), '--out', out, '--json']);
    expect(r.exitCode).toBe(1);
    const result = JSON.parse(String(r.stdout)) as { nodes: { host: string; outliers: string[] }[]; files: string[]; outlierRule: string };
    expect(result.nodes).toHaveLength(11);
    expect(result.nodes[0]).toMatchObject({ host: 'slow-disk', outliers: ['fdatasyncP99Ms', 'writeIops'] });
    expect(result.files).toEqual([join(out, 'compare.html'), join(out, 'compare.csv')]);
    expect(result.outlierRule).toContain('MAD');
  });

  it('fails with one line and exit 2 on a file that is not a report', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"hello": 1}');
    const r = await runCli(['compare', fixturePath('quick'), bad, '--out', join(dir, 'out-bad')]);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim()).toBe(
      `etcd-advisor: ${bad}: schemaVersion missing is not one this etcd-advisor reads (it reads 1); is this an etcd-advisor report.json?`,
    );
  });

  it('needs at least one path and has --help with an example', async () => {
    expect((await runCli(['compare'])).exitCode).toBe(2);
    const help = await runCli(['compare', '--help']);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('modified z-score');
  });
});
