// Coordination through the temporary cluster itself: barrier keys under the run's prefix, waits with a deadline, and a stop signal any node can raise.
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import type { Etcd3, IOptions } from 'etcd3';
import type { TlsMaterial } from '../etcd/client.js';
import { interruption } from '../util/cleanup.js';
import { IncompleteError, errorMessage } from '../model/errors.js';

/** How often a waiting node looks at the keys again; reads are member-local (serializable), so this costs no raft round. */
const POLL_MS = 250;
const CALL_TIMEOUT_MS = 3_000;
/**
 * A write or linearizable read waits for a leader: under the stalls a cluster run is there to find, a call can land in
 * an election (up to the election timeout, several times in a row) and time out. Those are retried for about 20 s;
 * any other error is not.
 */
const TRANSIENT = /DEADLINE_EXCEEDED|UNAVAILABLE|leader changed|no leader|timed out|timeout/i;
const raftRetry = retry(
  handleWhen((err) => TRANSIENT.test(errorMessage(err))),
  { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 3_000 }) },
);

/** Another node stopped the run (Ctrl-C, an error): every node ends, saying which one and why. */
export class PeerStoppedError extends IncompleteError {
  constructor(
    readonly peer: string,
    readonly reason: string,
  ) {
    super(`member ${peer} stopped the cluster run (${reason}): stopping here too`);
  }
}

/** This process got SIGINT/SIGTERM (Ctrl-C here, or a peer's stop relayed): the waits end, and the node writes what it measured, marked interrupted. */
export class NodeInterruptedError extends IncompleteError {
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`stopped by ${signal}`);
  }
}

/** A wait that ran past its deadline, naming the members that never arrived. */
export class MissingPeersError extends IncompleteError {
  constructor(
    readonly missing: string[],
    message: string,
  ) {
    super(message);
  }
}

/** Throws NodeInterruptedError once this process got SIGINT/SIGTERM: a long wait or the next load phase does not start after it. */
export function stopIfSignalled(): void {
  const s = interruption();
  if (s === 'SIGINT' || s === 'SIGTERM') throw new NodeInterruptedError(s);
}

export class Barrier {
  /** etcd3 is loaded when the barrier is first used: a command that never reaches a cluster does not carry it (bench/README.md, peak memory). */
  private readonly client: Promise<Etcd3>;
  private opened: Etcd3 | null = null;
  private stopped: PeerStoppedError | null = null;

  constructor(
    clientUrl: string,
    tls: TlsMaterial,
    readonly prefix: string,
    readonly self: string,
  ) {
    const options: IOptions = {
      hosts: [clientUrl],
      faultHandling: { host: () => noop, global: noop },
      defaultCallOptions: () => ({ deadline: Date.now() + CALL_TIMEOUT_MS }),
      ...(tls.ca !== undefined
        ? { credentials: { rootCertificate: tls.ca, ...(tls.cert ? { certChain: tls.cert } : {}), ...(tls.key ? { privateKey: tls.key } : {}) } }
        : {}),
    };
    this.client = import('etcd3').then(({ Etcd3 }) => (this.opened = new Etcd3(options)));
  }

  key(sub: string, name = this.self): string {
    return `${this.prefix}${sub}/${name}`;
  }

  async put(sub: string, value: unknown, name = this.self): Promise<void> {
    const client = await this.client;
    await raftRetry.execute(() => client.put(this.key(sub, name)).value(JSON.stringify(value)).exec());
  }

  /** Every key under sub/, by member name; member-local, so it works while the cluster is being restarted. */
  async list<T>(sub: string): Promise<Map<string, T>> {
    const res = await (await this.client).getAll().prefix(`${this.prefix}${sub}/`).serializable(true).strings();
    const out = new Map<string, T>();
    for (const [k, v] of Object.entries(res)) out.set(k.slice(this.prefix.length + sub.length + 1), JSON.parse(v) as T);
    return out;
  }

  /** Raises the stop signal the other nodes watch for. Best effort: a member already gone cannot carry it. */
  async raiseStop(reason: string): Promise<void> {
    await Promise.race([this.put('stop', { reason, at: Date.now() }).catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
  }

  /** Throws PeerStoppedError once another node raised the stop signal. */
  async checkStopped(): Promise<void> {
    if (this.stopped) throw this.stopped;
    stopIfSignalled();
    let stops: Map<string, { reason: string; at?: number }>;
    try {
      stops = await this.list<{ reason: string; at?: number }>('stop');
    } catch {
      return;
    }
    // The first node to stop is the cause; any later stop key is a consequence of it.
    const first = [...stops].filter(([name]) => name !== this.self).sort(([, a], [, b]) => (a.at ?? 0) - (b.at ?? 0))[0];
    if (first) {
      this.stopped = new PeerStoppedError(first[0], first[1].reason);
      throw this.stopped;
    }
  }

  /**
   * Waits until every name has a key under sub/, or throws MissingPeersError naming the others after the deadline.
   * `describeMissing` words the error (e.g. with what each missing member's peer URL said); `onWait` may throw to end
   * the wait early (a member that went away).
   */
  async waitAll<T>(
    sub: string,
    names: string[],
    deadline: number,
    describeMissing: (missing: string[]) => Promise<string>,
    onWait?: (missing: string[]) => Promise<void> | void,
  ): Promise<Map<string, T>> {
    let lastError = '';
    for (;;) {
      await this.checkStopped();
      let found = new Map<string, T>();
      try {
        found = await this.list<T>(sub);
        lastError = '';
      } catch (err) {
        lastError = errorMessage(err);
      }
      const missing = names.filter((n) => !found.has(n));
      if (missing.length === 0) return found;
      if (Date.now() > deadline) throw new MissingPeersError(missing, (await describeMissing(missing)) + (lastError ? ` (last error: ${lastError})` : ''));
      await onWait?.(missing);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Watches for the stop signal while a long step runs, calling onStop once. */
  watchStop(onStop: (err: PeerStoppedError) => void): () => void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.checkStopped().then(
        () => (busy = false),
        (err: unknown) => {
          clearInterval(timer);
          if (err instanceof PeerStoppedError) onStop(err);
        },
      );
    }, POLL_MS * 2);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The members' ids in hex (as /metrics labels peers) to their names. */
  async memberIds(): Promise<Map<string, string>> {
    const client = await this.client;
    const res = await raftRetry.execute(() => client.cluster.memberList({}));
    return new Map((res.members ?? []).map((m) => [BigInt(m.ID).toString(16), m.name]));
  }

  /** Deletes every key of the run (the driver does it last, while every member is still up). */
  async deleteAll(): Promise<number> {
    const client = await this.client;
    return Number((await raftRetry.execute(() => client.delete().prefix(this.prefix).exec())).deleted);
  }

  close(): void {
    this.opened?.close();
  }
}
