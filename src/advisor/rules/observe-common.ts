// What the observe rules share: the observation, members named as the operator knows them, and the peer pairs with their RTT.
import type { Artifacts } from '../../model/artifacts.js';
import { measuredOf, type RuleContext } from '../rule.js';
import type { ObservationArtifact, ObservedMember, PeerRttFigure } from '../../model/observation.js';

/** What every observe rule starts from: the observation (declared in its artifacts) and the names of its members. */
export function observing(ctx: Pick<RuleContext, 'artifacts' | 'measured'>): { o: ObservationArtifact; names: MemberNames } {
  const o = measuredOf(ctx, 'observation');
  return { o, names: new MemberNames(ctx.artifacts, o) };
}

/** Member names by hex id, from the member list when the cluster was read too. */
function namesById(artifacts: Artifacts): Map<string, string> {
  const members = artifacts.cluster?.ok ? (artifacts.cluster.data.members ?? []) : [];
  return new Map(members.filter((m) => m.name !== '').map((m) => [m.idHex, m.name]));
}

/** Names members for every sentence: "m1 (http://10.0.0.1:2379)", or the endpoint alone when no name is known. */
export class MemberNames {
  private readonly names: Map<string, string>;
  private readonly byId: Map<string, ObservedMember>;

  constructor(
    artifacts: Artifacts,
    private readonly observation: ObservationArtifact,
  ) {
    this.names = namesById(artifacts);
    this.byId = new Map(observation.members.filter((m) => m.memberId !== null).map((m) => [m.memberId!, m]));
  }

  of(member: ObservedMember): string {
    const name = member.memberId === null ? undefined : this.names.get(member.memberId);
    return name === undefined ? member.endpoint : `${name} (${member.endpoint})`;
  }

  /** A peer known only by the id in a `To` label: its name or endpoint when it was observed too, else the id. */
  ofId(id: string): string {
    const m = this.byId.get(id);
    if (m !== undefined) return this.of(m);
    return this.names.get(id) ?? `member ${id}`;
  }

  /** Short form for pairs: the name, else the host:port, else the id. */
  short(id: string | null, fallback: string): string {
    if (id !== null && this.names.has(id)) return this.names.get(id)!;
    const m = id === null ? undefined : this.byId.get(id);
    try {
      return new URL(m?.endpoint ?? fallback).host;
    } catch {
      return id ?? fallback;
    }
  }

  member(id: string): ObservedMember | undefined {
    return this.byId.get(id);
  }

  get all(): readonly ObservedMember[] {
    return this.observation.members;
  }
}

/** One direction of one peer link as the sending member's prober measured it. */
export interface PeerPair {
  from: ObservedMember;
  toId: string;
  rtt: PeerRttFigure;
  label: string;
}

/** Every measured pair, the slowest p99 first. */
export function peerPairs(names: MemberNames): PeerPair[] {
  const pairs: PeerPair[] = [];
  for (const m of names.all) {
    for (const rtt of m.figures?.peerRtt ?? []) {
      pairs.push({ from: m, toId: rtt.toId, rtt, label: `${names.short(m.memberId, m.endpoint)} → ${names.short(rtt.toId, rtt.toId)}` });
    }
  }
  return pairs.sort((a, b) => (b.rtt.p99Ms ?? -1) - (a.rtt.p99Ms ?? -1));
}

/** Members with figures (two good scrapes or more). */
export function observed(observation: ObservationArtifact): (ObservedMember & { figures: NonNullable<ObservedMember['figures']> })[] {
  return observation.members.filter((m): m is ObservedMember & { figures: NonNullable<ObservedMember['figures']> } => m.figures !== null);
}

export function ms(v: number, atLeast = false): string {
  return `${atLeast ? '>= ' : ''}${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`;
}

export function windowWords(o: ObservationArtifact): string {
  return `over ${o.durationSec.toFixed(0)} s`;
}
