// Test support: reads a generated etcd.service and etcd.conf the way systemd does, starts real etcd from them, and talks to it.
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { parseEnvFile } from '../../src/lint/systemd.js';

/** PEM contents for https URLs: the CA, and a client certificate for client-cert-auth. */
export interface ClientTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** etcd.conf read by lint's systemd EnvironmentFile= parser; any syntax issue or a variable set twice is an error here. */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const { assignments, issues } = parseEnvFile(text);
  if (issues.length > 0) throw new Error(`EnvironmentFile: ${issues.map((i) => `${i.kind} at line ${i.line}: ${i.text}`).join('; ')}`);
  const env: Record<string, string> = {};
  for (const a of assignments) {
    if (a.key in env) throw new Error(`EnvironmentFile sets ${a.key} twice`);
    env[a.key] = a.value;
  }
  return env;
}

/** The [Service] section's settings, key -> values (a key may repeat). */
export function unitSettings(unitText: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const eq = line.indexOf('=');
    settings.set(line.slice(0, eq), [...(settings.get(line.slice(0, eq)) ?? []), line.slice(eq + 1)]);
  }
  return settings;
}

/** ExecStart split as systemd splits it: whitespace, "double quotes", and its "-" / "@" / "+" prefixes dropped. */
export function execStartArgv(unitText: string): string[] {
  const lines = unitSettings(unitText).get('ExecStart') ?? [];
  if (lines.length !== 1) throw new Error(`expected one ExecStart, found ${lines.length}`);
  const argv = [...lines[0]!.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
  argv[0] = argv[0]!.replace(/^[-@+!:]+/, '');
  return argv;
}

export interface StartedEtcd {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs etcd with exactly `env` (plus PATH), as systemd would: nothing inherited from the test's own environment. */
export function spawnEtcd(argv: string[], env: Record<string, string>): StartedEtcd {
  const child = spawn(argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    log: () => log,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Runs a shell that sources etcd.conf (set -a exports every variable) and execs etcd: an operator's "etcd.conf alone". */
export function spawnEtcdFromShell(envFilePath: string, etcdBinary = 'etcd'): StartedEtcd {
  return spawnEtcd(['/bin/sh', '-c', `set -a; . "$0"; exec ${etcdBinary}`, envFilePath], {});
}

function httpsJson(url: string, tls: ClientTls, init?: { method?: string; body?: string }): Promise<unknown> {
  return new Promise((resolve) => {
    const req = https.request(
      url,
      { method: init?.method ?? 'GET', ca: tls.ca, ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}), timeout: 2_000 },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          try {
            resolve(res.statusCode === 200 ? JSON.parse(body) : null);
          } catch {
            resolve(null);
          }
        });
      },
    );
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end(init?.body);
  });
}

async function fetchJson(url: string, init?: { method?: string; body?: string }, tls?: ClientTls): Promise<unknown> {
  if (tls !== undefined) return httpsJson(url, tls, init);
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return null;
    return await res.json();
  } catch {
    return null;
  }
}

/** Waits until `ok(response of url)` or etcd exits; throws with etcd's log tail either way it fails. */
export async function waitFor(etcd: StartedEtcd, url: string, ok: (body: unknown) => boolean, timeoutMs = 30_000, tls?: ClientTls): Promise<void> {
  let exited = false;
  void etcd.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`etcd exited: ${etcd.log().trim().split('\n').slice(-3).join(' | ')}`);
    if (ok(await fetchJson(url, undefined, tls))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd did not answer ${url} in ${timeoutMs} ms: ${etcd.log().trim().split('\n').slice(-3).join(' | ')}`);
}

export const waitHealthy = (etcd: StartedEtcd, clientUrl: string, timeoutMs?: number, tls?: ClientTls) =>
  waitFor(etcd, `${clientUrl}/health`, (b) => (b as { health?: string } | null)?.health === 'true', timeoutMs, tls);

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A put on one member and a get on another through etcd's v3 JSON gateway: the cluster serves. */
export async function putGet(putUrl: string, getUrl: string, key: string, value: string, tls?: ClientTls): Promise<string | null> {
  const put = await fetchJson(`${putUrl}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }) }, tls);
  if (put === null) return null;
  const got = (await fetchJson(`${getUrl}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: b64(key) }) }, tls)) as {
    kvs?: { value: string }[];
  } | null;
  const v = got?.kvs?.[0]?.value;
  return v === undefined ? null : Buffer.from(v, 'base64').toString();
}
