// `etcd-advisor disk`: whether a disk can hold etcd's WAL, measured with fio (--dir) or judged from a pasted fio output (--from).
import type { CommandModule } from 'yargs';
import { advise } from '../advisor/advise.js';
import type { Artifacts, DiskArtifact, FioSummary, LatencyStats } from '../model/artifacts.js';
import { exitCodeFor, verdictOf, type Check, type Verdict } from '../model/check.js';
import { UsageError } from '../model/errors.js';
import { probeError, probeOk, refuseBadInput } from '../model/probe.js';
import { parseFioOutput } from '../parsers/fio.js';
import { ETCD_FIO_PROFILE, runDiskProbe } from '../probes/disk.js';
import { gatherHost } from '../probes/host.js';
import { formatMs, usToMs } from '../report/format.js';
import { formatBytes } from '../util/units.js';
import { loadDiskProfile } from '../scenarios/disk.js';
import type { Progress } from '../util/progress.js';
import { jsonOption, printJson, readInputFile, withProgress } from './shared.js';
import { checkLines } from '../report/terminal.js';

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

/** What `disk --json` prints; operators script against these keys. */
export interface DiskJson {
  fio: FioSummary | null;
  disk: Omit<DiskArtifact, 'fio'> | null;
  /** Why the disk could not be measured, when it could not. */
  error?: string;
  checks: Check[];
  verdict: Verdict;
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

function latencyLine(stats: LatencyStats): string {
  const keys = ['min', 'p50', 'p90', 'p99', 'p99.9', 'max'];
  return keys
    .filter((k) => stats[k] !== undefined)
    .map((k) => `${k} ${formatMs(usToMs(stats[k]))}`)
    .join(', ');
}

/** Quotes an argument only when a shell would split it, so that the line can be pasted back into a terminal. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The run's verdict in the disk's words: a run without fdatasync figures passes nothing, it is not judged. */
function verdictLine(json: DiskJson): string {
  if (json.verdict === 'qualified' && json.fio !== null && json.fio.syncUs === null) {
    return "NOT JUDGED: this fio run measured no fdatasync, so it says nothing about etcd's WAL; run the etcd profile";
  }
  const notADisk = json.checks.find((c) => c.id === 'disk.filesystem' && c.status === 'warn');
  if (json.verdict === 'qualified' && notADisk !== undefined) {
    return `NOT REPRESENTATIVE: the test ran on ${String(notADisk.value)}, whose figures do not describe a real etcd disk`;
  }
  return DISK_VERDICT_TEXT[json.verdict];
}

export const DISK_VERDICT_TEXT: Record<Verdict, string> = {
  qualified: "QUALIFIED: this disk is fast enough for etcd's WAL",
  'not-qualified': "NOT QUALIFIED: this disk is too slow for etcd's WAL (see FAIL above)",
  incomplete: 'COULD NOT COMPLETE: the disk was not measured',
};

export function renderDiskText(json: DiskJson): string {
  const lines: string[] = [];
  if (json.disk && json.fio) {
    const { disk, fio } = json;
    if (disk.command.length > 0) lines.push(`${fio.version ?? 'fio'}, profile ${disk.profile}: ${disk.command.map(shellQuote).join(' ')}`);
    else lines.push(`${fio.version ?? 'fio (version not in the output)'}, ${disk.profile} from ${disk.dir}`);
    if (disk.filesystem)
      lines.push(
        `Filesystem: ${disk.filesystem.type} ${disk.filesystem.device} on ${disk.filesystem.mountPoint} (${disk.filesystem.options.join(',')}), ${formatBytes(disk.filesystem.freeBytes)} free`,
      );
    lines.push(
      `Writes: ${fio.writeIops.toFixed(0)} IOPS, ${formatBytes(fio.bandwidthBytesPerSec)}/s, ${fio.totalWriteIos} writes in ${(fio.runtimeMs / 1000).toFixed(1)} s (${fio.jobs} job result${fio.jobs === 1 ? '' : 's'})`,
    );
    lines.push(`clat: ${latencyLine(fio.clatUs)}`);
    lines.push(`fdatasync: ${fio.syncUs ? latencyLine(fio.syncUs) : 'not measured by this run'}`);
  } else if (json.error) {
    lines.push(`The disk could not be measured: ${json.error}`);
  }
  lines.push('');
  lines.push(...checkLines(json.checks));
  lines.push('', verdictLine(json));
  return lines.join('\n') + '\n';
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
      .option('from', { type: 'string', requiresArg: true, describe: 'Judge a saved fio output instead (JSON, json+ or normal text; "-" reads stdin)' })
      .option('profile', {
        type: 'string',
        describe: 'fio profile: a name from scenarios/ (etcd, openshift, throughput) or a path to a disk profile .yaml (default: etcd)',
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
