// `etcd-advisor net`: RTT, loss and stalls to the other members (or from a pasted ping output), judged by the advisor's network rules.
import type { CommandModule } from 'yargs';
import type { RttMethodChoice } from '../model/artifacts.js';
import { UsageError } from '../model/errors.js';
import { runNet } from '../net.js';
import { DEFAULT_PEER_PORT } from '../probes/network.js';
import { parsePeerList } from '../probes/peer-spec.js';
import { PING_DEFAULT_INTERVAL_MS } from '../probes/rtt-icmp.js';
import { renderNetText } from '../report/terminal/net.js';
import { capText } from '../util/input-file.js';
import { parseCount, parseDuration } from '../util/units.js';
import { jsonOption, printJson, withProgress } from './shared.js';

interface NetArgs {
  peers?: string;
  from?: string;
  method: string;
  count: number;
  interval?: string;
  port: number;
  cacert?: string;
  cert?: string;
  key?: string;
  json: boolean;
}

export const NET_DEFAULTS = { count: 20, intervalMs: 200 };
/** Below this ping needs root and the numbers say more about the tool than the link; above it a run takes too long to be useful. */
const INTERVAL_RANGE_MS = [10, 60_000] as const;
const MAX_COUNT = 100_000;

/** "200ms", "0.2s" -> 200 (ms); a bare number is refused, since ping's -i 0.2 means seconds and etcd's flags mean milliseconds. */
export function parseIntervalMs(text: string): number {
  return parseDuration('interval', text, { rangeMs: { min: INTERVAL_RANGE_MS[0], max: INTERVAL_RANGE_MS[1] } });
}

function checkArgs(args: NetArgs): void {
  if ((args.peers === undefined) === (args.from === undefined))
    throw new UsageError('give either --peers HOST[,HOST...] to measure, or --from FILE to judge a saved ping output');
  parseCount('count', args.count, { min: 1, max: MAX_COUNT });
  parseCount('port', args.port, { min: 1, max: 65535 });
}

export const netCommand: CommandModule<object, NetArgs> = {
  command: 'net',
  describe: 'Measure RTT, loss and stalls to the other members (ICMP, TCP connect, or HTTP on the peer URL), or judge a saved ping output',
  builder: (y) =>
    y
      .option('peers', { type: 'string', describe: 'Comma-separated peers: host, host:port, [IPv6]:port, or peer URL (http(s)://host:2380)' })
      .option('from', {
        type: 'string',
        describe: `Judge a saved ping output (iputils, busybox or BSD/macOS; --from=- or --from /dev/stdin reads stdin; ${capText('output')}) instead of measuring`,
      })
      .option('method', {
        type: 'string',
        choices: ['icmp', 'tcp', 'http', 'auto'],
        default: 'auto',
        describe:
          'icmp: system ping; tcp: connect time to the port; http: GET /version on the peer URL over one kept-alive connection (the path raft takes); auto: icmp, or tcp where ICMP is not permitted',
      })
      .option('count', { type: 'number', default: NET_DEFAULTS.count, describe: 'Probes per peer' })
      .option('interval', {
        type: 'string',
        describe: `Time between probes, with a unit: 200ms or 0.2s (default ${NET_DEFAULTS.intervalMs} ms; with --from, the interval the pasted ping used, default ${PING_DEFAULT_INTERVAL_MS} ms)`,
      })
      .option('port', { type: 'number', default: DEFAULT_PEER_PORT, describe: "Port for tcp and http when a peer gives none (etcd's peer port)" })
      .option('cacert', { type: 'string', normalize: true, describe: `CA bundle to verify https peer URLs (${capText('config')})` })
      .option('cert', { type: 'string', normalize: true, describe: 'Client certificate for peers that require one (--peer-client-cert-auth)' })
      .option('key', { type: 'string', normalize: true, describe: 'Private key for --cert' })
      .option('json', jsonOption('{ peers, quantileMethod, checks, advice, verdict } as JSON'))
      .group(['cacert', 'cert', 'key'], 'TLS for https peer URLs:')
      .example('$0 net --peers 10.0.0.2,10.0.0.3', 'Ping the other members (TCP connect to :2380 where ICMP is not permitted)')
      .example(
        '$0 net --peers https://10.0.0.2:2380 --method http --cacert ca.pem --cert peer.pem --key peer-key.pem --count 150',
        'Round trips on the peer URL itself for 30 s, as raft sees them',
      )
      .example('$0 net --from ping.txt --interval 1s --json', 'Judge the output of `ping -c 100 peer` saved by someone else')
      .example('ping -c 50 -i 0.2 10.0.0.2 | $0 net --from=- --interval 200ms', 'Judge a ping as it runs'),
  handler: async (args) => {
    checkArgs(args);
    const pasted = args.from !== undefined;
    const intervalMs = args.interval !== undefined ? parseIntervalMs(args.interval) : pasted ? PING_DEFAULT_INTERVAL_MS : NET_DEFAULTS.intervalMs;
    const source = pasted ? { from: args.from! } : { peers: parsePeerList(args.peers!).map((p) => p.raw) };
    const tls = {
      ...(args.cacert !== undefined ? { cacert: args.cacert } : {}),
      ...(args.cert !== undefined ? { cert: args.cert } : {}),
      ...(args.key !== undefined ? { key: args.key } : {}),
    };
    const outcome = await withProgress(args.json, (progress) =>
      runNet({
        ...source,
        method: args.method as RttMethodChoice,
        count: args.count,
        intervalMs,
        port: args.port,
        progress,
        ...(Object.keys(tls).length > 0 ? { tls } : {}),
      }),
    );
    const { network, checks, advice, verdict } = outcome;
    if (args.json) {
      const figures = network.ok ? { peers: network.data.peers, quantileMethod: network.data.quantileMethod } : { peers: [], error: network.error };
      printJson({ ...figures, checks, advice, verdict });
    } else {
      process.stdout.write(renderNetText(network, checks));
    }
    process.exitCode = outcome.exitCode;
  },
};
