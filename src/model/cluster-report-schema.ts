// The schema of cluster-report.json (zod), beside report.json's: what `compare` checks, version first, before it reads a cluster run's figures.
import { z } from 'zod';
import { UsageError } from './errors.js';
import { firstIssue, pathText } from '../util/schema.js';
import { advice, check, disk, load, metricsDelta, network, num, phase, probe, runInfo, str } from './report-schema.js';

/** cluster/report.ts writes it; a reader of another version says so in one line instead of misreading the figures. */
export const CLUSTER_SCHEMA_VERSION = 1;

const round = z
  .object({
    flags: z.enum(['defaults', 'recommended']),
    heartbeatMs: num,
    electionMs: num,
    load: probe(load),
    writesVia: z.array(z.object({ member: str, phase: phase.nullable(), error: str.optional() }).passthrough()),
    metrics: z.array(metricsDelta),
  })
  .passthrough();

const meshLink = z
  .object({ from: str, to: str, method: z.enum(['icmp', 'tcp', 'http']), target: str, p50Ms: num.nullable(), p99Ms: num.nullable(), error: str.optional() })
  .passthrough();

const clusterRun = z
  .object({
    token: str,
    prefix: str,
    driver: str,
    security: z.enum(['mutual-tls', 'auto-tls']),
    members: z.array(z.object({ name: str, hostname: str, address: str, clientUrl: str, peerUrl: str, etcdVersion: str }).passthrough()).min(1),
    mesh: z.array(meshLink),
    networks: z.array(z.object({ member: str, network: probe(network) }).passthrough()),
    slowestPair: z
      .object({ from: str, to: str, method: z.enum(['icmp', 'tcp', 'http']), p99Ms: num })
      .passthrough()
      .nullable(),
    disks: z.array(z.object({ member: str, disk: probe(disk) }).passthrough()),
    rounds: z.array(round),
    notes: z.array(str),
  })
  .passthrough();

export const CLUSTER_REPORT_SCHEMA = z
  .object({
    schemaVersion: z.literal(CLUSTER_SCHEMA_VERSION),
    kind: z.literal('etcd-advisor-cluster-report'),
    tool: z.object({ name: z.literal('etcd-advisor'), version: str }).passthrough(),
    generatedAt: str,
    run: runInfo,
    cluster: clusterRun,
    checks: z.array(check),
    advice,
    verdict: z.enum(['qualified', 'not-qualified', 'incomplete']),
  })
  .passthrough();

/** A parsed cluster-report.json checked against the schema, version first; `source` names the file in the one error line. */
export function checkClusterReport(doc: unknown, source: string): z.infer<typeof CLUSTER_REPORT_SCHEMA> {
  const version = typeof doc === 'object' && doc !== null ? (doc as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== CLUSTER_SCHEMA_VERSION)
    throw new UsageError(
      `${source}: schemaVersion ${JSON.stringify(version) ?? 'missing'} is not one this etcd-advisor reads (it reads cluster reports of ${CLUSTER_SCHEMA_VERSION})`,
    );
  const parsed = CLUSTER_REPORT_SCHEMA.safeParse(doc);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    throw new UsageError(`${source}: not a valid etcd-advisor cluster report: ${pathText(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}
