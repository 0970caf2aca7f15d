// Judges each load round of a cluster run from the members' own counters: leader changes and heartbeat send failures, with etcd's defaults and with the advice (--validate).
import type { Check } from '../../model/check.js';
import type { ClusterLoadRound } from '../../model/cluster-run.js';
import { checkFields, measuredOf, type Rule } from '../rule.js';

/** ETCD-FACTS.md Metrics: kube-burner alerts on any leader change in 2 min; a qualification load of a minute must see none. */
export const MAX_LEADER_CHANGES_UNDER_LOAD = 0;

function counts(round: ClusterLoadRound): { leaderChanges: number; heartbeatFailures: number; unread: string[] } {
  // Every member counts the changes it saw: the most any member saw is how many happened.
  const perMember = new Map<string, number>();
  let heartbeatFailures = 0;
  const unread = new Set<string>();
  for (const d of round.metrics) {
    if (d.window === null) unread.add(d.member);
    perMember.set(d.member, (perMember.get(d.member) ?? 0) + (d.window?.leaderChanges ?? 0));
    heartbeatFailures += d.window?.heartbeatSendFailures ?? 0;
  }
  return { leaderChanges: Math.max(0, ...perMember.values()), heartbeatFailures, unread: [...unread] };
}

export const clusterRunLeader: Rule = {
  id: 'cluster.run-leader-changes',
  section: 'cluster',
  title: 'Leader changes and heartbeat failures of the temporary cluster under load',
  source: 'ETCD-FACTS.md Metrics and alert thresholds (leader changes, heartbeat send failures); Heartbeat and election',
  needs: [],
  artifacts: ['clusterRun'],
  evaluate(ctx) {
    const run = measuredOf(ctx, 'clusterRun');
    const checks: Check[] = [];
    const validated = run.rounds.some((r) => r.flags === 'recommended');
    for (const round of run.rounds) {
      const { leaderChanges, heartbeatFailures, unread } = counts(round);
      const base = {
        ...checkFields(this),
        title: `${this.title}: ${round.flags} flags`,
        value: leaderChanges,
        unit: 'changes',
        threshold: `<= ${MAX_LEADER_CHANGES_UNDER_LOAD}`,
      };
      const timing = `--heartbeat-interval ${round.heartbeatMs} --election-timeout ${round.electionMs}`;
      const hb = heartbeatFailures > 0 ? `, ${heartbeatFailures} heartbeat send failures` : '';
      if (unread.length > 0)
        checks.push({
          ...checkFields(this),
          title: base.title,
          status: 'error',
          message: `The /metrics of ${unread.join(', ')} could not be read around the load: leader changes are unknown there.`,
        });
      if (leaderChanges <= MAX_LEADER_CHANGES_UNDER_LOAD) {
        checks.push({
          ...base,
          status: heartbeatFailures > 0 ? 'warn' : 'pass',
          message: `With ${timing} the leader held through the load (0 changes${hb}).${heartbeatFailures > 0 ? " Heartbeats were late: the leader's disk or the network stalled; the margin is thin." : ''}`,
        });
      } else if (round.flags === 'defaults') {
        checks.push({
          ...base,
          status: validated ? 'warn' : 'fail',
          message: `With etcd's defaults (${timing}) the leader changed ${leaderChanges} times under load${hb}: these links or disks stall longer than the defaults tolerate. ${validated ? 'See the recommended round.' : 'Run again with --validate to prove the recommended heartbeat and election timeout on these machines.'}`,
        });
      } else {
        checks.push({
          ...base,
          status: 'fail',
          message: `Even with the recommended ${timing} the leader changed ${leaderChanges} times under load${hb}: fix the stalls (network path, disk) before going live; no timing fixes a link that goes silent this long.`,
        });
      }
    }
    return { checks };
  },
};
