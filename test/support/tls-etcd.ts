// A real etcd on https with client certificates and, when asked, user/password auth enabled; on an address of the caller's loopback range.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePorts } from '../../src/util/ports.js';
import { makeTestCa, type TestCa } from './openssl.js';

export interface TlsEtcd {
  endpoint: string;
  /** https, with client-certificate auth between members. */
  peerUrl: string;
  ca: TestCa;
  cacert: string;
  cert: string;
  key: string;
  /** etcdctl against it with the client certificate (and root's password once auth is on). */
  ctl(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startTlsEtcd(address: string, options: { rootPassword?: string; name?: string; extraArgs?: string[] } = {}): Promise<TlsEtcd> {
  const name = options.name ?? 'ea16-tls';
  const ca = await makeTestCa(`${name}-`);
  const server = await ca.issue(`${name}-server`, { sans: [address] });
  // A client dials any 127.0.0.x from 127.0.0.1, and the peer side's --peer-client-cert-auth checks the dialer's certificate against that address.
  const client = await ca.issue(`${name}-client`, { sans: [address, '127.0.0.1'] });
  const [clientPort, peerPort] = (await freePorts(2, address)) as [number, number];
  const endpoint = `https://${address}:${clientPort}`;
  // https between members too: a run that stands in the client TLS files for the member's refuses an http:// peer URL.
  const peer = `https://${address}:${peerPort}`;
  const proc: ResultPromise = execa(
    'etcd',
    [
      '--name',
      name,
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
      `${name}=${peer}`,
      '--cert-file',
      server.cert,
      '--key-file',
      server.key,
      '--client-cert-auth',
      '--trusted-ca-file',
      ca.caCert,
      '--peer-cert-file',
      server.cert,
      '--peer-key-file',
      server.key,
      '--peer-client-cert-auth',
      '--peer-trusted-ca-file',
      ca.caCert,
      ...(options.extraArgs ?? []),
    ],
    { reject: false, stdio: 'ignore' },
  );
  let auth: string[] = [];
  const ctl = async (args: string[]) =>
    String(
      (
        await execa('etcdctl', ['--endpoints', endpoint, '--cacert', ca.caCert, '--cert', client.cert, '--key', client.key, ...auth, ...args], {
          env: { ETCDCTL_API: '3' },
        })
      ).stdout,
    );
  for (let i = 0; ; i++) {
    if ((await ctl(['endpoint', 'health']).catch(() => null)) !== null) break;
    if (i > 150) throw new Error('the TLS etcd did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
  if (options.rootPassword !== undefined) {
    await ctl(['user', 'add', `root:${options.rootPassword}`]);
    await ctl(['auth', 'enable']);
    auth = ['--user', `root:${options.rootPassword}`];
  }
  return {
    endpoint,
    peerUrl: peer,
    ca,
    cacert: ca.caCert,
    cert: client.cert,
    key: client.key,
    ctl,
    async stop() {
      proc.kill('SIGTERM');
      await proc;
      await ca.remove();
    },
  };
}
