// Judges the longest time without any reply from a peer: a stall that long silences the leader's heartbeats just the same.
import { DEFAULT_ELECTION_MS, DEFAULT_HEARTBEAT_MS, MISSED_HEARTBEATS_STALL_MS } from '../../etcd/flags.js';
import type { Check } from '../../model/check.js';
import { checkFields, measuredOf, type Rule } from '../rule.js';
import { peerStallMs, probeEvery } from '../inputs.js';
import { peerLabel } from './network-rtt.js';

/** A gap this long without any reply spans two heartbeat intervals, as a slow fdatasync would. */
export const STALL_WARN_MS = MISSED_HEARTBEATS_STALL_MS;

export const networkStall: Rule = {
  id: 'network.stall',
  section: 'network',
  title: 'Stalls: the longest time without a reply',
  source: 'ETCD-FACTS.md Heartbeat and election: heartbeat warning after two missed intervals (2 x 100 ms), default election timeout 1000 ms',
  needs: [],
  artifacts: ['network'],
  evaluate(ctx) {
    const checks: Check[] = measuredOf(ctx, 'network')
      .peers.filter((p) => p.received > 0 && p.samples.length > 0)
      .map((peer) => {
        // Probes go out every intervalMs, so a gap of G between replies means nothing got through for at least G - interval.
        const stall = peerStallMs(peer);
        const base = {
          ...checkFields(this),
          title: `${this.title}: ${peerLabel(peer)}`,
          unit: 'ms',
          value: Math.round(stall),
          threshold: `< ${STALL_WARN_MS} ms`,
        };
        const seen = `The longest gap between replies from ${peer.host} was ${peer.longestGapMs.toFixed(0)} ms${probeEvery(peer)}: nothing got through for at least ${stall.toFixed(0)} ms`;
        if (stall < STALL_WARN_MS) return { ...base, status: 'pass' as const, message: `${seen}, under two heartbeat intervals (${STALL_WARN_MS} ms).` };
        const status = peer.loopback ? ('info' as const) : ('warn' as const);
        const where = peer.loopback ? ' On loopback this is the host itself pausing (CPU starvation, a VM pause), which stalls etcd just the same.' : '';
        if (stall >= DEFAULT_ELECTION_MS)
          return {
            ...base,
            status,
            message: `${seen}: with the default --election-timeout of ${DEFAULT_ELECTION_MS} ms followers would start an election. Find the cause, or set --election-timeout as advised below.${where}`,
          };
        return {
          ...base,
          status,
          message: `${seen}: the leader would log "failed to send out heartbeat on time" (two ${DEFAULT_HEARTBEAT_MS} ms intervals missed).${where}`,
        };
      });
    return { checks };
  },
};
