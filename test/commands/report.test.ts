// `etcd-advisor report --from`: a real run's files reproduced byte for byte apart from the generation time; bad input is one line and exit 2.
import { fileURLToPath } from 'node:url';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { REPORT_FILES, renderAllFromRecord } from '../../src/report/write.js';
import { fixturePath, loadFixture } from '../report/fixtures.js';
import { runCli } from '../support/cli.js';

/** The built CLI's output as written: report.json ends with a newline that --json must print too. */
async function cli(args: string[]) {
  const r = await runCli(args, { stripFinalNewline: false });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea7-report-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(out: string): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(REPORT_FILES.map(async (f) => [f, await readFile(join(out, f), 'utf8')] as const)));
}

describe('etcd-advisor report --from', () => {
  it('renders a recorded report.json into every file', async () => {
    const out = join(dir, 'from-fixture');
    const r = await cli(['report', '--from', fixturePath('no-fio'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`into ${out}:`);
    const files = await readAll(out);
    const generatedAt = (JSON.parse(files['report.json']!) as Report).generatedAt;
    expect(generatedAt).not.toBe(loadFixture('no-fio', 'x').generatedAt);
    expect(files).toEqual(renderAllFromRecord(loadFixture('no-fio', generatedAt)));
  });

  it('reproduces the files of a real run apart from the generation time; run --json prints the report and nothing else', async () => {
    const first = join(dir, 'run');
    // stderr is a pipe here, not a terminal: no progress may appear on it.
    const run = await cli(['run', '--quick', '--json', '--out', first]);
    expect([0, 1, 3]).toContain(run.exitCode);
    expect(run.stderr).toBe('');
    const original = await readAll(first);
    expect(run.stdout).toBe(original['report.json']);

    const second = join(dir, 'again');
    const again = await cli(['report', '--from', join(first, 'report.json'), '--out', second, '--json']);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ out: second, files: REPORT_FILES.map((f) => join(second, f)) });
    const rerendered = await readAll(second);
    const before = (JSON.parse(original['report.json']!) as Report).generatedAt;
    const after = (JSON.parse(rerendered['report.json']!) as Report).generatedAt;
    expect(after).not.toBe(before);
    for (const f of REPORT_FILES) expect(rerendered[f]!.replaceAll(after, before), f).toBe(original[f]);
  });

  it.each([
    [['report', '--from', '/nonexistent/report.json'], '--from /nonexistent/report.json: no such file'],
    [
      ['report', '--from', fileURLToPath(new URL('../fixtures/cluster/cluster-report-quick-validate.json', import.meta.url))],
      "is a cluster report (cluster-report.json), not a node's report.json",
    ],
    [['report', '--from', fixturePath('quick').replace('quick.json', 'README.md')], 'is not JSON'],
    [['report'], 'Missing required argument: --from'],
  ])('%j fails with one line and exit 2', async (args, message) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('has --help with an example', async () => {
    const r = await cli(['report', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });
});
