// `run --cluster` as one library call: this node's part of the temporary cluster, its node report with the cluster section, and (on the driver) the cluster report.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { advise } from '../advisor/advise.js';
import { resolveEtcdBinary } from '../etcd/binary.js';
import type { Artifacts } from '../model/artifacts.js';
import { verdictOf } from '../model/check.js';
import { UsageError } from '../model/errors.js';
import { probeError, probeOk } from '../model/probe.js';
import type { RunInfo } from '../model/report.js';
import { unitOptionsFor, writeReport } from '../report/write.js';
import { assembleReport, type RunOutcome } from '../run.js';
import { exitCodeFor } from '../model/check.js';
import type { LoadScenario } from '../probes/load.js';
import type { Progress } from '../util/progress.js';
import { TOOL_VERSION } from '../version.js';
import { memberFiles, productionMember } from './files.js';
import type { ClusterSecurity, ClusterTlsFiles } from './member.js';
import { clusterRunId, planCluster, type ClusterPlan } from './plan.js';
import { CLUSTER_REPORT_KIND, renderClusterCsv, renderClusterHtml, renderClusterJson, renderClusterMarkdown, type ClusterReport } from './report.js';
import { clusterAdvice, clusterInputsOf } from './rounds.js';
import { ClusterNodeInterrupted, runClusterNode } from './session.js';
import { exitCodeForSignal, interruption } from '../util/cleanup.js';
import { writeFileAtomic } from '../util/atomic.js';

export { planCluster } from './plan.js';

export interface ClusterRunOptions {
  cluster: string;
  name: string;
  dataDir?: string;
  out?: string;
  quick: boolean;
  validate: boolean;
  clientPort?: number;
  peerPort?: number;
  label?: string;
  token?: string;
  waitMs?: number;
  /** Mutual TLS: all six files, or none (etcd's auto-TLS). */
  tls: Partial<ClusterTlsFiles>;
  scenario?: LoadScenario;
  etcdBinary?: string;
  fioBinary?: string;
  argv: string[];
  progress?: Progress;
  log?: (line: string) => void;
}

export interface ClusterOutcome extends RunOutcome {
  /** The cluster report's files, written by the driver only. */
  clusterFiles: string[];
}

const TLS_FLAGS: [keyof ClusterTlsFiles, string][] = [
  ['peerCacert', '--peer-cacert'],
  ['peerCert', '--peer-cert'],
  ['peerKey', '--peer-key'],
  ['cacert', '--cacert'],
  ['cert', '--cert'],
  ['key', '--key'],
];

/** All of --peer-cacert/--peer-cert/--peer-key (and the client side, which defaults to them) give mutual TLS; none gives auto-TLS. */
export function securityOf(tls: Partial<ClusterTlsFiles>): ClusterSecurity {
  const given = TLS_FLAGS.filter(([k]) => tls[k] !== undefined);
  if (given.length === 0) return { mode: 'auto-tls' };
  const peer = { peerCacert: tls.peerCacert, peerCert: tls.peerCert, peerKey: tls.peerKey };
  const missing = TLS_FLAGS.slice(0, 3).filter(([k]) => peer[k as 'peerCacert'] === undefined);
  if (missing.length > 0)
    throw new UsageError(
      `mutual TLS for the temporary cluster needs ${missing.map(([, f]) => f).join(', ')} too (with --cacert/--cert/--key for the client side, which default to the peer files)`,
    );
  const files: ClusterTlsFiles = {
    peerCacert: tls.peerCacert!,
    peerCert: tls.peerCert!,
    peerKey: tls.peerKey!,
    cacert: tls.cacert ?? tls.peerCacert!,
    cert: tls.cert ?? tls.peerCert!,
    key: tls.key ?? tls.peerKey!,
  };
  return { mode: 'mutual-tls', files };
}

function runInfo(id: string, argv: string[], startedAt: Date, quick: boolean, scenario: string, notes: string[]): RunInfo {
  const finished = new Date();
  return {
    id,
    argv,
    startedAt: startedAt.toISOString(),
    finishedAt: finished.toISOString(),
    durationSec: (finished.getTime() - startedAt.getTime()) / 1000,
    quick,
    embeddedEtcd: true,
    scenario,
    notes,
  };
}

export async function runCluster(o: ClusterRunOptions): Promise<ClusterOutcome> {
  const security = securityOf(o.tls);
  const plan: ClusterPlan = planCluster({
    cluster: o.cluster,
    name: o.name,
    scheme: 'https',
    ...(o.clientPort !== undefined ? { clientPort: o.clientPort } : {}),
    ...(o.peerPort !== undefined ? { peerPort: o.peerPort } : {}),
    ...(o.label !== undefined ? { label: o.label } : {}),
    ...(o.token !== undefined ? { token: o.token } : {}),
  });
  const log = o.log ?? ((line: string) => process.stderr.write(`cluster ${plan.self.name}: ${line}\n`));
  // --etcd-binary, $ETCD_ADVISOR_ETCD_BINARY, or etcd on PATH: a named binary that is not etcd is refused before anything starts.
  const etcd = await resolveEtcdBinary(o.etcdBinary);
  const runId = clusterRunId(plan);
  let node: Awaited<ReturnType<typeof runClusterNode>>;
  try {
    node = await runClusterNode({
      plan,
      security,
      runId,
      quick: o.quick,
      validate: o.validate,
      log,
      ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
      ...(o.out !== undefined ? { out: o.out } : {}),
      ...(o.scenario !== undefined ? { scenario: o.scenario } : {}),
      ...(o.waitMs !== undefined ? { waitMs: o.waitMs } : {}),
      etcdBinary: etcd.binary,
      ...(o.fioBinary !== undefined ? { fioBinary: o.fioBinary } : {}),
      ...(o.progress !== undefined ? { progress: o.progress } : {}),
    });
  } catch (err) {
    // Ctrl-C here, or a peer's stop: what this node measured is written, marked interrupted, and judges no phase cut short.
    if (!(err instanceof ClusterNodeInterrupted)) throw err;
    return interruptedReport(err, runId, o, plan.self.name);
  }

  // Each member's files name the data directory that node tested; one that tested ./reports/.scratch gets etcd's usual path.
  // ...and with mutual TLS the certificate files as given on that node.
  const production = (name: string) => {
    const recorded = node.artifact?.members.find((m) => m.name === name);
    const files = recorded?.tlsFiles;
    return {
      dataDir: recorded?.dataDir ?? (o.dataDir !== undefined && name === plan.self.name ? resolve(o.dataDir) : '/var/lib/etcd'),
      security: files !== undefined ? { mode: 'mutual-tls' as const, files } : security,
    };
  };
  const notes = node.artifact?.notes ?? [];
  const scenarioName = node.artifact?.rounds[0]?.load.ok ? node.artifact.rounds[0].load.data.scenario : o.quick ? 'quick' : 'default';
  const artifacts: Artifacts = {
    host: node.host,
    disk: node.disk,
    network: node.network,
    ...(node.load ? { load: node.load } : {}),
    clusterRun: node.artifact ? probeOk({ ...node.artifact, self: plan.self.name }) : probeError('the driver published no cluster result'),
  };
  const run = runInfo(runId, o.argv, node.startedAt, o.quick, scenarioName, notes);
  const clusterAdvised = node.artifact ? clusterAdvice(clusterInputsOf(node.artifact, node.host)) : null;
  // The node's own report; its unit files are this member's, with the cluster's one flag set.
  const nodeResult = advise(artifacts);
  const report = assembleReport(artifacts, clusterAdvised ? { ...nodeResult, advice: clusterAdvised.advice } : nodeResult, run);
  const provenance = `Generated by etcd-advisor ${TOOL_VERSION} for member ${plan.self.name} of ${plan.members.map((m) => m.name).join(', ')}, run ${runId}.`;
  // Kept in the report, so that `report --from` renders this member's files again (not a loopback member's) and their header lists no fallback's assumptions.
  report.member = {
    member: productionMember(plan, plan.self, production(plan.self.name)),
    assumptions: [],
    needsMemberAdd: false,
    matchedBy: 'by name in --cluster',
  };
  const files = await writeReport(node.outDir, report, unitOptionsFor(report, { provenance }));

  const clusterFiles: string[] = [];
  if (node.artifact && clusterAdvised) {
    const clusterChecks = clusterAdvised.checks;
    const clusterReport: ClusterReport = {
      schemaVersion: 1,
      kind: CLUSTER_REPORT_KIND,
      tool: { name: 'etcd-advisor', version: TOOL_VERSION },
      generatedAt: new Date().toISOString(),
      run,
      cluster: node.artifact,
      checks: clusterChecks,
      advice: clusterAdvised.advice,
      verdict: verdictOf(clusterChecks),
    };
    // Every node writes the cluster section beside its report; the driver writes the whole cluster report and every member's files.
    const sectionPath = join(node.outDir, 'cluster.md');
    await writeFileAtomic(sectionPath, renderClusterMarkdown(clusterReport));
    files.push(sectionPath);
    if (plan.isDriver) {
      const dir = join(node.outDir, 'cluster');
      await mkdir(dir, { recursive: true });
      const perMember: Record<string, Record<string, string>> = {};
      const memberPaths: string[] = [];
      for (const m of plan.members) {
        const rendered = memberFiles(
          clusterAdvised.advice,
          productionMember(plan, m, production(m.name)),
          `Generated by etcd-advisor ${TOOL_VERSION} for member ${m.name} of ${plan.members.map((x) => x.name).join(', ')}, run ${runId}.`,
        );
        perMember[m.name] = rendered;
        await mkdir(join(dir, m.name), { recursive: true });
        for (const [name, text] of Object.entries(rendered)) {
          const p = join(dir, m.name, name);
          await writeFileAtomic(p, text);
          memberPaths.push(p);
        }
      }
      const outputs: [string, string][] = [
        ['cluster-report.json', renderClusterJson(clusterReport)],
        [
          'cluster-report.md',
          renderClusterMarkdown(
            clusterReport,
            memberPaths.map((p) => p.slice(dir.length + 1)),
          ),
        ],
        ['cluster-report.csv', renderClusterCsv(clusterReport)],
        ['cluster-report.html', renderClusterHtml(clusterReport, perMember)],
      ];
      for (const [name, text] of outputs) {
        const p = join(dir, name);
        await writeFileAtomic(p, text);
        clusterFiles.push(p);
      }
      clusterFiles.push(...memberPaths);
    }
  }
  // A signal while the files were written lets them finish; the run still ends as stopped by it.
  const signal = interruption();
  return { report, outDir: node.outDir, files, exitCode: signal !== null ? exitCodeForSignal(signal) : exitCodeFor(report.verdict), clusterFiles };
}

/** The report of a node a signal stopped: host, disk and RTT as far as they went, run.interrupted saying what was cut short. */
async function interruptedReport(err: ClusterNodeInterrupted, runId: string, o: ClusterRunOptions, self: string): Promise<ClusterOutcome> {
  const p = err.partial;
  const artifacts: Artifacts = {
    host: p.host ?? probeError('the host was not read before the signal', 'not-asked'),
    ...(p.disk !== undefined ? { disk: p.disk } : {}),
    ...(p.network !== undefined ? { network: p.network } : {}),
    interruption: { signal: err.signal, atSec: (Date.now() - p.startedAt.getTime()) / 1000, cutShort: p.cutShort, notStarted: p.notStarted },
  };
  const notes = [`Member ${self} of the temporary cluster ${o.cluster} was stopped by ${err.signal}: this report holds what it measured until then.`];
  const report = assembleReport(artifacts, advise(artifacts), runInfo(runId, o.argv, p.startedAt, o.quick, o.quick ? 'quick' : 'default', notes));
  const files = await writeReport(p.outDir, report);
  return { report, outDir: p.outDir, files, exitCode: exitCodeForSignal(err.signal), clusterFiles: [] };
}
