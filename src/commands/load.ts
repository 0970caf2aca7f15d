// `etcd-advisor load`: runs a load scenario against a cluster (--endpoints) or a throwaway local etcd, prints the phases and the advisor's load checks, exits by their verdict.
import { capText } from '../util/input-file.js';
import type { CommandModule } from 'yargs';
import { resolveEtcdBinary } from '../etcd/binary.js';
import { exitCodeFor } from '../model/check.js';
import { exitCodeForSignal, handleInterruptInCommand, interruption } from '../util/cleanup.js';
import { UsageError } from '../model/errors.js';
import { newRunId } from '../model/report.js';
import { DEFAULT_CALL_TIMEOUT_MS } from '../etcd/lean/grpc.js';
import { CLIENT_KINDS, type ClientKind } from '../load/driver.js';
import { adHocScenario, AD_HOC_DEFAULTS, applyOverrides, DEFAULT_SCENARIO_NAME, hasOverrides, loadScenario, type PhaseOverrides } from '../load/scenario.js';
import { LIMITS } from '../util/limits.js';
import { formatBytes, parseCount, parseDuration, parseSize } from '../util/units.js';
import { runLoadSession } from '../load/session.js';
import { preflightConnection } from '../etcd/preflight.js';
import { DEFAULT_MAX_DB_GROWTH_BYTES, EMBEDDED_MAX_DB_GROWTH_BYTES } from '../probes/load.js';
import { renderLoadText } from '../report/terminal.js';
import { connectionFrom, connectionOptions, etcdBinaryOption, jsonOption, parseEndpoints, printJson, withProgress, type ConnectionArgs } from './shared.js';

/** The ad-hoc flags are the scenario overrides, spelled as flags. */
type OverrideFlags = Omit<PhaseOverrides, 'keySize' | 'valSize'> & { 'key-size'?: string; 'val-size'?: string };

interface LoadArgs extends ConnectionArgs, OverrideFlags {
  scenario?: string;
  client: string;
  'etcd-binary'?: string;
  threads?: number;
  prefix?: string;
  'max-db-growth'?: string;
  'call-timeout': string;
  'data-dir'?: string;
  json: boolean;
}

const OVERRIDE_FLAGS: [keyof OverrideFlags, keyof PhaseOverrides][] = [
  ['phase', 'phase'],
  ['model', 'model'],
  ['clients', 'clients'],
  ['conns', 'conns'],
  ['rate', 'rate'],
  ['total', 'total'],
  ['duration', 'duration'],
  ['key-size', 'keySize'],
  ['val-size', 'valSize'],
  ['op', 'op'],
];

export const loadCommand: CommandModule<object, LoadArgs> = {
  command: 'load',
  describe: 'Drive put/get load against etcd from a scenario (scenarios/*.yaml), with HDR percentiles and thresholds',
  builder: (y) =>
    etcdBinaryOption(connectionOptions(y))
      .option('scenario', {
        type: 'string',
        describe: `A scenario name (quick, default, check-perf-s|m|l|xl, k8s-like) or a path to a YAML file, ${capText('config')} (default: ${DEFAULT_SCENARIO_NAME}, or with only the flags below one ad-hoc phase)`,
      })
      .option('phase', {
        type: 'string',
        describe: 'With --scenario and the flags below: the scenario phase they change (default: the first); only that phase runs',
      })
      .option('model', {
        type: 'string',
        choices: ['closed', 'open'],
        describe: 'closed: clients loop as fast as etcd answers (the default without --rate); open: --rate requests per second',
      })
      .option('clients', {
        type: 'number',
        describe: `Concurrent clients (open model: the most requests in flight; ad hoc default ${AD_HOC_DEFAULTS.clients})`,
      })
      .option('conns', { type: 'number', describe: 'HTTP/2 connections the clients share' })
      .option('rate', { type: 'number', describe: 'Target requests per second: switches the phase to the open model' })
      .option('total', { type: 'number', describe: 'Stop after this many requests' })
      .option('duration', { type: 'string', describe: `Phase length, e.g. 30s or 2m (ad hoc default ${AD_HOC_DEFAULTS.durationSec}s unless --total is given)` })
      .option('key-size', { type: 'string', describe: 'Key size, e.g. 256 or 256B' })
      .option('val-size', { type: 'string', describe: 'Value size, e.g. 1KiB, or a range 1KiB-10KiB' })
      .option('op', { type: 'string', describe: 'Op mix name[:limit][=weight],...: put, get, get-serializable, range, range-serializable, delete, txn' })
      .option('client', {
        type: 'string',
        choices: CLIENT_KINDS,
        default: 'lean',
        describe: 'The client of the hot loop: lean (own HTTP/2 framing), node-http2 (the same on node:http2), or the etcd3 package',
      })
      .option('threads', {
        type: 'number',
        describe: 'Worker threads to split the clients over (default 1; more only helps on a client host with spare cores)',
      })
      .option('prefix', { type: 'string', describe: 'Key prefix, which must be empty (default /etcd-advisor/<run id>/)' })
      .option('max-db-growth', {
        type: 'string',
        describe: `Stop a phase when a member database grows by more than this (default ${formatBytes(DEFAULT_MAX_DB_GROWTH_BYTES)}; ${formatBytes(EMBEDDED_MAX_DB_GROWTH_BYTES)} for the throwaway etcd)`,
      })
      .option('call-timeout', {
        type: 'string',
        default: `${DEFAULT_CALL_TIMEOUT_MS / 1000}s`,
        describe: 'Deadline of each request, with a unit: 500ms, 5s, 1m (1ms to 10m)',
      })
      .option('data-dir', { type: 'string', describe: 'Without --endpoints: where the throwaway etcd keeps its data (default ./reports/.scratch/)' })
      .option('json', jsonOption('{ "phases": [...] } and the run details as JSON'))
      .group(['scenario', ...OVERRIDE_FLAGS.map(([flag]) => flag)], 'Workload:')
      .example('$0 load --scenario quick', 'A 5 s mixed load against a throwaway local etcd')
      .example('$0 load --endpoints http://10.0.0.1:2379 --scenario check-perf-m', 'The load of etcdctl check perf --load m against a cluster')
      .example(
        '$0 load --clients 500 --total 40000 --op put',
        'Ad hoc, as `benchmark put --clients 500 --total 40000`: 500 clients putting as fast as etcd takes them, 40000 puts',
      )
      .example('$0 load --rate 500 --clients 50 --duration 20s --op put=1,get=4', 'Ad hoc, open model: 500 requests/s whatever etcd does, for 20 s')
      .example('$0 load --scenario check-perf-s --rate 300 --duration 30s', 'check-perf-s at twice its rate, for 30 s'),
  handler: async (args) => {
    const overrides: PhaseOverrides = {};
    for (const [flag, key] of OVERRIDE_FLAGS) if (args[flag] !== undefined) Object.assign(overrides, { [key]: args[flag] });
    // Flags alone make one phase of their own; with --scenario they change its named (or first) phase.
    const scenario =
      args.scenario === undefined && hasOverrides(overrides)
        ? adHocScenario(overrides)
        : applyOverrides(await loadScenario(args.scenario ?? DEFAULT_SCENARIO_NAME), overrides);
    const maxDbGrowthBytes = args['max-db-growth'] === undefined ? undefined : parseSize('max-db-growth', args['max-db-growth'], LIMITS.maxDbGrowth);
    const callTimeoutMs = Math.round(parseDuration('call-timeout', args['call-timeout'], { rangeMs: LIMITS.callTimeoutMs }));
    const threads = args.threads === undefined ? undefined : parseCount('threads', args.threads, LIMITS.threads);
    const runId = newRunId();
    const prefix = args.prefix ?? `/etcd-advisor/${runId}/`;
    if (!prefix.startsWith('/') || prefix.length < 2) throw new UsageError(`--prefix: "${prefix}" must start with "/" and name a key range of its own`);
    const connection = args.endpoints !== undefined ? connectionFrom(args, parseEndpoints(args.endpoints)) : undefined;

    // Only a throwaway member needs a binary; a named one that is not etcd is bad usage before anything runs.
    const etcdBinary = connection === undefined ? (await resolveEtcdBinary(args['etcd-binary'])).binary : undefined;
    // On Ctrl-C or SIGTERM the load stops, deletes its keys and prints what it measured, marked interrupted and not judged.
    const ownInterrupt = handleInterruptInCommand();
    const outcome = await withProgress(args.json, async (progress) => {
      // The TLS files and each endpoint are checked once before anything is written.
      if (connection !== undefined) for (const d of await preflightConnection({ ...connection, callTimeoutMs })) progress.warn(d.unreachable!);
      return runLoadSession({
        scenario,
        runId,
        prefix,
        callTimeoutMs,
        progress,
        client: args.client as ClientKind,
        ...(connection !== undefined ? { connection } : {}),
        ...(etcdBinary !== undefined ? { etcdBinary } : {}),
        ...(args['data-dir'] !== undefined ? { dataDir: args['data-dir'] } : {}),
        ...(threads !== undefined ? { threads } : {}),
        ...(maxDbGrowthBytes !== undefined ? { maxDbGrowthBytes } : {}),
        // Against a real cluster the operator sees what the run will write before it writes.
        onFootprint: (f) => {
          if (connection !== undefined) process.stderr.write(`${f.text}\n`);
        },
      });
    }).finally(ownInterrupt);
    const { load, checks, verdict } = outcome;
    const signal = interruption();
    const interrupted = outcome.artifacts.interruption !== undefined ? { interrupted: outcome.artifacts.interruption.signal } : {};
    if (args.json) printJson(load.ok ? { ...load.data, ...interrupted, checks, verdict } : { error: load.error, ...interrupted, checks, verdict });
    else process.stdout.write(renderLoadText(load, checks));
    if (load.ok && load.data.cleanupError !== undefined) process.stderr.write(`etcd-advisor: ${load.data.cleanupError}\n`);
    // Why the load could not run (a throwaway etcd that died, an unreachable cluster) is also the one line on stderr.
    if (!load.ok && signal === null) process.stderr.write(`etcd-advisor: ${load.error}\n`);
    if (signal !== null)
      process.stderr.write(`etcd-advisor: stopped by ${signal}: what was measured is printed above, marked interrupted (verdict incomplete, not judged)\n`);
    process.exitCode = signal !== null ? exitCodeForSignal(signal) : exitCodeFor(verdict);
  },
};
