// What `load` does, as one library call: the scenario against a cluster or a throwaway etcd, then the advisor's load checks and verdict.
import { judgeSections } from '../advisor/advise.js';
import type { EtcdConnection } from '../etcd/client.js';
import { whyThrowawayGone } from '../etcd/embedded.js';
import { withThrowawayEtcd } from '../etcd/throwaway.js';
import { interruption } from '../util/cleanup.js';
import type { Artifacts, LoadArtifact } from '../model/artifacts.js';
import type { Check, Verdict } from '../model/check.js';
import { UsageError } from '../model/errors.js';
import { probeError, type ProbeResult } from '../model/probe.js';
import { runLoadProbe, type LoadFootprint } from '../probes/load.js';
import type { Progress } from '../util/progress.js';
import { createScratchDir } from '../util/scratch.js';
import type { ClientKind } from './driver.js';
import type { LoadScenario } from './scenario.js';

export interface LoadSessionOptions {
  scenario: LoadScenario;
  /** An existing cluster; without it a throwaway etcd is started under dataDir. */
  connection?: EtcdConnection;
  callTimeoutMs?: number;
  dataDir?: string;
  /** The throwaway member's etcd binary (resolveEtcdBinary); default etcd on PATH. */
  etcdBinary?: string;
  runId: string;
  prefix: string;
  client?: ClientKind;
  threads?: number;
  maxDbGrowthBytes?: number;
  progress?: Progress;
  onFootprint?: (footprint: LoadFootprint) => void;
}

export interface LoadOutcome {
  artifacts: Artifacts;
  load: ProbeResult<LoadArtifact>;
  /** The advisor's load checks: the same ones `advise --from` gives for this artifact. */
  checks: Check[];
  verdict: Verdict;
}

export async function runLoadSession(o: LoadSessionOptions): Promise<LoadOutcome> {
  const started = Date.now();
  const probe = (connection: EtcdConnection, embedded: boolean) =>
    runLoadProbe({
      connection,
      scenario: o.scenario,
      prefix: o.prefix,
      embedded,
      ...(o.progress ? { progress: o.progress } : {}),
      ...(o.client ? { client: o.client } : {}),
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      ...(o.maxDbGrowthBytes !== undefined ? { maxDbGrowthBytes: o.maxDbGrowthBytes } : {}),
      ...(o.onFootprint ? { onFootprint: o.onFootprint } : {}),
    });
  const timeout = o.callTimeoutMs !== undefined ? { callTimeoutMs: o.callTimeoutMs } : {};
  let load: ProbeResult<LoadArtifact>;
  if (o.connection !== undefined) {
    load = await probe({ ...o.connection, ...timeout }, false);
  } else {
    const scratch = await createScratchDir(o.dataDir, o.runId);
    try {
      const ran = await withThrowawayEtcd(
        { parentDir: scratch.path, ...(o.progress ? { progress: o.progress } : {}), ...(o.etcdBinary !== undefined ? { etcdBinary: o.etcdBinary } : {}) },
        async (etcd) => {
          const result = await probe({ endpoints: [etcd.clientUrl], ...timeout }, true);
          // A throwaway etcd that died or froze under the load says nothing about the node: its own last lines, exit 3.
          const gone = interruption() === null ? await whyThrowawayGone(etcd) : null;
          return gone !== null ? probeError<LoadArtifact>(gone, 'etcd-gone') : result;
        },
      );
      load = ran.ok ? ran.data : ran;
    } finally {
      await scratch.remove();
    }
  }
  // A prefix that holds keys is the operator's input: exit 2, as any bad flag.
  if (!load.ok && load.kind === 'bad-input') throw new UsageError(load.error);
  const artifacts: Artifacts = { host: probeError('not gathered by load', 'not-asked'), load };
  // A load a signal cut short is kept as measured but judged by no rule: run.interrupted makes the verdict incomplete.
  const signal = interruption();
  if (signal === 'SIGINT' || signal === 'SIGTERM')
    artifacts.interruption = { signal, atSec: (Date.now() - started) / 1000, cutShort: ['load'], notStarted: [] };
  return { artifacts, load, ...judgeSections(artifacts, ['load', 'run']) };
}
