// Leader changes and heartbeat failures of each load round, on a recorded --validate run and on copies with the counters changed.
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import { clusterRunLeader } from '../../../src/advisor/rules/cluster-run-leader.js';
import { CLUSTER_REPORT, clone, clusterArtifactsOf } from '../../cluster/fixture.js';

const evaluate = (r: typeof CLUSTER_REPORT) => advise(clusterArtifactsOf(r), {}, [clusterRunLeader]).checks;

function setLeaderChanges(r: typeof CLUSTER_REPORT, round: number, changes: number): void {
  for (const m of r.cluster.rounds[round]!.metrics) if (m.phase === 'load') m.window!.leaderChanges = changes;
}

describe('cluster.run-leader-changes', () => {
  it('passes both rounds of the recorded run: no leader change', () => {
    const checks = evaluate(CLUSTER_REPORT);
    expect(checks.map((c) => [c.title, c.status])).toEqual([
      [`${clusterRunLeader.title}: defaults flags`, expect.stringMatching(/pass|warn/)],
      [`${clusterRunLeader.title}: recommended flags`, expect.stringMatching(/pass|warn/)],
    ]);
  });

  it('warns on leader changes with the defaults when the recommended round held, and counts them once', () => {
    const r = clone();
    setLeaderChanges(r, 0, 2);
    const [defaults, recommended] = evaluate(r);
    expect(defaults!.status).toBe('warn');
    expect(defaults!.value).toBe(2);
    expect(defaults!.message).toMatch(/leader changed 2 times/);
    expect(recommended!.status).not.toBe('fail');
  });

  it('fails on leader changes with the defaults when nothing validated the advice', () => {
    const r = clone();
    r.cluster.rounds.pop();
    setLeaderChanges(r, 0, 1);
    const checks = evaluate(r);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.status).toBe('fail');
    expect(checks[0]!.message).toContain('--validate');
  });

  it('fails when even the recommended flags changed leader', () => {
    const r = clone();
    setLeaderChanges(r, 1, 1);
    expect(evaluate(r)[1]!.status).toBe('fail');
  });
});
