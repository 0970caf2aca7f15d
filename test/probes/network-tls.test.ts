// The http method on an https peer URL: a real etcd with peer TLS and client-certificate auth, certificates made by openssl for the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNetworkProbe } from '../../src/probes/network.js';
import { measured } from '../support/probes.js';
import { startTlsEtcd, type TlsEtcd } from '../support/tls-etcd.js';

// Its own loopback address: a port freePort found free on 127.0.0.1 could be taken by another file's etcd before this one binds it.
const ADDRESS = '127.0.0.84';
let etcd: TlsEtcd | null = null;
let peerUrl = '';
let files = { cacert: '', cert: '', key: '' };

beforeAll(async () => {
  // Peer TLS with client-certificate auth; the client certificate it issues serves as ours towards the peer port.
  etcd = await startTlsEtcd(ADDRESS, { name: 'ea4-tls' });
  peerUrl = etcd.peerUrl;
  files = { cacert: etcd.cacert, cert: etcd.cert, key: etcd.key };
});

afterAll(async () => {
  await etcd?.stop();
});

describe('http method on an https peer URL', () => {
  it('measures over TLS with --cacert --cert --key, and says why without them', async () => {
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
        peers: [`${ADDRESS}:${port}`],
        method: 'http',
        count: 3,
        intervalMs: 50,
        tls: files,
      }),
    );
    expect(net.peers[0]).toMatchObject({ url: `${peerUrl}/version`, received: 3 });
  });
});
