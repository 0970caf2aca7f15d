// fio's fdatasync p99 beside etcd's own wal fsync p99 under load, on a recorded cluster run and on copies with one figure changed.
import { describe, expect, it } from 'vitest';
import { advise } from '../../../src/advisor/advise.js';
import { FIO_WAL_AGREEMENT_FACTOR, diskFioVsWal } from '../../../src/advisor/rules/disk-fio-vs-wal.js';
import { CLUSTER_REPORT, clone, clusterArtifactsOf } from '../../cluster/fixture.js';

const evaluate = (artifacts: ReturnType<typeof clusterArtifactsOf>) => advise(artifacts, {}, [diskFioVsWal]).checks;

describe('disk.fio-vs-wal-fsync', () => {
  it('passes every member of the recorded run, where fio and etcd agree within the factor', () => {
    const checks = evaluate(clusterArtifactsOf(CLUSTER_REPORT));
    expect(checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(checks[0]!.message).toMatch(/n1: fio fdatasync p99 [\d.]+ ms, etcd wal_fsync p99 [\d.]+ ms over \d+ fsyncs under load/);
  });

  it('judges only its own member in a node report', () => {
    expect(evaluate(clusterArtifactsOf(CLUSTER_REPORT, 'n2')).map((c) => c.title)).toEqual([`${diskFioVsWal.title}: n2`]);
  });

  it(`warns where etcd's fsyncs were more than ${FIO_WAL_AGREEMENT_FACTOR}x slower than fio said`, () => {
    const r = clone();
    const n3 = r.cluster.rounds[0]!.metrics.find((m) => m.member === 'n3' && m.phase === 'load')!;
    const fio = r.cluster.disks.find((d) => d.member === 'n3')!.disk;
    if (!fio.ok) throw new Error('fixture: n3 has a disk result');
    n3.window!.walFsync!.p99Ms = (fio.data.fio.syncUs!.p99! / 1000) * (FIO_WAL_AGREEMENT_FACTOR + 1);
    const checks = evaluate(clusterArtifactsOf(r));
    expect(checks.map((c) => c.status)).toEqual(['pass', 'pass', 'warn']);
    expect(checks[2]!.message).toMatch(/n3: .* slower than fio predicted/);
  });

  it('says the prediction stays unchecked where /metrics could not be read', () => {
    const r = clone();
    const n1 = r.cluster.rounds[0]!.metrics.find((m) => m.member === 'n1' && m.phase === 'load')!;
    n1.window = null;
    n1.error = 'https://127.0.0.21:24379/metrics: connection refused';
    const checks = evaluate(clusterArtifactsOf(r));
    expect(checks[0]!.status).toBe('info');
    expect(checks[0]!.message).toContain('connection refused');
  });
});
