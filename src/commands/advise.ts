// `etcd-advisor advise`: recommended etcd flags from a saved run or what-if values, with reasons, and the etcd.service + etcd.conf that carry them.
import { capText } from '../util/input-file.js';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { advise, type AdvisorResult } from '../advisor/advise.js';
import type { WhatIf } from '../advisor/inputs.js';
import { SUPPORTED_VERSIONS } from '../etcd/flags.js';
import { flagMap } from '../model/advice.js';
import type { Artifacts } from '../model/artifacts.js';
import { exitCodeFor, byUrgency, verdictOf } from '../model/check.js';
import type { Report } from '../model/report.js';
import { gatherHost } from '../probes/host.js';
import { resolveEtcdBinary } from '../etcd/binary.js';
import { renderEnvFile, renderUnitFile, resolveMember, type UnitFileOptions } from '../report/unit.js';
import { readReport } from '../report/load.js';
import { LIMITS } from '../util/limits.js';
import { parseCount, parseDuration, parseRate, parseSize, type Range } from '../util/units.js';
import { TOOL_VERSION } from '../version.js';
import { etcdVersionArg, jsonOption, memberOptions, memberOptionsFrom, printJson, type MemberArgs } from './shared.js';
import { renderAdviseText } from '../report/terminal/advise.js';
import { writeFileAtomic } from '../util/atomic.js';
import { ensureOutDir } from '../util/out-dir.js';

interface AdviseArgs extends MemberArgs {
  from?: string;
  'rtt-ms'?: string;
  'rtt-p99-ms'?: string;
  'stall-ms'?: string;
  'fsync-p99-ms'?: string;
  'fsync-p999-ms'?: string;
  'write-rate'?: string;
  'db-size'?: string;
  memory?: string;
  'disk-free'?: string;
  'largest-request'?: string;
  'etcd-version'?: string;
  'etcd-binary'?: string;
  members?: number;
  'data-dir'?: string;
  out?: string;
  json: boolean;
}

/** What the command prints with --json: the flags by etcd name, every finding, and the reasons behind each flag. */
export interface AdviseJson {
  etcdVersion: string;
  flags: Record<string, number | string>;
  findings: AdvisorResult['checks'];
  recommendations: AdvisorResult['advice']['flags'];
  unitSettings: AdvisorResult['advice']['unitSettings'];
  files: string[];
}

export const ENV_FILE_PATH = '/etc/etcd/etcd.conf';
export const ETCD_BINARY = '/usr/bin/etcd';

/** The artifacts of a saved run, read by the one report reader (schema and version checked); anything else is bad input (exit 2). */
export async function loadArtifacts(path: string): Promise<{ artifacts: Artifacts; report: Partial<Report> }> {
  const report = await readReport(path, { flag: '--from' });
  return { artifacts: report.artifacts, report };
}

export function whatIfFrom(args: AdviseArgs): WhatIf {
  const w: WhatIf = {};
  // Options named for their unit (--rtt-ms) take a bare number in it; a unit given is read as written.
  const time = (o: keyof AdviseArgs & string) =>
    args[o] === undefined ? undefined : parseDuration(o, args[o] as string, { bare: 'ms', rangeMs: LIMITS.latencyMs });
  const size = (o: keyof AdviseArgs & string, range: Range) => (args[o] === undefined ? undefined : parseSize(o, args[o] as string, range));
  const set = <K extends keyof WhatIf>(key: K, value: WhatIf[K] | undefined) => {
    if (value !== undefined) w[key] = value;
  };
  set('rttMs', time('rtt-ms'));
  set('rttP99Ms', time('rtt-p99-ms'));
  set('stallMs', time('stall-ms'));
  set('fsyncP99Ms', time('fsync-p99-ms'));
  set('fsyncP999Ms', time('fsync-p999-ms'));
  set('dbSizeBytes', size('db-size', LIMITS.storage));
  set('memoryBytes', size('memory', LIMITS.memory));
  set('diskFreeBytes', size('disk-free', LIMITS.storage));
  set('largestRequestBytes', size('largest-request', LIMITS.request));
  if (args['write-rate'] !== undefined) w.writeRate = parseRate('write-rate', args['write-rate'], LIMITS.writeRate);
  const version = etcdVersionArg(args['etcd-version']);
  if (version !== undefined) w.etcdVersion = version;
  if (args.members !== undefined) w.members = parseCount('members', args.members, { ...LIMITS.members, what: 'members' });
  return w;
}

const MEASUREMENT_OPTIONS = {
  'rtt-ms': 'Typical peer RTT (ms, or with ms/s): overrides the measured one',
  'rtt-p99-ms': 'Tail (p99) peer RTT that heartbeat and election are sized from',
  'stall-ms': 'Longest time a peer went silent (a network stall)',
  'fsync-p99-ms': 'fdatasync p99 of the data disk',
  'fsync-p999-ms': 'fdatasync p99.9 of the data disk',
  'write-rate': 'Sustained writes per second the cluster must take (e.g. 1000 or 1k/s)',
  'db-size': 'Expected database size (e.g. 3GiB, 512MB)',
  memory: "Memory of each member (e.g. 16GiB); default: this host's",
  'disk-free': 'Free space on the data disk (e.g. 100GiB)',
  'largest-request': 'Largest single request the clients send (e.g. 4MiB)',
  'etcd-version': `etcd version to advise for: ${SUPPORTED_VERSIONS.join(', ')} (default: the report's, else the etcd on PATH)`,
} as const;

export const adviseCommand: CommandModule<object, AdviseArgs> = {
  command: 'advise',
  describe: 'Recommend etcd flags from a report or what-if values, with reasons, and write etcd.service + etcd.conf',
  builder: (y) => {
    let b = y.option('from', {
      type: 'string',
      describe: `A report.json from \`etcd-advisor run\`: advise from its measurements (${capText('report')})`,
      normalize: true,
    });
    for (const [name, describe] of Object.entries(MEASUREMENT_OPTIONS)) b = b.option(name, { type: 'string', describe, requiresArg: true });
    b = b.option('members', { type: 'number', describe: 'Number of members in the cluster' });
    b = memberOptions(b.option('data-dir', { type: 'string', describe: 'Data directory (default /var/lib/etcd)', requiresArg: true }), ['data-dir']);
    return b
      .group([...Object.keys(MEASUREMENT_OPTIONS), 'members'], 'What-if values (override measured ones):')
      .option('out', { type: 'string', describe: 'Write etcd.service and etcd.conf into this directory' })
      .option('etcd-binary', {
        type: 'string',
        requiresArg: true,
        describe: `The etcd binary etcd.service starts (ExecStart; default ${ETCD_BINARY}); without --from or --etcd-version the advice is for its version`,
      })
      .option('json', jsonOption('{ flags, findings, ... } as JSON'))
      .example('$0 advise --rtt-p99-ms 150 --fsync-p999-ms 40ms --etcd-version 3.5', 'Plan flags for members 150 ms apart')
      .example(
        '$0 advise --from reports/node1/report.json --name node1 --initial-cluster node1=https://10.0.0.1:2380,node2=https://10.0.0.2:2380 --cert-file /etc/etcd/server.pem --key-file /etc/etcd/server-key.pem --trusted-ca-file /etc/etcd/ca.pem --out /tmp/etcd',
        'Flags from a run, and TLS unit files for one member',
      ) as never;
  },
  handler: async (args) => {
    const whatIf = whatIfFrom(args);
    const memberGiven = memberOptionsFrom(args, args['data-dir']);
    // Without a report, this host stands in (its etcd version and memory), each overridable by a what-if value.
    // --etcd-binary is the etcd the unit starts; without a report or --etcd-version the advice is for its release.
    const binary = args['etcd-binary'] !== undefined ? await resolveEtcdBinary(args['etcd-binary']) : null;
    const { artifacts, report } =
      args.from !== undefined ? await loadArtifacts(args.from) : { artifacts: { host: await gatherHost(binary?.binary) } as Artifacts, report: undefined };
    const host = artifacts.host.ok ? artifacts.host.data.hostname : hostname();
    const member = resolveMember(memberGiven, host.split('.')[0] || 'etcd-1');
    const result = advise(artifacts, whatIf);
    const files: string[] = [];
    if (args.out !== undefined) {
      const dir = resolve(args.out);
      const unit: UnitFileOptions = {
        member,
        etcdBinary: binary ? resolve(binary.binary) : ETCD_BINARY,
        envFilePath: ENV_FILE_PATH,
        user: 'etcd',
        provenance: `Generated by etcd-advisor ${TOOL_VERSION} advise for ${member.name}, from ${report?.run ? `run ${report.run.id} (${args.from})` : 'what-if values'}, ${new Date().toISOString()}.`,
      };
      await ensureOutDir(dir);
      for (const [name, text] of [
        ['etcd.service', renderUnitFile(result.advice, unit)],
        ['etcd.conf', renderEnvFile(result.advice, unit)],
      ] as const) {
        await writeFileAtomic(join(dir, name), text);
        files.push(join(dir, name));
      }
    }
    if (args.json) {
      const out: AdviseJson = {
        etcdVersion: result.advice.etcdVersion,
        flags: flagMap(result.advice),
        findings: [...result.checks].sort(byUrgency),
        recommendations: result.advice.flags,
        unitSettings: result.advice.unitSettings,
        files,
      };
      printJson(out);
    } else process.stdout.write(renderAdviseText(result, files));
    process.exitCode = exitCodeFor(verdictOf(result.checks));
  },
};
