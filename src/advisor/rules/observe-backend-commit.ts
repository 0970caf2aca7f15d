// Judges each member's backend commit p99 over the observed window: the bbolt commit that follows the WAL.
import type { Check } from '../../model/check.js';
import { checkFields, type Rule } from '../rule.js';
import { ms, observed, observing, windowWords } from './observe-common.js';

/** ETCD-FACTS.md "Metrics and alert thresholds": backend_commit_duration_seconds p99 < 25 ms (etcd faq). */
export const BACKEND_COMMIT_P99_PASS_MS = 25;
/** ETCD-FACTS.md "Metrics and alert thresholds": the etcd mixin alerts when commit p99 > 0.25 s (etcdHighCommitDurations). */
export const BACKEND_COMMIT_P99_FAIL_MS = 250;

export const observeBackendCommit: Rule = {
  id: 'observe.backend-commit',
  section: 'observe',
  title: 'Backend commit p99 (etcd_disk_backend_commit_duration_seconds)',
  source: 'ETCD-FACTS.md Metrics and alert thresholds: p99 < 25 ms (etcd faq); etcd mixin etcdHighCommitDurations > 0.25 s',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    const checks: Check[] = [];
    for (const m of observed(o)) {
      const f = m.figures.backendCommit;
      if (f === null || f.p99Ms === null) continue;
      const base = {
        ...checkFields(this),
        title: `${this.title}: ${names.of(m)}`,
        unit: 'ms',
        threshold: `< ${BACKEND_COMMIT_P99_PASS_MS} ms`,
        value: Number(f.p99Ms.toFixed(3)),
      };
      const figures = `backend commit p99 ${ms(f.p99Ms, f.p99AtLeast)}, p50 ${ms(f.p50Ms!)} over ${f.count} commits ${windowWords(o)}`;
      if (f.p99Ms < BACKEND_COMMIT_P99_PASS_MS) checks.push({ ...base, status: 'pass', message: `${names.of(m)}: ${figures}.` });
      else if (f.p99Ms <= BACKEND_COMMIT_P99_FAIL_MS && !f.p99AtLeast)
        checks.push({
          ...base,
          status: 'warn',
          message: `${names.of(m)}: ${figures}, above the ${BACKEND_COMMIT_P99_PASS_MS} ms etcd asks for: the disk under the data dir is slow or shared. A large database commits slower too: compact and defragment if it has grown.`,
        });
      else
        checks.push({
          ...base,
          status: 'fail',
          message: `${names.of(m)}: ${figures}, above the ${BACKEND_COMMIT_P99_FAIL_MS} ms at which the etcd alerts fire: the data dir's disk cannot keep up. Move it to a dedicated SSD/NVMe.`,
        });
    }
    return { checks };
  },
};
