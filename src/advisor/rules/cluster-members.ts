// Judges reachability and membership: members that did not answer, whether quorum holds, learners and never-started members.
import type { Check } from '../../model/check.js';
import { checkFields, measuredOf, type Rule } from '../rule.js';
import { answered, etcdctl, leaderId } from './cluster-common.js';

export const clusterMembers: Rule = {
  id: 'cluster.members',
  section: 'cluster',
  title: 'Members answering',
  source: 'etcd docs op-guide/failures: a cluster of N voting members survives (N-1)/2 failures',
  needs: [],
  artifacts: ['cluster'],
  evaluate(ctx) {
    const base = checkFields(this);
    const cluster = measuredOf(ctx, 'cluster');
    const ok = answered(cluster);
    const down = cluster.endpoints.filter((r) => r.status === null);
    const checks: Check[] = [];
    if (ok.length === 0) {
      checks.push({ ...base, status: 'error', message: `No endpoint answered: ${down.map((d) => `${d.endpoint}: ${d.error ?? 'no answer'}`).join('; ')}` });
      return { checks };
    }
    const voters = cluster.members?.filter((m) => !m.isLearner) ?? [];
    const quorum = Math.floor(voters.length / 2) + 1;
    const votersUp = ok.filter((r) => !r.status.isLearner).length;
    for (const d of down) {
      const holds = cluster.members === null || votersUp >= quorum;
      checks.push({
        ...base,
        title: `${this.title}: ${d.endpoint}`,
        status: holds ? 'warn' : 'fail',
        message: `${d.endpoint} did not answer (${d.error ?? 'no answer'}). ${cluster.members === null ? 'The member list could not be read.' : `${votersUp} of ${voters.length} voting members answered; quorum is ${quorum}${holds ? ', so the cluster still works but survives one failure less' : ': quorum is lost, writes fail'}.`} Check the member's journal (journalctl -u etcd) and start it again.`,
      });
    }
    const learners = cluster.members?.filter((m) => m.isLearner) ?? [];
    for (const l of learners)
      checks.push({
        ...base,
        title: `${this.title}: learner ${l.idHex}`,
        status: 'info',
        message: `Member ${l.idHex}${l.name ? ` (${l.name})` : ''} is a learner: it receives the log but does not vote. Promote it once it has caught up: ${etcdctl(cluster, ['member', 'promote', l.idHex])}`,
      });
    const unstarted = cluster.members?.filter((m) => m.name === '') ?? [];
    for (const u of unstarted)
      checks.push({
        ...base,
        title: `${this.title}: unstarted ${u.idHex}`,
        status: 'warn',
        message: `Member ${u.idHex} (${u.peerUrls.join(', ')}) was added but has never started${u.isLearner ? '' : ', and it counts towards quorum'}. Start it with --initial-cluster-state existing, or remove it: ${etcdctl(cluster, ['member', 'remove', u.idHex])}`,
      });
    if (down.length === 0) {
      const leader = leaderId(ok);
      checks.push({
        ...base,
        status: 'pass',
        message: `${ok.length === 1 ? 'The endpoint' : `All ${ok.length} endpoints`} answered${cluster.members ? `; the cluster has ${voters.length} voting member${voters.length === 1 ? '' : 's'}${learners.length ? ` and ${learners.length} learner${learners.length === 1 ? '' : 's'}` : ''}` : ''}${leader !== '0' ? `, leader ${BigInt(leader).toString(16)}` : ''}.`,
      });
    }
    if (cluster.membersError !== undefined)
      checks.push({ ...base, title: `${this.title}: member list`, status: 'error', message: `The member list could not be read: ${cluster.membersError}` });
    return { checks };
  },
};
