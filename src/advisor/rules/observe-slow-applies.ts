// Judges the apply path over the window: slow applies, slow read indexes, failed proposals, and the apply p99 where exported.
import type { Rule } from '../rule.js';
import { judgeEach, ms, observed, observing, windowWords } from './observe-common.js';

/** ETCD-FACTS.md "Metrics and alert thresholds": etcd warns "apply request took too long" above 100 ms (faq: normally < 50 ms). */
export const APPLY_P99_WARN_MS = 100;

export const observeSlowApplies: Rule = {
  id: 'observe.apply',
  section: 'observe',
  title: 'Applies, read indexes and proposals',
  source:
    'ETCD-FACTS.md Metrics and alert thresholds: an apply normally takes < 50 ms, etcd warns above 100 ms; counters slow_apply_total, slow_read_indexes_total, proposals_failed_total',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    return judgeEach(this, observed(o), names.of, (m, name) => {
      const f = m.figures;
      const problems: string[] = [];
      if ((f.slowApplies ?? 0) > 0) problems.push(`${f.slowApplies} slow applies`);
      if ((f.slowReadIndexes ?? 0) > 0) problems.push(`${f.slowReadIndexes} slow read indexes`);
      if ((f.proposalsFailed ?? 0) > 0) problems.push(`${f.proposalsFailed} failed proposals`);
      if (f.apply?.p99Ms != null && f.apply.p99Ms > APPLY_P99_WARN_MS)
        problems.push(`apply p99 ${ms(f.apply.p99Ms, f.apply.p99AtLeast)} (over ${f.apply.count} applies)`);
      const apply = f.apply?.p99Ms != null ? `; apply p99 ${ms(f.apply.p99Ms, f.apply.p99AtLeast)}` : '';
      const threshold = `no slow apply, apply p99 <= ${APPLY_P99_WARN_MS} ms`;
      if (problems.length === 0)
        return { threshold, status: 'pass', message: `${name}: no slow apply, slow read index or failed proposal ${windowWords(o)}${apply}.` };
      return {
        threshold,
        status: 'warn',
        message: `${name}: ${problems.join(', ')} ${windowWords(o)}. With fsync and RTT fine this is the member's CPU or memory (or expensive requests: large ranges, many watchers); see the root-cause check.`,
      };
    });
  },
};
