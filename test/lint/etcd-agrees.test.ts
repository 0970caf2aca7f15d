// Real etcd agrees with lint, release by release (3.4.23, 3.5.16, 3.5.30): for corpus units lint calls fatal, etcd started with what systemd would pass refuses to run, saying why.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/lint.js';
import { resolveMembers } from '../../src/lint/resolve.js';
import { describeEtcd, ETCD_MATRIX_WIDE, type EtcdUnderTest } from '../support/etcd-versions.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'lint');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ea8-agree-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** What etcd says when started as the unit (or env file) would start it; the data dir is moved to scratch. */
async function runAsConfigured(
  etcd: EtcdUnderTest,
  caseDir: string,
  file: string,
): Promise<{ exitCode: number | undefined; stderr: string; timedOut: boolean }> {
  const path = join(ROOT, caseDir, file);
  const { members } = resolveMembers({ files: [{ path, text: await readFile(path, 'utf8') }], envFiles: [], readFile: () => null });
  const m = members[0]!;
  const safe = (v: string) => v.replaceAll('/var/lib/etcd', join(scratch, caseDir));
  const argv = m.unit ? m.unit.argv.slice(1).map(safe) : [];
  const env = Object.fromEntries(m.env.map((s) => [s.written, safe(s.value)]));
  const r = await execa(etcd.binary, argv, {
    env: { PATH: process.env.PATH ?? '', ...env },
    extendEnv: false,
    reject: false,
    timeout: 6_000,
    cwd: scratch,
    stdin: 'ignore',
  });
  return { exitCode: r.exitCode, stderr: String(r.stderr), timedOut: r.timedOut };
}

/** What etcd prints, where 3.4 (capnslog text) and 3.5 (zap JSON: quotes escaped, the variable in its own field) differ. */
type Says = RegExp | Record<EtcdUnderTest['minor'], RegExp>;

const FATAL: [caseDir: string, file: string, etcdSays: Says][] = [
  ['timing', 'too-short.service', /should be at least as 5 times as --heartbeat-interval/],
  ['timing', 'too-long.conf', /is too long, and should be set less than 50000ms/],
  [
    'flag-env-conflict',
    'etcd.service',
    {
      '3.4': /conflicting environment variable "ETCD_(NAME|DATA_DIR)" is shadowed/,
      '3.5': /"msg":"conflicting environment variable is shadowed by corresponding command-line flag[^"]*","environment-variable":"ETCD_(NAME|DATA_DIR)"/,
    },
  ],
  ['bad-values', 'etcd.service', /invalid value "100ms" for flag -heartbeat-interval/],
  ['inline-comment', 'etcd.service', /'#' is not a valid flag/],
  ['shell-syntax', 'etcd.service', /invalid value "\$\(\(8\*1024\*1024\*1024\)\)" for flag -quota-backend-bytes/],
  ['initial-cluster', 'etcd.conf', /couldn't find local name \\?"etcd-4\\?" in the initial cluster configuration/],
  ['initial-cluster-url', 'etcd.conf', /--initial-cluster has etcd-1=http:\/\/127\.0\.0\.1:2380 but missing from --initial-advertise-peer-urls/],
];

describeEtcd(
  'etcd refuses what lint calls an error',
  (release) => {
    for (const [caseDir, file, etcdSays] of FATAL) {
      it(`${caseDir}/${file}`, async () => {
        const lint = await lintFiles({ files: [join(ROOT, caseDir, file)], etcdVersion: release.version });
        expect(lint.checks.some((c) => c.status === 'fail')).toBe(true);
        const etcd = await runAsConfigured(release, caseDir, file);
        expect(etcd.timedOut, 'etcd kept running').toBe(false);
        expect(etcd.exitCode).not.toBe(0);
        expect(etcd.stderr).toMatch(etcdSays instanceof RegExp ? etcdSays : etcdSays[release.minor]);
      });
    }
  },
  ETCD_MATRIX_WIDE,
);
