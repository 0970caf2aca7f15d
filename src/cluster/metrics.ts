// Every member's /metrics around each phase of a load round, as window figures (src/metrics parses, takes the deltas and the quantiles).
import type { TlsMaterial } from '../etcd/client.js';
import type { ClusterRunMember, MemberMetricsDelta } from '../model/cluster-run.js';
import { withMemberMetrics } from '../probes/etcd-metrics.js';

export interface MetricsRound {
  /** Runs a phase between two scrapes of every member. */
  during<T>(phase: string, work: () => Promise<T>): Promise<T>;
  deltas(): MemberMetricsDelta[];
}

export function metricsRound(members: ClusterRunMember[], tlsOf: Map<string, TlsMaterial>, idToName: Map<string, string>): MetricsRound {
  const out: MemberMetricsDelta[] = [];
  const peerNames = Object.fromEntries(idToName);
  return {
    async during(phase, work) {
      // Nested: every member is scraped before the work and after it, the first one outermost.
      let step: () => Promise<unknown> = work;
      const deltas: MemberMetricsDelta[] = [];
      for (const m of [...members].reverse()) {
        const inner = step;
        step = async () => {
          const { result, delta } = await withMemberMetrics(m.name, phase, m.clientUrl, inner, tlsOf.get(m.name), peerNames);
          deltas.unshift(delta);
          return result;
        };
      }
      const result = (await step()) as Awaited<ReturnType<typeof work>>;
      out.push(...deltas);
      return result;
    },
    deltas: () => out,
  };
}
