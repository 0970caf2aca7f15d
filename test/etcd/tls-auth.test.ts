// TLS with client certificates and user/password auth, on a real etcd: every client of the load loop and the probe's set-up calls get through.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KINDS } from '../../src/load/driver.js';
import { validateScenario } from '../../src/load/scenario.js';
import { runLoadProbe } from '../../src/probes/load.js';
import { freePort } from '../../src/util/ports.js';
import { makeTestCa, type TestCa } from '../support/openssl.js';

describe('TLS and auth', () => {
  let ca: TestCa;
  let etcd: ResultPromise | undefined;
  let certs: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
  let endpoint: string;
  beforeAll(async () => {
    ca = await makeTestCa('ea5-tls-');
    const server = await ca.issue('ea5-server', { sans: ['127.0.0.1'] });
    const client = await ca.issue('ea5-client', { sans: ['127.0.0.1'] });
    certs = { ca: ca.caCert, serverCert: server.cert, serverKey: server.key, clientCert: client.cert, clientKey: client.key };
    // startEmbeddedEtcd speaks plain http; this member listens on https with client certificates only.
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    endpoint = `https://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    etcd = execa(
      'etcd',
      [
        '--name',
        'ea5-tls',
        '--data-dir',
        join(ca.dir, 'data'),
        '--listen-client-urls',
        endpoint,
        '--advertise-client-urls',
        endpoint,
        '--listen-peer-urls',
        peer,
        '--initial-advertise-peer-urls',
        peer,
        '--initial-cluster',
        `ea5-tls=${peer}`,
        '--cert-file',
        certs.serverCert,
        '--key-file',
        certs.serverKey,
        '--client-cert-auth',
        '--trusted-ca-file',
        certs.ca,
      ],
      { reject: false, stdio: 'ignore' },
    );
    const ctl = (args: string[]) =>
      execa('etcdctl', ['--endpoints', endpoint, '--cacert', certs.ca, '--cert', certs.clientCert, '--key', certs.clientKey, ...args], {
        env: { ETCDCTL_API: '3' },
      });
    for (let i = 0; ; i++) {
      const health = await ctl(['endpoint', 'health']).catch(() => null);
      if (health !== null) break;
      if (i > 100) throw new Error('the TLS etcd did not become healthy');
      await new Promise((r) => setTimeout(r, 100));
    }
    await ctl(['user', 'add', 'root:ea5-secret']);
    await ctl(['auth', 'enable']);
  });
  afterAll(async () => {
    etcd?.kill('SIGTERM');
    await etcd;
    await ca?.remove();
  });

  it.each(CLIENT_KINDS)('%s: a phase over https with a client certificate and a password', async (client) => {
    const r = await runLoadProbe({
      connection: { endpoints: [endpoint], cacert: certs.ca, cert: certs.clientCert, key: certs.clientKey, user: 'root', password: 'ea5-secret' },
      scenario: validateScenario({ phases: [{ name: 'p', clients: 4, total: 100, keySize: 40, valueSize: 100, ops: { put: 1, get: 1 } }] }, 't', 't'),
      prefix: `/tls/${client}/`,
      embedded: false,
      client,
    });
    expect(r.ok ? r.data.phases[0]!.errors : r.error).toBe(0);
    expect(r.ok && r.data.phases[0]!.requests).toBe(100);
    expect(r.ok && r.data.deletedKeys).toBeGreaterThan(0);
  });

  it('a wrong password is an auth error, not a hang', async () => {
    const r = await runLoadProbe({
      connection: { endpoints: [endpoint], cacert: certs.ca, cert: certs.clientCert, key: certs.clientKey, user: 'root:wrong' },
      scenario: validateScenario({ phases: [{ name: 'p', clients: 1, total: 1 }] }, 't', 't'),
      prefix: '/tls/wrong/',
      embedded: false,
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/authentication failed|invalid user ID or password/i);
  });
});
