// Runs a fio profile (etcd's by default) in a fresh subdirectory of the disk under test and returns its parsed figures; it never judges them.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { DiskArtifact, FilesystemInfo } from '../model/artifacts.js';
import { UsageError, errorMessage } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';
import { parseFioOutput } from '../parsers/fio.js';
import { onCleanup, onInterrupt } from '../util/cleanup.js';
import type { Progress } from '../util/progress.js';
import { dyingWithTool } from '../util/child.js';
import { notOnPath } from '../util/tools.js';
import { formatBytes } from '../util/units.js';
import { filesystemOf } from './filesystem.js';

export interface FioProfile {
  name: string;
  /** fio job options, e.g. ["--rw=write", "--bs=2300"]; the probe adds where to write and how to print. */
  args: string[];
  /** Bytes fio writes (size x jobs), for the free-space check. */
  sizeBytes: number;
  /** From a scenario file: what the profile measures and where it comes from. */
  description?: string;
  source?: string;
}

/** The etcd disk test from ETCD-FACTS.md "Disk" (etcd docs op-guide/hardware; IBM Cloud blog, 2019). */
export const ETCD_FIO_PROFILE: FioProfile = {
  name: 'etcd',
  args: ['--rw=write', '--ioengine=sync', '--fdatasync=1', '--size=22m', '--bs=2300'],
  sizeBytes: 22 * 1024 * 1024,
};

/** The same profile, smaller, for --quick: fewer samples, so its tail percentiles are less certain. */
export const ETCD_FIO_PROFILE_QUICK: FioProfile = {
  name: 'etcd-quick',
  args: ['--rw=write', '--ioengine=sync', '--fdatasync=1', '--size=8m', '--bs=2300'],
  sizeBytes: 8 * 1024 * 1024,
};

/** Leave at least this much free after the test: filling the disk that holds etcd is the failure we are testing for, not one to cause. */
export const FREE_SPACE_MARGIN_BYTES = 512 * 1024 * 1024;

export interface DiskProbeOptions {
  dir: string;
  profile?: FioProfile;
  fioBinary?: string;
  progress?: Progress;
}

/** Refuses what fio must not write to: a missing path, a file, a block device; `flag` names the option it came from. */
export async function checkTestDir(dir: string, flag = '--dir'): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new UsageError(`${flag} ${dir} does not exist: give a directory on the disk that will hold etcd's data`);
  }
  if (info.isBlockDevice())
    throw new UsageError(`${flag} ${dir} is a block device: give a directory on a mounted filesystem; etcd-advisor never writes to a raw device`);
  if (!info.isDirectory()) throw new UsageError(`${flag} ${dir} is not a directory: give a directory on the disk that will hold etcd's data`);
}

/** How long fio may take to stop after SIGTERM before the clean-up removes its files anyway. */
const FIO_STOP_GRACE_MS = 5_000;

/** The exact fio command line the probe runs, for the report: fio options, then where it writes and how it prints. */
export function fioCommand(fio: string, profile: FioProfile, workDir: string): string[] {
  // --thread: the job runs in fio's own process, not a forked one that would keep writing after fio (or the tool) is killed.
  return [fio, ...profile.args, `--directory=${workDir}`, '--name=etcd-advisor', '--thread', '--output-format=json'];
}

/** Never throws: a directory fio must not use is the result's error with kind "bad-input" (a command exits 2 on it). */
export async function runDiskProbe(options: DiskProbeOptions): Promise<ProbeResult<DiskArtifact>> {
  const profile = options.profile ?? ETCD_FIO_PROFILE;
  const fio = options.fioBinary ?? 'fio';
  let filesystem: FilesystemInfo | null;
  let workDir: string;
  try {
    await checkTestDir(options.dir);
    filesystem = await filesystemOf(options.dir);
    if (filesystem !== null && filesystem.freeBytes - profile.sizeBytes < FREE_SPACE_MARGIN_BYTES) {
      return probeError(
        `not enough free space in ${options.dir}: ${formatBytes(filesystem.freeBytes)} free, the ${profile.name} profile writes ${formatBytes(profile.sizeBytes)} and must leave ${formatBytes(FREE_SPACE_MARGIN_BYTES)}`,
        'disk-full',
      );
    }
    // A fresh subdirectory: the test never touches files that were already there.
    workDir = await mkdtemp(join(options.dir, 'etcd-advisor-fio-'));
  } catch (err) {
    if (err instanceof UsageError) return probeError(err.message, 'bad-input');
    const code = (err as { code?: string }).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      return probeError(`--dir ${options.dir} is not writable (${code}): give a directory this user can write on the disk etcd will use`, 'bad-input');
    return probeError(`the test directory could not be prepared: ${errorMessage(err)}`);
  }
  const command = fioCommand(fio, profile, workDir);
  options.progress?.phase('disk', `fio ${profile.name} profile in ${options.dir}`);
  // Its own process group: a terminal's Ctrl-C reaches the tool, which stops fio and knows it did (util/child.ts: dies with the tool).
  const child = execa(...dyingWithTool(command), { reject: false, stdin: 'ignore', cleanup: true, detached: true });
  // fio catches SIGTERM and exits on its own, so its exit status does not say that it was stopped: this does.
  let stopped = false;
  const stop = () => {
    stopped = true;
    child.kill('SIGTERM');
  };
  // On Ctrl-C (or any clean-up) fio stops first, so that it cannot write again after its files are removed.
  const stopAndRemove = onCleanup('stop fio and remove its test files', async () => {
    if (child.exitCode === null && child.signalCode === null) {
      stop();
      await Promise.race([child.catch(() => undefined), new Promise((r) => setTimeout(r, FIO_STOP_GRACE_MS).unref())]);
    }
    await rm(workDir, { recursive: true, force: true });
  });
  const stopOnInterrupt = onInterrupt(stop);
  const ticker = setInterval(() => options.progress?.tick('disk', 'fio running'), 1000);
  // Every ending closes the phase, so that a live display never keeps showing a disk test that is over.
  let outcome = 'could not complete';
  try {
    const result = await child;
    if (stopped) return probeError('fio was stopped before it finished (interrupted)', 'interrupted');
    if (result.failed) {
      if (notOnPath(result))
        return probeError(`fio is not installed (not found on PATH as "${fio}"): install the fio package (apt-get install fio)`, 'missing-tool');
      return probeError(`fio failed (${result.exitCode ?? result.signal}): ${String(result.stderr).trim().split('\n').slice(-2).join(' ')}`, 'tool-failed');
    }
    const summary = parseFioOutput(String(result.stdout));
    outcome = summary.syncUs ? `fdatasync p99 ${((summary.syncUs.p99 ?? 0) / 1000).toFixed(2)} ms` : 'no fdatasync in this profile';
    return probeOk({ dir: options.dir, profile: profile.name, command, filesystem, fio: summary });
  } catch (err) {
    return probeError(`fio output could not be read: ${errorMessage(err)}`, 'bad-output');
  } finally {
    clearInterval(ticker);
    stopOnInterrupt();
    await stopAndRemove();
    options.progress?.done('disk', outcome);
  }
}
