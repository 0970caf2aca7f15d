// The http method on an https peer URL: a real etcd with peer TLS and client-certificate auth, certificates made by openssl for the test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNetworkProbe } from '../../src/probes/network.js';
import { measured } from '../support/probes.js';
import { freePort } from '../../src/util/ports.js';

let dir = '';
let etcd: ResultPromise | null = null;
let peerUrl = '';

async function openssl(...args: string[]): Promise<void> {
  await execa('openssl', args, { cwd: dir, stdin: 'ignore' });
}

/** A CA, and a certificate for 127.0.0.1 signed by it that serves as both the peer's server and our client certificate. */
async function makeCertificates(): Promise<void> {
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=ea4-test-ca',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
  );
  await openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=ea4-peer',
    '-keyout',
    'peer-key.pem',
    '-out',
    'peer.csr',
  );
  await execa('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth,clientAuth\\n" > ext.cnf'], { cwd: dir });
  await openssl(
    'x509',
    '-req',
    '-in',
    'peer.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
    '-out',
    'peer.pem',
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea4-tls-'));
  await makeCertificates();
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  peerUrl = `https://127.0.0.1:${peerPort}`;
  const tls = [
    '--peer-cert-file',
    join(dir, 'peer.pem'),
    '--peer-key-file',
    join(dir, 'peer-key.pem'),
    '--peer-trusted-ca-file',
    join(dir, 'ca.pem'),
    '--peer-client-cert-auth',
  ];
  etcd = execa(
    'etcd',
    [
      '--name',
      'ea4-tls',
      '--data-dir',
      join(dir, 'data'),
      '--listen-client-urls',
      clientUrl,
      '--advertise-client-urls',
      clientUrl,
      '--listen-peer-urls',
      peerUrl,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--initial-cluster',
      `ea4-tls=${peerUrl}`,
      ...tls,
    ],
    { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', cleanup: true },
  );
  const end = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(500) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > end) throw new Error('etcd with peer TLS did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (etcd !== null) {
    etcd.kill('SIGTERM');
    await etcd;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('http method on an https peer URL', () => {
  it('measures over TLS with --cacert --cert --key, and says why without them', async () => {
    const files = { cacert: join(dir, 'ca.pem'), cert: join(dir, 'peer.pem'), key: join(dir, 'peer-key.pem') };
    const [good, noCa, noClientCert] = await Promise.all([
      measured(runNetworkProbe({ peers: [peerUrl], method: 'http', count: 10, intervalMs: 50, tls: files })),
      measured(runNetworkProbe({ peers: [peerUrl], method: 'http', count: 2, intervalMs: 50 })),
      measured(runNetworkProbe({ peers: [peerUrl], method: 'http', count: 2, intervalMs: 50, tls: { cacert: files.cacert } })),
    ]);
    expect(good.peers[0]).toMatchObject({ method: 'http', url: `${peerUrl}/version`, sent: 10, received: 10, lossPct: 0 });
    // One connection, so the handshake is paid once and every sample is one round trip.
    expect(good.peers[0]!.rttMs.p50!).toBeLessThan(50);
    expect(noCa.peers[0]).toMatchObject({ received: 0, errorKind: 'tls' });
    expect(noCa.peers[0]!.error).toMatch(/unable to verify/);
    expect(noClientCert.peers[0]).toMatchObject({ received: 0, errorKind: 'tls' });
    expect(noClientCert.peers[0]!.error).toMatch(/rejected our client certificate/);
  });

  it('picks https for a bare host:port when TLS files are given', async () => {
    const port = new URL(peerUrl).port;
    const net = await measured(
      runNetworkProbe({
        peers: [`127.0.0.1:${port}`],
        method: 'http',
        count: 3,
        intervalMs: 50,
        tls: { cacert: join(dir, 'ca.pem'), cert: join(dir, 'peer.pem'), key: join(dir, 'peer-key.pem') },
      }),
    );
    expect(net.peers[0]).toMatchObject({ url: `${peerUrl}/version`, received: 3 });
  });
});
