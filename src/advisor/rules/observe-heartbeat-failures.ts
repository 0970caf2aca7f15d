// Counts heartbeats the leader could not send on time and messages members could not send to their peers over the window.
import type { Rule } from '../rule.js';
import { judgeEach, observed, observing, windowWords } from './observe-common.js';

export const observeHeartbeatFailures: Rule = {
  id: 'observe.heartbeat-failures',
  section: 'observe',
  title: 'Heartbeats and peer messages not sent (etcd_server_heartbeat_send_failures_total, etcd_network_peer_sent_failures_total)',
  source:
    'ETCD-FACTS.md Heartbeat and election: "failed to send out heartbeat on time" fires when the leader skips two heartbeat intervals; a slow disk causes it as much as the network',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    return judgeEach(this, observed(o), names.of, (m, name) => {
      const hb = m.figures.heartbeatSendFailures ?? 0;
      const sent = m.figures.peerSentFailures ?? 0;
      const base = { title: `Messages not sent: ${name}`, value: hb + sent, threshold: '0' };
      if (hb === 0 && sent === 0)
        return { ...base, status: 'pass', message: `${name} sent every heartbeat on time and every message to its peers ${windowWords(o)}.` };
      return {
        ...base,
        status: 'warn',
        message: `${name}: ${hb} heartbeat${hb === 1 ? '' : 's'} not sent on time and ${sent} message${sent === 1 ? '' : 's'} to peers not sent ${windowWords(o)}. Late heartbeats come from a slow disk (the leader blocked in fsync) as much as from the network; see the root-cause check.`,
      };
    });
  },
};
