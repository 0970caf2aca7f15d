// Counts leader changes over the window (each member counts every change it saw), judged as the etcd alerts judge them.
import type { ObservedMember } from '../../model/observation.js';
import { checkFields, type Rule } from '../rule.js';
import { observed, observing, windowWords } from './observe-common.js';

/** ETCD-FACTS.md "Metrics and alert thresholds": the etcd mixin alerts on >= 4 leader changes in 15 min. */
export const LEADER_CHANGES_FAIL = 4;
export const LEADER_CHANGES_SPAN_SEC = 15 * 60;

/** The most leader changes one member saw within any LEADER_CHANGES_SPAN_SEC of the window. */
export function worstSpan(member: ObservedMember): number {
  const points = [{ tSec: 0, leaderChanges: 0 }, ...member.series.map((p) => ({ tSec: p.tSec, leaderChanges: p.leaderChanges ?? 0 }))];
  let worst = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length && points[j]!.tSec - points[i]!.tSec <= LEADER_CHANGES_SPAN_SEC; j++)
      worst = Math.max(worst, points[j]!.leaderChanges - points[i]!.leaderChanges);
  }
  return worst;
}

export const observeLeaderChanges: Rule = {
  id: 'observe.leader-changes',
  section: 'observe',
  title: 'Leader changes (etcd_server_leader_changes_seen_total)',
  source: 'ETCD-FACTS.md Metrics and alert thresholds: etcd mixin >= 4 leader changes in 15 min; kube-burner alerts on any leader change',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    const members = observed(o).filter((m) => m.figures.leaderChanges !== null);
    if (members.length === 0) return { checks: [] };
    const most = members.reduce((a, b) => (b.figures.leaderChanges! > a.figures.leaderChanges! ? b : a));
    const total = most.figures.leaderChanges!;
    const span = Math.max(...members.map(worstSpan));
    const base = { ...checkFields(this), value: total, threshold: `< ${LEADER_CHANGES_FAIL} in 15 min, ideally none` };
    const seen = `${total} leader change${total === 1 ? '' : 's'} ${windowWords(o)} (as ${names.of(most)} counted them)`;
    if (total === 0) return { checks: [{ ...base, status: 'pass', message: `No leader change ${windowWords(o)}.` }] };
    if (span >= LEADER_CHANGES_FAIL)
      return {
        checks: [
          {
            ...base,
            status: 'fail',
            message: `${seen}; ${span} within 15 min, where the etcd alerts fire at ${LEADER_CHANGES_FAIL}: every election stalls writes for an election timeout. The root-cause check below says whether the disk or the network is to blame.`,
          },
        ],
      };
    return { checks: [{ ...base, status: 'warn', message: `${seen}: each one stalls writes for up to an election timeout. See the root-cause check below.` }] };
  },
};
