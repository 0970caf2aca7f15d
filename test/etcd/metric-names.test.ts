// The per-release metric names against what real etcd 3.4.23, 3.5.16 and 3.5.30 export on /metrics (live and recorded).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedEtcd } from '../../src/etcd/embedded.js';
import { findMetricName, metricName, metricNames, METRICS, type MetricKey, type MetricName } from '../../src/etcd/metric-names.js';
import { describeEtcd, ETCD_MATRIX_WIDE } from '../support/etcd-versions.js';

/** Metric names (histograms by their base name) on a /metrics page. */
function namesOn(text: string): Set<string> {
  return new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*?)(?:_bucket|_sum|_count)?(?:\{[^}]*\})?\s/gm)].map((m) => m[1]!));
}

/** A single member without --metrics=extensive exports what needs neither peers nor that flag, from its `since` on. */
function exportedAlone(key: MetricKey, minor: string): boolean {
  const m: MetricName = METRICS[key];
  return m.needs === undefined && (m.since === undefined || minor >= m.since);
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describeEtcd(
  'metric names',
  (release) => {
    it('every name the table gives this release is on its /metrics, and the recorded page matches', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ea-metrics-'));
      dirs.push(dir);
      const etcd = await startEmbeddedEtcd({ parentDir: dir, etcdBinary: release.binary });
      try {
        const live = namesOn(await (await fetch(`${etcd.clientUrl}/metrics`)).text());
        const recorded = namesOn(readFileSync(`test/fixtures/metrics/etcd-${release.version}-idle.txt`, 'utf8'));
        for (const names of [live, recorded]) {
          for (const key of Object.keys(METRICS) as MetricKey[]) {
            if (!exportedAlone(key, release.minor)) continue;
            expect(names.has(metricName(key, release.version)), `${key}: ${metricName(key, release.version)}`).toBe(true);
          }
        }
        const debugging = 'etcd_debugging_mvcc_db_total_size_in_bytes';
        // 3.4.23 exports the debugging name beside the new one; 3.5 only the new one.
        expect(live.has(debugging)).toBe(release.minor === '3.4');
        expect(findMetricName('dbTotalSizeBytes', (n) => live.has(n), release.version)).toBe('etcd_mvcc_db_total_size_in_bytes');
      } finally {
        await etcd.stop();
      }
    });
  },
  ETCD_MATRIX_WIDE,
);

describe('metricNames', () => {
  it("lists the version's name first, then the older names", () => {
    expect(metricNames('dbTotalSizeBytes', '3.5.30')).toEqual(['etcd_mvcc_db_total_size_in_bytes', 'etcd_debugging_mvcc_db_total_size_in_bytes']);
    expect(metricName('walFsyncSeconds', '3.7.0')).toBe('etcd_disk_wal_fsync_duration_seconds');
  });

  it('finds the debugging name on an exporter that has only it (etcd before 3.4)', () => {
    const only = new Set(['etcd_debugging_mvcc_db_total_size_in_bytes']);
    expect(findMetricName('dbTotalSizeBytes', (n) => only.has(n))).toBe('etcd_debugging_mvcc_db_total_size_in_bytes');
    expect(findMetricName('quotaBackendBytes', (n) => only.has(n))).toBeNull();
  });
});
