// Lint rule ioPriority: ionice in ExecStart does what IOSchedulingClass/IOSchedulingPriority do; -c2 -n0 is the priority the advisor recommends.
import { IO_SCHEDULING_CLASS, IO_SCHEDULING_PRIORITY } from '../../advisor/rules/unit-io-priority.js';
import { lintCheck } from '../check.js';
import type { MemberRule } from './common.js';

export const ioPriority: MemberRule = {
  id: 'unit.io-priority',
  source: 'ETCD-FACTS.md Disk: ionice -c2 -n0 (best effort, highest); in a unit IOSchedulingClass=best-effort, IOSchedulingPriority=0',
  check({ member }) {
    const unit = member.unit;
    const ionice = unit?.wrappers.find((w) => w.program === 'ionice');
    if (unit === null || ionice?.ioPriority === undefined) return [];
    const { class: cls, level } = ionice.ioPriority;
    if (cls === 2 && level === 0)
      return [
        lintCheck(
          'info',
          this.id,
          unit.execFile,
          ionice.line,
          null,
          `ionice -c2 -n0 runs etcd with best-effort I/O at the highest level: the I/O priority the advisor recommends. Fix: nothing to change (IOSchedulingClass=${IO_SCHEDULING_CLASS} and IOSchedulingPriority=${IO_SCHEDULING_PRIORITY} in [Service] would do the same without a wrapper).`,
        ),
      ];
    if (cls === 2)
      return [
        lintCheck(
          'warn',
          this.id,
          unit.execFile,
          ionice.line,
          null,
          `ionice -c2 ${level === null ? 'without -n leaves etcd at the level its nice value gives (4 by default)' : `-n${level} is below the highest best-effort level`}: other processes' I/O can delay etcd's fdatasync. Fix: ionice -c2 -n0, or IOSchedulingClass=${IO_SCHEDULING_CLASS} and IOSchedulingPriority=${IO_SCHEDULING_PRIORITY} in [Service].`,
        ),
      ];
    return [];
  },
};
