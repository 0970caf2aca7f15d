// Judges how many more member failures the cluster survives now: with members down, a cluster at its failure budget fails the check (exit 1).
import { checkFields, type Rule } from '../rule.js';
import { answered, clusterOf } from './cluster-common.js';

export const clusterFaultTolerance: Rule = {
  id: 'cluster.fault-tolerance',
  section: 'cluster',
  title: 'Failures the cluster survives now',
  source: 'etcd docs op-guide/failures and faq: a cluster of N voting members needs floor(N/2)+1 of them (quorum) and survives (N-1)/2 failures',
  needs: [],
  evaluate({ artifacts }) {
    const cluster = clusterOf(artifacts);
    // Without the member list the number of voters is unknown; cluster.members says why.
    if (cluster === undefined || cluster.members === null) return { checks: [] };
    const voters = cluster.members.filter((m) => !m.isLearner).length;
    if (voters === 0) return { checks: [] };
    const quorum = Math.floor(voters / 2) + 1;
    const up = answered(cluster).filter((r) => !r.status.isLearner).length;
    const down = voters - up;
    const spare = up - quorum;
    const base = {
      ...checkFields(this),
      value: Math.max(0, spare),
      unit: 'members',
      threshold: down > 0 ? '>= 1 with a member down' : `${Math.floor((voters - 1) / 2)} by design`,
    };
    // Quorum already lost is cluster.members' failure; this check speaks of the margin that is left.
    if (spare < 0) return { checks: [] };
    if (down === 0)
      return {
        checks: [
          {
            ...base,
            // Every voter up is the cluster as designed: a pass, so that a healthy cluster shows no finding.
            status: 'pass',
            message: `All ${voters} voting members answered: the cluster survives ${spare} failure${spare === 1 ? '' : 's'} (quorum ${quorum} of ${voters}).`,
          },
        ],
      };
    if (spare === 0) {
      return {
        checks: [
          {
            ...base,
            status: 'fail',
            message: `${down} of ${voters} voting members did not answer and quorum is ${quorum}: the cluster can lose no further member; one more failure stops every write. Bring the member${down === 1 ? '' : 's'} back first (journalctl -u etcd on ${down === 1 ? 'it' : 'them'}).`,
          },
        ],
      };
    }
    return {
      checks: [
        {
          ...base,
          status: 'warn',
          message: `${down} of ${voters} voting members did not answer: the cluster survives ${spare} more failure${spare === 1 ? '' : 's'} (quorum ${quorum}). Bring the member${down === 1 ? '' : 's'} back.`,
        },
      ],
    };
  },
};
