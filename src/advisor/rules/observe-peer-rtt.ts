// Judges the RTT etcd's own prober measured on each peer pair over the window, against the etcd alerts' limit.
import type { Check } from '../../model/check.js';
import { checkFields, type Rule } from '../rule.js';
import { PEER_RTT_P99_WARN_MS } from './network-rtt.js';
import { ms, observing, peerPairs, windowWords } from './observe-common.js';

export const observePeerRtt: Rule = {
  id: 'observe.peer-rtt',
  section: 'observe',
  title: 'Peer RTT p99 (etcd_network_peer_round_trip_time_seconds)',
  source: 'ETCD-FACTS.md Network: etcd mixin alert when peer RTT p99 > 150 ms',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    const checks: Check[] = [];
    for (const pair of peerPairs(names)) {
      const f = pair.rtt;
      const base = { ...checkFields(this), title: `${this.title}: ${pair.label}`, unit: 'ms', threshold: `p99 <= ${PEER_RTT_P99_WARN_MS} ms` };
      if (f.p99Ms === null) {
        // etcd records a peer's RTT every 30 s (5 s while the peer is unhealthy): a short window may hold none.
        checks.push({
          ...base,
          status: 'info',
          message: `${pair.label}: etcd recorded no RTT ${windowWords(o)} (it samples every 30 s on a healthy link): observe for longer to judge it.`,
        });
        continue;
      }
      const figures = `RTT p99 ${ms(f.p99Ms, f.p99AtLeast)}, p50 ${ms(f.p50Ms!)} over ${f.count} samples ${windowWords(o)}`;
      const value = Number(f.p99Ms.toFixed(3));
      if (f.p99Ms > PEER_RTT_P99_WARN_MS)
        checks.push({
          ...base,
          value,
          status: 'warn',
          message: `${pair.label}: ${figures}, above the ${PEER_RTT_P99_WARN_MS} ms the etcd alerts use: heartbeats arrive late; raise --heartbeat-interval and --election-timeout as advised below, or bring the members closer.`,
        });
      else checks.push({ ...base, value, status: 'pass', message: `${pair.label}: ${figures}.` });
    }
    return { checks };
  },
};
