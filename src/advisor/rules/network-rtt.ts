// Reports loss and tail RTT per peer, and says plainly when the only figure is a loopback baseline.
import type { Check } from '../../model/check.js';
import type { Rule } from '../rule.js';

/** ETCD-FACTS.md "Network": the etcd mixin alerts when peer RTT p99 exceeds 150 ms. */
export const PEER_RTT_P99_WARN_MS = 150;

export const networkRtt: Rule = {
  id: 'network.rtt',
  section: 'network',
  title: 'Round-trip time and loss to the peers',
  source: 'ETCD-FACTS.md Network: etcd-mixin alert etcd_network_peer_round_trip_time_seconds p99 > 150 ms',
  needs: ['rttP99Ms'],
  evaluate({ artifacts }) {
    const net = artifacts.network;
    if (net === undefined || !net.ok) return { checks: [] };
    const checks: Check[] = net.data.peers.map((peer) => {
      const base = { id: `${this.id}`, section: this.section, title: `${this.title}: ${peer.host} (${peer.method})`, unit: 'ms', threshold: `p99 <= ${PEER_RTT_P99_WARN_MS} ms, no loss`, source: this.source };
      if (peer.error !== undefined || peer.received === 0) return { ...base, status: 'error' as const, message: `${peer.host} could not be measured: ${peer.error ?? 'no reply'}` };
      const p99 = peer.rttMs.p99 ?? 0;
      const value = Number(p99.toFixed(3));
      if (peer.loopback) return { ...base, value, status: 'info' as const, message: `RTT p99 to ${peer.host} is ${p99.toFixed(3)} ms. This is loopback: only a baseline of this host's own stack, not the network between members. Give --peers to measure them.` };
      if (p99 > PEER_RTT_P99_WARN_MS) return { ...base, value, status: 'warn' as const, message: `RTT p99 to ${peer.host} is ${p99.toFixed(1)} ms, above the ${PEER_RTT_P99_WARN_MS} ms the etcd alerts use: raise heartbeat and election timeouts as advised below.` };
      if (peer.lossPct > 0) return { ...base, value, status: 'warn' as const, message: `${peer.lossPct.toFixed(1)}% of probes to ${peer.host} were lost: lost heartbeats lead to elections.` };
      return { ...base, value, status: 'pass' as const, message: `RTT p99 to ${peer.host} is ${p99.toFixed(3)} ms with no loss.` };
    });
    return { checks };
  },
};
