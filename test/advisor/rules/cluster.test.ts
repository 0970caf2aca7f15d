// The cluster rules on readings recorded from a real cluster (test/fixtures/etcdctl), with one field changed per case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import { CLUSTER_RULES } from '../../../src/advisor/rules/cluster-index.js';
import type { ClusterArtifact, MemberStatus } from '../../../src/model/artifacts.js';
import type { Check } from '../../../src/model/check.js';
import { probeError, probeOk } from '../../../src/model/probe.js';
import { alarmsFromStatus, parseEndpointStatusJson, parseMemberListJson } from '../../../src/parsers/etcdctl.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'etcdctl', name), 'utf8');
const MiB = 2 ** 20;

function cluster(
  statusFile = 'endpoint-status-healthy.json',
  membersFile = 'member-list.json',
  edit: (s: MemberStatus, i: number) => void = () => {},
): ClusterArtifact {
  const endpoints = parseEndpointStatusJson(fixture(statusFile));
  endpoints.forEach((e, i) => edit(e.status!, i));
  return {
    source: 'etcdctl-json',
    readAt: '2026-11-24T00:00:00Z',
    endpoints,
    members: parseMemberListJson(fixture(membersFile)),
    alarms: alarmsFromStatus(endpoints),
  };
}

function judge(c: ClusterArtifact): Check[] {
  return advise({ host: probeError('not read'), cluster: probeOk(c) }, {}, CLUSTER_RULES).checks;
}

const status = (checks: Check[], id: string) => checks.filter((c) => c.id === id).map((c) => c.status);

describe('cluster rules', () => {
  it('pass a healthy cluster, and run inside the default rule set (so `run --endpoints` reports them)', () => {
    const checks = judge(cluster());
    expect(checks.filter((c) => c.status !== 'pass' && c.status !== 'info')).toEqual([]);
    const all = advise({ host: probeError('not read'), cluster: probeOk(cluster()) }).checks.filter((c) => c.section === 'cluster');
    expect(all.map((c) => c.id)).toEqual(checks.map((c) => c.id));
  });

  it('fail when members name different leaders or belong to different clusters', () => {
    const leaders = judge(
      cluster(undefined, undefined, (s, i) => {
        if (i === 0) s.leaderId = s.memberId;
      }),
    );
    expect(status(leaders, 'cluster.agreement')).toEqual(['fail']);
    expect(leaders.find((c) => c.id === 'cluster.agreement')!.message).toMatch(/disagree on the leader/);
    const clusters = judge(
      cluster(undefined, undefined, (s, i) => {
        if (i === 2) s.clusterId = '42';
      }),
    );
    expect(clusters.find((c) => c.id === 'cluster.agreement')!.message).toMatch(/different clusters/);
    const noLeader = judge(
      cluster(undefined, undefined, (s) => {
        s.leaderId = '0';
      }),
    );
    expect(noLeader.find((c) => c.id === 'cluster.agreement')!.message).toMatch(/no leader/);
  });

  it('warn near the quota and fail at the etcd-mixin 95% line', () => {
    const near = judge(
      cluster(undefined, undefined, (s, i) => {
        s.quotaBytes = 100 * MiB;
        s.dbSizeBytes = (i === 0 ? 85 : i === 1 ? 96 : 10) * MiB;
        s.dbSizeInUseBytes = s.dbSizeBytes;
      }),
    );
    expect(near.filter((c) => c.id === 'cluster.db-size' && c.title.includes('127.0.0.1')).map((c) => c.status)).toEqual(['warn', 'fail', 'pass']);
  });

  it('warn on a wide db size spread', () => {
    const spread = judge(
      cluster(undefined, undefined, (s, i) => {
        s.dbSizeBytes = i === 1 ? 290 * MiB : 200 * MiB;
        s.dbSizeInUseBytes = 190 * MiB;
      }),
    );
    expect(spread.find((c) => c.title.endsWith('spread'))!.status).toBe('pass');
    const wide = judge(
      cluster(undefined, undefined, (s, i) => {
        s.dbSizeBytes = i === 1 ? 400 * MiB : 150 * MiB;
        s.dbSizeInUseBytes = 140 * MiB;
      }),
    );
    expect(wide.find((c) => c.title.endsWith('spread'))!.status).toBe('warn');
  });

  it('lists fragmented members for a defrag, the leader last', () => {
    // In the fixture m3 (:23820, d563af5697f73084) leads.
    const frag = judge(
      cluster(undefined, undefined, (s) => {
        s.dbSizeBytes = 500 * MiB;
        s.dbSizeInUseBytes = 120 * MiB;
      }),
    );
    const check = frag.find((c) => c.id === 'cluster.fragmentation')!;
    expect(check.status).toBe('warn');
    const order = [...check.message.matchAll(/etcdctl --endpoints=(\S+) defrag/g)].map((m) => m[1]);
    expect(order).toEqual(['http://127.0.0.1:23800', 'http://127.0.0.1:23810', 'http://127.0.0.1:23820']);
    const small = judge(
      cluster(undefined, undefined, (s) => {
        s.dbSizeBytes = 90 * MiB;
        s.dbSizeInUseBytes = 10 * MiB;
      }),
    );
    expect(status(small, 'cluster.fragmentation')).toEqual(['pass']);
  });

  it('warn and fail on applied index lag (etcd refuses requests beyond 5000)', () => {
    const lag = judge(
      cluster(undefined, undefined, (s, i) => {
        s.raftIndex = 20_000;
        s.raftAppliedIndex = i === 0 ? 20_000 - 2_000 : i === 1 ? 20_000 - 6_000 : 20_000;
      }),
    );
    expect(status(lag, 'cluster.applied-lag')).toEqual(['warn', 'fail']);
    const behind = judge(
      cluster(undefined, undefined, (s, i) => {
        s.raftIndex = i === 0 ? 10_000 : 12_500;
        s.raftAppliedIndex = s.raftIndex;
      }),
    );
    expect(behind.find((c) => c.id === 'cluster.applied-lag')!.message).toMatch(/2500 entries behind/);
  });

  it('name the learner and the member that never started', () => {
    const checks = judge(cluster(undefined, 'member-list-learner.json'));
    const members = checks.filter((c) => c.id === 'cluster.members');
    expect(members.map((c) => c.status).sort()).toEqual(['info', 'pass', 'warn']);
    expect(members.find((c) => c.status === 'info')!.message).toContain('etcdctl member promote 22cc17d620401760');
  });

  it('fail with one member of three down: the cluster can lose no further member (status exits 1)', () => {
    const checks = judge(cluster('endpoint-status-one-down.json'));
    const tolerance = checks.filter((c) => c.id === 'cluster.fault-tolerance');
    expect(tolerance.map((c) => c.status)).toEqual(['fail']);
    expect(tolerance[0]!.message).toMatch(/1 of 3 voting members did not answer and quorum is 2: the cluster can lose no further member/);
    expect(status(judge(cluster()), 'cluster.fault-tolerance')).toEqual(['pass']);
  });

  it('say error, once, when the cluster could not be read', () => {
    const checks = advise({ host: probeError('not read'), cluster: probeError('connection refused', 'unreachable') }, {}, CLUSTER_RULES).checks;
    expect(checks.map((c) => [c.id, c.status])).toEqual([['cluster.members', 'error']]);
  });

  it("judge the members' releases: one passes, patch releases or one minor apart warn, two minors apart fail", () => {
    const versions = (vs: string[]) =>
      byVersions(
        judge(
          cluster(undefined, undefined, (s, i) => {
            s.version = vs[i]!;
          }),
        ),
      );
    const byVersions = (checks: Check[]) => checks.find((c) => c.id === 'cluster.versions')!;
    expect(versions(['3.5.30', '3.5.30', '3.5.30'])).toMatchObject({ status: 'pass', message: 'All 3 answering members run etcd 3.5.30.' });
    expect(versions(['3.5.16', '3.5.30', '3.5.30'])).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('different 3.5 patch releases (3.5.16 on http://127.0.0.1:23800; 3.5.30 on'),
    });
    expect(versions(['3.4.23', '3.5.30', '3.5.30']).status).toBe('warn');
    expect(versions(['3.4.23', '3.6.4', '3.6.4'])).toMatchObject({ status: 'fail', message: expect.stringContaining('more than one minor apart') });
  });
});
