// Unit settings that keep etcd's disk I/O and file handles ahead of other tenants of the node.
import { checkFields, type Rule } from '../rule.js';

/** ETCD-FACTS.md "Disk": ionice -c2 -n0; in a unit IOSchedulingClass=best-effort, IOSchedulingPriority=0 (etcd docs tuning). */
export const IO_SCHEDULING_CLASS = 'best-effort';
export const IO_SCHEDULING_PRIORITY = '0';
/** ETCD-FACTS.md "Flags": the upstream unit (contrib/systemd/etcd.service) sets LimitNOFILE=40000. */
export const LIMIT_NOFILE = '40000';

export const unitIoPriority: Rule = {
  id: 'advice.io-priority',
  section: 'advice',
  title: 'Disk I/O priority and file limit of the etcd unit',
  source: 'ETCD-FACTS.md Disk (etcd docs tuning: ionice -c2 -n0) and Flags (upstream contrib/systemd/etcd.service)',
  needs: [],
  evaluate() {
    const reason =
      'etcd is sensitive to disk latency: give its I/O the highest best-effort priority so that other processes on the node do not delay its fdatasync.';
    return {
      unitSettings: [
        { key: 'IOSchedulingClass', value: IO_SCHEDULING_CLASS, reason, source: this.source },
        { key: 'IOSchedulingPriority', value: IO_SCHEDULING_PRIORITY, reason, source: this.source },
        {
          key: 'LimitNOFILE',
          value: LIMIT_NOFILE,
          reason: 'Every client connection and watch holds a file descriptor; the upstream unit raises the limit to 40000.',
          source: this.source,
        },
      ],
      checks: [
        {
          ...checkFields(this),
          status: 'info',
          // Short: the widest value sets the width of the table's value column.
          value: `${IO_SCHEDULING_CLASS}/${IO_SCHEDULING_PRIORITY}`,
          message: `The unit sets IOSchedulingClass=${IO_SCHEDULING_CLASS}, IOSchedulingPriority=${IO_SCHEDULING_PRIORITY} and LimitNOFILE=${LIMIT_NOFILE}.`,
        },
      ],
    };
  },
};
