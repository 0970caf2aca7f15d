// The options of `run --cluster` and their translation into the library call: the command itself stays wiring.
import type { Argv } from 'yargs';
import { MEMBER_OPTIONS, type MemberArgs } from '../commands/shared.js';
import { UsageError } from '../model/errors.js';
import type { ClusterRunOptions } from './index.js';
import { DEFAULT_MEMBER_CLIENT_PORT, DEFAULT_MEMBER_PEER_PORT } from './plan.js';
import { DEFAULT_WAIT_MS } from './session.js';
import { LIMITS } from '../util/limits.js';
import { formatDuration, parseDuration } from '../util/units.js';

export interface ClusterArgs {
  cluster?: string | undefined;
  validate?: boolean | undefined;
  'member-client-port'?: number | undefined;
  'member-peer-port'?: number | undefined;
  wait?: string | undefined;
  'run-label'?: string | undefined;
  token?: string | undefined;
  'peer-cacert'?: string | undefined;
  'peer-cert'?: string | undefined;
  'peer-key'?: string | undefined;
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  'data-dir'?: string | undefined;
  out?: string | undefined;
  quick: boolean;
  endpoints?: string | undefined;
  peers?: string | undefined;
}

export function clusterOptions<T>(y: Argv<T>) {
  return y
    .option('cluster', {
      type: 'string',
      describe:
        'Qualify the nodes together: every member as name=ADDRESS[:PEERPORT], the same list on every node; each node starts a temporary member on its own ADDRESS',
    })
    .option('validate', {
      type: 'boolean',
      default: false,
      describe:
        "After the load with etcd's default timing, restart the temporary cluster with the recommended heartbeat and election timeout and run the same load again",
    })
    .option('member-client-port', {
      type: 'number',
      default: DEFAULT_MEMBER_CLIENT_PORT,
      describe: "Client port of the temporary member (off etcd's 2379 so that a real etcd is never in the way)",
    })
    .option('member-peer-port', {
      type: 'number',
      default: DEFAULT_MEMBER_PEER_PORT,
      describe: 'Peer port the temporary member listens on (the others dial the port in --cluster, this one by default)',
    })
    .option('wait', {
      type: 'string',
      default: formatDuration(DEFAULT_WAIT_MS),
      describe: 'How long to wait for every member to come, a duration like 90s or 5m; after that the missing ones are named and every node stops',
    })
    .option('run-label', {
      type: 'string',
      describe: 'A label every node of this run shares; part of the cluster token, so that two runs with the same members never join each other',
    })
    .option('token', { type: 'string', describe: "The temporary cluster's --initial-cluster-token (default: derived from --cluster and --run-label)" })
    .option('peer-cacert', {
      type: 'string',
      normalize: true,
      describe:
        "Mutual TLS for the temporary cluster: the CA of the peer certificates (without the peer files: etcd's auto-TLS, encrypted but not authenticated)",
    })
    .option('peer-cert', { type: 'string', normalize: true, describe: "This member's peer certificate (mutual TLS)" })
    .option('peer-key', { type: 'string', normalize: true, describe: "This member's peer key (mutual TLS)" })
    .group(
      ['cluster', 'validate', 'member-client-port', 'member-peer-port', 'wait', 'run-label', 'token', 'peer-cacert', 'peer-cert', 'peer-key'],
      'Cluster run (every node runs the same command with its own --name):',
    );
}

function port(flag: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1 || v > 65535) throw new UsageError(`--${flag} ${v}: give a port from 1 to 65535`);
  return v;
}

const MEMBER_FILES = "writes each member's etcd.conf from --cluster, --name and the --data-dir that node tested";

/** What `run` reads only without --cluster, and why --cluster has no use for it: refused in one line, never silently ignored. */
export const NOT_WITH_CLUSTER: Readonly<Record<string, string>> = {
  endpoints: 'starts its own temporary cluster',
  peers: 'measures RTT to every member itself',
  // --method's default (icmp) is not refused: the mesh measures ICMP and HTTP on the peer URL anyway.
  method: 'measures RTT to every member by ICMP and HTTP on the peer URL itself',
  unit: "does not read this member's current settings (run without --cluster does)",
  'env-file': "does not read this member's current settings (run without --cluster does)",
  'config-file': "does not read this member's current settings (run without --cluster does)",
  'etcd-version': 'advises for the etcd release the temporary cluster ran (choose it with --etcd-binary)',
  'target-data-dir': MEMBER_FILES,
  user: 'starts its temporary cluster without etcd auth',
  password: 'starts its temporary cluster without etcd auth',
  ...Object.fromEntries(
    Object.keys(MEMBER_OPTIONS)
      .filter((k) => k !== 'name')
      .map((k) => [k, MEMBER_FILES]),
  ),
};

export function clusterArgsOf(a: ClusterArgs & MemberArgs & Partial<Record<keyof typeof NOT_WITH_CLUSTER, unknown>>): Omit<ClusterRunOptions, 'argv'> {
  if (a.name === undefined) throw new UsageError('--cluster needs --name: which member of the list this node is');
  for (const [flag, why] of Object.entries(NOT_WITH_CLUSTER)) {
    const given = a[flag as keyof typeof a];
    if (given !== undefined && !(flag === 'method' && given === 'icmp')) throw new UsageError(`--cluster ${why}: leave out --${flag}`);
  }
  // A duration like every other duration flag (util/units.ts): a bare "120" is refused with "give a unit".
  const waitMs = a.wait === undefined ? undefined : parseDuration('wait', a.wait, { rangeMs: LIMITS.clusterWaitMs });
  const clientPort = port('member-client-port', a['member-client-port']);
  const peerPort = port('member-peer-port', a['member-peer-port']);
  const tls: ClusterRunOptions['tls'] = {};
  if (a['peer-cacert'] !== undefined) tls.peerCacert = a['peer-cacert'];
  if (a['peer-cert'] !== undefined) tls.peerCert = a['peer-cert'];
  if (a['peer-key'] !== undefined) tls.peerKey = a['peer-key'];
  if (a.cacert !== undefined) tls.cacert = a.cacert;
  if (a.cert !== undefined) tls.cert = a.cert;
  if (a.key !== undefined) tls.key = a.key;
  return {
    cluster: a.cluster!,
    name: a.name,
    quick: a.quick,
    validate: a.validate ?? false,
    tls,
    ...(clientPort !== undefined ? { clientPort } : {}),
    ...(peerPort !== undefined ? { peerPort } : {}),
    ...(waitMs !== undefined ? { waitMs } : {}),
    ...(a['run-label'] !== undefined ? { label: a['run-label'] } : {}),
    ...(a.token !== undefined ? { token: a.token } : {}),
    ...(a['data-dir'] !== undefined ? { dataDir: a['data-dir'] } : {}),
    ...(a.out !== undefined ? { out: a.out } : {}),
  };
}
