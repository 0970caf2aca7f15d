// Names what the window's trouble comes from (disk, network, CPU or memory, a member gone, or none) and the member that stands out.
import type { ObservationArtifact, ObservedMember } from '../../model/observation.js';
import { checkFields, type Rule } from '../rule.js';
import { BACKEND_COMMIT_P99_PASS_MS } from './observe-backend-commit.js';
import { FDATASYNC_P99_PASS_MS } from './disk-fdatasync-p99.js';
import { PEER_RTT_P99_WARN_MS } from './network-rtt.js';
import { ms, observed, observing, peerPairs, windowWords, type MemberNames } from './observe-common.js';
import { APPLY_P99_WARN_MS } from './observe-slow-applies.js';

export type RootCause = 'disk' | 'network' | 'cpu-or-memory' | 'member-down' | 'none';

export interface Diagnosis {
  cause: RootCause;
  /** The member that stands out, as the report names it; null when none does. */
  member: string | null;
  /** True when the cause is on every member alike (every disk slow): the advice is for each of them, not for one. */
  everyMember?: boolean;
  /** The slowest peer pair ("m1 → m3"), for a network cause. */
  pair: string | null;
  /** What the cause was read from, one clause each. */
  evidence: string[];
}

type Observed = ObservedMember & { figures: NonNullable<ObservedMember['figures']> };

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The order is the order of blame: a slow disk makes heartbeats late and leaders change too (ETCD-FACTS.md
 * "Heartbeat and election"), so the network is blamed only with the disk fine, and CPU or memory only with both fine.
 */
export function diagnose(o: ObservationArtifact, names: MemberNames): Diagnosis {
  const members = observed(o);
  const fsyncP99 = (m: Observed) => m.figures.walFsync?.p99Ms ?? null;
  const commitP99 = (m: Observed) => m.figures.backendCommit?.p99Ms ?? null;
  const fsyncWords = (m: Observed) =>
    `WAL fsync p99 ${ms(fsyncP99(m)!, m.figures.walFsync!.p99AtLeast)}${commitP99(m) !== null ? `, backend commit p99 ${ms(commitP99(m)!, m.figures.backendCommit!.p99AtLeast)}` : ''} on ${names.of(m)}`;

  const gone = o.members.filter((m) => m.outages.some((out) => out.backAt === null && out.lastSeenAt !== null));
  if (gone.length > 0) {
    const m = gone[0]!;
    const out = m.outages.find((x) => x.backAt === null)!;
    return {
      cause: 'member-down',
      member: names.of(m),
      pair: null,
      evidence: [
        `${names.of(m)} stopped answering after ${out.lastSeenAt} (${out.error})`,
        'leader changes and failed sends to it follow from that, not from the disk or the network of the others',
      ],
    };
  }

  const slowDisk = members.filter((m) => (fsyncP99(m) ?? 0) >= FDATASYNC_P99_PASS_MS || (commitP99(m) ?? 0) >= BACKEND_COMMIT_P99_PASS_MS);
  if (slowDisk.length > 0) {
    const worst = slowDisk.reduce((a, b) => ((fsyncP99(b) ?? 0) + (commitP99(b) ?? 0) > (fsyncP99(a) ?? 0) + (commitP99(a) ?? 0) ? b : a));
    const fine = members.filter((m) => !slowDisk.includes(m) && fsyncP99(m) !== null);
    const everyMember = fine.length === 0 && slowDisk.length > 1;
    const evidence = [`${fsyncWords(worst)}${everyMember ? ' (the slowest)' : ''}`];
    if (fine.length > 0) evidence.push(`the others are fine (${fine.map((m) => `${ms(fsyncP99(m)!)} on ${names.of(m)}`).join(', ')})`);
    else if (everyMember) evidence.push(`every member's disk is slow: shared or throttled storage`);
    return { cause: 'disk', member: names.of(worst), pair: null, evidence, ...(everyMember ? { everyMember } : {}) };
  }

  const pairs = peerPairs(names).filter((p) => p.rtt.p99Ms !== null);
  const slowPairs = pairs.filter((p) => p.rtt.p99Ms! > PEER_RTT_P99_WARN_MS);
  const heartbeat = sum(members.map((m) => m.figures.heartbeatSendFailures ?? 0));
  const sendFails = sum(members.map((m) => m.figures.peerSentFailures ?? 0));
  const leaderChanges = Math.max(0, ...members.map((m) => m.figures.leaderChanges ?? 0));
  if (slowPairs.length > 0 || heartbeat > 0 || sendFails > 0 || leaderChanges > 0) {
    // The member the trouble points at: the peer the slow pairs and the failed sends go to most.
    const blame = new Map<string, number>();
    for (const p of slowPairs) blame.set(p.toId, (blame.get(p.toId) ?? 0) + 1);
    for (const m of members) for (const [to, n] of Object.entries(m.figures.peerSentFailuresTo)) blame.set(to, (blame.get(to) ?? 0) + n);
    const standout = [...blame.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const slowest = pairs[0];
    const evidence: string[] = [];
    if (slowest !== undefined)
      evidence.push(
        `the slowest pair is ${slowest.label} at RTT p99 ${ms(slowest.rtt.p99Ms!, slowest.rtt.p99AtLeast)}${slowPairs.length > 0 ? ` (${slowPairs.length} pair${slowPairs.length === 1 ? '' : 's'} above ${PEER_RTT_P99_WARN_MS} ms)` : ''}`,
      );
    if (leaderChanges > 0) evidence.push(`${leaderChanges} leader change${leaderChanges === 1 ? '' : 's'}`);
    if (heartbeat > 0) evidence.push(`${heartbeat} heartbeat${heartbeat === 1 ? '' : 's'} not sent on time`);
    if (sendFails > 0) evidence.push(`${sendFails} message${sendFails === 1 ? '' : 's'} to peers not sent`);
    const fsyncs = members.filter((m) => fsyncP99(m) !== null).map((m) => fsyncP99(m)!);
    evidence.push(fsyncs.length > 0 ? `WAL fsync is fine on every member (p99 at most ${ms(Math.max(...fsyncs))})` : 'no member made a slow fsync');
    return { cause: 'network', member: standout === undefined ? null : names.ofId(standout), pair: slowest?.label ?? null, evidence };
  }

  const slowApply = members.filter(
    (m) => (m.figures.slowApplies ?? 0) > 0 || (m.figures.slowReadIndexes ?? 0) > 0 || (m.figures.apply?.p99Ms ?? 0) > APPLY_P99_WARN_MS,
  );
  if (slowApply.length > 0) {
    const worst = slowApply.reduce((a, b) =>
      (b.figures.slowApplies ?? 0) + (b.figures.slowReadIndexes ?? 0) > (a.figures.slowApplies ?? 0) + (a.figures.slowReadIndexes ?? 0) ? b : a,
    );
    const f = worst.figures;
    return {
      cause: 'cpu-or-memory',
      member: names.of(worst),
      pair: null,
      evidence: [
        `${names.of(worst)}: ${f.slowApplies ?? 0} slow applies, ${f.slowReadIndexes ?? 0} slow read indexes${f.apply?.p99Ms != null ? `, apply p99 ${ms(f.apply.p99Ms)}` : ''}`,
        'while WAL fsync and peer RTT are fine',
      ],
    };
  }
  return { cause: 'none', member: null, pair: null, evidence: [] };
}

/** The disk advice, for the one member that stands out or for each member when every disk is slow. */
const diskAdvice = (whom: string) =>
  `Give ${whom} a faster, dedicated disk for its data dir (at least --wal-dir on SSD/NVMe), keep other writers off it, and give etcd I/O priority (ionice -c2 -n0 / IOSchedulingClass=best-effort, IOSchedulingPriority=0).`;

const ADVICE: Record<RootCause, string> = {
  disk: diskAdvice('that member'),
  network:
    'Find what delays or drops traffic on that path (a saturated link, a firewall, a VM pausing); until it is fixed, size --heartbeat-interval and --election-timeout from the RTT as advised below, and give peer traffic (port 2380) priority over clients.',
  'cpu-or-memory':
    'That member is short of CPU or memory (or serves expensive requests: large ranges, many watchers): give it dedicated cores and memory, and check its RSS and the client load.',
  'member-down':
    'Bring the member back (check its logs and service), or remove it and add a new one: with a member down the cluster tolerates one fewer failure.',
  none: '',
};

export const observeRootCause: Rule = {
  id: 'observe.root-cause',
  section: 'observe',
  title: 'Root cause',
  source: 'ETCD-FACTS.md Disk, Network, Metrics and alert thresholds, Heartbeat and election (a slow disk delays heartbeats as much as the network)',
  needs: [],
  artifacts: ['observation'],
  evaluate(ctx) {
    const { o, names } = observing(ctx);
    if (observed(o).length === 0) return { checks: [] };
    const d = diagnose(o, names);
    const base = { ...checkFields(this), value: d.cause };
    if (d.cause === 'none')
      return {
        checks: [
          { ...base, status: 'pass', message: `Healthy ${windowWords(o)}: disk, network and apply figures are all within etcd's guidance, no leader change.` },
        ],
      };
    const who = d.everyMember === true ? ' on every member' : d.member !== null ? ` on ${d.member}` : '';
    const pair = d.pair !== null && d.cause === 'network' ? `, slowest pair ${d.pair}` : '';
    return {
      checks: [
        {
          ...base,
          status: 'warn',
          message: `${d.cause === 'cpu-or-memory' ? 'CPU or memory' : d.cause === 'member-down' ? 'A member went away' : d.cause === 'disk' ? 'The disk' : 'The network'}${who}${pair}: ${d.evidence.join('; ')}. ${d.everyMember === true ? diskAdvice('each member') : ADVICE[d.cause]}`,
        },
      ],
    };
  },
};
