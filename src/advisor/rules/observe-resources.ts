// Reports each member's memory (RSS) and open file descriptors at the end of the window, warning as the fd limit nears.
import type { Check } from '../../model/check.js';
import { formatBytes } from '../../util/units.js';
import { checkFields, type Rule } from '../rule.js';
import { observing } from './observe-common.js';

/** The advisor's own margin (docs/ASSUMPTIONS.md): past 80% of the fd limit a burst of clients makes etcd refuse connections. */
export const FDS_WARN_RATIO = 0.8;

export const observeResources: Rule = {
  id: 'observe.resources',
  section: 'observe',
  title: 'Memory and file descriptors',
  source: 'process_resident_memory_bytes, process_open_fds, process_max_fds; ETCD-FACTS.md Flags (upstream unit LimitNOFILE=40000)',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    const checks: Check[] = [];
    for (const m of o.members) {
      const g = m.last;
      if (g === null || (g.residentMemoryBytes === null && g.openFds === null)) continue;
      const rss = g.residentMemoryBytes === null ? '' : `RSS ${formatBytes(g.residentMemoryBytes)}`;
      const fds = g.openFds === null ? '' : `${g.openFds} open fds${g.maxFds !== null ? ` of ${g.maxFds}` : ''}`;
      const figures = [rss, fds].filter(Boolean).join(', ');
      const base = { ...checkFields(this), title: `${this.title}: ${names.of(m)}`, threshold: `open fds < ${FDS_WARN_RATIO * 100}% of the limit` };
      if (g.openFds !== null && g.maxFds !== null && g.maxFds > 0 && g.openFds / g.maxFds >= FDS_WARN_RATIO)
        checks.push({
          ...base,
          status: 'warn',
          value: g.openFds,
          message: `${names.of(m)}: ${figures}: near the limit, new clients and peers will be refused. Raise LimitNOFILE in its unit (upstream uses 40000) or find the client that leaks connections.`,
        });
      else
        checks.push({
          ...base,
          status: 'info',
          ...(g.residentMemoryBytes !== null ? { value: g.residentMemoryBytes, unit: 'bytes' } : {}),
          message: `${names.of(m)}: ${figures}.`,
        });
    }
    return { checks };
  },
};
