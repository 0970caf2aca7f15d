// A throwaway single-member etcd on free loopback ports, with its data on the disk under test; stopped and removed at the end.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { IncompleteError, errorMessage } from '../model/errors.js';
import { onCleanup } from '../util/cleanup.js';
import { freePort } from '../util/ports.js';
import { notOnPath } from '../util/tools.js';

export interface EmbeddedEtcd {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  pid: number;
  version: string;
  /** Stops etcd (SIGTERM, then SIGKILL) and removes its data directory (kept with keepData). */
  stop(): Promise<void>;
  /** Whether the process has ended (on its own or stopped). */
  exited(): boolean;
  /** The last lines etcd wrote on stderr, for an error message. */
  stderrTail(): string;
}

export interface EmbeddedEtcdOptions {
  /** The directory to hold the member's data; a subdirectory is created and removed. */
  parentDir: string;
  etcdBinary?: string;
  name?: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
  /** A member of a multi-member cluster (run --cluster): its own address, ports and cluster; default a loopback member alone. */
  member?: {
    host: string;
    clientPort: number;
    peerPort: number;
    scheme: 'http' | 'https';
    /** The peer URL the others dial (may be a port forward or proxy in front of the listener). */
    advertisePeerUrl: string;
    initialCluster: string;
    token: string;
    /** The exact data directory, kept on stop() so that the member can restart with other flags. */
    dataDir: string;
  };
}

const STOP_GRACE_MS = 5_000;
/** etcd 3.4 on loopback is healthy in about a second; a shared, busy machine may need many times that. */
const DEFAULT_START_TIMEOUT_MS = 20_000;

export async function startEmbeddedEtcd(options: EmbeddedEtcdOptions): Promise<EmbeddedEtcd> {
  const name = options.name ?? 'etcd-advisor';
  const binary = options.etcdBinary ?? 'etcd';
  const m = options.member;
  const dataDir = m?.dataDir ?? join(options.parentDir, `etcd-data-${process.pid}-${Date.now()}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const [clientPort, peerPort] = m ? [m.clientPort, m.peerPort] : [await freePort(), await freePort()];
  const host = m ? (m.host.includes(':') ? `[${m.host}]` : m.host) : '127.0.0.1';
  const scheme = m?.scheme ?? 'http';
  const clientUrl = `${scheme}://${host}:${clientPort}`;
  const listenPeerUrl = `${scheme}://${host}:${peerPort}`;
  const peerUrl = m?.advertisePeerUrl ?? listenPeerUrl;
  const args = [
    '--name', name,
    '--data-dir', dataDir,
    '--listen-client-urls', clientUrl,
    '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', listenPeerUrl,
    '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', m?.initialCluster ?? `${name}=${peerUrl}`,
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', m?.token ?? `etcd-advisor-${process.pid}`,
    ...(options.extraArgs ?? []),
  ];

  let child: ResultPromise;
  try {
    child = execa(binary, args, { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: { stderr: true }, cleanup: true, env: withoutEtcdEnv(process.env), extendEnv: false });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw new IncompleteError(`could not start ${binary}: ${errorMessage(err)}`);
  }
  const stderrTail: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail.push(chunk.toString());
    if (stderrTail.length > 50) stderrTail.shift();
  });
  let exited = false;
  const exitPromise = child.then((r) => {
    exited = true;
    return r;
  });

  const stop = onCleanup(`stop etcd ${name}`, async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    }
    if (m === undefined) await rm(dataDir, { recursive: true, force: true });
  });
  const tail = () => stderrTail.join('').trim().split('\n').slice(-3).join(' | ');
  const handle = { name, clientUrl, peerUrl, dataDir, pid: child.pid ?? -1, stop, exited: () => exited, stderrTail: tail };
  // A member of a cluster is healthy only once a quorum of its peers is up: the caller waits for that, with its own deadline.
  if (m !== undefined) {
    await new Promise((r) => setTimeout(r, 300));
    if (exited) {
      const result = await exitPromise;
      await stop();
      throw new IncompleteError(`could not start the temporary etcd member ${name}: ${result.failed && notOnPath(result) ? `${binary} was not found on PATH` : `${binary} exited (${result.exitCode ?? result.signal}): ${tail()}`}`);
    }
    return { ...handle, version: 'unknown' };
  }

  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      const result = await exitPromise;
      await stop();
      const why = result.failed && notOnPath(result) ? `${binary} was not found on PATH` : `${binary} exited (${result.exitCode ?? result.signal}): ${tail()}`;
      throw new IncompleteError(`could not start the throwaway etcd: ${why}`);
    }
    const health = await getJson(`${clientUrl}/health`);
    if (health !== null && (health as { health?: string }).health === 'true') {
      const version = (await getJson(`${clientUrl}/version`)) as { etcdserver?: string } | null;
      return { ...handle, version: version?.etcdserver ?? 'unknown' };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new IncompleteError(`the throwaway etcd did not become healthy within ${startTimeoutMs / 1000}s`);
}

/**
 * The caller's environment without ETCD_* variables: etcd reads each as a flag, so an operator's ETCD_DATA_DIR would clash
 * with the flags above (fatal, ETCD-FACTS.md "Flags, environment, versions") and $ETCD_ADVISOR_ETCD_BINARY would be warned about.
 */
export function withoutEtcdEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('ETCD_')));
}

async function getJson(url: string): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    if (!res.ok) return null;
    return await res.json();
  } catch {
    return null;
  }
}
