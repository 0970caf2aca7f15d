// Every member's /metrics around each phase of a load round, turned into the deltas the cluster report shows (the parsing and quantiles are src/metrics').
import type { TlsMaterial } from '../etcd/client.js';
import type { ClusterRunMember, MemberMetricsDelta } from '../model/cluster-run.js';
import { httpGet } from './http.js';

/** One member's /metrics text at one moment, or why it could not be read. */
type Scrape = { ok: true; text: string } | { ok: false; error: string };

async function scrape(member: ClusterRunMember, tls: TlsMaterial): Promise<Scrape> {
  const r = await httpGet(`${member.clientUrl}/metrics`, tls, 5_000);
  if (r === null) return { ok: false, error: `${member.clientUrl}/metrics did not answer` };
  if (r.status !== 200) return { ok: false, error: `${member.clientUrl}/metrics answered HTTP ${r.status}` };
  return { ok: true, text: r.body };
}

export interface MetricsRound {
  /** Runs a phase between two scrapes of every member. */
  during<T>(phase: string, work: () => Promise<T>): Promise<T>;
  deltas(): Promise<MemberMetricsDelta[]>;
}

export function metricsRound(members: ClusterRunMember[], tlsOf: Map<string, TlsMaterial>, idToName: Map<string, string>): MetricsRound {
  const phases: { phase: string; before: Scrape[]; after: Scrape[] }[] = [];
  const scrapeAll = () => Promise.all(members.map((m) => scrape(m, tlsOf.get(m.name) ?? {})));
  return {
    async during(phase, work) {
      const before = await scrapeAll();
      try {
        return await work();
      } finally {
        phases.push({ phase, before, after: await scrapeAll() });
      }
    },
    async deltas() {
      const out: MemberMetricsDelta[] = [];
      for (const p of phases) members.forEach((m, i) => out.push(deltaOf(m.name, p.phase, p.before[i]!, p.after[i]!, idToName)));
      return out;
    },
  };
}

function deltaOf(member: string, phase: string, before: Scrape, after: Scrape, idToName: Map<string, string>): MemberMetricsDelta {
  const empty: MemberMetricsDelta = { member, phase, walFsyncP99Ms: null, walFsyncCount: 0, backendCommitP99Ms: null, peerRttP99Ms: {}, leaderChanges: 0, heartbeatFailures: 0, slowApplies: 0, proposalsFailed: 0 };
  if (!before.ok) return { ...empty, error: before.error };
  if (!after.ok) return { ...empty, error: after.error };
  void idToName;
  return { ...empty, error: 'metrics deltas: waiting for src/metrics' };
}
