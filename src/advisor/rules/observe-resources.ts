// Reports each member's memory (RSS) and open file descriptors at the end of the window, warning as the fd limit nears.
import { formatBytes } from '../../util/units.js';
import type { Rule } from '../rule.js';
import { judgeEach, observing } from './observe-common.js';

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
    return judgeEach(this, o.members, names.of, (m, name) => {
      const g = m.last;
      if (g === null || (g.residentMemoryBytes === null && g.openFds === null)) return null;
      const rss = g.residentMemoryBytes === null ? '' : `RSS ${formatBytes(g.residentMemoryBytes)}`;
      const fds = g.openFds === null ? '' : `${g.openFds} open fds${g.maxFds !== null ? ` of ${g.maxFds}` : ''}`;
      const figures = [rss, fds].filter(Boolean).join(', ');
      const threshold = `open fds < ${FDS_WARN_RATIO * 100}% of the limit`;
      if (g.openFds !== null && g.maxFds !== null && g.maxFds > 0 && g.openFds / g.maxFds >= FDS_WARN_RATIO)
        return {
          threshold,
          status: 'warn',
          value: g.openFds,
          message: `${name}: ${figures}: near the limit, new clients and peers will be refused. Raise LimitNOFILE in its unit (upstream uses 40000) or find the client that leaks connections.`,
        };
      return {
        threshold,
        status: 'info',
        ...(g.residentMemoryBytes !== null ? { value: g.residentMemoryBytes, unit: 'bytes' } : {}),
        message: `${name}: ${figures}.`,
      };
    });
  },
};
