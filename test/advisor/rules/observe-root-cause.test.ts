// The root-cause rule and the observe rules' judgements on observations built by hand, one cause at a time.
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import { worstSpan } from '../../../src/advisor/rules/observe-leader-changes.js';
import type { Artifacts } from '../../../src/model/artifacts.js';
import type { HistogramFigure, MemberWindowFigures, ObservationArtifact, ObservedMember } from '../../../src/model/observation.js';
import { probeError, probeOk } from '../../../src/model/probe.js';

const h = (p99Ms: number | null, count = 100): HistogramFigure => ({
  count: p99Ms === null ? 0 : count,
  meanMs: p99Ms,
  p50Ms: p99Ms === null ? null : p99Ms / 2,
  p99Ms,
  p999Ms: p99Ms,
  p99AtLeast: false,
});

function figures(over: Partial<MemberWindowFigures> = {}): MemberWindowFigures {
  return {
    seconds: 60,
    walFsync: h(2),
    backendCommit: h(5),
    apply: null,
    requests: null,
    peerRtt: [],
    leaderChanges: 0,
    heartbeatSendFailures: 0,
    proposalsCommitted: 100,
    proposalsFailed: 0,
    slowApplies: 0,
    slowReadIndexes: 0,
    peerSentFailures: 0,
    peerSentFailuresTo: {},
    ...over,
  };
}

const IDS = ['aaaa', 'bbbb', 'cccc'];

function member(i: number, over: Partial<MemberWindowFigures> = {}, extra: Partial<ObservedMember> = {}): ObservedMember {
  const peers = IDS.filter((_, j) => j !== i).map((toId) => ({ toId, ...h(1, 4) }));
  const gauges = {
    proposalsPending: 0,
    dbSizeBytes: 1e6,
    dbSizeInUseBytes: 9e5,
    quotaBytes: 2 ** 31,
    residentMemoryBytes: 5e7,
    openFds: 40,
    maxFds: 1000,
    isLeader: i === 0,
    hasLeader: true,
  };
  return {
    endpoint: `http://10.0.0.${i + 1}:2379`,
    metricsUrl: `http://10.0.0.${i + 1}:2379/metrics`,
    memberId: IDS[i]!,
    version: '3.5.30',
    scrapes: 7,
    failedScrapes: 0,
    figures: figures({ peerRtt: peers, ...over }),
    first: gauges,
    last: gauges,
    firstAt: '2026-12-01T10:00:00.000Z',
    lastAt: '2026-12-01T10:01:00.000Z',
    series: [],
    outages: [],
    ...extra,
  };
}

function observe(members: ObservedMember[]): Artifacts {
  const o: ObservationArtifact = {
    startedAt: '2026-12-01T10:00:00.000Z',
    endedAt: '2026-12-01T10:01:00.000Z',
    requestedSec: 60,
    durationSec: 60,
    intervalSec: 10,
    members,
    quantileMethod: 'test',
  };
  return { host: probeError('not read'), observation: probeOk(o) };
}

const rootCause = (a: Artifacts) => advise(a).checks.find((c) => c.id === 'observe.root-cause')!;

describe('observe.root-cause', () => {
  it("is none when every figure is within etcd's guidance", () => {
    expect(rootCause(observe([member(0), member(1), member(2)]))).toMatchObject({ status: 'pass', value: 'none' });
  });

  it('blames the disk of the one member whose fsync and commit stand out, ahead of the leader changes they cause', () => {
    const c = rootCause(observe([member(0, { leaderChanges: 2, heartbeatSendFailures: 5 }), member(1, { walFsync: h(45), backendCommit: h(80) }), member(2)]));
    expect(c.value).toBe('disk');
    expect(c.message).toContain('The disk on http://10.0.0.2:2379');
    expect(c.message).toContain('the others are fine');
  });

  it("says so when every member's disk is slow", () => {
    const c = rootCause(observe([member(0, { walFsync: h(30) }), member(1, { walFsync: h(25) }), member(2, { walFsync: h(40) })]));
    expect(c.value).toBe('disk');
    expect(c.message).toContain("every member's disk is slow");
    expect(c.message).toContain('http://10.0.0.3:2379');
    // The cause is on every member, the slowest named as such, and the advice is for each of them.
    expect(c.message).toMatch(/^The disk on every member: WAL fsync p99 40 ms.* on http:\/\/10\.0\.0\.3:2379 \(the slowest\)/);
    expect(c.message).toContain('Give each member a faster, dedicated disk');
  });

  it('blames the network with the fsync fine, naming the peer the slow pairs and failed sends point at', () => {
    const slowTo = (i: number) =>
      member(i, {
        peerRtt: [
          { toId: 'cccc', ...h(400, 4) },
          { toId: IDS[1 - i]!, ...h(1, 4) },
        ],
        peerSentFailures: 7,
        peerSentFailuresTo: { cccc: 7 },
      });
    const c = rootCause(observe([slowTo(0), slowTo(1), member(2)]));
    expect(c.value).toBe('network');
    expect(c.message).toContain('The network on http://10.0.0.3:2379');
    expect(c.message).toMatch(/slowest pair 10\.0\.0\.[12]:2379 → 10\.0\.0\.3:2379/);
    expect(c.message).toContain('14 messages to peers not sent');
  });

  it('blames CPU or memory when applies are slow with fsync and RTT fine', () => {
    const c = rootCause(observe([member(0), member(1, { slowApplies: 12, apply: h(180) }), member(2)]));
    expect(c.value).toBe('cpu-or-memory');
    expect(c.message).toContain('http://10.0.0.2:2379');
  });

  it('puts a member that went away first: the rest follows from it', () => {
    const gone = member(
      2,
      { leaderChanges: 1 },
      { outages: [{ lastSeenAt: '2026-12-01T10:00:30.000Z', from: '2026-12-01T10:00:40.000Z', backAt: null, error: 'connection refused' }] },
    );
    const result = advise(observe([member(0, { peerSentFailures: 30, peerSentFailuresTo: { cccc: 30 } }), member(1), gone]));
    expect(result.checks.find((c) => c.id === 'observe.root-cause')).toMatchObject({ value: 'member-down' });
    const down = result.checks.find((c) => c.id === 'observe.members' && c.title.includes('10.0.0.3'))!;
    expect(down.status).toBe('fail');
    expect(down.message).toContain('stopped answering after 10:00:30Z (first missed scrape 10:00:40Z) and did not come back');
  });
});

describe('observe.leader-changes', () => {
  const withSeries = (points: [number, number][]) =>
    member(
      0,
      { leaderChanges: points[points.length - 1]![1] },
      {
        series: points.map(([tSec, leaderChanges]) => ({
          tSec,
          leaderChanges,
          walFsyncP99Ms: 1,
          backendCommitP99Ms: 1,
          peerRttP99Ms: {},
          heartbeatSendFailures: 0,
          dbSizeBytes: 1,
        })),
      },
    );

  it('fails at 4 changes within 15 minutes, as the etcd mixin alerts', () => {
    const a = observe([
      withSeries([
        [60, 1],
        [120, 2],
        [180, 4],
      ]),
    ]);
    expect(advise(a).checks.find((c) => c.id === 'observe.leader-changes')).toMatchObject({ status: 'fail', value: 4 });
  });

  it('only warns when the changes are spread wider than 15 minutes', () => {
    const m = withSeries([
      [60, 1],
      [1000, 2],
      [2000, 3],
      [3000, 4],
    ]);
    expect(worstSpan(m)).toBe(1);
    expect(advise(observe([m])).checks.find((c) => c.id === 'observe.leader-changes')).toMatchObject({ status: 'warn', value: 4 });
  });
});

describe('live figures as advisor inputs', () => {
  it("sizes the election timeout from the worst pair's RTT p99 and the quota from the db size plus its growth", () => {
    const grown = member(
      0,
      { peerRtt: [{ toId: 'bbbb', ...h(120, 4) }] },
      { first: { ...member(0).first!, dbSizeBytes: 1.2e9 }, last: { ...member(0).last!, dbSizeBytes: 1.5e9 } },
    );
    const { advice, inputs } = advise(observe([grown, member(1), member(2)]));
    expect(inputs.rttP99Ms).toMatchObject({ value: 120 });
    expect(inputs.dbSizeBytes).toMatchObject({ value: 1.8e9 });
    expect(inputs.members).toMatchObject({ value: 3 });
    expect(inputs.memoryBytes).toMatchObject({ error: false });
    expect(Number(advice.flags.find((f) => f.flag === 'election-timeout')!.value)).toBeGreaterThanOrEqual(1200);
    expect(Number(advice.flags.find((f) => f.flag === 'quota-backend-bytes')!.value)).toBe(4 * 2 ** 30);
  });
});
