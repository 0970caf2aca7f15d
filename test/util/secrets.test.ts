// Secrets never written: argv redaction by flag, masking in free text, and real runs with --user/--password against an etcd with auth on, grepped file by file.
import { readdir, readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSecret, redact, redactArgv, redactDeep } from '../../src/util/secrets.js';
import { runCli } from '../support/cli.js';
import { startTlsEtcd, type TlsEtcd } from '../support/tls-etcd.js';

describe('redactArgv', () => {
  it.each([
    [
      ['run', '--user', 'root:hunter2'],
      ['run', '--user', 'root:***'],
    ],
    [
      ['run', '--user=root:hunter2'],
      ['run', '--user=root:***'],
    ],
    [
      ['run', '--user', 'root', '--password', 'hunter2'],
      ['run', '--user', 'root', '--password', '***'],
    ],
    [
      ['run', '--password=hunter2', '--quick'],
      ['run', '--password=***', '--quick'],
    ],
    [
      ['run', '--user', 'root'],
      ['run', '--user', 'root'],
    ],
    [
      ['run', '--key', 'client-key.pem', '--out', '/tmp/x'],
      ['run', '--key', 'client-key.pem', '--out', '/tmp/x'],
    ],
  ])('%j -> %j', (argv, expected) => {
    expect(redactArgv(argv)).toEqual(expected);
  });

  it('masks a registered secret wherever text quotes it, and in every string of a value', () => {
    addSecret('s3cr3t-pw');
    expect(redact('auth failed for root:s3cr3t-pw at x')).toBe('auth failed for root:*** at x');
    expect(redactDeep({ notes: ['pw s3cr3t-pw'], n: 1, nested: { e: 'xs3cr3t-pwx' } })).toEqual({ notes: ['pw ***'], n: 1, nested: { e: 'x***x' } });
  });
});

/** Every file under `dir`, recursively, with its text. */
async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push({ path, text: await readFile(path, 'latin1') });
  }
  return out;
}

describe('a run with --user/--password against etcd with auth on', () => {
  const SECRET = 'Pw-ea16-9f3kq';
  let etcd: TlsEtcd;
  let work: string;
  beforeAll(async () => {
    etcd = await startTlsEtcd('127.0.0.57', { rootPassword: SECRET, name: 'ea16-auth' });
    work = await mkdtemp(join(tmpdir(), 'ea16-secrets-'));
  }, 60_000);
  afterAll(async () => {
    await etcd?.stop();
    await rm(work, { recursive: true, force: true });
  });
  const tls = () => ['--endpoints', etcd.endpoint, '--cacert', etcd.cacert, '--cert', etcd.cert, '--key', etcd.key];

  it.each([
    ['--user root:PASSWORD', () => ['--user', `root:${SECRET}`]],
    ['--user root --password PASSWORD', () => ['--user', 'root', '--password', SECRET]],
  ])(
    'run --quick %s writes the password nowhere: not in any file, not on stdout or stderr',
    async (name, auth) => {
      const out = join(work, name.replace(/\W+/g, '-'));
      const r = await runCli(['run', '--quick', '--out', out, ...tls(), ...auth()], { cwd: work });
      expect({ code: r.exitCode, stderr: String(r.stderr) }).toMatchObject({ code: expect.any(Number) });
      expect([0, 1], String(r.stderr)).toContain(r.exitCode);
      const files = await filesUnder(work);
      expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([join(out, 'report.json'), join(out, 'report.html')]));
      for (const f of [...files, { path: 'stdout', text: String(r.stdout) }, { path: 'stderr', text: String(r.stderr) }])
        expect({ path: f.path, leaks: f.text.includes(SECRET) }).toEqual({ path: f.path, leaks: false });
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { run: { argv: string[] }; artifacts: { load: { ok: boolean } } };
      expect(report.artifacts.load.ok).toBe(true);
      expect(report.run.argv.join(' ')).toContain('***');
    },
    120_000,
  );

  it('a wrong password is an error that does not quote it', async () => {
    const wrong = 'Wrong-ea16-pw77';
    const r = await runCli(['load', '--scenario', 'quick', '--duration', '1s', ...tls(), '--user', `root:${wrong}`, '--json'], { cwd: work });
    expect(r.exitCode).not.toBe(0);
    expect(String(r.stdout) + String(r.stderr)).not.toContain(wrong);
    expect(String(r.stderr)).not.toMatch(/Resolution note|DeprecationWarning/);
  });
});
