// `etcd-advisor lint`: checks etcd unit, environment and config files as systemd and etcd would read them.
import { capText } from '../util/input-file.js';
import type { CommandModule } from 'yargs';
import { lintFiles } from '../lint/lint.js';
import { exitCodeFor, verdictOf } from '../model/check.js';
import { renderLintText } from '../report/terminal/lint.js';
import { LIMITS } from '../util/limits.js';
import { parseDuration } from '../util/units.js';
import { jsonOption, printJson } from './shared.js';

interface LintArgs {
  files: string[];
  'env-file'?: string[];
  report?: string;
  'rtt-p99-ms'?: string;
  'etcd-version'?: string;
  'upgrade-to'?: string;
  json: boolean;
}

export const lintCommand: CommandModule<object, LintArgs> = {
  command: 'lint <files..>',
  describe: 'Lint etcd unit, environment and config files: what stops etcd from starting or joining, and the risks',
  builder: (y) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: `etcd.service units, etcd.conf environment files (ETCD_*=...), etcd YAML config files, each ${capText('config')}; several units of one cluster are checked against each other`,
      })
      .option('env-file', {
        type: 'string',
        array: true,
        // One value per --env-file (repeat it for several): a bare array would swallow the unit named after it.
        nargs: 1,
        describe: `Use this file for the unit's EnvironmentFile= (in order) when the path it names is not on this machine (${capText('config')})`,
      })
      .option('report', {
        type: 'string',
        describe: `A report.json from \`run\`: judge heartbeat and election against the RTT it measured (${capText('report')})`,
      })
      .option('rtt-p99-ms', {
        type: 'string',
        requiresArg: true,
        describe: 'Instead of --report: the RTT p99 between members, to judge heartbeat and election against (a bare number is ms; 0.2 or 200us)',
      })
      .option('etcd-version', { type: 'string', describe: 'The etcd release the files are for, e.g. 3.4 or 3.5 (default: etcd on PATH, else 3.4)' })
      .option('upgrade-to', {
        type: 'string',
        requiresArg: true,
        describe:
          'List, release by release, what in the files breaks (fail), is ignored or deprecated (warn) or changes by default (info) when the member moves from --etcd-version to this release: 3.5 or 3.6',
      })
      .option('json', jsonOption('{ "checks": [...], "verdict" } as JSON: each check as the advisor\'s, with file and line'))
      .example('$0 lint /etc/systemd/system/etcd.service --env-file ./etcd.conf', 'Lint a unit whose EnvironmentFile was copied from the node')
      .example('$0 lint etcd.service --rtt-p99-ms 0.2', 'Judge heartbeat and election against an RTT measured elsewhere')
      .example(
        '$0 lint node1/etcd.service node2/etcd.service node3/etcd.service --report reports/node1/report.json',
        'Lint a whole cluster against a measured RTT',
      )
      .example(
        '$0 lint etcd.service --env-file etcd.conf --etcd-version 3.4 --upgrade-to 3.6',
        'What a 3.4 unit must change for 3.5 and then 3.6, with the replacements',
      ),
  handler: async (args) => {
    const result = await lintFiles({
      files: args.files,
      ...(args['env-file'] ? { envFiles: args['env-file'] } : {}),
      ...(args.report !== undefined ? { reportPath: args.report } : {}),
      ...(args['rtt-p99-ms'] !== undefined ? { rttP99Ms: parseDuration('rtt-p99-ms', args['rtt-p99-ms'], { bare: 'ms', rangeMs: LIMITS.latencyMs }) } : {}),
      ...(args['etcd-version'] !== undefined ? { etcdVersion: args['etcd-version'] } : {}),
      ...(args['upgrade-to'] !== undefined ? { upgradeTo: args['upgrade-to'] } : {}),
    });
    if (args.json) {
      printJson({ checks: result.checks, verdict: verdictOf(result.checks) });
    } else process.stdout.write(renderLintText(result));
    process.exitCode = exitCodeFor(verdictOf(result.checks));
  },
};
