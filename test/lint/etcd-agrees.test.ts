// Real etcd agrees with lint, release by release (3.4.23, 3.5.16, 3.5.30): for corpus units lint calls fatal, etcd started with what systemd would pass refuses to run, saying why; and etcd 3.5.30 refuses each setting of a 3.4 unit that lint --upgrade-to 3.5 calls fatal.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/lint.js';
import { resolveMembers } from '../../src/lint/resolve.js';
import { effectiveSettings } from '../../src/lint/settings.js';
import { freePort } from '../../src/util/ports.js';
import { describeEtcd, ETCD_3_5, ETCD_MATRIX_WIDE, requireEtcd, type EtcdUnderTest } from '../support/etcd-versions.js';

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

/** What etcd 3.5.30 says for each setting of upgrade-34 that lint --upgrade-to 3.5 calls fatal. */
const FATAL_AT_35: Record<string, RegExp> = {
  debug: /flag provided but not defined: -debug/,
  'experimental-backend-bbolt-freelist-type': /flag provided but not defined: -experimental-backend-bbolt-freelist-type/,
  logger: /"failed to verify flags","error":"--logger=capnslog is removed in v3\.5"/,
};

describe(`etcd ${ETCD_3_5.version} refuses what lint --upgrade-to 3.5 calls an error in a 3.4 unit`, () => {
  const files = ['etcd.service', 'etcd.conf'].map((f) => join(ROOT, 'upgrade-34', f));
  const member = async () => {
    const { members } = resolveMembers({
      files: await Promise.all(files.map(async (path) => ({ path, text: await readFile(path, 'utf8') }))),
      envFiles: [],
      readFile: () => null,
    });
    return effectiveSettings(members[0]!);
  };
  beforeAll(() => requireEtcd(ETCD_3_5));

  it('each fatal finding, one setting at a time, as the unit writes it (flag or ETCD_ variable)', async () => {
    const lint = await lintFiles({ files, etcdVersion: '3.4', upgradeTo: '3.5' });
    const fatal = lint.checks.filter((f) => f.id === 'etcd.upgrade' && f.status === 'fail');
    expect(fatal.map((f) => f.flag).sort()).toEqual(Object.keys(FATAL_AT_35).sort());
    const settings = await member();
    for (const f of fatal) {
      const s = settings.get(f.flag!)!;
      const r = await execa(
        ETCD_3_5.binary,
        ['--name=m1', `--data-dir=${join(scratch, `upgrade-${s.flag}`)}`, ...(s.origin === 'flag' ? [`--${s.flag}=${s.value}`] : [])],
        {
          env: { PATH: process.env.PATH ?? '', ...(s.origin === 'env' ? { [s.written]: s.value } : {}) },
          extendEnv: false,
          reject: false,
          timeout: 6_000,
          cwd: scratch,
          stdin: 'ignore',
        },
      );
      expect(r.timedOut, `etcd kept running with ${s.written}`).toBe(false);
      expect(r.exitCode, s.written).not.toBe(0);
      expect(String(r.stderr), s.written).toMatch(FATAL_AT_35[f.flag!]!);
    }
  });

  it('a removed ETCD_ variable lint calls a warning: etcd 3.5 says "unrecognized environment variable" and serves', async () => {
    const lint = await lintFiles({ files, etcdVersion: '3.4', upgradeTo: '3.5' });
    expect(lint.checks.find((f) => f.id === 'etcd.upgrade' && f.flag === 'log-package-levels')).toMatchObject({ status: 'warn' });
    const s = (await member()).get('log-package-levels')!;
    const [client, peer] = [await freePort('127.0.0.40'), await freePort('127.0.0.40')];
    const etcd = execa(
      ETCD_3_5.binary,
      [
        '--name=m1',
        `--data-dir=${join(scratch, 'upgrade-env')}`,
        `--listen-client-urls=http://127.0.0.40:${client}`,
        `--advertise-client-urls=http://127.0.0.40:${client}`,
        `--listen-peer-urls=http://127.0.0.40:${peer}`,
        `--initial-advertise-peer-urls=http://127.0.0.40:${peer}`,
        `--initial-cluster=m1=http://127.0.0.40:${peer}`,
      ],
      { env: { PATH: process.env.PATH ?? '', [s.written]: s.value }, extendEnv: false, reject: false, cwd: scratch, stdin: 'ignore', timeout: 30_000 },
    );
    let stderr = '';
    await new Promise<void>((done) => {
      etcd.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/ready to serve client requests/.test(stderr)) done();
      });
      void etcd.then(() => done());
    });
    etcd.kill('SIGTERM');
    await etcd;
    expect(stderr).toMatch(/"msg":"unrecognized environment variable","environment-variable":"ETCD_LOG_PACKAGE_LEVELS=etcdserver=DEBUG"/);
    expect(stderr).toMatch(/ready to serve client requests/);
  }, 40_000);
});
