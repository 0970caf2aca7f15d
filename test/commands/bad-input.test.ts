// The bad-input table (issue 16): every command that reads a file or a number, fed empty, binary, huge, endless, FIFO,
// directory, wrong-shaped, future-schema, deeply nested, non-finite, negative and out-of-range input. Each case must end
// with exit 2, one line on stderr, no stack trace, within a time and a memory bound. The table is generated from data.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const GOOD = {
  report: join(FIXTURES, 'reports', 'quick.json'),
  status: join(FIXTURES, 'etcdctl', 'endpoint-status-healthy.json'),
  unit: join(FIXTURES, 'lint', 'good-unit-envfile', 'etcd.service'),
  ping: join(FIXTURES, 'ping', 'iputils-normal.txt'),
};
/** Generous: the machine runs other helpers' suites at the same time; a hang or a 4 GB read is what this bounds. */
const CASE_TIMEOUT_MS = 20_000;
const PEAK_RSS_KIB = 600 * 1024;
const CONCURRENCY = 3;
/** A port nothing listens on: a command that fails to refuse its input dials it and fails fast instead of working. */
const DEAD = 'http://127.0.0.1:1';
const DEAD_TLS = 'https://127.0.0.1:1';

/** Made when the table is built: the cases name their files in it. */
const dir = mkdtempSync(join(tmpdir(), 'ea16-bad-'));
const path = (name: string) => join(dir, name);

/** The kinds of bad file every file-reading flag is given; report readers also get the report-shaped kinds below. */
const FILE_KINDS = ['missing', 'empty', 'binary', 'huge', 'endless', 'fifo', 'directory', 'wrong-shape'] as const;
const REPORT_KINDS = ['future-schema', 'deep-nesting', 'non-finite', 'negative', 'wrong-artifact'] as const;
type FileKind = (typeof FILE_KINDS)[number] | (typeof REPORT_KINDS)[number];

function fileFor(kind: FileKind): string {
  if (kind === 'endless') return '/dev/zero';
  if (kind === 'directory') return dir;
  return path(kind);
}

/** Each reader, as a command line with the bad file in it. */
const FILE_READERS: { name: string; argv: (f: string) => string[]; report?: boolean }[] = [
  { name: 'lint FILE', argv: (f) => ['lint', f] },
  { name: 'lint --env-file', argv: (f) => ['lint', GOOD.unit, '--env-file', f] },
  { name: 'lint --report', argv: (f) => ['lint', GOOD.unit, '--report', f], report: true },
  { name: 'disk --from', argv: (f) => ['disk', '--from', f] },
  { name: 'disk --profile', argv: (f) => ['disk', '--dir', path('disk-dir'), '--profile', f] },
  { name: 'net --from', argv: (f) => ['net', '--from', f] },
  { name: 'status --from-status', argv: (f) => ['status', '--from-status', f] },
  { name: 'status --from-members', argv: (f) => ['status', '--from-status', GOOD.status, '--from-members', f] },
  { name: 'advise --from', argv: (f) => ['advise', '--from', f], report: true },
  { name: 'report --from', argv: (f) => ['report', '--from', f, '--out', path('out-report')], report: true },
  { name: 'compare', argv: (f) => ['compare', GOOD.report, f, '--out', path('out-compare')], report: true },
  { name: 'load --scenario', argv: (f) => ['load', '--endpoints', DEAD, '--scenario', f] },
  { name: 'status --cacert', argv: (f) => ['status', '--endpoints', DEAD_TLS, '--cacert', f] },
  { name: 'load --cert', argv: (f) => ['load', '--endpoints', DEAD_TLS, '--cacert', GOOD.unit, '--cert', f, '--key', f] },
  { name: 'observe --cacert', argv: (f) => ['observe', '--endpoints', DEAD_TLS, '--cacert', f, '--for', '2s', '--every', '1s'] },
];

/** Number flags, each with the command around it (a dead endpoint or a saved input, so that nothing real starts). */
const NUMBER_FLAGS: { flag: string; argv: (v: string) => string[] }[] = [
  { flag: 'load --clients', argv: (v) => ['load', '--endpoints', DEAD, '--clients', v] },
  { flag: 'load --conns', argv: (v) => ['load', '--endpoints', DEAD, '--conns', v] },
  { flag: 'load --rate', argv: (v) => ['load', '--endpoints', DEAD, '--rate', v] },
  { flag: 'load --total', argv: (v) => ['load', '--endpoints', DEAD, '--total', v] },
  { flag: 'load --threads', argv: (v) => ['load', '--endpoints', DEAD, '--threads', v] },
  { flag: 'load --duration', argv: (v) => ['load', '--endpoints', DEAD, '--duration', v] },
  { flag: 'load --val-size', argv: (v) => ['load', '--endpoints', DEAD, '--val-size', v] },
  { flag: 'load --call-timeout', argv: (v) => ['load', '--endpoints', DEAD, '--call-timeout', v] },
  { flag: 'net --count', argv: (v) => ['net', '--from', GOOD.ping, '--count', v] },
  { flag: 'net --interval', argv: (v) => ['net', '--from', GOOD.ping, '--interval', v] },
  { flag: 'advise --members', argv: (v) => ['advise', '--members', v] },
  { flag: 'advise --memory', argv: (v) => ['advise', '--memory', v] },
  { flag: 'advise --rtt-ms', argv: (v) => ['advise', '--rtt-ms', v] },
  { flag: 'advise --write-rate', argv: (v) => ['advise', '--write-rate', v] },
  { flag: 'advise --db-size', argv: (v) => ['advise', '--db-size', v] },
  { flag: 'status --quota-backend-bytes', argv: (v) => ['status', '--from-status', GOOD.status, '--quota-backend-bytes', v] },
  { flag: 'status --timeout', argv: (v) => ['status', '--endpoints', DEAD, '--timeout', v] },
  { flag: 'observe --for', argv: (v) => ['observe', '--endpoints', DEAD, '--for', v] },
  { flag: 'lint --rtt-p99-ms', argv: (v) => ['lint', GOOD.unit, '--rtt-p99-ms', v] },
];
const BAD_NUMBERS = ['-1', 'NaN', '1e309', '1e9'];
/** Stands for the value left out: each case ends with its flag. */
const NO_VALUE = '<no value>';

interface Case {
  name: string;
  argv: string[];
}

const CASES: Case[] = [
  ...FILE_READERS.flatMap((r) => [...FILE_KINDS, ...(r.report ? REPORT_KINDS : [])].map((k) => ({ name: `${r.name} <${k}>`, argv: r.argv(fileFor(k)) }))),
  // 1e9 bytes is a sound quota: a size flag's out-of-range value is past 64 TiB.
  ...NUMBER_FLAGS.flatMap((n) =>
    (n.flag === 'status --quota-backend-bytes' ? [...BAD_NUMBERS.slice(0, 3), '1e30'] : BAD_NUMBERS).map((v) => ({ name: `${n.flag} ${v}`, argv: n.argv(v) })),
  ),
  // The flag last, with no value: a usage error (yargs' requiresArg), never the default run nor exit 3.
  ...NUMBER_FLAGS.map((n) => ({ name: `${n.flag} <no value>`, argv: n.argv(NO_VALUE).filter((a) => a !== NO_VALUE) })),
  { name: 'run --etcd-version <no value>', argv: ['run', '--etcd-version'] },
  { name: 'advise --etcd-version 9.9', argv: ['advise', '--etcd-version', '9.9'] },
  { name: 'lint --etcd-version 9.9', argv: ['lint', GOOD.unit, '--etcd-version', '9.9'] },
];

interface Outcome {
  exitCode: number | undefined;
  stderr: string;
  ms: number;
  peakKiB: number | null;
  timedOut: boolean;
}
const outcomes = new Map<string, Outcome>();
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

async function runCase(c: Case, i: number): Promise<Outcome> {
  const rss = path(`rss-${i}`);
  // coreutils timeout kills the tool itself (a kill of /usr/bin/time would leave the tool holding the pipes open).
  const node = ['timeout', '-k', '2', String(CASE_TIMEOUT_MS / 1000), process.execPath, '--', CLI, ...c.argv];
  const [file, ...args] = TIME !== null ? [TIME, '-f', '%M', '-o', rss, ...node] : node;
  const started = Date.now();
  const r = await execa(file!, args, { reject: false, stdin: 'ignore', cwd: dir, env: { NO_COLOR: '1' } });
  const peak = TIME !== null && existsSync(rss) ? Number((await readFile(rss, 'utf8')).trim().split('\n').pop()) : null;
  return {
    exitCode: r.exitCode,
    stderr: String(r.stderr).replace(/^Command exited with non-zero status \d+\n?/m, ''),
    ms: Date.now() - started,
    peakKiB: Number.isFinite(peak) ? peak : null,
    timedOut: r.exitCode === 124 || r.exitCode === 137,
  };
}

beforeAll(async () => {
  const report = JSON.parse(await readFile(GOOD.report, 'utf8')) as Record<string, unknown> & { artifacts: Record<string, unknown> };
  await writeFile(path('empty'), '');
  await writeFile(path('binary'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0xff, 0xfe, 0x1b, 0x5d, 0x30, 0x3b, 0x07, 0x0a]));
  // Sparse: over every cap (64 MiB for reports) without writing it.
  await writeFile(path('huge'), '');
  await truncate(path('huge'), 80 * 2 ** 20);
  execFileSync('mkfifo', [path('fifo')]);
  await writeFile(path('wrong-shape'), '{"hello": ["not", "what", "this", "flag", "reads"]}\n');
  await writeFile(path('future-schema'), JSON.stringify({ ...report, schemaVersion: 99 }));
  await writeFile(path('deep-nesting'), '['.repeat(100_000) + ']'.repeat(100_000));
  // JSON.parse reads 1e309 as Infinity: a p99 no fio ever measured.
  const nonFinite = JSON.stringify(report).replace(/"p99":\s*[\d.]+/g, '"p99":1e309');
  await writeFile(path('non-finite'), nonFinite);
  await writeFile(path('negative'), JSON.stringify(report).replace(/":\s*\d+(\.\d+)?([,}])/g, '":-1$2'));
  await writeFile(path('wrong-artifact'), JSON.stringify({ ...report, artifacts: { ...report.artifacts, disk: { ok: true, data: null } } }));
  await mkdir(path('out-report'), { recursive: true });
  await mkdir(path('disk-dir'), { recursive: true });
  // A pool of CONCURRENCY, so that the table takes about a minute and not the sum of its cases.
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CASES.length) {
        const i = next++;
        outcomes.set(CASES[i]!.name, await runCase(CASES[i]!, i));
      }
    }),
  );
}, 900_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad input: exit 2, one line, no stack trace, bounded time and memory', () => {
  it('holds at least 150 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const o = outcomes.get(c.name)!;
    const lines = o.stderr.trim().split('\n');
    const said = `${c.argv.join(' ')}\n${o.stderr}`;
    expect(o.timedOut, said).toBe(false);
    expect(o.exitCode, said).toBe(2);
    expect(lines, said).toHaveLength(1);
    expect(lines[0]!.length, said).toBeGreaterThan(0);
    expect(o.stderr, said).not.toMatch(/^ {4}at |node:internal|Resolution note|No connection established/m);
    // Raw terminal escapes from a binary file never reach the operator's terminal.
    expect(o.stderr, said).not.toMatch(/[\x00-\x08\x1b\x7f]/);
    expect(o.ms, said).toBeLessThan(CASE_TIMEOUT_MS);
    if (o.peakKiB !== null) expect(o.peakKiB, said).toBeLessThan(PEAK_RSS_KIB);
  });
});
