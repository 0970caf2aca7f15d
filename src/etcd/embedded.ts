// A throwaway single-member etcd on free loopback ports, with its data on the disk under test; stopped and removed at the end.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { IncompleteError, errorMessage } from '../model/errors.js';
import { onCleanup } from '../util/cleanup.js';
import { freePorts } from '../util/ports.js';
import { dyingWithTool } from '../util/child.js';
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
  /** The last lines etcd wrote on stderr, for an error message: its own error lines when it wrote any. */
  stderrTail(): string;
  /** How etcd ended, with its own last error lines, when it exited on its own (killed, crashed, disk full); null while it runs or once the tool stopped it. */
  exitedOnItsOwn(): EtcdExit | null;
  /** True when /health answers within the time given: false for an etcd that exited or froze (SIGSTOP, a hung disk). */
  answers(timeoutMs?: number): Promise<boolean>;
  /** etcd's own last error lines so far, without Go stack frames. */
  lastErrors(): string[];
}

export interface EtcdExit {
  code: number | null;
  signal: string | null;
  lastErrors: string[];
}

/** Bytes of etcd's stderr kept for the error lines: its last few hundred log lines. */
const STDERR_KEEP_BYTES = 64 * 1024;

/**
 * etcd's own error lines from its log: capnslog text (3.4: "... E | wal: create wal error: no space left on device") or
 * zap JSON (3.5+: "level":"error"/"fatal"/"panic", with its "msg" and "error"), and Go's "panic:" line; never the
 * goroutine dump that follows a panic, which says where, not why.
 */
export function etcdErrorLines(log: string, keep = 3): string[] {
  const lines: string[] = [];
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('{')) {
      try {
        const j = JSON.parse(line) as { level?: string; msg?: string; error?: string };
        if (j.level === 'error' || j.level === 'fatal' || j.level === 'panic') lines.push([j.msg, j.error].filter(Boolean).join(': '));
      } catch {
        // A line cut off at the start of the kept window.
      }
      continue;
    }
    const capnslog = /^\S+ \S+ ([EC]) \| (.*)$/.exec(line);
    if (capnslog) lines.push(capnslog[2]!);
    else if (/^panic: /.test(line) || /no space left on device|read-only file system|permission denied/i.test(line))
      lines.push(line.replace(/^\S+ \S+ [A-Z] \| /, ''));
  }
  return [...new Set(lines)].slice(-keep);
}

export interface EmbeddedEtcdOptions {
  /** The directory to hold the member's data; a subdirectory is created and removed. */
  parentDir: string;
  etcdBinary?: string;
  name?: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
  /** Picks each port of a lone member (default two distinct free ports); a test hands in a port that is already taken. */
  pickPort?: () => Promise<number>;
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

/**
 * A port freePort found free can be bound by another process before etcd binds it (etcd exits with "bind: address already
 * in use"): a lone member then starts again on new ports, this many more times. A member's own ports are the caller's.
 */
const PORT_TAKEN_RETRIES = 2;

/** etcd could not bind a port the tool picked for it. */
class PortTakenError extends IncompleteError {}

export async function startEmbeddedEtcd(options: EmbeddedEtcdOptions): Promise<EmbeddedEtcd> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= PORT_TAKEN_RETRIES) throw err;
    }
  }
}

async function startOnce(options: EmbeddedEtcdOptions): Promise<EmbeddedEtcd> {
  const name = options.name ?? 'etcd-advisor';
  const binary = options.etcdBinary ?? 'etcd';
  const m = options.member;
  const dataDir = m?.dataDir ?? join(options.parentDir, `etcd-data-${process.pid}-${Date.now()}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pick = options.pickPort;
  const [clientPort, peerPort] = m ? [m.clientPort, m.peerPort] : pick ? [await pick(), await pick()] : ((await freePorts(2)) as [number, number]);
  const host = m ? (m.host.includes(':') ? `[${m.host}]` : m.host) : '127.0.0.1';
  const scheme = m?.scheme ?? 'http';
  const clientUrl = `${scheme}://${host}:${clientPort}`;
  const listenPeerUrl = `${scheme}://${host}:${peerPort}`;
  const peerUrl = m?.advertisePeerUrl ?? listenPeerUrl;
  const args = [
    '--name',
    name,
    '--data-dir',
    dataDir,
    '--listen-client-urls',
    clientUrl,
    '--advertise-client-urls',
    clientUrl,
    '--listen-peer-urls',
    listenPeerUrl,
    '--initial-advertise-peer-urls',
    peerUrl,
    '--initial-cluster',
    m?.initialCluster ?? `${name}=${peerUrl}`,
    '--initial-cluster-state',
    'new',
    '--initial-cluster-token',
    m?.token ?? `etcd-advisor-${process.pid}`,
    ...(options.extraArgs ?? []),
  ];

  let child: ResultPromise;
  try {
    // Its own process group (detached): Ctrl-C on the terminal reaches the tool, which stops etcd after the load has
    // stopped, instead of killing etcd under a running load; setpriv's parent-death signal ends it if the tool dies.
    child = execa(...dyingWithTool([binary, ...args]), {
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      buffer: { stderr: true },
      cleanup: true,
      detached: true,
      env: withoutEtcdEnv(process.env),
      extendEnv: false,
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw new IncompleteError(`could not start ${binary}: ${errorMessage(err)}`);
  }
  let stderrText = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrText = (stderrText + chunk.toString()).slice(-STDERR_KEEP_BYTES);
  });
  let exited = false;
  let stoppedByTool = false;
  let result: Awaited<typeof child> | null = null;
  const exitPromise = child.then((r) => {
    exited = true;
    result = r;
    return r;
  });

  const stop = onCleanup(`stop etcd ${name}`, async () => {
    stoppedByTool = true;
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    }
    if (m === undefined) await rm(dataDir, { recursive: true, force: true });
  });
  // etcd's own error lines ("create wal error: no space left on device"), never the goroutine dump after a panic.
  const tail = () => {
    const errors = etcdErrorLines(stderrText);
    return errors.length > 0 ? errors.join(' | ') : stderrText.trim().split('\n').slice(-1).join('');
  };
  const handle = {
    name,
    clientUrl,
    peerUrl,
    dataDir,
    pid: child.pid ?? -1,
    stop,
    exited: () => exited,
    stderrTail: tail,
    exitedOnItsOwn: (): EtcdExit | null => {
      if (!exited || stoppedByTool || result === null) return null;
      const r: Awaited<typeof child> = result;
      return { code: r.exitCode ?? null, signal: r.signal ?? null, lastErrors: etcdErrorLines(stderrText) };
    },
    answers: async (timeoutMs = 2_000) => !exited && ((await getJson(`${clientUrl}/health`, timeoutMs)) as { health?: string } | null)?.health === 'true',
    lastErrors: () => etcdErrorLines(stderrText),
  };
  // A member of a cluster is healthy only once a quorum of its peers is up: the caller waits for that, with its own deadline.
  if (m !== undefined) {
    await new Promise((r) => setTimeout(r, 300));
    if (exited) {
      const result = await exitPromise;
      await stop();
      throw new IncompleteError(
        `could not start the temporary etcd member ${name}: ${result.failed && notOnPath(result) ? `${binary} was not found on PATH` : `${binary} exited (${result.exitCode ?? result.signal}): ${tail()}`}`,
      );
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
      const portTaken = [clientPort, peerPort].some((port) => stderrText.includes(`:${port}: bind: address already in use`));
      throw new (portTaken ? PortTakenError : IncompleteError)(`could not start the throwaway etcd: ${why}`);
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

/** Why the throwaway etcd can no longer be judged: it exited on its own (with its last error lines) or stopped answering; null while it is well. */
export async function whyThrowawayGone(etcd: EmbeddedEtcd): Promise<string | null> {
  const answers = await etcd.answers();
  // Asked after /health, so that an etcd that exited while it was asked is told as exited.
  const exit = etcd.exitedOnItsOwn();
  if (exit !== null) {
    const how = exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    return `the throwaway etcd exited during the load (${how})${exit.lastErrors.length > 0 ? `: ${exit.lastErrors.join(' | ')}` : ''}. The load is not judged: it says nothing about this node; run again`;
  }
  if (answers) return null;
  const errors = etcd.lastErrors();
  return `the throwaway etcd stopped answering during the load (its /health did not answer within 2 s; frozen or overloaded)${errors.length > 0 ? `: ${errors.join(' | ')}` : ''}. The load is not judged: it says nothing about this node; run again`;
}

/**
 * The caller's environment without ETCD_* variables: etcd reads each as a flag, so an operator's ETCD_DATA_DIR would clash
 * with the flags above (fatal, ETCD-FACTS.md "Flags, environment, versions") and $ETCD_ADVISOR_ETCD_BINARY would be warned about.
 */
export function withoutEtcdEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('ETCD_')));
}

async function getJson(url: string, timeoutMs = 1_000): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    return await res.json();
  } catch {
    return null;
  }
}
