// Reads each member of a live cluster on its own (status, quota, alarms, member list); it records, never judges.
import type { Etcd3 } from 'etcd3';
import { printableConnection } from '../etcd/etcdctl-command.js';
import { createEtcd3Client, readTlsFiles, type EtcdConnection, type TlsMaterial } from '../etcd/client.js';
import type { ClusterAlarm, ClusterArtifact, ClusterMember, EndpointReading, MemberStatus } from '../model/artifacts.js';
import { errorMessage } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import { hexId, memberStatusFrom, uint64String } from '../parsers/etcdctl.js';
import { memberGauges } from '../metrics/figures.js';
import { parseExposition } from '../metrics/parse.js';
import { fetchText, metricsUrl } from '../metrics/scrape.js';
import type { Progress } from '../util/progress.js';

export interface ClusterProbeOptions {
  connection: EtcdConnection;
  /** Per-call deadline: a stopped member must cost this much, not a hang. */
  callTimeoutMs?: number;
  progress?: Progress;
}

export const DEFAULT_CLUSTER_CALL_TIMEOUT_MS = 3_000;

/**
 * Where each release says its quota: 3.6's StatusResponse (dbSizeQuota), 3.4 and 3.5 only on /metrics (ETCD-FACTS.md
 * "Observed here"), under the name src/etcd/metric-names.ts gives for the release.
 */
export function quotaFromMetrics(text: string): number | null {
  const value = memberGauges(parseExposition(text)).quotaBytes;
  return value !== null && Number.isFinite(value) && value > 0 ? value : null;
}

async function readStatus(client: Etcd3): Promise<MemberStatus> {
  // etcd3 hands uint64 fields over as decimal strings, so the ids stay exact; the field names are etcd's own.
  const raw = await client.maintenance.status();
  return memberStatusFrom(raw as unknown as Record<string, unknown>);
}

async function readEndpoint(endpoint: string, conn: EtcdConnection, tls: TlsMaterial, timeoutMs: number): Promise<{ reading: EndpointReading; client: Etcd3 }> {
  const client = await createEtcd3Client({ ...conn, callTimeoutMs: timeoutMs }, [endpoint]);
  try {
    const status = await readStatus(client);
    if (status.quotaBytes === null) {
      const quota = await fetchText(metricsUrl(endpoint), { tls, timeoutMs })
        .then(quotaFromMetrics)
        .catch(() => null);
      if (quota !== null) {
        status.quotaBytes = quota;
        status.quotaSource = 'metrics';
      }
    }
    return { reading: { endpoint, status }, client };
  } catch (err) {
    return { reading: { endpoint, status: null, error: errorMessage(err) }, client };
  }
}

async function readMembers(client: Etcd3): Promise<ClusterMember[]> {
  const res = await client.cluster.memberList({});
  return res.members.map((m) => {
    const id = uint64String(m.ID, 'member ID');
    return { id, idHex: hexId(id), name: m.name, peerUrls: m.peerURLs, clientUrls: m.clientURLs, isLearner: m.isLearner === true };
  });
}

async function readAlarms(client: Etcd3): Promise<ClusterAlarm[]> {
  const res = await client.maintenance.alarm({ action: 'Get', memberID: 0, alarm: 'None' });
  return res.alarms.map((a) => {
    const memberId = uint64String(a.memberID, 'alarm memberID');
    return { memberId, memberIdHex: hexId(memberId), alarm: String(a.alarm).toUpperCase() };
  });
}

/** The member list and the alarms are cluster-wide: the first member that answers gives them; else the last failure says why. */
async function fromFirstAnswering<T>(
  answering: readonly { client: Etcd3; reading: EndpointReading }[],
  read: (client: Etcd3) => Promise<T>,
): Promise<ProbeResult<T>> {
  let error = 'no endpoint answered';
  for (const { client, reading } of answering) {
    try {
      return probeOk(await read(client));
    } catch (err) {
      error = `${reading.endpoint}: ${errorMessage(err)}`;
    }
  }
  return probeError(error);
}

export async function runClusterProbe(options: ClusterProbeOptions): Promise<ProbeResult<ClusterArtifact>> {
  const { connection } = options;
  const timeoutMs = options.callTimeoutMs ?? connection.callTimeoutMs ?? DEFAULT_CLUSTER_CALL_TIMEOUT_MS;
  options.progress?.phase('cluster', `status of ${connection.endpoints.join(', ')}`);
  let tls: TlsMaterial;
  try {
    tls = await readTlsFiles(connection);
  } catch (err) {
    return probeError(`cannot read the TLS files: ${errorMessage(err)}`, 'bad-input');
  }
  const opened: Etcd3[] = [];
  try {
    // One client per endpoint, all at once: a number belongs to the member that gave it, and a dead member costs one timeout.
    const results = await Promise.all(connection.endpoints.map((e) => readEndpoint(e, connection, tls, timeoutMs)));
    opened.push(...results.map((r) => r.client));
    const endpoints = results.map((r) => r.reading);
    const artifact: ClusterArtifact = {
      source: 'live',
      readAt: new Date().toISOString(),
      endpoints,
      members: null,
      alarms: null,
      connection: printableConnection(connection),
    };
    const answering = results.filter((r) => r.reading.status !== null);
    const members = await fromFirstAnswering(answering, readMembers);
    if (members.ok) artifact.members = members.data;
    else artifact.membersError = members.error;
    const alarms = await fromFirstAnswering(answering, readAlarms);
    if (alarms.ok) artifact.alarms = alarms.data;
    else artifact.alarmsError = alarms.error;
    options.progress?.done('cluster', `${answering.length} of ${endpoints.length} endpoints answered`);
    return probeOk(artifact);
  } catch (err) {
    return probeError(errorMessage(err), 'unreachable');
  } finally {
    for (const c of opened) c.close();
  }
}
