// The one place that starts and stops the throwaway etcd of `run` and `load`: a single loopback member with its data on the disk under test.
import { errorMessage } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import type { Progress } from '../util/progress.js';
import { startEmbeddedEtcd, type EmbeddedEtcd } from './embedded.js';

export interface ThrowawayOptions {
  /** The directory on the disk under test that holds the member's data (a subdirectory is made and removed). */
  parentDir: string;
  etcdBinary?: string;
  progress?: Progress;
}

/**
 * Starts the throwaway etcd and says so on the progress line; a failure is the result's error (kind "unreachable"), never a
 * throw, so the run goes on and the load check says why. Stop it with its stop(): it kills etcd and removes its data, once.
 */
export async function startThrowawayEtcd(options: ThrowawayOptions): Promise<ProbeResult<EmbeddedEtcd>> {
  const { progress } = options;
  progress?.phase('etcd', 'starting a throwaway etcd on loopback');
  try {
    const etcd = await startEmbeddedEtcd({ parentDir: options.parentDir, ...(options.etcdBinary !== undefined ? { etcdBinary: options.etcdBinary } : {}) });
    progress?.done('etcd', `etcd ${etcd.version} at ${etcd.clientUrl}`);
    return probeOk(etcd);
  } catch (err) {
    progress?.done('etcd', 'could not start');
    return probeError(errorMessage(err), 'unreachable');
  }
}

/** Runs `work` against a throwaway etcd and stops it whatever happens; a start that failed is returned as it is. */
export async function withThrowawayEtcd<T>(options: ThrowawayOptions, work: (etcd: EmbeddedEtcd) => Promise<T>): Promise<ProbeResult<T>> {
  const started = await startThrowawayEtcd(options);
  if (!started.ok) return started;
  try {
    return probeOk(await work(started.data));
  } finally {
    await started.data.stop();
  }
}
