// The pipeline of `etcd-advisor disk`: fio on a directory (or a pasted fio output), judged by the advisor's disk rules.
import { advise } from './advisor/advise.js';
import type { Artifacts, FioSummary } from './model/artifacts.js';
import { exitCodeFor, verdictOf } from './model/check.js';
import { UsageError } from './model/errors.js';
import { probeError, probeOk, refuseBadInput } from './model/probe.js';
import { parseFioOutput } from './parsers/fio.js';
import { ETCD_FIO_PROFILE, runDiskProbe } from './probes/disk.js';
import { gatherHost } from './probes/host.js';
import type { DiskJson } from './report/terminal/disk.js';
import { loadDiskProfile } from './scenarios/disk.js';
import { readInputFile } from './util/input-file.js';
import type { Progress } from './util/progress.js';

export interface DiskRunOptions {
  /** Measure: a directory on the disk under test. */
  dir?: string;
  /** Judge: a file holding fio output, "-" for stdin. */
  from?: string;
  /** A profile name (scenarios/disk-NAME.yaml) or a path to one; default the etcd profile. */
  profile?: string;
  fioBinary?: string;
  progress?: Progress;
}

export interface DiskOutcome {
  json: DiskJson;
  exitCode: number;
}

/** A pasted output: parsed, with its origin in place of the directory and command this tool would have recorded. */
async function fromPasted(file: string): Promise<Artifacts> {
  const text = await readInputFile(file, { flag: '--from', holding: 'fio output', kind: 'output', allowStdin: true });
  let fio: FioSummary;
  try {
    fio = parseFioOutput(text);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--from ${file}: ${err.message}`);
    throw err;
  }
  const origin = file === '-' ? 'stdin' : file;
  return {
    host: probeError('the figures come from a pasted fio output, not from this host', 'not-measured'),
    disk: probeOk({ dir: origin, profile: 'pasted output', command: [], filesystem: null, fio }),
  };
}

export async function runDisk(options: DiskRunOptions): Promise<DiskOutcome> {
  let artifacts: Artifacts;
  if (options.from !== undefined) {
    artifacts = await fromPasted(options.from);
  } else if (options.dir !== undefined) {
    const profile = options.profile === undefined ? ETCD_FIO_PROFILE : await loadDiskProfile(options.profile);
    const host = await gatherHost();
    const disk = refuseBadInput(
      await runDiskProbe({
        dir: options.dir,
        profile,
        ...(options.fioBinary ? { fioBinary: options.fioBinary } : {}),
        ...(options.progress ? { progress: options.progress } : {}),
      }),
    );
    artifacts = { host, disk };
  } else {
    throw new UsageError('give --dir DIR to measure a disk, or --from FILE to judge a saved fio output');
  }
  // The advisor judges; this command shows the disk's part of what it says.
  const checks = advise(artifacts).checks.filter((c) => c.section === 'disk');
  const verdict = verdictOf(checks);
  const disk = artifacts.disk!;
  const json: DiskJson = disk.ok
    ? {
        fio: disk.data.fio,
        disk: { dir: disk.data.dir, profile: disk.data.profile, command: disk.data.command, filesystem: disk.data.filesystem },
        checks,
        verdict,
      }
    : { fio: null, disk: null, error: disk.error, checks, verdict };
  return { json, exitCode: exitCodeFor(verdict) };
}
