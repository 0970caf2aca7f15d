// A throwaway single-member etcd on free loopback ports, with its data on the disk under test; stopped and removed at the end.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { IncompleteError, errorMessage } from '../model/errors.js';
import { onCleanup } from '../util/cleanup.js';
import { freePort } from '../util/ports.js';
import { dyingWithTool } from '../util/child.js';
import { notOnPath } from '../util/tools.js';

export interface EmbeddedEtcd {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  pid: number;
  version: string;
  /** Stops etcd (SIGTERM, then SIGKILL) and removes its data directory. */
  stop(): Promise<void>;
}

export interface EmbeddedEtcdOptions {
  /** The directory to hold the member's data; a subdirectory is created and removed. */
  parentDir: string;
  etcdBinary?: string;
  name?: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

const STOP_GRACE_MS = 5_000;
/** etcd 3.4 on loopback is healthy in about a second; a shared, busy machine may need many times that. */
const DEFAULT_START_TIMEOUT_MS = 20_000;

export async function startEmbeddedEtcd(options: EmbeddedEtcdOptions): Promise<EmbeddedEtcd> {
  const name = options.name ?? 'etcd-advisor';
  const binary = options.etcdBinary ?? 'etcd';
  const dataDir = join(options.parentDir, `etcd-data-${process.pid}-${Date.now()}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name', name,
    '--data-dir', dataDir,
    '--listen-client-urls', clientUrl,
    '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', peerUrl,
    '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `${name}=${peerUrl}`,
    '--initial-cluster-state', 'new',
    '--initial-cluster-token', `etcd-advisor-${process.pid}`,
    ...(options.extraArgs ?? []),
  ];

  let child: ResultPromise;
  try {
    child = execa(...dyingWithTool([binary, ...args]), { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: { stderr: true }, cleanup: true, env: withoutEtcdEnv(process.env), extendEnv: false });
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
    await rm(dataDir, { recursive: true, force: true });
  });

  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      const result = await exitPromise;
      await stop();
      const tail = stderrTail.join('').trim().split('\n').slice(-3).join(' | ');
      const why = result.failed && notOnPath(result) ? `${binary} was not found on PATH` : `${binary} exited (${result.exitCode ?? result.signal}): ${tail}`;
      throw new IncompleteError(`could not start the throwaway etcd: ${why}`);
    }
    const health = await getJson(`${clientUrl}/health`);
    if (health !== null && (health as { health?: string }).health === 'true') {
      const version = (await getJson(`${clientUrl}/version`)) as { etcdserver?: string } | null;
      return { name, clientUrl, peerUrl, dataDir, pid: child.pid ?? -1, version: version?.etcdserver ?? 'unknown', stop };
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
