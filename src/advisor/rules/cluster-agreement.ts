// Judges whether the members agree on who leads and which cluster they belong to.
import { checkFields, type Rule } from '../rule.js';
import { readable } from './cluster-common.js';

export const clusterAgreement: Rule = {
  id: 'cluster.agreement',
  section: 'cluster',
  title: 'Members agree on leader and cluster id',
  source: 'etcd StatusResponse (api/etcdserverpb/rpc.proto): leader and header.cluster_id; raft elects one leader per term',
  needs: [],
  artifacts: ['cluster'],
  evaluate({ artifacts }) {
    const read = readable(artifacts);
    if (read === null) return { checks: [] };
    const { ok } = read;
    const base = checkFields(this);
    const byCluster = groupBy(ok, (r) => r.status.clusterId);
    if (byCluster.size > 1) {
      const groups = [...byCluster.entries()].map(([id, rs]) => `cluster ${BigInt(id).toString(16)}: ${rs.map((r) => r.endpoint).join(', ')}`);
      return {
        checks: [
          {
            ...base,
            status: 'fail',
            message: `The endpoints belong to different clusters (${groups.join('; ')}). Check --endpoints, or a member was bootstrapped on its own (a different --initial-cluster or --initial-cluster-token): remove it and add it back with etcdctl member add.`,
          },
        ],
      };
    }
    const noLeader = ok.filter((r) => r.status.leaderId === '0');
    if (noLeader.length > 0)
      return {
        checks: [
          {
            ...base,
            status: 'fail',
            message: `${noLeader.map((r) => r.endpoint).join(', ')} know${noLeader.length === 1 ? 's' : ''} no leader: the cluster has lost quorum or is electing. Check that a majority of members run and reach each other on their peer URLs.`,
          },
        ],
      };
    const byLeader = groupBy(ok, (r) => r.status.leaderId);
    if (byLeader.size > 1) {
      const groups = [...byLeader.entries()].map(([id, rs]) => `${BigInt(id).toString(16)} according to ${rs.map((r) => r.endpoint).join(', ')}`);
      return {
        checks: [
          {
            ...base,
            status: 'fail',
            message: `Members disagree on the leader (${groups.join('; ')}). A stable disagreement means a member is cut off from the others (network partition) or keeps losing elections: read again, and if it persists check the peer network and the members' logs for "lost leader".`,
          },
        ],
      };
    }
    const leader = [...byLeader.keys()][0]!;
    return {
      checks: [
        {
          ...base,
          status: 'pass',
          message: `${ok.length === 1 ? 'The member names' : `All ${ok.length} answering members name`} leader ${BigInt(leader).toString(16)} in cluster ${BigInt(ok[0]!.status.clusterId).toString(16)}.`,
        },
      ],
    };
  },
};

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
