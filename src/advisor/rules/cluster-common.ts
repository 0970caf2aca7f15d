// What the cluster rules share: the readings that answered, who leads, and etcdctl command lines an operator can paste.
import { etcdctlCommand } from '../../etcd/etcdctl-command.js';
import type { Artifacts, ClusterArtifact, EndpointReading, MemberStatus } from '../../model/artifacts.js';

export type AnsweredReading = EndpointReading & { status: MemberStatus };

/** The cluster artifact when it was gathered; undefined when not asked for or failed (advise() reports that, once). */
export function clusterOf(artifacts: Artifacts): ClusterArtifact | undefined {
  const c = artifacts.cluster;
  return c?.ok ? c.data : undefined;
}

/** The cluster and its answering members, or null when there is nothing for a rule to judge. */
export function readable(artifacts: Artifacts): { cluster: ClusterArtifact; ok: AnsweredReading[] } | null {
  const cluster = clusterOf(artifacts);
  if (cluster === undefined) return null;
  const ok = answered(cluster);
  return ok.length === 0 ? null : { cluster, ok };
}

export function answered(cluster: ClusterArtifact): AnsweredReading[] {
  return cluster.endpoints.filter((r): r is AnsweredReading => r.status !== null);
}

/** The leader most members name ("0" when none names one). */
export function leaderId(readings: readonly AnsweredReading[]): string {
  const votes = new Map<string, number>();
  for (const r of readings) if (r.status.leaderId !== '0') votes.set(r.status.leaderId, (votes.get(r.status.leaderId) ?? 0) + 1);
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '0';
}

/** ETCD-FACTS.md "Space and requests": defrag blocks the member while it runs: one member at a time, the leader last. */
export function leaderLast(readings: readonly AnsweredReading[]): AnsweredReading[] {
  const leader = leaderId(readings);
  return [...readings].sort((a, b) => Number(a.status.memberId === leader) - Number(b.status.memberId === leader));
}

export function label(r: AnsweredReading, leader: string): string {
  return `${r.endpoint} (${r.status.memberIdHex}${r.status.memberId === leader ? ', leader' : ''})`;
}

/** An etcdctl command line with the connection flags of the call that read the cluster, so that it works as printed. */
export function etcdctl(cluster: Pick<ClusterArtifact, 'connection'>, args: readonly string[], endpoints?: readonly string[]): string {
  return etcdctlCommand(cluster.connection, args, endpoints);
}

/** One `etcdctl defrag` per member, in order, each with the call's TLS flags (etcdctl takes the same ones as this tool). */
export function defragCommands(cluster: Pick<ClusterArtifact, 'connection'>, readings: readonly AnsweredReading[]): string[] {
  return leaderLast(readings).map((r) => etcdctl(cluster, ['defrag'], [r.endpoint]));
}
