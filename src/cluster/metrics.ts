// Every member's /metrics around each phase of a load round, as window figures (src/metrics parses, takes the deltas and the quantiles).
import type { TlsMaterial } from '../etcd/client.js';
import { memberWindowFigures } from '../metrics/figures.js';
import { metricsUrl, scrapeMetrics, type Scrape } from '../metrics/scrape.js';
import type { ClusterRunMember, MemberMetricsDelta } from '../model/cluster-run.js';
import { errorMessage } from '../model/errors.js';

type Reading = { ok: true; scrape: Scrape } | { ok: false; error: string };

async function read(member: ClusterRunMember, tls: TlsMaterial): Promise<Reading> {
  try {
    return { ok: true, scrape: await scrapeMetrics(metricsUrl(member.clientUrl), { tls }) };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

export interface MetricsRound {
  /** Runs a phase between two scrapes of every member. */
  during<T>(phase: string, work: () => Promise<T>): Promise<T>;
  deltas(): MemberMetricsDelta[];
}

export function metricsRound(members: ClusterRunMember[], tlsOf: Map<string, TlsMaterial>, idToName: Map<string, string>): MetricsRound {
  const out: MemberMetricsDelta[] = [];
  const peerNames = Object.fromEntries(idToName);
  const readAll = () => Promise.all(members.map((m) => read(m, tlsOf.get(m.name) ?? {})));
  return {
    async during(phase, work) {
      const before = await readAll();
      try {
        return await work();
      } finally {
        const after = await readAll();
        members.forEach((m, i) => {
          const [b, a] = [before[i]!, after[i]!];
          if (!b.ok || !a.ok) out.push({ member: m.name, phase, window: null, peerNames, error: b.ok ? (a as { error: string }).error : b.error });
          else out.push({ member: m.name, phase, window: memberWindowFigures([b.scrape, a.scrape]), peerNames });
        });
      }
    },
    deltas: () => out,
  };
}
