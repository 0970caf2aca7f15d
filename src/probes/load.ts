// Drives a load scenario against etcd under a prefix unique to the run, guards the cluster (empty prefix, database growth cap, clean-up on exit), and never judges.
import type { LoadArtifact, LoadPhaseResult } from '../model/artifacts.js';
import { errorMessage } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import { printableConnection } from '../etcd/etcdctl-command.js';
import type { EtcdConnection } from '../etcd/client.js';
import type { LeanEtcdClient } from '../etcd/lean/client.js';
import { openLeanClient, type ClientKind } from '../load/driver.js';
import { DEFAULT_THREADS, openRunner, type LoadRunner } from '../load/runner.js';
import type { LoadScenario } from '../load/scenario.js';
import { KeyMaker, prefixRangeEnd } from '../load/engine.js';
import { onCleanup, onInterrupt } from '../util/cleanup.js';
import type { Progress } from '../util/progress.js';
import { formatBytes } from '../util/units.js';

export { DEFAULT_SCENARIO_NAME, QUICK_SCENARIO_NAME, loadScenario, type LoadScenario } from '../load/scenario.js';

/** Default of --max-db-growth: a phase stops once a member's database grew this much, well inside the 2 GiB default quota (ETCD-FACTS.md). */
export const DEFAULT_MAX_DB_GROWTH_BYTES = 256 * 2 ** 20;
/**
 * The cap for a throwaway etcd the tool started itself: nobody else's data is at stake, so only etcd's own limit matters;
 * three quarters of the 2 GiB default --quota-backend-bytes (ETCD-FACTS.md) keeps the NOSPACE alarm from firing.
 */
export const EMBEDDED_MAX_DB_GROWTH_BYTES = 1.5 * 2 ** 30;
/** How often member status (dbSize) is read during a phase. */
const DB_POLL_MS = 1_000;
/** Ctrl-C waits this long for the running phase to drain before deleting the keys. */
const INTERRUPT_DRAIN_MS = 6_000;

export interface LoadFootprint {
  prefix: string;
  /** Most keys the run can hold at once under the prefix. */
  maxKeys: number;
  maxLiveBytes: number;
  /** Planned seconds of load; null when a phase runs to a total instead. */
  durationSec: number | null;
  maxDbGrowthBytes: number;
  text: string;
}

export interface LoadProbeOptions {
  connection: EtcdConnection;
  scenario: LoadScenario;
  prefix: string;
  embedded: boolean;
  progress?: Progress;
  /** The hot loop's client; default the lean HTTP/2 one. */
  client?: ClientKind;
  /** Default: DEFAULT_MAX_DB_GROWTH_BYTES, or EMBEDDED_MAX_DB_GROWTH_BYTES for a throwaway etcd. */
  maxDbGrowthBytes?: number;
  /** Worker threads to split the clients over; default DEFAULT_THREADS. */
  threads?: number;
  /** Told the footprint before the first write (the load command prints it for --endpoints). */
  onFootprint?: (footprint: LoadFootprint) => void;
}

export function loadFootprint(scenario: LoadScenario, prefix: string, maxDbGrowthBytes: number): LoadFootprint {
  const writers = scenario.phases.filter((p) => p.ops.some((o) => o.kind === 'put' || o.kind === 'txn'));
  const maxKeys = Math.max(0, ...writers.map((p) => p.keySpace));
  const maxLiveBytes = Math.max(0, ...writers.map((p) => p.keySpace * (p.keySize + p.valueSize.max)));
  const durationSec = scenario.phases.every((p) => p.durationSec !== null) ? scenario.phases.reduce((s, p) => s + p.durationSec!, 0) : null;
  const text =
    `footprint: up to ${maxKeys} keys (${formatBytes(maxLiveBytes)} live) under ${prefix}, ` +
    `${durationSec === null ? 'phases run to a request count' : `about ${durationSec.toFixed(0)} s of load`} in ${scenario.phases.length} phase(s); ` +
    `a phase stops if a member's database grows by more than ${formatBytes(maxDbGrowthBytes)} (--max-db-growth); the keys it writes are deleted at the end`;
  return { prefix, maxKeys, maxLiveBytes, durationSec, maxDbGrowthBytes, text };
}

/** The largest database among the members, read one endpoint at a time so that each member is seen. */
async function largestDbSize(perEndpoint: LeanEtcdClient[]): Promise<number | null> {
  const sizes = await Promise.all(
    perEndpoint.map((c) =>
      c.status().then(
        (s) => s.dbSize,
        () => null,
      ),
    ),
  );
  const known = sizes.filter((s): s is number => s !== null);
  return known.length === 0 ? null : Math.max(...known);
}

/** Keys read per page when looking for the run's own keys under the prefix. */
const KEY_PAGE = 10_000;
/** Deletes per transaction: etcd's --max-txn-ops default (ETCD-FACTS.md Space and requests). */
const MAX_TXN_OPS = 128;

/** The key makers of the phases that write: the names of every key the load can have written. */
export function ownKeyMakers(scenario: LoadScenario, prefix: string): KeyMaker[] {
  return scenario.phases.filter((p) => p.ops.some((o) => o.kind === 'put' || o.kind === 'txn')).map((p) => new KeyMaker(prefix, p.keySize, p.keySpace));
}

/**
 * Deletes the keys the load wrote and nothing else: the keys under the prefix are listed page by page, and only those
 * with the names the load makes are deleted, in transactions. A key another client put under the prefix stays.
 */
export async function deleteOwnKeys(admin: LeanEtcdClient, prefix: string, makers: readonly KeyMaker[]): Promise<number> {
  const end = prefixRangeEnd(prefix);
  let cursor = Buffer.from(prefix);
  let deleted = 0;
  for (;;) {
    const page = (await admin.range(cursor, { rangeEnd: end, limit: KEY_PAGE, keysOnly: true })).kvs.map((kv) => Buffer.from(kv.key));
    const own = page.filter((k) => makers.some((m) => m.makes(k)));
    for (let i = 0; i < own.length; i += MAX_TXN_OPS) deleted += await admin.txnDelete(own.slice(i, i + MAX_TXN_OPS));
    if (page.length < KEY_PAGE) return deleted;
    cursor = Buffer.concat([page[page.length - 1]!, Buffer.from([0])]);
  }
}

export async function runLoadProbe(options: LoadProbeOptions): Promise<ProbeResult<LoadArtifact>> {
  const { connection, scenario, prefix } = options;
  const kind = options.client ?? 'lean';
  const maxDbGrowth = options.maxDbGrowthBytes ?? (options.embedded ? EMBEDDED_MAX_DB_GROWTH_BYTES : DEFAULT_MAX_DB_GROWTH_BYTES);
  const maxConns = Math.max(...scenario.phases.map((p) => p.conns));
  let interrupted = false;
  // The load's own upkeep (the prefix check, database sizes, deleting its keys) goes through the lean client too: etcd3 and
  // grpc-js would add about 25 MB to the load process for a handful of calls (bench/README.md, peak memory).
  let admin: LeanEtcdClient | null = null;
  const perEndpoint: LeanEtcdClient[] = [];
  let runner: LoadRunner | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let deleteStep: (() => Promise<void>) | null = null;
  let deletedKeys: number | null = null;
  let cleanupError: string | undefined;
  const stopListening = onInterrupt(() => (interrupted = true));
  const closeClients = onCleanup('close etcd clients', async () => {
    await runner?.close();
    for (const c of perEndpoint) c.close();
  });
  try {
    for (const e of connection.endpoints) perEndpoint.push(await openLeanClient(connection, e));
    admin = perEndpoint[0]!;
    const existing = (await admin.range(Buffer.from(prefix), { rangeEnd: prefixRangeEnd(prefix), countOnly: true })).count;
    if (existing > 0) return probeError(`the prefix ${prefix} already holds ${existing} keys: refusing to write there (give another --prefix)`, 'bad-input');
    const before = await admin.status();
    const version = before.version;
    const revisionBefore = before.revision;
    const baseDb = (await largestDbSize(perEndpoint)) ?? 0;
    options.onFootprint?.(loadFootprint(scenario, prefix, maxDbGrowth));

    // From here the run writes keys: exactly those go at the end, on error, and on Ctrl-C (after the running phase drains).
    const adminClient = admin;
    deleteStep = onCleanup(`delete the keys the load wrote under ${prefix}`, async () => {
      interrupted = true;
      await Promise.race([running, new Promise((r) => setTimeout(r, INTERRUPT_DRAIN_MS).unref())]);
      await runner?.close();
      runner = null;
      try {
        deletedKeys = await deleteOwnKeys(adminClient, prefix, ownKeyMakers(scenario, prefix));
      } catch (err) {
        cleanupError = `could not delete the keys the load wrote under ${prefix}: ${errorMessage(err)}`;
      }
    });
    const threads = options.threads ?? DEFAULT_THREADS;
    runner = await openRunner(kind, connection, maxConns, threads);
    const activeRunner = runner;

    let growth = 0;
    let growthStop: string | null = null;
    let polling = false;
    const poller = setInterval(() => {
      if (polling) return;
      polling = true;
      void largestDbSize(perEndpoint).then((size) => {
        polling = false;
        if (size === null) return;
        growth = Math.max(growth, size - baseDb);
        if (growth > maxDbGrowth) growthStop = `the database grew by ${formatBytes(growth)}, over --max-db-growth ${formatBytes(maxDbGrowth)}`;
      });
    }, DB_POLL_MS);
    poller.unref();

    const phases: LoadPhaseResult[] = [];
    try {
      for (const spec of scenario.phases) {
        if (interrupted || growthStop !== null) break;
        options.progress?.phase('load', `${spec.name}: ${spec.model} model, ${spec.clients} clients${spec.rate ? ` at ${spec.rate}/s` : ''}`);
        const phasePromise = activeRunner.runPhase({
          spec,
          prefix,
          ...(options.progress ? { progress: options.progress } : {}),
          stopReason: () => (interrupted ? 'interrupted' : growthStop),
        });
        running = phasePromise;
        const phase = await phasePromise;
        options.progress?.done(
          'load',
          `${spec.name}: ${phase.ratePerSec.toFixed(0)} req/s, p99 ${((phase.latencyUs.p99 ?? 0) / 1000).toFixed(2)} ms${phase.errors ? `, ${phase.errors} errors` : ''}`,
        );
        phases.push(phase);
        // An endpoint that went away or a database at its cap will not be better in the next phase.
        if (phase.stoppedEarly !== undefined) break;
      }
    } finally {
      clearInterval(poller);
    }
    await deleteStep();
    // The footprint as the cluster is left: the database does not shrink when keys go (only compact + defrag free it).
    const finalDb = await largestDbSize(perEndpoint);
    if (finalDb !== null) growth = Math.max(growth, finalDb - baseDb);
    const revisionAfter = await admin.status().then(
      (s) => s.revision,
      () => null,
    );
    const artifact: LoadArtifact = {
      endpoints: connection.endpoints,
      embedded: options.embedded,
      client: kind,
      scenario: scenario.name,
      prefix,
      etcdVersion: version,
      phases,
      deletedKeys,
      dbGrowthBytes: Math.max(0, growth),
      revisionBefore,
      ...(revisionAfter !== null ? { revisionAfter } : {}),
      connection: printableConnection(connection),
    };
    if (cleanupError !== undefined) artifact.cleanupError = cleanupError;
    return probeOk(artifact);
  } catch (err) {
    return probeError(`etcd load could not run against ${connection.endpoints.join(', ')}: ${errorMessage(err)}`, 'unreachable');
  } finally {
    stopListening();
    if (deleteStep !== null) await deleteStep();
    await closeClients();
  }
}
