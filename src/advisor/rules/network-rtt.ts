// Reports loss and tail RTT per peer, says why a peer could not be measured, and says plainly when the only figure is a loopback baseline.
import type { PeerErrorKind, PeerRtt } from '../../model/artifacts.js';
import type { Check } from '../../model/check.js';
import { checkFields, measuredOf, type Rule } from '../rule.js';

/** ETCD-FACTS.md "Network": the etcd mixin alerts when peer RTT p99 exceeds 150 ms. */
export const PEER_RTT_P99_WARN_MS = 150;

/** What to do about a peer that could not be measured, by why. */
const REMEDY: Record<PeerErrorKind, string> = {
  unresolvable: "Check the name (or give the address) and this host's DNS.",
  'not-permitted': 'ICMP needs CAP_NET_RAW (or net.ipv4.ping_group_range): run as root, or use --method tcp (or auto).',
  'missing-tool': 'Install iputils-ping, or use --method tcp.',
  unreachable: 'There is no route to the peer or it does not answer on the local network: check addresses, routes and firewalls.',
  refused: "Nothing listens on that port: check that etcd runs there and the port (etcd's peer port is 2380).",
  'no-reply': 'Every probe went unanswered: a firewall may drop it (try --method tcp or http), or the peer is down.',
  tls: 'The TLS handshake failed: give --cacert (and --cert/--key if the peers require client certificates) matching the peer certificates.',
  'http-status': "The URL answered but not as an etcd peer port: give the member's peer URL (--initial-advertise-peer-urls).",
  other: 'See the error above.',
};

export function peerLabel(peer: PeerRtt): string {
  return `${peer.host}${peer.port !== undefined ? `:${peer.port}` : ''} (${peer.method})`;
}

export const networkRtt: Rule = {
  id: 'network.rtt',
  section: 'network',
  title: 'Round-trip time and loss to the peers',
  source: 'ETCD-FACTS.md Network: etcd-mixin alert etcd_network_peer_round_trip_time_seconds p99 > 150 ms',
  // Judged from the artifact itself, so that a peer that could not be measured still gets its own check and reason.
  needs: [],
  artifacts: ['network'],
  evaluate(ctx) {
    const checks: Check[] = measuredOf(ctx, 'network').peers.map((peer) => {
      const base = { ...checkFields(this), title: `${this.title}: ${peerLabel(peer)}`, unit: 'ms', threshold: `p99 <= ${PEER_RTT_P99_WARN_MS} ms, no loss` };
      const note = peer.note !== undefined ? ` Note: ${peer.note}.` : '';
      if (peer.error !== undefined || peer.received === 0) {
        const kind = peer.errorKind ?? 'no-reply';
        return { ...base, status: 'error' as const, message: `${peer.host} could not be measured: ${peer.error ?? 'no reply'}. ${REMEDY[kind]}${note}` };
      }
      const p99 = peer.rttMs.p99;
      if (p99 === undefined)
        return {
          ...base,
          status: 'info' as const,
          message: `Only min/avg/max are known for ${peer.host} (avg ${peer.rttMs.avg?.toFixed(3)} ms): give ping's full output for percentiles.${note}`,
        };
      const value = Number(p99.toFixed(3));
      const figures = `RTT p50 ${peer.rttMs.p50!.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms over ${peer.received} replies`;
      if (peer.loopback)
        return {
          ...base,
          value,
          status: 'info' as const,
          message: `${figures} to ${peer.host}. This is loopback: only a baseline of this host's own stack, not the network between members. Give --peers to measure them.${note}`,
        };
      if (p99 > PEER_RTT_P99_WARN_MS)
        return {
          ...base,
          value,
          status: 'warn' as const,
          message: `${figures} to ${peer.host}: p99 is above the ${PEER_RTT_P99_WARN_MS} ms the etcd alerts use: raise heartbeat and election timeouts as advised below.${note}`,
        };
      if (peer.lossPct > 0)
        return {
          ...base,
          value,
          status: 'warn' as const,
          message: `${peer.lossPct.toFixed(1)}% of ${peer.sent} probes to ${peer.host} were lost (${figures}): lost heartbeats lead to elections; find the drops before going live.${note}`,
        };
      return { ...base, value, status: 'pass' as const, message: `${figures} to ${peer.host}, no loss.${note}` };
    });
    return { checks };
  },
};
