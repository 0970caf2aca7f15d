// Checks fio's prediction against etcd itself: the disk probe's fdatasync p99 beside the member's etcd_disk_wal_fsync_duration_seconds p99 under load.
import type { MeasuredArtifacts } from '../rule.js';
import type { Check } from '../../model/check.js';
import type { MemberMetricsDelta } from '../../model/cluster-run.js';
import { checkFields, type Rule } from '../rule.js';

/**
 * Agreement within this factor passes. etcd's wal fsync histogram has power-of-2 buckets from 1 ms (ETCD-FACTS.md
 * "Metrics": ExponentialBuckets(0.001, 2, 14)), so a quantile from it is only known to a factor of 2; beyond 3 the two
 * disagree for real (etcd's batched WAL writes under load, a disk cache fio did not meet, or a noisy neighbour).
 */
export const FIO_WAL_AGREEMENT_FACTOR = 3;
/** Below this many fsyncs in the window a p99 is not worth comparing. */
export const MIN_WAL_FSYNCS = 100;

interface Pair {
  member: string;
  fioP99Ms: number;
  delta: MemberMetricsDelta;
}

/** Each member with both figures: all of a cluster run (cluster report), this node's member (node report), or the single-node run's throwaway etcd. */
function pairs(measured: MeasuredArtifacts): Pair[] {
  const out: Pair[] = [];
  const run = measured.clusterRun;
  if (run !== undefined) {
    const round = run.rounds[0];
    for (const m of run.members) {
      if (run.self !== undefined && run.self !== m.name) continue;
      // The other nodes' disk results travel inside the cluster run as they were recorded there.
      const disk = run.disks.find((d) => d.member === m.name)?.disk;
      const p99 = disk?.ok ? disk.data.fio.syncUs?.p99 : undefined;
      const delta = round?.metrics.find((d) => d.member === m.name && d.phase === 'load');
      if (p99 !== undefined && delta !== undefined) out.push({ member: m.name, fioP99Ms: p99 / 1000, delta });
    }
    return out;
  }
  const p99 = measured.disk?.fio.syncUs?.p99;
  const delta = measured.etcdMetrics?.find((d) => d.phase === 'load');
  if (p99 !== undefined && delta !== undefined) out.push({ member: delta.member, fioP99Ms: p99 / 1000, delta });
  return out;
}

export const diskFioVsWal: Rule = {
  id: 'disk.fio-vs-wal-fsync',
  section: 'disk',
  // The value is etcd's figure: the title names it first, so that a reader of the value column does not take it for fio's.
  title: "etcd's own WAL fsync p99 under load, against fio's fdatasync p99",
  source: 'ETCD-FACTS.md Metrics (wal fsync buckets, histogram_quantile); Disk (fdatasync p99 < 10 ms)',
  needs: [],
  // Either the cluster run, or this node's disk and its throwaway etcd's /metrics: whichever was gathered.
  evaluate({ measured }) {
    const checks: Check[] = [];
    for (const { member, fioP99Ms, delta } of pairs(measured)) {
      const base = { ...checkFields(this), title: `${this.title}: ${member}`, unit: 'ms', threshold: `within ${FIO_WAL_AGREEMENT_FACTOR}x` };
      const wal = delta.window?.walFsync;
      if (delta.window === null) {
        checks.push({
          ...base,
          status: 'info',
          message: `etcd's /metrics of ${member} could not be read (${delta.error ?? 'unknown reason'}): fio's prediction (${fioP99Ms.toFixed(2)} ms) stays unchecked.`,
        });
        continue;
      }
      if (wal === null || wal === undefined || wal.p99Ms === null || wal.count < MIN_WAL_FSYNCS) {
        checks.push({
          ...base,
          status: 'info',
          message: `${member} did only ${wal?.count ?? 0} WAL fsyncs under load (fewer than ${MIN_WAL_FSYNCS}): too few for a p99 to compare with fio's ${fioP99Ms.toFixed(2)} ms.`,
        });
        continue;
      }
      const walMs = wal.p99Ms;
      const ratio = Math.max(walMs, fioP99Ms) / Math.max(Math.min(walMs, fioP99Ms), 0.001);
      const figures = `fio fdatasync p99 ${fioP99Ms.toFixed(2)} ms, etcd wal_fsync p99 ${wal.p99AtLeast ? '>= ' : ''}${walMs.toFixed(2)} ms over ${wal.count} fsyncs under load`;
      if (ratio <= FIO_WAL_AGREEMENT_FACTOR)
        checks.push({
          ...base,
          status: 'pass',
          value: Number(walMs.toFixed(3)),
          message: `${member}: ${figures}: they agree within ${FIO_WAL_AGREEMENT_FACTOR}x, so fio's verdict on this disk holds for etcd.`,
        });
      else if (walMs > fioP99Ms)
        checks.push({
          ...base,
          status: 'warn',
          value: Number(walMs.toFixed(3)),
          message: `${member}: ${figures}: etcd's own fsyncs were ${ratio.toFixed(1)}x slower than fio predicted. Under etcd's load the disk is slower than alone (contention with the backend's commits, other I/O on the device, throttled cloud volume): judge the disk by etcd's figure and give etcd's data dir a device of its own.`,
        });
      else
        checks.push({
          ...base,
          status: 'warn',
          value: Number(walMs.toFixed(3)),
          message: `${member}: ${figures}: etcd's fsyncs were ${ratio.toFixed(1)}x faster than fio predicted (a write cache fio did not reach, or noise in a short fio run): rerun fio without --quick before trusting either figure.`,
        });
    }
    return { checks };
  },
};
