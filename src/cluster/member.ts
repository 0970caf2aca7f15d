// This node's throwaway member of the temporary cluster: its ports checked, its TLS (mutual or etcd's auto-TLS), start, restart with other flags, stop.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TlsMaterial } from '../etcd/client.js';
import { startEmbeddedEtcd, type EmbeddedEtcd } from '../etcd/embedded.js';
import { readPemFile } from '../etcd/tls-files.js';
import { IncompleteError, UsageError } from '../model/errors.js';
import { getJson } from './http.js';
import { clientUrlOf, initialClusterOf, peerUrlOf, type ClusterPlan } from './plan.js';

/** Mutual TLS from the operator's files; without them etcd's auto-TLS (encrypted, not authenticated). */
export interface ClusterTlsFiles {
  peerCacert: string;
  peerCert: string;
  peerKey: string;
  cacert: string;
  cert: string;
  key: string;
}

export type ClusterSecurity = { mode: 'mutual-tls'; files: ClusterTlsFiles } | { mode: 'auto-tls' };

export interface RunningMember {
  etcd: EmbeddedEtcd;
  clientUrl: string;
  /** The peer URL the others dial. */
  peerUrl: string;
  /** What this node's tool uses to talk to its own member's client URL. */
  clientTls: TlsMaterial;
  /** The certificate this member shows on its peer URL (auto-TLS), for the others' RTT probes; the CA with mutual TLS. */
  peerCertPem: string;
  /** The certificate this member shows on its client URL (auto-TLS); the CA with mutual TLS. */
  clientCertPem: string;
}

/** How long auto-TLS takes to write its certificates after etcd starts (milliseconds on an idle host). */
const AUTO_TLS_WAIT_MS = 10_000;

/** Refuses a port that is taken, or an address that is not this host's, before etcd would fail on it. */
export async function checkPortFree(host: string, port: number, flag: string, memberName: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(
          new UsageError(`${flag} ${port}: ${host}:${port} is already in use (a real etcd, or another run?): give a free port with ${flag} on every node`),
        );
      else if (err.code === 'EADDRNOTAVAIL') reject(new UsageError(`--name ${memberName}: ${host} (its address in --cluster) is not an address of this host`));
      else reject(new UsageError(`${flag} ${port}: cannot listen on ${host}:${port} (${err.code ?? err.message})`));
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

async function waitForFile(path: string, deadline: number, etcd: EmbeddedEtcd): Promise<Buffer> {
  for (;;) {
    try {
      if ((await stat(path)).size > 0) return await readFile(path);
    } catch {
      // Not written yet.
    }
    if (etcd.exited()) throw new IncompleteError(`the temporary etcd member ${etcd.name} exited: ${etcd.stderrTail()}`);
    if (Date.now() > deadline) throw new IncompleteError(`etcd's auto-TLS did not write ${path} within ${AUTO_TLS_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function securityArgs(security: ClusterSecurity): string[] {
  if (security.mode === 'auto-tls') return ['--auto-tls', '--peer-auto-tls'];
  const f = security.files;
  return [
    '--cert-file',
    f.cert,
    '--key-file',
    f.key,
    '--trusted-ca-file',
    f.cacert,
    '--client-cert-auth',
    '--peer-cert-file',
    f.peerCert,
    '--peer-key-file',
    f.peerKey,
    '--peer-trusted-ca-file',
    f.peerCacert,
    '--peer-client-cert-auth',
  ];
}

export interface StartMemberOptions {
  plan: ClusterPlan;
  security: ClusterSecurity;
  /** The scratch directory on the disk under test. */
  scratch: string;
  etcdBinary?: string;
  /** Extra etcd flags, e.g. the recommended --heartbeat-interval and --election-timeout of --validate. */
  flags?: string[];
}

export async function startMember(o: StartMemberOptions): Promise<RunningMember> {
  const { plan } = o;
  const self = plan.self;
  await checkPortFree(self.host, plan.clientPort, '--member-client-port', self.name);
  await checkPortFree(self.host, plan.listenPeerPort, '--member-peer-port', self.name);
  const dataDir = join(o.scratch, 'member');
  const etcd = await startEmbeddedEtcd({
    parentDir: o.scratch,
    name: self.name,
    ...(o.etcdBinary !== undefined ? { etcdBinary: o.etcdBinary } : {}),
    member: {
      host: self.host,
      clientPort: plan.clientPort,
      peerPort: plan.listenPeerPort,
      scheme: plan.scheme,
      advertisePeerUrl: peerUrlOf(plan, self),
      initialCluster: initialClusterOf(plan),
      token: plan.token,
      dataDir,
    },
    extraArgs: [...securityArgs(o.security), ...(o.flags ?? [])],
  });
  try {
    let clientTls: TlsMaterial;
    let clientCertPem: string;
    let peerCertPem: string;
    if (o.security.mode === 'auto-tls') {
      // etcd's generated certificates are self-signed for the member's own address: trusting exactly them verifies the member.
      const deadline = Date.now() + AUTO_TLS_WAIT_MS;
      const clientCert = await waitForFile(join(dataDir, 'fixtures', 'client', 'cert.pem'), deadline, etcd);
      const peerCert = await waitForFile(join(dataDir, 'fixtures', 'peer', 'cert.pem'), deadline, etcd);
      clientTls = { ca: clientCert };
      clientCertPem = clientCert.toString('utf8');
      peerCertPem = peerCert.toString('utf8');
    } else {
      const f = o.security.files;
      const ca = await readPemFile('--cacert', f.cacert);
      clientTls = { ca, cert: await readPemFile('--cert', f.cert), key: await readPemFile('--key', f.key) };
      clientCertPem = ca.toString('utf8');
      peerCertPem = (await readPemFile('--peer-cacert', f.peerCacert)).toString('utf8');
    }
    return { etcd, clientUrl: clientUrlOf(plan, self), peerUrl: peerUrlOf(plan, self), clientTls, clientCertPem, peerCertPem };
  } catch (err) {
    await etcd.stop();
    throw err;
  }
}

/** True once the member answers /health with a leader: a quorum of the members is up. */
export async function memberHealthy(member: RunningMember): Promise<boolean> {
  const health = (await getJson(`${member.clientUrl}/health`, member.clientTls, 2_000)) as { health?: string } | null;
  return health?.health === 'true';
}

export async function memberVersion(member: RunningMember): Promise<string> {
  const v = (await getJson(`${member.clientUrl}/version`, member.clientTls, 2_000)) as { etcdserver?: string } | null;
  return v?.etcdserver ?? 'unknown';
}
