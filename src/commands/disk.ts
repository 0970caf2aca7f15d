// `etcd-advisor disk`: whether a disk can hold etcd's WAL, measured with fio (--dir) or judged from a pasted fio output (--from).
import { capText } from '../util/input-file.js';
import type { CommandModule } from 'yargs';
import { advise } from '../advisor/advise.js';
import type { Artifacts, FioSummary } from '../model/artifacts.js';
import { exitCodeFor, verdictOf } from '../model/check.js';
import { UsageError } from '../model/errors.js';
import { probeError, probeOk, refuseBadInput } from '../model/probe.js';
import { parseFioOutput } from '../parsers/fio.js';
import { ETCD_FIO_PROFILE, runDiskProbe } from '../probes/disk.js';
import { gatherHost } from '../probes/host.js';
import { loadDiskProfile } from '../scenarios/disk.js';
import type { Progress } from '../util/progress.js';
import { jsonOption, printJson, readInputFile, withProgress } from './shared.js';
import { renderDiskText, type DiskJson } from '../report/terminal/disk.js';

export type { DiskJson };

export interface DiskCommandOptions {
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
async function judgePasted(file: string): Promise<Artifacts> {
  const text = await readInputFile('--from', file, 'fio output');
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

export async function runDiskCommand(options: DiskCommandOptions): Promise<DiskOutcome> {
  let artifacts: Artifacts;
  if (options.from !== undefined) {
    artifacts = await judgePasted(options.from);
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

interface DiskArgs {
  dir?: string;
  from?: string;
  profile?: string;
  fio?: string;
  json: boolean;
}

export const diskCommand: CommandModule<object, DiskArgs> = {
  command: 'disk',
  describe: "Measure whether a disk can hold etcd's WAL (fio), or judge a saved fio output",
  builder: (y) =>
    y
      .option('dir', { type: 'string', describe: 'A directory on the disk etcd will use; fio writes in a new subdirectory and removes it' })
      .option('from', {
        type: 'string',
        requiresArg: true,
        describe: `Judge a saved fio output instead (JSON, json+ or normal text; "-" reads stdin; ${capText('output')})`,
      })
      .option('profile', {
        type: 'string',
        describe: `fio profile: a name from scenarios/ (etcd, openshift, throughput) or a path to a disk profile .yaml, ${capText('config')} (default: etcd)`,
      })
      .option('fio', { type: 'string', describe: 'The fio binary (default: fio on PATH)' })
      .option('json', jsonOption('the figures and checks as JSON'))
      .conflicts('dir', 'from')
      .conflicts('from', 'profile')
      .example('$0 disk --dir /var/lib/etcd', "Run etcd's fio test (fdatasync after every 2300-byte write) on the disk of /var/lib/etcd")
      .example('$0 disk --dir /var/lib/etcd --profile openshift', "OpenShift etcd-perf's 60 s time-based test")
      .example('$0 disk --from fio-output.txt --json', 'Judge the fio output pasted into a ticket'),
  handler: async (args) => {
    const outcome = await withProgress(args.json, (progress) =>
      runDiskCommand({
        ...(args.dir !== undefined ? { dir: args.dir } : {}),
        ...(args.from !== undefined ? { from: args.from } : {}),
        ...(args.profile !== undefined ? { profile: args.profile } : {}),
        ...(args.fio !== undefined ? { fioBinary: args.fio } : {}),
        progress,
      }),
    );
    if (args.json) printJson(outcome.json);
    else process.stdout.write(renderDiskText(outcome.json));
    process.exitCode = outcome.exitCode;
  },
};
