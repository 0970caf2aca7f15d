// The recorded cluster report (test/fixtures/cluster) as typed data, and copies of it with one figure changed.
import { readFileSync } from 'node:fs';
import type { ClusterReport } from '../../src/cluster/report.js';
import type { Artifacts } from '../../src/model/artifacts.js';
import { probeOk } from '../../src/model/probe.js';

export const CLUSTER_REPORT: ClusterReport = JSON.parse(
  readFileSync(new URL('../fixtures/cluster/cluster-report-quick-validate.json', import.meta.url), 'utf8'),
) as ClusterReport;

export function clone(): ClusterReport {
  return structuredClone(CLUSTER_REPORT);
}

/** The artifacts the cluster's advice is drawn from, as run --cluster's driver builds them (the whole cluster, no self). */
export function clusterArtifactsOf(r: ClusterReport, self?: string): Artifacts {
  return {
    host: probeOk({
      hostname: 'vm',
      platform: 'linux',
      arch: 'x64',
      kernel: '6',
      cpuModel: 'x',
      cpus: 2,
      memoryBytes: 2 ** 34,
      nodeVersion: 'v20',
      etcdVersion: '3.4.23',
      fioVersion: 'fio-3.33',
    }),
    clusterRun: probeOk({ ...r.cluster, self }),
  };
}
