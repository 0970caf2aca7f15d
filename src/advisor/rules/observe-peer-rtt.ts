// Judges the RTT etcd's own prober measured on each peer pair over the window, against the etcd alerts' limit.
import type { Rule } from '../rule.js';
import { PEER_RTT_P99_WARN_MS } from './network-rtt.js';
import { hasP99, histogramWords, judgeEach, observing, pairLabel, peerPairs, windowWords } from './observe-common.js';

export const observePeerRtt: Rule = {
  id: 'observe.peer-rtt',
  section: 'observe',
  title: 'Peer RTT p99 (etcd_network_peer_round_trip_time_seconds)',
  source: 'ETCD-FACTS.md Network: etcd mixin alert when peer RTT p99 > 150 ms',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    return judgeEach(this, peerPairs(names), pairLabel, (pair, label) => {
      const f = pair.rtt;
      const base = { unit: 'ms', threshold: `p99 <= ${PEER_RTT_P99_WARN_MS} ms` };
      // etcd records a peer's RTT every 30 s (5 s while the peer is unhealthy): a short window may hold none.
      if (!hasP99(f))
        return {
          ...base,
          status: 'info',
          message: `${label}: etcd recorded no RTT ${windowWords(o)} (it samples every 30 s on a healthy link): observe for longer to judge it.`,
        };
      const figures = histogramWords('RTT', f, 'samples', o);
      const value = Number(f.p99Ms.toFixed(3));
      if (f.p99Ms > PEER_RTT_P99_WARN_MS)
        return {
          ...base,
          value,
          status: 'warn',
          message: `${label}: ${figures}, above the ${PEER_RTT_P99_WARN_MS} ms the etcd alerts use: heartbeats arrive late; raise --heartbeat-interval and --election-timeout as advised below, or bring the members closer.`,
        };
      return { ...base, value, status: 'pass', message: `${label}: ${figures}.` };
    });
  },
};
