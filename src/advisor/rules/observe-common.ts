// What the observe rules share: the observation, members named as the operator knows them, the peer pairs with their RTT, and judging each on its own.
import type { Artifacts } from '../../model/artifacts.js';
import type { Check } from '../../model/check.js';
import { checkFields, measuredOf, type Rule, type RuleContext, type RuleOutcome } from '../rule.js';
import type { HistogramFigure, ObservationArtifact, ObservedMember, PeerRttFigure } from '../../model/observation.js';

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

  /** An arrow, so that `names.of` can be handed on as it is (judgeEach's nameOf). */
  readonly of = (member: ObservedMember): string => {
    const name = member.memberId === null ? undefined : this.names.get(member.memberId);
    return name === undefined ? member.endpoint : `${name} (${member.endpoint})`;
  };

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

/** A pair as its checks name it. */
export const pairLabel = (pair: PeerPair): string => pair.label;

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

/** What a check says of one member or pair; id, section and source are the rule's, the title "<rule title>: <name>" unless given. */
export type ItemCheck = Omit<Check, 'id' | 'section' | 'source' | 'title'> & { title?: string };

/**
 * The step the per-member observe rules share: each member (or peer pair) judged on its own, one check or none each,
 * named as the report names it, so that one member's trouble never hides another's figures.
 */
export function judgeEach<T>(
  rule: Pick<Rule, 'id' | 'section' | 'title' | 'source'>,
  items: readonly T[],
  nameOf: (item: T) => string,
  judge: (item: T, name: string) => ItemCheck | null,
): RuleOutcome {
  const checks: Check[] = [];
  for (const item of items) {
    const name = nameOf(item);
    const check = judge(item, name);
    if (check !== null) checks.push({ ...checkFields(rule), title: `${rule.title}: ${name}`, ...check });
  }
  return { checks };
}

/** A histogram that saw observations in the window, so has a p99 to judge. */
export type TimedFigure = HistogramFigure & { p99Ms: number };

export function hasP99(f: HistogramFigure | null): f is TimedFigure {
  return f !== null && f.p99Ms !== null;
}

/**
 * A latency p99 against etcd's guidance (`passMs`) and the etcd alerts' limit (`failMs`): pass under the first, warn
 * up to the second, fail above it, or past the guidance when the histogram only says "at least" (the +Inf bucket).
 */
export function p99Status(f: TimedFigure, passMs: number, failMs: number): 'pass' | 'warn' | 'fail' {
  if (f.p99Ms < passMs) return 'pass';
  return f.p99Ms <= failMs && !f.p99AtLeast ? 'warn' : 'fail';
}

/** "WAL fsync p99 7.69 ms, p50 1.20 ms over 412 fsyncs over 5 s": a histogram's figures as every observe check says them. */
export function histogramWords(what: string, f: TimedFigure, events: string, o: ObservationArtifact): string {
  return `${what} p99 ${ms(f.p99Ms, f.p99AtLeast)}, p50 ${ms(f.p50Ms!)} over ${f.count} ${events} ${windowWords(o)}`;
}
