// TLS with client certificates and user/password auth, on a real etcd: every client of the load loop and the probe's set-up calls get through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KINDS } from '../../src/load/driver.js';
import { validateScenario } from '../../src/load/scenario.js';
import { runLoadProbe } from '../../src/probes/load.js';
import { startTlsEtcd, type TlsEtcd } from '../support/tls-etcd.js';

// Its own loopback address: a port freePort found free on 127.0.0.1 could be taken by another file's etcd before this one binds it.
const ADDRESS = '127.0.0.85';
describe('TLS and auth', () => {
  let etcd: TlsEtcd;
  let certs: { ca: string; clientCert: string; clientKey: string };
  let endpoint: string;
  beforeAll(async () => {
    etcd = await startTlsEtcd(ADDRESS, { rootPassword: 'ea5-secret', name: 'ea5-tls' });
    certs = { ca: etcd.cacert, clientCert: etcd.cert, clientKey: etcd.key };
    endpoint = etcd.endpoint;
  });
  afterAll(async () => {
    await etcd?.stop();
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
