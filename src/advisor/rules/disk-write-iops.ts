// Judges the sequential write IOPS of the etcd fio profile against the hardware guide's minimums.
import { isMeasured } from '../inputs.js';
import { checkFields, type Rule } from '../rule.js';

/** ETCD-FACTS.md "Disk": 50 sequential IOPS minimum (etcd op-guide/hardware). */
export const MIN_SEQUENTIAL_IOPS = 50;
/** ETCD-FACTS.md "Disk": 500 sequential IOPS for heavily loaded clusters (etcd op-guide/hardware). */
export const HEAVY_LOAD_SEQUENTIAL_IOPS = 500;

export const diskWriteIops: Rule = {
  id: 'disk.write-iops',
  section: 'disk',
  title: 'Sequential write IOPS (fdatasync after each write)',
  source: 'ETCD-FACTS.md Disk: 50 sequential IOPS minimum, 500 for heavily loaded clusters (etcd op-guide/hardware)',
  needs: ['writeIops'],
  evaluate({ inputs, artifacts }) {
    if (!isMeasured(inputs.writeIops)) return { checks: [] };
    // The guide's IOPS are sequential writes each made durable; a run without fdatasync measures the cache (disk.sync-measured says so).
    if (artifacts.disk?.ok && artifacts.disk.data.fio.syncUs === null) return { checks: [] };
    const iops = inputs.writeIops.value;
    const base = {
      ...checkFields(this),
      value: Math.round(iops),
      unit: 'IOPS',
      threshold: `>= ${MIN_SEQUENTIAL_IOPS} (>= ${HEAVY_LOAD_SEQUENTIAL_IOPS} for heavy load)`,
    };
    if (iops < MIN_SEQUENTIAL_IOPS)
      return { checks: [{ ...base, status: 'fail', message: `${iops.toFixed(0)} sequential write IOPS is below etcd's minimum of ${MIN_SEQUENTIAL_IOPS}.` }] };
    if (iops < HEAVY_LOAD_SEQUENTIAL_IOPS)
      return {
        checks: [
          {
            ...base,
            status: 'warn',
            message: `${iops.toFixed(0)} sequential write IOPS is enough for a light cluster, below the ${HEAVY_LOAD_SEQUENTIAL_IOPS} a heavily loaded cluster needs.`,
          },
        ],
      };
    return {
      checks: [
        {
          ...base,
          status: 'pass',
          message: `${iops.toFixed(0)} sequential write IOPS with fdatasync (at least ${HEAVY_LOAD_SEQUENTIAL_IOPS} needed for heavy load).`,
        },
      ],
    };
  },
};
