// Judges each member's WAL fsync p99 over the observed window against etcd's disk guidance, as fio's fdatasync is judged.
import type { Check } from '../../model/check.js';
import { checkFields, type Rule } from '../rule.js';
import { FDATASYNC_P99_FAIL_MS, FDATASYNC_P99_PASS_MS } from './disk-fdatasync-p99.js';
import { ms, observed, observing, windowWords } from './observe-common.js';

export const observeWalFsync: Rule = {
  id: 'observe.wal-fsync',
  section: 'observe',
  title: 'WAL fsync p99 (etcd_disk_wal_fsync_duration_seconds)',
  source: 'ETCD-FACTS.md Disk and Metrics: wal_fsync_duration_seconds p99 < 10 ms (etcd faq); fail above 20 ms as the fio rule does',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    const checks: Check[] = [];
    for (const m of observed(o)) {
      const f = m.figures.walFsync;
      const base = { ...checkFields(this), title: `${this.title}: ${names.of(m)}`, unit: 'ms', threshold: `< ${FDATASYNC_P99_PASS_MS} ms` };
      if (f === null) {
        checks.push({ ...base, status: 'info', message: `${names.of(m)} does not export etcd_disk_wal_fsync_duration_seconds.` });
        continue;
      }
      if (f.p99Ms === null) {
        checks.push({
          ...base,
          status: 'info',
          message: `${names.of(m)} made no WAL fsync ${windowWords(o)}: nothing was written, so the disk was not put to the test.`,
        });
        continue;
      }
      const p99 = ms(f.p99Ms, f.p99AtLeast);
      const figures = `WAL fsync p99 ${p99}, p50 ${ms(f.p50Ms!)} over ${f.count} fsyncs ${windowWords(o)}`;
      const value = Number(f.p99Ms.toFixed(3));
      if (f.p99Ms < FDATASYNC_P99_PASS_MS) checks.push({ ...base, value, status: 'pass', message: `${names.of(m)}: ${figures}.` });
      else if (f.p99Ms <= FDATASYNC_P99_FAIL_MS && !f.p99AtLeast)
        checks.push({
          ...base,
          value,
          status: 'warn',
          message: `${names.of(m)}: ${figures}, above the ${FDATASYNC_P99_PASS_MS} ms etcd asks for: commits slow down and heartbeats may be late under load. Move its data dir to a faster (SSD/NVMe) disk, or find what else writes there.`,
        });
      else
        checks.push({
          ...base,
          value,
          status: 'fail',
          message: `${names.of(m)}: ${figures}, above ${FDATASYNC_P99_FAIL_MS} ms: this disk is too slow for etcd's WAL; expect "failed to send out heartbeat on time", slow requests and leader elections. Move its data dir (at least --wal-dir) to a dedicated SSD/NVMe and give etcd I/O priority (ionice -c2 -n0).`,
        });
    }
    return { checks };
  },
};
