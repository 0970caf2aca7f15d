// Certificates made by openssl for the test: a clean TLS unit that real etcd starts from, and one with every certificate mistake.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/lint.js';
import { freePorts } from '../../src/util/ports.js';
import { makeTestCa, type TestCa } from '../support/openssl.js';

// Its own loopback address: a port freePort found free on 127.0.0.1 could be taken by another file's throwaway etcd before this one binds it.
const HOST = '127.0.0.82';
let ca: TestCa;
let otherCa: TestCa;
let dir: string;

beforeAll(async () => {
  ca = await makeTestCa('ea8-lint-ca-');
  otherCa = await makeTestCa('ea8-lint-other-');
  dir = await mkdtemp(join(tmpdir(), 'ea8-lint-'));
});

afterAll(async () => {
  await ca?.remove();
  await otherCa?.remove();
  await rm(dir, { recursive: true, force: true });
});

function unit(lines: string[]): string {
  return [
    '[Service]',
    'Type=notify',
    `WorkingDirectory=${dir}`,
    `ExecStart=/usr/bin/etcd \\`,
    ...lines.map((l, i) => `  ${l}${i < lines.length - 1 ? ' \\' : ''}`),
    '',
  ].join('\n');
}

const brief = (c: { status: string; id: string; flag?: string }) => `${c.status} ${c.id} ${c.flag}`;

describe('lint with real certificates', () => {
  it('finds nothing in a correct TLS unit, and etcd starts from exactly those flags', async () => {
    const server = await ca.issue('server', { sans: [HOST, 'localhost'] });
    const [client, peer] = (await freePorts(2, HOST)) as [number, number];
    const dataDir = join(dir, 'good-data');
    await mkdir(dataDir, { mode: 0o700 });
    const path = join(dir, 'good.service');
    await writeFile(
      path,
      unit([
        `--name=m1 --data-dir=${dataDir}`,
        `--listen-client-urls=https://${HOST}:${client} --advertise-client-urls=https://${HOST}:${client}`,
        `--listen-peer-urls=https://${HOST}:${peer} --initial-advertise-peer-urls=https://${HOST}:${peer}`,
        `--initial-cluster=m1=https://${HOST}:${peer} --initial-cluster-token=ea8-good`,
        `--cert-file=${server.cert} --key-file=${server.key} --trusted-ca-file=${ca.caCert} --client-cert-auth`,
        `--peer-cert-file=${server.cert} --peer-key-file=${server.key} --peer-trusted-ca-file=${ca.caCert} --peer-client-cert-auth`,
      ]),
    );
    const result = await lintFiles({ files: [path], etcdVersion: '3.4' });
    expect(result.checks).toEqual([]);

    // The same command line, as systemd would run it: etcd comes up and answers over TLS.
    const exec = (await import('node:fs')).readFileSync(path, 'utf8').split('ExecStart=')[1]!.replace(/\\\n/g, ' ').trim().split(/\s+/);
    const etcd = execa(exec[0]!, exec.slice(1), { reject: false, cleanup: true, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
    try {
      let healthy = false;
      for (let i = 0; i < 60 && !healthy; i++) {
        const r = await execa(
          'etcdctl',
          ['--endpoints', `https://${HOST}:${client}`, '--cacert', ca.caCert, '--cert', server.cert, '--key', server.key, 'endpoint', 'health'],
          { env: { ETCDCTL_API: '3' }, reject: false },
        );
        healthy = r.exitCode === 0;
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      expect(healthy).toBe(true);
    } finally {
      etcd.kill('SIGKILL');
      await etcd;
    }
  });

  it('reports expired, mismatched, misnamed and missing certificate files', async () => {
    const soon = await ca.issue('soon', { sans: ['127.0.0.1'], days: 10 });
    const expired = await ca.issue('expired', { sans: ['10.0.0.1'], days: -1 });
    const foreign = await otherCa.issue('foreign', { sans: ['10.0.0.1'] });
    const path = join(dir, 'bad.service');
    await writeFile(
      path,
      unit([
        `--name=m1 --data-dir=${dir}`,
        '--listen-client-urls=https://0.0.0.0:2379 --advertise-client-urls=https://etcd-1.example:2379,https://127.0.0.1:2379',
        '--listen-peer-urls=https://10.0.0.1:2380 --initial-advertise-peer-urls=https://10.0.0.1:2380',
        '--initial-cluster=m1=https://10.0.0.1:2380',
        `--cert-file=${soon.cert} --key-file=${foreign.key} --trusted-ca-file=${ca.caCert} --client-cert-auth`,
        `--peer-cert-file=${expired.cert} --peer-key-file=${expired.key} --peer-trusted-ca-file=${join(dir, 'no-such-ca.pem')} --peer-client-cert-auth`,
      ]),
    );
    const result = await lintFiles({ files: [path], etcdVersion: '3.4' });
    expect(result.checks.map(brief).sort()).toEqual([
      'fail cert.expiry peer-cert-file',
      'fail cert.file peer-trusted-ca-file',
      'fail cert.key-mismatch key-file',
      'warn cert.expiry cert-file',
      'warn cert.san cert-file',
    ]);
    const san = result.checks.find((c) => c.id === 'cert.san')!;
    expect(san.message).toContain('etcd-1.example');
    expect(san.message).toContain('subjectAltName=DNS:etcd-1.example');
    expect(san.line).toBe(9);

    // A certificate from another CA than the one the member trusts.
    const path2 = join(dir, 'foreign.service');
    await writeFile(
      path2,
      unit([
        `--name=m1 --data-dir=${dir}`,
        '--listen-peer-urls=https://10.0.0.1:2380 --initial-advertise-peer-urls=https://10.0.0.1:2380 --initial-cluster=m1=https://10.0.0.1:2380',
        '--listen-client-urls=https://10.0.0.1:2379 --advertise-client-urls=https://10.0.0.1:2379',
        `--cert-file=${foreign.cert} --key-file=${foreign.key} --trusted-ca-file=${ca.caCert} --client-cert-auth`,
        `--peer-cert-file=${foreign.cert} --peer-key-file=${foreign.key} --peer-trusted-ca-file=${otherCa.caCert} --peer-client-cert-auth`,
      ]),
    );
    const second = await lintFiles({ files: [path2], etcdVersion: '3.4' });
    expect(second.checks.map(brief)).toEqual(['warn cert.ca-mismatch cert-file']);
  });

  it('warns when --wal-dir shares a device with --data-dir', async () => {
    const data = join(dir, 'data');
    const wal = join(dir, 'wal');
    await mkdir(data);
    await mkdir(wal);
    const path = join(dir, 'wal.conf');
    await writeFile(path, `ETCD_NAME=m1\nETCD_DATA_DIR=${data}\nETCD_WAL_DIR=${wal}\n`);
    const result = await lintFiles({ files: [path], etcdVersion: '3.4' });
    expect(result.checks.map((c) => [c.id, c.line])).toEqual([['paths.wal-same-device', 3]]);
  });
});
