// Cluster reports (run --cluster) beside node reports in `compare`: one summary per temporary cluster, read with the cluster report's own figures.
import { roundSummary, CLUSTER_REPORT_KIND, type ClusterReport } from '../cluster/report.js';
import type { Verdict } from '../model/check.js';
import { checkClusterReport } from '../model/cluster-report-schema.js';
import { UsageError } from '../model/errors.js';
import { readInputFile } from '../util/input-file.js';

export interface ClusterSummary {
  source: string;
  runId: string;
  members: string[];
  driver: string;
  verdict: Verdict;
  security: string;
  slowestPair: string;
  /** Per load round: defaults, and recommended with --validate. */
  rounds: { flags: string; heartbeatMs: number; electionMs: number; leaderChanges: number; heartbeatFailures: number; loadP99Ms: number | null }[];
  /** The one flag set: heartbeat-interval and election-timeout. */
  heartbeatMs: number | string | null;
  electionMs: number | string | null;
}

/** Whether a parsed JSON document is a cluster report rather than a node report. */
export function isClusterReport(doc: unknown): doc is ClusterReport {
  return typeof doc === 'object' && doc !== null && (doc as { kind?: unknown }).kind === CLUSTER_REPORT_KIND;
}

export async function readClusterSummary(path: string): Promise<ClusterSummary> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readInputFile(path, { flag: '', holding: 'a cluster-report.json', kind: 'report' }));
  } catch (err) {
    throw new UsageError(`${path}: not a readable cluster report (${(err as Error).message})`);
  }
  if (!isClusterReport(doc)) throw new UsageError(`${path}: not an etcd-advisor cluster report (kind ${CLUSTER_REPORT_KIND})`);
  checkClusterReport(doc, path);
  const c = doc.cluster;
  const flag = (name: string) => doc.advice.flags.find((f) => f.flag === name)?.value ?? null;
  return {
    source: path,
    runId: doc.run.id,
    members: c.members.map((m) => m.name),
    driver: c.driver,
    verdict: doc.verdict,
    security: c.security,
    slowestPair: c.slowestPair === null ? '-' : `${c.slowestPair.from}->${c.slowestPair.to} ${c.slowestPair.p99Ms.toFixed(2)} ms (${c.slowestPair.method})`,
    rounds: c.rounds.map(roundSummary).map(({ errors: _errors, ...r }) => r),
    heartbeatMs: flag('heartbeat-interval'),
    electionMs: flag('election-timeout'),
  };
}
