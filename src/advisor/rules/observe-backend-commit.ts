// Judges each member's backend commit p99 over the observed window: the bbolt commit that follows the WAL.
import type { Rule } from '../rule.js';
import { hasP99, histogramWords, judgeEach, observed, observing, p99Status } from './observe-common.js';

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
    return judgeEach(this, observed(o), names.of, (m, name) => {
      const f = m.figures.backendCommit;
      if (!hasP99(f)) return null;
      const base = { unit: 'ms', threshold: `< ${BACKEND_COMMIT_P99_PASS_MS} ms`, value: Number(f.p99Ms.toFixed(3)) };
      const figures = histogramWords('backend commit', f, 'commits', o);
      const status = p99Status(f, BACKEND_COMMIT_P99_PASS_MS, BACKEND_COMMIT_P99_FAIL_MS);
      if (status === 'pass') return { ...base, status, message: `${name}: ${figures}.` };
      if (status === 'warn')
        return {
          ...base,
          status,
          message: `${name}: ${figures}, above the ${BACKEND_COMMIT_P99_PASS_MS} ms etcd asks for: the disk under the data dir is slow or shared. A large database commits slower too: compact and defragment if it has grown.`,
        };
      return {
        ...base,
        status,
        message: `${name}: ${figures}, above the ${BACKEND_COMMIT_P99_FAIL_MS} ms at which the etcd alerts fire: the data dir's disk cannot keep up. Move it to a dedicated SSD/NVMe.`,
      };
    });
  },
};
