// `etcd-advisor observe`: watch a live cluster's own /metrics for a window and say whether it is healthy, and if not why.
import { capText } from '../util/input-file.js';
import type { CommandModule } from 'yargs';
import { UsageError } from '../model/errors.js';
import { runObserve } from '../observe.js';
import { renderTerminalSummary } from '../report/terminal.js';
import { handleInterruptInCommand, interruption } from '../util/cleanup.js';
import { parseDuration } from '../util/units.js';
import { connectionFrom, connectionOptions, jsonOption, parseEndpoints, printJson, withProgress, type ConnectionArgs } from './shared.js';

interface ObserveArgs extends ConnectionArgs {
  'metrics-urls'?: string;
  for: string;
  every: string;
  out?: string;
  'save-scrapes'?: string;
  from?: string;
  json: boolean;
}

/** A window shorter than two scrapes has no delta to judge. */
const MIN_EVERY_MS = 500;

export const observeCommand: CommandModule<object, ObserveArgs> = {
  command: 'observe',
  describe:
    "Watch a live cluster's own /metrics for a while: fsync, commit and peer RTT tails, leader changes, failed heartbeats, db size; name the root cause (disk, network, CPU) and the member, and advise flags",
  builder: (y) =>
    connectionOptions(y)
      .option('metrics-urls', {
        type: 'string',
        describe:
          "Comma-separated /metrics URLs, one per endpoint in the same order, when etcd serves them on --listen-metrics-urls (default: each endpoint's own /metrics)",
      })
      .option('for', {
        type: 'string',
        default: '5m',
        describe: 'How long to watch (e.g. 30s, 5m, 1h); Ctrl-C ends the window early: its scrapes are written, marked interrupted and not judged (exit 130)',
      })
      .option('every', { type: 'string', default: '10s', describe: "Time between scrapes: each interval is one point of the report's time series" })
      .option('out', { type: 'string', describe: 'Report directory (default: ./reports/observe-<UTC timestamp>/)' })
      .option('save-scrapes', { type: 'string', describe: 'Keep every scrape in this directory, to judge the same window again with --from', normalize: true })
      .option('from', {
        type: 'string',
        describe: `Judge a window saved with --save-scrapes instead of watching one (no --endpoints needed; each saved scrape ${capText('output')})`,
        normalize: true,
      })
      .option('json', jsonOption('report.json'))
      .example(
        '$0 observe --endpoints https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379 --cacert ca.pem --cert client.pem --key client-key.pem',
        'Watch a TLS cluster for 5 minutes, a scrape every 10 s',
      )
      .example(
        '$0 observe --endpoints http://10.0.0.1:2379,http://10.0.0.2:2379 --metrics-urls http://10.0.0.1:2381,http://10.0.0.2:2381 --for 20m --every 30s',
        'Read the metrics listeners (kubeadm serves them on :2381) for 20 minutes',
      )
      .example(
        '$0 observe --endpoints http://10.0.0.1:2379 --for 10m --save-scrapes ./window && $0 observe --from ./window',
        'Keep the raw scrapes, and judge them again later',
      ),
  handler: async (args) => {
    // A week is longer than anyone watches a terminal; a longer window is a monitoring system's job.
    const forMs = parseDuration('for', args.for, { rangeMs: { min: 1000, max: 7 * 86_400_000 } });
    const everyMs = parseDuration('every', args.every, { rangeMs: { min: MIN_EVERY_MS, max: 86_400_000 } });
    if (everyMs > forMs)
      throw new UsageError(
        `--every ${args.every} is longer than --for ${args.for}: the window would hold only its first and last scrape; give a shorter --every`,
      );
    if (args.from !== undefined && (args.endpoints !== undefined || args['save-scrapes'] !== undefined))
      throw new UsageError('--from judges a saved window: give it without --endpoints or --save-scrapes');
    if (args.from === undefined && args.endpoints === undefined)
      throw new UsageError('give --endpoints (client URLs of every member) or --from (a window saved with --save-scrapes)');
    const endpoints = args.endpoints === undefined ? [] : parseEndpoints(args.endpoints);
    const metricsUrls =
      args['metrics-urls'] === undefined ? undefined : parseEndpoints(args['metrics-urls'].replace(/(\/metrics)(?=,|$)/g, ''), '--metrics-urls');
    // The first Ctrl-C ends the window (probes/observe.ts); one during the status read after it lets the report be written.
    const ownInterrupt = handleInterruptInCommand();
    const outcome = await withProgress(args.json, (progress) =>
      runObserve({
        connection: connectionFrom(args, endpoints),
        ...(metricsUrls !== undefined ? { metricsUrls } : {}),
        forMs,
        everyMs,
        ...(args.out !== undefined ? { out: args.out } : {}),
        ...(args['save-scrapes'] !== undefined ? { saveScrapes: args['save-scrapes'] } : {}),
        ...(args.from !== undefined ? { fromDir: args.from } : {}),
        argv: ['etcd-advisor', ...process.argv.slice(2)],
        progress,
      }),
    ).finally(ownInterrupt);
    if (args.json) printJson(outcome.report);
    else process.stdout.write(renderTerminalSummary(outcome.report, outcome.outDir, outcome.files, process.stdout.columns || 100));
    const signal = interruption();
    if (signal !== null)
      process.stderr.write(
        `etcd-advisor: stopped by ${signal}: ${outcome.report.artifacts.interruption !== undefined ? `the scrapes so far are in ${outcome.outDir}, marked interrupted (verdict incomplete, not judged)` : `the window had ended; the report in ${outcome.outDir} is complete`}\n`,
      );
    process.exitCode = outcome.exitCode;
  },
};
