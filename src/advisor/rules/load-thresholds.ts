// Judges the scenario's thresholds of each load phase ("p99 < 25ms", "rate > 0.9 * target") as written; a rate missed by a saturated load generator is not held against etcd.
import type { Check } from '../../model/check.js';
import { judgeLoadPhase } from '../load-phase.js';
import { checkFields, measuredOf, type Rule } from '../rule.js';

/** Thresholds on throughput: when the client was the limit, missing them says nothing about etcd. */
const RATE_METRIC = /^rate\b|^requests\b/;

export const loadThresholds: Rule = {
  id: 'load.thresholds',
  section: 'load',
  title: 'load thresholds',
  source: 'the scenario file (scenarios/*.yaml); check-perf-* carry etcdctl check perf pass rules (ETCD-FACTS.md)',
  needs: [],
  artifacts: ['load'],
  evaluate(ctx) {
    const checks: Check[] = [];
    for (const p of measuredOf(ctx, 'load').phases) {
      const { thresholds, clientLimitedReason } = judgeLoadPhase(p);
      if (thresholds.length === 0) continue;
      const base = { ...checkFields(this), title: `${this.title}: ${p.name}`, threshold: thresholds.map((t) => t.expr).join(', ') };
      const failed = thresholds.filter((t) => !t.ok);
      if (failed.length === 0) {
        checks.push({ ...base, status: 'pass', message: `all ${thresholds.length} thresholds hold (${thresholds.map((t) => t.actual).join(', ')}).` });
        continue;
      }
      const list = failed.map((t) => `${t.expr} (${t.actual})`).join('; ');
      const onlyRate = failed.every((t) => RATE_METRIC.test(t.expr));
      if (clientLimitedReason !== null && onlyRate) {
        checks.push({
          ...base,
          status: 'warn',
          message: `missed: ${list}, limited by the load generator, not etcd (${clientLimitedReason}); run the tool from another host or with fewer clients to measure etcd.`,
        });
      } else {
        checks.push({ ...base, status: 'fail', message: `missed: ${list}.` });
      }
    }
    return { checks };
  },
};
