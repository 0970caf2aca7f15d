// `etcd-advisor status`: reads a live cluster (or saved etcdctl JSON) member by member and judges its health.
import { capText } from '../util/input-file.js';
import type { CommandModule } from 'yargs';
import { advise } from '../advisor/advise.js';
import { CLUSTER_RULES } from '../advisor/rules/cluster-index.js';
import type { ClusterArtifact } from '../model/artifacts.js';
import { exitCodeFor, verdictOf, type Check } from '../model/check.js';
import { errorMessage, UsageError } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import { clusterFromEtcdctl, parseEndpointStatusJson, parseMemberListJson } from '../parsers/etcdctl.js';
import { DEFAULT_QUOTA_BYTES } from '../etcd/flags.js';
import { DEFAULT_CLUSTER_CALL_TIMEOUT_MS, runClusterProbe } from '../probes/cluster.js';
import { dialEndpoints } from '../etcd/preflight.js';
import { connectionFrom, connectionOptions, jsonOption, parseEndpoints, printJson, readInputFile, type ConnectionArgs } from './shared.js';
import { renderStatusText } from '../report/terminal/status.js';
import { LIMITS } from '../util/limits.js';
import { parseCount, parseDuration } from '../util/units.js';

interface StatusArgs extends ConnectionArgs {
  'from-status'?: string;
  'from-members'?: string;
  'quota-backend-bytes'?: number;
  timeout: string;
  json: boolean;
}

async function readSaved<T>(path: string, flag: string, parse: (text: string) => T): Promise<T> {
  const text = await readInputFile(flag, path, 'etcdctl -w json output');
  try {
    return parse(text);
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${errorMessage(err)}`);
  }
}

/** Saved `etcdctl -w json` output as the same artifact a live read gives; the files are read here, parsed in the library. */
async function clusterFromSaved(statusFile: string, membersFile?: string, quotaBytes?: number): Promise<ClusterArtifact> {
  const endpoints = await readSaved(statusFile, '--from-status', parseEndpointStatusJson);
  const members = membersFile === undefined ? null : await readSaved(membersFile, '--from-members', parseMemberListJson);
  return clusterFromEtcdctl(endpoints, members, quotaBytes);
}

export function judgeCluster(cluster: ProbeResult<ClusterArtifact>): Check[] {
  return advise({ host: probeError('not read by status'), cluster }, {}, CLUSTER_RULES).checks;
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
    let cluster: ProbeResult<ClusterArtifact>;
    if (args['from-status'] !== undefined) {
      if (args.endpoints !== undefined) throw new UsageError('give either --endpoints or --from-status, not both');
      const quota =
        args['quota-backend-bytes'] === undefined
          ? undefined
          : parseCount('quota-backend-bytes', args['quota-backend-bytes'], { ...LIMITS.quotaBytes, what: 'bytes (0 means the 2 GiB default)' });
      cluster = probeOk(await clusterFromSaved(args['from-status'], args['from-members'], quota === 0 ? DEFAULT_QUOTA_BYTES : quota));
    } else {
      if (args['from-members'] !== undefined || args['quota-backend-bytes'] !== undefined)
        throw new UsageError('--from-members and --quota-backend-bytes go with --from-status');
      if (args.endpoints === undefined) throw new UsageError('give --endpoints (client URLs of the cluster) or --from-status (saved etcdctl JSON)');
      const callTimeoutMs = parseDuration('--timeout', args.timeout, { rangeMs: LIMITS.callTimeoutMs });
      const connection = connectionFrom(args, parseEndpoints(args.endpoints));
      // TLS files that do not fit are the operator's input, not the cluster's state: exit 2 before reading anything.
      // A member that does not answer is the cluster's state: the probe reports it.
      await dialEndpoints(connection);
      cluster = await runClusterProbe({ connection, callTimeoutMs });
    }
    const checks = judgeCluster(cluster);
    if (args.json) printJson({ cluster, checks });
    else process.stdout.write(renderStatusText(cluster, checks));
    process.exitCode = exitCodeFor(verdictOf(checks));
  },
};
