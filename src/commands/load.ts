// `etcd-advisor load`: runs a load scenario against a cluster (--endpoints) or a throwaway local etcd, prints the phases, exits 1 when a threshold fails.
import type { CommandModule } from 'yargs';
import { startEmbeddedEtcd, whyThrowawayGone, type EmbeddedEtcd } from '../etcd/embedded.js';
import { interruption } from '../util/cleanup.js';
import type { LoadArtifact, LoadPhaseResult } from '../model/artifacts.js';
import { EXIT, IncompleteError, UsageError } from '../model/errors.js';
import { DEFAULT_CALL_TIMEOUT_MS } from '../etcd/lean/grpc.js';
import { CLIENT_KINDS, type ClientKind } from '../load/driver.js';
import { applyOverrides, DEFAULT_SCENARIO_NAME, loadScenario, type PhaseOverrides } from '../load/scenario.js';
import { parseDurationMs, parseSize } from '../util/units.js';
import { DEFAULT_MAX_DB_GROWTH_BYTES, EMBEDDED_MAX_DB_GROWTH_BYTES, runLoadProbe } from '../probes/load.js';
import { newRunId } from '../run.js';
import { preflightConnection } from '../etcd/preflight.js';
import { createScratchDir } from '../util/scratch.js';
import { connectionFrom, connectionOptions, jsonOption, parseEndpoints, printJson, withProgress, type ConnectionArgs } from './shared.js';

/** The ad-hoc flags are the scenario overrides, spelled as flags. */
type OverrideFlags = Omit<PhaseOverrides, 'keySize' | 'valSize'> & { 'key-size'?: string; 'val-size'?: string };

interface LoadArgs extends ConnectionArgs, OverrideFlags {
  scenario: string;
  client: string;
  threads?: number;
  prefix?: string;
  'max-db-growth'?: string;
  'call-timeout': string;
  'data-dir'?: string;
  json: boolean;
}

const OVERRIDE_FLAGS: [keyof OverrideFlags, keyof PhaseOverrides][] = [
  ['phase', 'phase'], ['model', 'model'], ['clients', 'clients'], ['conns', 'conns'], ['rate', 'rate'], ['total', 'total'],
  ['duration', 'duration'], ['key-size', 'keySize'], ['val-size', 'valSize'], ['op', 'op'],
];

const ms = (us: number | undefined) => (us === undefined ? '-' : (us / 1000).toFixed(2));

export function formatPhase(p: LoadPhaseResult): string {
  const lines: string[] = [];
  const target = p.targetRatePerSec === null ? '' : ` (target ${p.targetRatePerSec}/s)`;
  lines.push(`${p.name}: ${p.model} model, ${p.clients} clients on ${p.conns} connection(s), ${p.durationSec.toFixed(1)} s`);
  lines.push(`  ${p.requests} requests, ${p.ratePerSec.toFixed(1)} req/s${target}, ${p.errors} errors${p.errors ? ` (${Object.entries(p.errorsByKind).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`);
  const l = p.latencyUs;
  lines.push(`  latency ms${p.latencyFromIntendedStart ? ' (from intended send time)' : ''}: p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  p99.9 ${ms(l['p99.9'])}  max ${ms(l.max)}`);
  for (const [op, s] of Object.entries(p.latencyByOpUs)) if (Object.keys(p.latencyByOpUs).length > 1) lines.push(`    ${op.padEnd(18)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
  lines.push(`  client CPU ${p.clientCpuPct.toFixed(0)}% of a core${p.clientLimited ? `: limited by the load generator, not etcd (${p.clientLimitedReason ?? 'client saturated'})` : ''}`);
  if (p.stoppedEarly !== undefined) lines.push(`  stopped early: ${p.stoppedEarly}`);
  for (const t of p.thresholds) lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.expr}  (${t.actual})`);
  return lines.join('\n');
}

/** Exit 1 when a phase broke a threshold or saw errors. */
export function loadExitCode(artifact: LoadArtifact): number {
  return artifact.phases.some((p) => p.errors > 0 || p.thresholds.some((t) => !t.ok)) ? EXIT.failed : EXIT.ok;
}

export const loadCommand: CommandModule<object, LoadArgs> = {
  command: 'load',
  describe: 'Drive put/get load against etcd from a scenario (scenarios/*.yaml), with HDR percentiles and thresholds',
  builder: (y) =>
    connectionOptions(y)
      .option('scenario', { type: 'string', default: DEFAULT_SCENARIO_NAME, describe: 'A scenario name (quick, default, check-perf-s|m|l|xl, k8s-like) or a path to a YAML file' })
      .option('phase', { type: 'string', describe: 'With the flags below: the scenario phase they change (default: the first); only that phase runs' })
      .option('model', { type: 'string', choices: ['closed', 'open'], describe: 'closed: clients loop as fast as etcd answers; open: --rate requests per second' })
      .option('clients', { type: 'number', describe: 'Concurrent clients (open model: the most requests in flight)' })
      .option('conns', { type: 'number', describe: 'HTTP/2 connections the clients share' })
      .option('rate', { type: 'number', describe: 'Target requests per second: switches the phase to the open model' })
      .option('total', { type: 'number', describe: 'Stop after this many requests' })
      .option('duration', { type: 'string', describe: 'Phase length, e.g. 30s or 2m' })
      .option('key-size', { type: 'string', describe: 'Key size, e.g. 256 or 256B' })
      .option('val-size', { type: 'string', describe: 'Value size, e.g. 1KiB, or a range 1KiB-10KiB' })
      .option('op', { type: 'string', describe: 'Op mix name[:limit][=weight],...: put, get, get-serializable, range, range-serializable, delete, txn' })
      .option('client', { type: 'string', choices: CLIENT_KINDS, default: 'lean', describe: 'The client of the hot loop: lean (own HTTP/2 framing), node-http2 (the same on node:http2), or the etcd3 package' })
      .option('threads', { type: 'number', describe: 'Worker threads to split the clients over (default 1; more only helps on a client host with spare cores)' })
      .option('prefix', { type: 'string', describe: 'Key prefix, which must be empty (default /etcd-advisor/<run id>/)' })
      .option('max-db-growth', { type: 'string', describe: `Stop a phase when a member database grows by more than this (default ${DEFAULT_MAX_DB_GROWTH_BYTES / 2 ** 20}MiB; ${EMBEDDED_MAX_DB_GROWTH_BYTES / 2 ** 30} GiB for the throwaway etcd)` })
      .option('call-timeout', { type: 'string', default: `${DEFAULT_CALL_TIMEOUT_MS / 1000}s`, describe: 'Deadline of each request' })
      .option('data-dir', { type: 'string', describe: 'Without --endpoints: where the throwaway etcd keeps its data (default ./reports/.scratch/)' })
      .option('json', jsonOption('{ "phases": [...] } and the run details as JSON'))
      .group(['scenario', ...OVERRIDE_FLAGS.map(([flag]) => flag)], 'Workload:')
      .example('$0 load --scenario quick', 'A 5 s mixed load against a throwaway local etcd')
      .example('$0 load --endpoints http://10.0.0.1:2379 --scenario check-perf-m', 'The load of etcdctl check perf --load m against a cluster')
      .example('$0 load --model closed --clients 500 --duration 20s --op put --val-size 1KiB', 'Ad hoc: 500 clients putting 1 KiB values as fast as etcd takes them, for 20 s')
      .example('$0 load --scenario check-perf-s --rate 300 --duration 30s', 'check-perf-s at twice its rate, for 30 s'),
  handler: async (args) => {
    const base = await loadScenario(args.scenario);
    const overrides: PhaseOverrides = {};
    for (const [flag, key] of OVERRIDE_FLAGS) if (args[flag] !== undefined) Object.assign(overrides, { [key]: args[flag] });
    const scenario = applyOverrides(base, overrides);
    const maxDbGrowthBytes = args['max-db-growth'] === undefined ? undefined : parseSize('max-db-growth', args['max-db-growth']);
    const callTimeoutMs = Math.round(parseDurationMs('call-timeout', args['call-timeout']));
    const runId = newRunId();
    const prefix = args.prefix ?? `/etcd-advisor/${runId}/`;
    if (!prefix.startsWith('/') || prefix.length < 2) throw new UsageError(`--prefix: "${prefix}" must start with "/" and name a key range of its own`);

    const artifact = await withProgress(args.json, async (progress) => {
      let embedded: EmbeddedEtcd | null = null;
      let removeScratch: (() => Promise<void>) | null = null;
      try {
        let connection;
        if (args.endpoints !== undefined) {
          connection = { ...connectionFrom(args, parseEndpoints(args.endpoints)), callTimeoutMs };
          for (const d of await preflightConnection(connection)) progress.warn(d.unreachable!);
        } else {
          const scratch = await createScratchDir(args['data-dir'], runId);
          removeScratch = scratch.remove;
          progress.phase('etcd', 'starting a throwaway etcd on loopback');
          embedded = await startEmbeddedEtcd({ parentDir: scratch.path });
          progress.done('etcd', `etcd ${embedded.version} at ${embedded.clientUrl}`);
          connection = { endpoints: [embedded.clientUrl], callTimeoutMs };
        }
        const result = await runLoadProbe({
          connection,
          scenario,
          prefix,
          embedded: embedded !== null,
          progress,
          client: args.client as ClientKind,
          ...(args.threads !== undefined ? { threads: positiveThreads(args.threads) } : {}),
          ...(maxDbGrowthBytes !== undefined ? { maxDbGrowthBytes } : {}),
          // Against a real cluster the operator sees what the run will write before it writes.
          onFootprint: (f) => {
            if (args.endpoints !== undefined) process.stderr.write(`${f.text}\n`);
          },
        });
        // A throwaway etcd that died or froze under the load: its last error lines, exit 3, never a verdict on the node.
        const gone = embedded !== null && interruption() === null ? await whyThrowawayGone(embedded) : null;
        if (gone !== null) throw new IncompleteError(gone);
        if (!result.ok) {
          if (result.kind === 'bad-input') throw new UsageError(result.error);
          throw new IncompleteError(result.error);
        }
        return result.data;
      } finally {
        if (embedded) await embedded.stop();
        if (removeScratch) await removeScratch();
      }
    });
    if (args.json) printJson(artifact);
    else {
      process.stdout.write(`scenario ${artifact.scenario} against ${artifact.endpoints.join(', ')}${artifact.embedded ? ' (throwaway etcd)' : ''}, etcd ${artifact.etcdVersion ?? '?'}, ${artifact.client} client\n\n`);
      for (const p of artifact.phases) process.stdout.write(`${formatPhase(p)}\n\n`);
      // A failed clean-up is said once, on stderr below.
      if (artifact.cleanupError === undefined) process.stdout.write(`deleted the ${artifact.deletedKeys ?? 0} keys the load wrote under ${artifact.prefix}\n`);
    }
    if (artifact.cleanupError !== undefined) process.stderr.write(`etcd-advisor: ${artifact.cleanupError}\n`);
    process.exitCode = loadExitCode(artifact);
  },
};

function positiveThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--threads: must be a positive whole number, got ${n}`);
  return n;
}
