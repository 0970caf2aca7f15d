// `etcd-advisor status`: reads a live cluster (or saved etcdctl JSON) member by member and judges its health.
import type { CommandModule } from 'yargs';
import { DEFAULT_QUOTA_BYTES } from '../etcd/flags.js';
import { UsageError } from '../model/errors.js';
import { DEFAULT_CLUSTER_CALL_TIMEOUT_MS } from '../probes/cluster.js';
import { renderStatusText } from '../report/terminal/status.js';
import { runStatus, type StatusSource } from '../status.js';
import { capText } from '../util/input-file.js';
import { LIMITS } from '../util/limits.js';
import { parseCount, parseDuration } from '../util/units.js';
import { connectionFrom, connectionOptions, jsonOption, parseEndpoints, printJson, type ConnectionArgs } from './shared.js';

interface StatusArgs extends ConnectionArgs {
  'from-status'?: string;
  'from-members'?: string;
  'quota-backend-bytes'?: number;
  timeout: string;
  json: boolean;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: "Read a live cluster's health, member by member: leader, raft indexes, db size against the quota, alarms, learners",
  builder: (y) =>
    connectionOptions(y)
      .option('from-status', {
        type: 'string',
        describe: `Judge saved \`etcdctl endpoint status -w json\` output instead of reading a cluster (${capText('output')})`,
        normalize: true,
      })
      .option('from-members', {
        type: 'string',
        describe: `With --from-status: saved \`etcdctl member list -w json\` output (${capText('output')})`,
        normalize: true,
      })
      .option('quota-backend-bytes', {
        type: 'number',
        describe: "With --from-status: the members' quota, when the saved output does not carry it (etcd before 3.6; 0 means the 2 GiB default)",
      })
      .option('timeout', {
        type: 'string',
        default: `${DEFAULT_CLUSTER_CALL_TIMEOUT_MS}ms`,
        describe: 'Per-call deadline with a unit (500ms, 2s; 1ms to 10m): a member that does not answer in time is reported, the others still read',
      })
      .option('json', jsonOption('{ cluster, checks } as JSON'))
      .example(
        '$0 status --endpoints https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379 --cacert ca.pem --cert client.pem --key client-key.pem',
        'Read every member of a TLS cluster',
      )
      .example('$0 status --from-status status.json --from-members members.json', 'Judge saved etcdctl -w json output'),
  handler: async (args) => {
    let source: StatusSource;
    if (args['from-status'] !== undefined) {
      if (args.endpoints !== undefined) throw new UsageError('give either --endpoints or --from-status, not both');
      const quota =
        args['quota-backend-bytes'] === undefined
          ? undefined
          : parseCount('quota-backend-bytes', args['quota-backend-bytes'], { ...LIMITS.quotaBytes, what: 'bytes (0 means the 2 GiB default)' });
      source = {
        saved: {
          statusFile: args['from-status'],
          ...(args['from-members'] !== undefined ? { membersFile: args['from-members'] } : {}),
          ...(quota !== undefined ? { quotaBytes: quota === 0 ? DEFAULT_QUOTA_BYTES : quota } : {}),
        },
      };
    } else {
      if (args['from-members'] !== undefined || args['quota-backend-bytes'] !== undefined)
        throw new UsageError('--from-members and --quota-backend-bytes go with --from-status');
      if (args.endpoints === undefined) throw new UsageError('give --endpoints (client URLs of the cluster) or --from-status (saved etcdctl JSON)');
      const callTimeoutMs = parseDuration('--timeout', args.timeout, { rangeMs: LIMITS.callTimeoutMs });
      source = { live: { connection: connectionFrom(args, parseEndpoints(args.endpoints)), callTimeoutMs } };
    }
    const { cluster, checks, exitCode } = await runStatus(source);
    if (args.json) printJson({ cluster, checks });
    else process.stdout.write(renderStatusText(cluster, checks));
    process.exitCode = exitCode;
  },
};
