// The pipeline of `etcd-advisor status`: a live cluster's status read member by member (or saved etcdctl JSON), judged by the cluster rules.
import { advise } from './advisor/advise.js';
import { CLUSTER_RULES } from './advisor/rules/cluster-index.js';
import type { EtcdConnection } from './etcd/client.js';
import { dialEndpoints } from './etcd/preflight.js';
import type { ClusterArtifact } from './model/artifacts.js';
import { exitCodeFor, verdictOf, type Check, type Verdict } from './model/check.js';
import { errorMessage, UsageError } from './model/errors.js';
import { probeError, probeOk, type ProbeResult } from './model/probe.js';
import { clusterFromEtcdctl, parseEndpointStatusJson, parseMemberListJson } from './parsers/etcdctl.js';
import { runClusterProbe } from './probes/cluster.js';
import { readInputFile } from './util/input-file.js';

/** Where the status comes from: a live cluster, or saved `etcdctl -w json` output (with the quota it does not carry before 3.6). */
export type StatusSource =
  { live: { connection: EtcdConnection; callTimeoutMs: number } } | { saved: { statusFile: string; membersFile?: string; quotaBytes?: number } };

export interface StatusOutcome {
  cluster: ProbeResult<ClusterArtifact>;
  checks: Check[];
  verdict: Verdict;
  exitCode: number;
}

async function readSaved<T>(path: string, flag: string, parse: (text: string) => T): Promise<T> {
  const text = await readInputFile(path, { flag, holding: 'etcdctl -w json output', kind: 'output', allowStdin: true });
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

export async function runStatus(source: StatusSource): Promise<StatusOutcome> {
  let cluster: ProbeResult<ClusterArtifact>;
  if ('saved' in source) {
    const { statusFile, membersFile, quotaBytes } = source.saved;
    cluster = probeOk(await clusterFromSaved(statusFile, membersFile, quotaBytes));
  } else {
    // TLS files that do not fit are the operator's input, not the cluster's state: exit 2 before reading anything.
    // A member that does not answer is the cluster's state: the probe reports it.
    await dialEndpoints(source.live.connection);
    cluster = await runClusterProbe(source.live);
  }
  const checks = judgeCluster(cluster);
  const verdict = verdictOf(checks);
  return { cluster, checks, verdict, exitCode: exitCodeFor(verdict) };
}
