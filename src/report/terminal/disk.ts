// Terminal text of `disk`: what fio ran and measured, the advisor's disk checks, and the verdict in the disk's words.
import type { DiskArtifact, FioSummary, LatencyStats } from '../../model/artifacts.js';
import type { Check, Verdict } from '../../model/check.js';
import { formatBytes } from '../../util/units.js';
import { formatMs, usToMs } from '../format.js';
import { checkLines } from '../terminal.js';

/** What `disk --json` prints and the text is rendered from; operators script against these keys. */
export interface DiskJson {
  fio: FioSummary | null;
  disk: Omit<DiskArtifact, 'fio'> | null;
  /** Why the disk could not be measured, when it could not. */
  error?: string;
  checks: Check[];
  verdict: Verdict;
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

export const DISK_VERDICT_TEXT: Record<Verdict, string> = {
  qualified: "QUALIFIED: this disk is fast enough for etcd's WAL",
  'not-qualified': "NOT QUALIFIED: this disk is too slow for etcd's WAL (see FAIL above)",
  incomplete: 'COULD NOT COMPLETE: the disk was not measured',
};

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
