// Reports fio's fdatasync p99.9 and max as stall risk: a WAL fdatasync that long holds up the leader's heartbeats.
import { MISSED_HEARTBEATS_STALL_MS } from '../../etcd/flags.js';
import type { Check } from '../../model/check.js';
import { isMeasured } from '../inputs.js';
import { checkFields, type Rule } from '../rule.js';

/** A WAL fdatasync this long spans two heartbeat intervals, as a network stall would. */
export const FDATASYNC_STALL_WARN_MS = MISSED_HEARTBEATS_STALL_MS;

export const diskFdatasyncTail: Rule = {
  id: 'disk.fdatasync-tail',
  section: 'disk',
  title: 'fdatasync p99.9 and max: stall risk',
  source: 'ETCD-FACTS.md Heartbeat and election: "failed to send out heartbeat on time" after two skipped heartbeat intervals; a slow fdatasync causes it',
  needs: ['fsyncP999Ms'],
  evaluate({ inputs, artifacts }) {
    if (!isMeasured(inputs.fsyncP999Ms)) return { checks: [] };
    const p999 = inputs.fsyncP999Ms.value;
    const maxUs = artifacts.disk?.ok ? artifacts.disk.data.fio.syncUs?.max : undefined;
    const maxMs = maxUs === undefined ? undefined : maxUs / 1000;
    const worst = Math.max(p999, maxMs ?? 0);
    const figures = `fdatasync p99.9 ${p999.toFixed(2)} ms${maxMs === undefined ? '' : `, max ${maxMs.toFixed(2)} ms`}`;
    const base: Omit<Check, 'status' | 'message'> = {
      ...checkFields(this),
      value: Number(worst.toFixed(3)),
      unit: 'ms',
      threshold: `< ${FDATASYNC_STALL_WARN_MS} ms (two default heartbeats)`,
    };
    if (worst >= FDATASYNC_STALL_WARN_MS) {
      return {
        checks: [
          {
            ...base,
            status: 'warn',
            message: `Stall risk: ${figures}. A WAL fdatasync of ${FDATASYNC_STALL_WARN_MS} ms or more spans two heartbeat intervals: expect "failed to send out heartbeat on time" and, if it recurs, leader elections. The --election-timeout advice is sized above twice the p99.9 (${inputs.fsyncP999Ms.basis}).`,
          },
        ],
      };
    }
    return {
      checks: [
        {
          ...base,
          status: 'info',
          message: `Stall risk low: ${figures}, under two heartbeat intervals (${FDATASYNC_STALL_WARN_MS} ms). The --election-timeout advice accounts for the p99.9.`,
        },
      ],
    };
  },
};
