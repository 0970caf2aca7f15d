// Judges fio's fdatasync p99 against the etcd disk rule, with a warn tier between pass and fail.
import { isMeasured } from '../inputs.js';
import { checkFields, type Rule } from '../rule.js';

/** ETCD-FACTS.md "Disk": p99 of fdatasync < 10 ms passes (etcd docs op-guide/hardware; IBM Cloud fio blog, 2019). */
export const FDATASYNC_P99_PASS_MS = 10;
/** Above this, fail; between the two, warn. OpenShift's etcd-perf briefly used 20 ms (ETCD-FACTS.md "Disk"). */
export const FDATASYNC_P99_FAIL_MS = 20;

export const diskFdatasyncP99: Rule = {
  id: 'disk.fdatasync-p99',
  section: 'disk',
  title: 'fdatasync p99 latency of the WAL disk',
  source: 'ETCD-FACTS.md Disk: fdatasync p99 < 10 ms (etcd op-guide/hardware; IBM Cloud blog 2019; OpenShift etcd-perf)',
  needs: ['fsyncP99Ms'],
  evaluate({ inputs }) {
    if (!isMeasured(inputs.fsyncP99Ms)) return { checks: [] };
    const ms = inputs.fsyncP99Ms.value;
    const base = { ...checkFields(this), value: Number(ms.toFixed(3)), unit: 'ms', threshold: `< ${FDATASYNC_P99_PASS_MS} ms` };
    if (ms < FDATASYNC_P99_PASS_MS)
      return {
        checks: [
          {
            ...base,
            status: 'pass',
            message: `fdatasync p99 is ${ms.toFixed(2)} ms, under ${FDATASYNC_P99_PASS_MS} ms: the disk is fast enough for etcd's WAL (${inputs.fsyncP99Ms.basis}).`,
          },
        ],
      };
    if (ms <= FDATASYNC_P99_FAIL_MS)
      return {
        checks: [
          {
            ...base,
            status: 'warn',
            message: `fdatasync p99 is ${ms.toFixed(2)} ms, between ${FDATASYNC_P99_PASS_MS} and ${FDATASYNC_P99_FAIL_MS} ms: etcd will run, but expect slow commits and leader elections under load. Use a faster (SSD/NVMe) disk for the data dir.`,
          },
        ],
      };
    return {
      checks: [
        {
          ...base,
          status: 'fail',
          message: `fdatasync p99 is ${ms.toFixed(2)} ms, above ${FDATASYNC_P99_FAIL_MS} ms: this disk is too slow for etcd's WAL; expect "failed to send out heartbeat on time" and leader elections. Move the data dir to a dedicated SSD/NVMe.`,
        },
      ],
    };
  },
};
