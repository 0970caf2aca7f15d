// Preflight on a real TLS etcd: a wrong CA, a missing or mismatched certificate, a wrong scheme end a command in about a second, in one line naming the flag and file.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialEndpoints } from '../../src/etcd/preflight.js';
import { makeTestCa, type TestCa } from '../support/openssl.js';
import { runCli } from '../support/cli.js';
import { startTlsEtcd, type TlsEtcd } from '../support/tls-etcd.js';
import { startTestEtcd } from '../load/real-etcd.js';

const ADDRESS = '127.0.0.56';
let etcd: TlsEtcd;
let other: TestCa;
let stranger: { cert: string; key: string };
let work: string;
beforeAll(async () => {
  etcd = await startTlsEtcd(ADDRESS, { name: 'ea16-pre' });
  other = await makeTestCa('ea16-other-');
  stranger = await other.issue('stranger', { sans: [ADDRESS] });
  work = await mkdtemp(join(tmpdir(), 'ea16-pre-'));
  await writeFile(join(work, 'not-a-cert.pem'), 'hello\n');
}, 60_000);
afterAll(async () => {
  await etcd?.stop();
  await other?.remove();
  await rm(work, { recursive: true, force: true });
});

/** The command's one line on stderr, and how long it took. */
async function refused(args: string[]) {
  const t0 = Date.now();
  const r = await runCli(args, { cwd: work });
  return { code: r.exitCode, stderr: String(r.stderr), stdout: String(r.stdout), seconds: (Date.now() - t0) / 1000 };
}

describe('preflight of the connection flags', () => {
  const tls = () => ['--endpoints', etcd.endpoint, '--cacert', etcd.cacert, '--cert', etcd.cert, '--key', etcd.key];
  const cases: [string, () => string[], RegExp][] = [
    [
      'a CA that did not issue the server certificate',
      () => ['--endpoints', etcd.endpoint, '--cacert', other.caCert, '--cert', etcd.cert, '--key', etcd.key],
      /the server certificate of https:\/\/127\.0\.0\.56:\d+ is not signed by --cacert .*ca\.pem: give the CA/,
    ],
    [
      'a --cert that does not exist',
      () => ['--endpoints', etcd.endpoint, '--cacert', etcd.cacert, '--cert', join(work, 'nope.pem'), '--key', etcd.key],
      /--cert .*nope\.pem/,
    ],
    [
      'a --cert that is not PEM',
      () => ['--endpoints', etcd.endpoint, '--cacert', etcd.cacert, '--cert', join(work, 'not-a-cert.pem'), '--key', etcd.key],
      /--cert .*not-a-cert\.pem: not a PEM (certificate|file)/,
    ],
    [
      'a --key of another certificate',
      () => ['--endpoints', etcd.endpoint, '--cacert', etcd.cacert, '--cert', etcd.cert, '--key', stranger.key],
      /--key .*stranger-key\.pem is not the private key of --cert .*-client\.pem/,
    ],
    [
      'a client certificate the server did not issue',
      () => ['--endpoints', etcd.endpoint, '--cacert', etcd.cacert, '--cert', stranger.cert, '--key', stranger.key],
      /refused --cert .*stranger\.pem: the server's --trusted-ca-file did not issue it/,
    ],
    [
      'no client certificate where the server asks for one',
      () => ['--endpoints', etcd.endpoint, '--cacert', etcd.cacert],
      /asks for a client certificate: give --cert and --key/,
    ],
    ['http:// for a TLS endpoint', () => ['--endpoints', etcd.endpoint.replace('https:', 'http:')], /speaks TLS: write it as https:\/\//],
  ];
  for (const command of ['load', 'status'] as const) {
    it.each(cases)(`${command}: %s is one line, exit 2, within seconds`, async (_name, args, message) => {
      const r = await refused([command, ...args(), ...(command === 'load' ? ['--scenario', 'quick'] : [])]);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/Resolution note|DeprecationWarning|DEP0123|at .*\.js:\d+/);
      expect(r.seconds).toBeLessThan(15);
    });
  }

  it('run with a wrong CA stops before fio: nothing measured, no report written', async () => {
    const out = join(work, 'run-out');
    const r = await refused(['run', '--quick', '--out', out, '--endpoints', etcd.endpoint, '--cacert', other.caCert, '--cert', etcd.cert, '--key', etcd.key]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^etcd-advisor: the server certificate of .* is not signed by --cacert/);
    expect(r.stdout).toBe('');
    expect(await readdir(out).catch(() => [])).toEqual([]);
    expect(r.seconds).toBeLessThan(10);
  });

  it('status on TLS gives no Node deprecation warning and reads the member', async () => {
    const r = await refused(['status', ...tls()]);
    expect(r.stderr).not.toMatch(/DeprecationWarning|DEP0123|Resolution note/);
    expect(r.code).toBe(0);
  });

  it('a plain etcd asked over https:// is told apart', async () => {
    const plain = await startTestEtcd();
    try {
      const r = await refused(['load', '--scenario', 'quick', '--endpoints', plain.clientUrl.replace('http:', 'https:'), '--cacert', etcd.cacert]);
      expect(r.stderr).toMatch(/does not speak TLS: write it as http:\/\//);
      expect(r.code).toBe(2);
    } finally {
      await plain.cleanup();
    }
  });

  it('a plain HTTP server that resets the connection on a TLS hello, as a busy machine sees etcd do, is told apart too', async () => {
    // The first byte of a TLS ClientHello is 0x16: reset then; answer plain HTTP otherwise.
    const server = createServer((socket) => {
      socket.once('data', (chunk) => {
        if (chunk[0] === 0x16) socket.resetAndDestroy();
        else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, ADDRESS, r));
    try {
      const { port } = server.address() as { port: number };
      await expect(dialEndpoints({ endpoints: [`https://${ADDRESS}:${port}`], cacert: etcd.cacert })).rejects.toThrow(
        `https://${ADDRESS}:${port} does not speak TLS: write it as http://${ADDRESS}:${port}`,
      );
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
