// Judges each member's WAL fsync p99 over the observed window against etcd's disk guidance, as fio's fdatasync is judged.
import type { Rule } from '../rule.js';
import { FDATASYNC_P99_FAIL_MS, FDATASYNC_P99_PASS_MS } from './disk-fdatasync-p99.js';
import { hasP99, histogramWords, judgeEach, observed, observing, p99Status, windowWords } from './observe-common.js';

export const observeWalFsync: Rule = {
  id: 'observe.wal-fsync',
  section: 'observe',
  title: 'WAL fsync p99 (etcd_disk_wal_fsync_duration_seconds)',
  source: 'ETCD-FACTS.md Disk and Metrics: wal_fsync_duration_seconds p99 < 10 ms (etcd faq); fail above 20 ms as the fio rule does',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    return judgeEach(this, observed(o), names.of, (m, name) => {
      const f = m.figures.walFsync;
      const base = { unit: 'ms', threshold: `< ${FDATASYNC_P99_PASS_MS} ms` };
      if (f === null) return { ...base, status: 'info', message: `${name} does not export etcd_disk_wal_fsync_duration_seconds.` };
      if (!hasP99(f))
        return { ...base, status: 'info', message: `${name} made no WAL fsync ${windowWords(o)}: nothing was written, so the disk was not put to the test.` };
      const figures = histogramWords('WAL fsync', f, 'fsyncs', o);
      const value = Number(f.p99Ms.toFixed(3));
      const status = p99Status(f, FDATASYNC_P99_PASS_MS, FDATASYNC_P99_FAIL_MS);
      if (status === 'pass') return { ...base, value, status, message: `${name}: ${figures}.` };
      if (status === 'warn')
        return {
          ...base,
          value,
          status,
          message: `${name}: ${figures}, above the ${FDATASYNC_P99_PASS_MS} ms etcd asks for: commits slow down and heartbeats may be late under load. Move its data dir to a faster (SSD/NVMe) disk, or find what else writes there.`,
        };
      return {
        ...base,
        value,
        status,
        message: `${name}: ${figures}, above ${FDATASYNC_P99_FAIL_MS} ms: this disk is too slow for etcd's WAL; expect "failed to send out heartbeat on time", slow requests and leader elections. Move its data dir (at least --wal-dir) to a dedicated SSD/NVMe and give etcd I/O priority (ionice -c2 -n0).`,
      };
    });
  },
};
