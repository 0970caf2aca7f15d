// Says so when a fio run measured no fsync/fdatasync: it did not measure what etcd's WAL needs, and its clat must not stand in for it.
import { checkFields, measuredOf, type Rule } from '../rule.js';

export const diskSyncMeasured: Rule = {
  id: 'disk.sync-measured',
  section: 'disk',
  title: 'fdatasync measured',
  source:
    'ETCD-FACTS.md Disk: the verdict is the fdatasync p99 of fio --fdatasync=1 (the "sync percentiles" block); write completion latency without a flush says nothing about it',
  needs: [],
  artifacts: ['disk'],
  evaluate(ctx) {
    const { fio, profile } = measuredOf(ctx, 'disk');
    const warn = (value: string, message: string) => ({ checks: [{ ...checkFields(this), status: 'warn' as const, value, message }] });
    if (fio.syncUs !== null && fio.syncUs.p99 === undefined) {
      // fio before 3.5 timed fdatasync but printed no percentiles for it: the tail etcd is judged by is not there.
      const max = ((fio.syncUs.max ?? NaN) / 1000).toFixed(2);
      return warn(
        'no percentiles',
        `The fio run (${profile}) timed fdatasync but reported no percentiles for it (max ${max} ms), so its p99 cannot be judged. Run fio 3.5 or newer (etcd-advisor disk --dir DIR runs the etcd profile).`,
      );
    }
    if (fio.syncUs !== null) return { checks: [] };
    const clat =
      fio.clatUs.p99 === undefined
        ? ''
        : ` (its write clat p99 of ${(fio.clatUs.p99 / 1000).toFixed(3)} ms is not judged: without a flush it shows the page cache or the device queue, not the WAL's fdatasync)`;
    return warn(
      'no',
      `The fio run (${profile}) measured no fsync/fdatasync latency, so it did not measure what etcd needs and no disk verdict is drawn from it${clat}. Run the etcd profile (etcd-advisor disk --dir DIR --profile etcd, or fio --fdatasync=1).`,
    );
  },
};
