// Reports each load phase: its errors, whether it ended early, and whether the load generator rather than etcd set the pace.
import { etcdctlCommand } from '../../etcd/etcdctl-command.js';
import type { Check } from '../../model/check.js';
import { formatErrorKinds } from '../../report/format.js';
import { clientLimitedReason } from '../load-phase.js';
import { checkFields, measuredOf, type Rule } from '../rule.js';

export const loadPhases: Rule = {
  id: 'load.phase',
  section: 'load',
  title: 'etcd put/get load',
  source: 'etcdctl check perf (ETCD-FACTS.md): any error fails a run',
  needs: [],
  artifacts: ['load'],
  evaluate(ctx) {
    const load = measuredOf(ctx, 'load');
    const checks: Check[] = load.phases.map((p) => {
      const base = { ...checkFields(this), title: `${this.title}: ${p.name}`, value: Math.round(p.ratePerSec), unit: 'req/s' };
      const p99 = ((p.latencyUs.p99 ?? 0) / 1000).toFixed(2);
      const early = p.stoppedEarly === undefined ? '' : ` The phase stopped early: ${p.stoppedEarly}.`;
      if (p.errors > 0)
        return {
          ...base,
          status: 'fail' as const,
          message: `${p.errors} of ${p.requests + p.errors} requests failed (${formatErrorKinds(p.errorsByKind)}).${early}`,
        };
      const limited = clientLimitedReason(p);
      if (limited !== null)
        return {
          ...base,
          status: 'info' as const,
          message: `${p.ratePerSec.toFixed(0)} req/s at p99 ${p99} ms, limited by the load generator, not etcd: ${limited}. etcd may do more.${early}`,
        };
      if (p.stoppedEarly !== undefined)
        return { ...base, status: 'warn' as const, message: `${p.ratePerSec.toFixed(0)} req/s at p99 ${p99} ms over ${p.durationSec.toFixed(1)} s.${early}` };
      return { ...base, status: 'pass' as const, message: `${p.ratePerSec.toFixed(0)} req/s at p99 ${p99} ms with ${p.clients} clients and no errors.` };
    });
    // A throwaway etcd takes its keys with it: no clean-up to advise on an etcd that is gone.
    if (load.cleanupError !== undefined && !load.embedded)
      checks.push({
        ...checkFields(this),
        title: `${this.title}: clean-up`,
        status: 'warn',
        message: `${load.cleanupError}; delete them with: ${etcdctlCommand(load.connection, ['del', '--prefix', load.prefix])}`,
      });
    return { checks };
  },
};
