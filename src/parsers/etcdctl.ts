// Parses saved `etcdctl endpoint status -w json` and `member list -w json` output exactly, uint64 ids included.
import type { ClusterAlarm, ClusterArtifact, ClusterMember, EndpointReading, MemberStatus } from '../model/artifacts.js';

/**
 * JSON.parse turns integers above 2^53 into the nearest double, and etcd's member and cluster ids are uint64
 * (ETCD-FACTS.md "Status API"). This walks the text once, skipping strings, and quotes every integer literal that
 * a double cannot hold, so that the ids survive as exact decimal strings.
 */
export function quoteUnsafeIntegers(json: string): string {
  let out = '';
  let i = 0;
  while (i < json.length) {
    const c = json[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      out += json.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < json.length && /[0-9.eE+-]/.test(json[j]!)) j++;
      const token = json.slice(i, j);
      const isInteger = /^-?\d+$/.test(token);
      out += isInteger && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token;
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

export function parseExactJson(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** A uint64 given as a number (safe) or a quoted decimal string, as a decimal string. */
export function uint64String(value: unknown, what: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value).toString();
  if (value === undefined || value === null) return '0';
  throw new Error(`${what} is not an unsigned integer: ${JSON.stringify(value)}`);
}

export function hexId(decimal: string): string {
  return BigInt(decimal).toString(16);
}

/** Counters and sizes: etcdctl omits zero fields, so absent means 0 unless the caller says the field may be unknown. */
function count(value: unknown, what: string): number {
  return Number(uint64String(value, what));
}

function optionalCount(value: unknown, what: string): number | null {
  return value === undefined ? null : count(value, what);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** "memberID:370974910162016144 alarm:NOSPACE " (etcd's AlarmMember text form) -> the alarm, or null. */
export function parseAlarmText(text: string): ClusterAlarm | null {
  const m = /memberID:(\d+)\s+alarm:([A-Z_]+)/.exec(text);
  if (!m) return null;
  return { memberId: BigInt(m[1]!).toString(), memberIdHex: hexId(m[1]!), alarm: m[2]! };
}

/** One StatusResponse in etcd's JSON field names (etcdctl's and the gRPC gateway's). */
export function memberStatusFrom(raw: Record<string, unknown>): MemberStatus {
  const header = record(raw.header ?? {}, 'status header');
  const memberId = uint64String(header.member_id, 'member_id');
  const quota = optionalCount(raw.dbSizeQuota, 'dbSizeQuota');
  return {
    memberId,
    memberIdHex: hexId(memberId),
    clusterId: uint64String(header.cluster_id, 'cluster_id'),
    version: typeof raw.version === 'string' ? raw.version : '',
    leaderId: uint64String(raw.leader, 'leader'),
    revision: count(header.revision, 'revision'),
    raftTerm: count(raw.raftTerm, 'raftTerm'),
    raftIndex: count(raw.raftIndex, 'raftIndex'),
    // etcdctl omits zero fields, so a 3.4+ member at applied index 0 looks like a 3.3 one; both read as unknown.
    raftAppliedIndex: optionalCount(raw.raftAppliedIndex, 'raftAppliedIndex'),
    dbSizeBytes: count(raw.dbSize, 'dbSize'),
    dbSizeInUseBytes: optionalCount(raw.dbSizeInUse, 'dbSizeInUse'),
    quotaBytes: quota !== null && quota > 0 ? quota : null,
    quotaSource: quota !== null && quota > 0 ? 'status' : null,
    isLearner: raw.isLearner === true,
    errors: Array.isArray(raw.errors) ? raw.errors.map(String) : [],
  };
}

/** `etcdctl endpoint status -w json`: an array of { Endpoint, Status }; endpoints etcdctl could not reach are absent. */
export function parseEndpointStatusJson(text: string): EndpointReading[] {
  const parsed = parseExactJson(text);
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array, as `etcdctl endpoint status -w json` prints');
  return parsed.map((entry, i) => {
    const e = record(entry, `entry ${i}`);
    if (typeof e.Endpoint !== 'string') throw new Error(`entry ${i} has no "Endpoint"`);
    return { endpoint: e.Endpoint, status: memberStatusFrom(record(e.Status, `entry ${i} "Status"`)) };
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** `etcdctl member list -w json`: { header, members: [{ ID, name, peerURLs, clientURLs, isLearner }] }. */
export function parseMemberListJson(text: string): ClusterMember[] {
  const parsed = record(parseExactJson(text), '`etcdctl member list -w json` output');
  if (!Array.isArray(parsed.members)) throw new Error('expected "members", as `etcdctl member list -w json` prints');
  return parsed.members.map((entry, i) => {
    const m = record(entry, `member ${i}`);
    const id = uint64String(m.ID, 'ID');
    return {
      id,
      idHex: hexId(id),
      name: typeof m.name === 'string' ? m.name : '',
      peerUrls: stringList(m.peerURLs),
      clientUrls: stringList(m.clientURLs),
      isLearner: m.isLearner === true,
    };
  });
}

/** Alarms named in the members' status errors, once each. */
export function alarmsFromStatus(readings: readonly EndpointReading[]): ClusterAlarm[] {
  const seen = new Map<string, ClusterAlarm>();
  for (const r of readings) {
    for (const text of r.status?.errors ?? []) {
      const alarm = parseAlarmText(text);
      if (alarm) seen.set(`${alarm.memberId}/${alarm.alarm}`, alarm);
    }
  }
  return [...seen.values()];
}

/** Parsed `etcdctl endpoint status` and `member list` output as the artifact a live read gives. */
export function clusterFromEtcdctl(endpoints: EndpointReading[], members: ClusterMember[] | null, quotaBytes?: number): ClusterArtifact {
  // etcdctl before 3.6 does not print the quota: the operator may say what --quota-backend-bytes the members run with.
  for (const e of endpoints) {
    if (e.status !== null && e.status.quotaBytes === null && quotaBytes !== undefined) {
      e.status.quotaBytes = quotaBytes;
      e.status.quotaSource = 'operator';
    }
  }
  const artifact: ClusterArtifact = { source: 'etcdctl-json', readAt: new Date().toISOString(), endpoints, members, alarms: alarmsFromStatus(endpoints) };
  if (members === null) artifact.membersError = 'no --from-members file given';
  return artifact;
}
