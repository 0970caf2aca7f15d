// What a run against a live cluster left behind (database growth, revisions) and the commands that reclaim it, for every renderer alike.
import { leaderLast, answered } from '../advisor/rules/cluster-common.js';
import { etcdctlCommand } from '../etcd/etcdctl-command.js';
import type { Report } from '../model/report.js';
import { formatBytes } from '../util/units.js';

export interface Footprint {
  /** One sentence: what grew, by how much, and that the keys are gone. */
  summary: string;
  /** Commands in the order to run them: compact once, then defrag member by member, the leader last. */
  commands: string[];
  note: string;
}

/** Null for a throwaway etcd (it is gone) or when no load ran. */
export function footprintOf(report: Report): Footprint | null {
  const load = report.artifacts.load?.ok ? report.artifacts.load.data : null;
  if (load === null || load.embedded) return null;
  const growth = load.dbGrowthBytes ?? 0;
  const revs = load.revisionBefore !== undefined && load.revisionAfter !== undefined ? load.revisionAfter - load.revisionBefore : null;
  const kept =
    load.deletedKeys === null || load.deletedKeys === undefined
      ? `its keys under ${load.prefix} could not all be deleted`
      : `its ${load.deletedKeys} keys under ${load.prefix} were deleted`;
  const summary = `This run left the cluster ${formatBytes(growth)} larger (the largest member's database file)${revs !== null ? ` and ${revs.toLocaleString('en-US')} revisions further on (${load.revisionBefore} to ${load.revisionAfter})` : ''}; ${kept}, but deleted keys keep their space until a compaction and a defrag.`;
  const conn = load.connection;
  const cluster = report.artifacts.cluster?.ok ? report.artifacts.cluster.data : null;
  // Defrag blocks its member while it runs: one member at a time, the leader last (ETCD-FACTS.md "Space and requests").
  const order = cluster ? leaderLast(answered(cluster)).map((r) => r.endpoint) : load.endpoints;
  const commands = [
    ...(load.revisionAfter !== undefined ? [etcdctlCommand(conn, ['compact', String(load.revisionAfter)], load.endpoints)] : []),
    ...order.map((e) => etcdctlCommand(conn, ['defrag'], [e])),
  ];
  const note = `Compacting at ${load.revisionAfter ?? 'the current revision'} drops every key's history before it: skip the compaction if clients read old revisions (kube-apiserver compacts on its own every 5 minutes). Defragment one member at a time${cluster ? ', the leader last' : ''}: a defrag blocks reads and writes on its member while it runs.`;
  return { summary, commands, note };
}
