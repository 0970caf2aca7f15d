// `etcd-advisor run`: the whole qualification of a node in one command.
import type { CommandModule } from 'yargs';
import type { RttMethodChoice } from '../model/artifacts.js';
import { parsePeerList } from '../probes/peer-spec.js';
import { runAll } from '../run.js';
import {
  connectionFrom,
  connectionOptions,
  etcdBinaryOption,
  etcdVersionArg,
  jsonOption,
  memberOptions,
  memberOptionsFrom,
  parseEndpoints,
  printJson,
  withProgress,
  type ConnectionArgs,
  type MemberArgs,
} from './shared.js';
import { renderTerminalSummary } from '../report/terminal.js';
import { commandLine } from '../util/secrets.js';
import { handleInterruptInCommand, interruption } from '../util/cleanup.js';
import { runCluster } from '../cluster/index.js';
import { clusterOptions, clusterArgsOf, type ClusterArgs } from '../cluster/cli.js';

interface RunArgs extends ConnectionArgs, MemberArgs, ClusterArgs {
  'target-data-dir'?: string;
  unit?: string;
  'env-file'?: string[];
  'config-file'?: string;
  'data-dir'?: string;
  out?: string;
  peers?: string;
  method: string;
  quick: boolean;
  json: boolean;
  'etcd-binary'?: string;
  'etcd-version'?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Qualify this node: disk (fio), network (RTT), etcd load, advice, and a report for the change ticket',
  builder: (y) =>
    clusterOptions(
      memberOptions(
        etcdBinaryOption(connectionOptions(y)).option('target-data-dir', {
          type: 'string',
          describe: "The member's data directory in the generated etcd.conf, when it is not --data-dir (default: --data-dir, the directory qualified)",
          requiresArg: true,
        }),
        ['target-data-dir'],
      ),
    )
      .option('data-dir', {
        type: 'string',
        describe: "A directory on the disk that will hold etcd's data; the test writes in a new subdirectory and removes it (default: ./reports/.scratch/)",
      })
      .option('unit', {
        type: 'string',
        describe: 'The systemd unit this member runs from today: its flags show as "current" beside each recommendation',
        normalize: true,
      })
      .option('env-file', { type: 'string', array: true, describe: 'The environment file(s) of that unit (or alone): read as systemd does', normalize: true })
      .option('config-file', { type: 'string', describe: 'The YAML config file this member runs with (etcd --config-file)', normalize: true })
      .option('out', { type: 'string', describe: 'Report directory (default: ./reports/<hostname>-<UTC timestamp>/)' })
      .option('peers', { type: 'string', describe: 'Comma-separated addresses of the other members to measure RTT to (default: loopback, a baseline only)' })
      .option('method', {
        type: 'string',
        choices: ['icmp', 'tcp', 'http', 'auto'],
        default: 'icmp',
        describe:
          'How to measure RTT to --peers: icmp (ping), tcp (connect to :2380), http (GET /version on the peer URL, one kept-alive connection), auto (icmp, or tcp where ICMP is not permitted)',
      })
      .option('quick', { type: 'boolean', default: false, describe: 'A short run (under 30 s): smaller fio file, fewer RTT samples, a 5 s load' })
      .option('json', jsonOption('report.json'))
      .option('etcd-version', {
        type: 'string',
        requiresArg: true,
        describe: 'The etcd release to advise for, e.g. 3.5 or 3.6 (default: the version the run measured); the report warns when it is not the one that ran',
      })
      .example('$0 run', 'Qualify this node against a throwaway local etcd, data in ./reports/.scratch')
      .example('$0 run --etcd-binary /opt/etcd-v3.5.30/etcd', 'Measure with an etcd 3.5 instead of the one on PATH (or set $ETCD_ADVISOR_ETCD_BINARY)')
      .example('$0 run --etcd-version 3.6', 'Advise for etcd 3.6 while measuring with the etcd installed here')
      .example('$0 run --data-dir /var/lib/etcd --peers 10.0.0.2,10.0.0.3', 'Test the disk etcd will use and the RTT to the other members')
      .example(
        '$0 run --endpoints https://10.0.0.1:2379,https://10.0.0.2:2379 --cacert ca.pem --cert client.pem --key client-key.pem --name node3 --cert-file /etc/etcd/node3.pem --key-file /etc/etcd/node3-key.pem --trusted-ca-file /etc/etcd/ca.pem --data-dir /var/lib/etcd',
        "Qualify a node that joins a running TLS cluster: etcd.service/etcd.conf are node3's, with the full --initial-cluster and state existing",
      )
      .example(
        '$0 run --cluster n1=10.0.0.1,n2=10.0.0.2,n3=10.0.0.3 --name n1 --data-dir /var/lib/etcd',
        'On every node (with its own --name): a temporary 3-member etcd across the nodes; n1 drives the load and writes the cluster report',
      ),
  handler: async (args) => {
    if (args.cluster !== undefined) {
      // The same interrupt path as a run on its own: the node stops measuring, tells the others, and writes what it has, marked interrupted.
      const ownClusterInterrupt = handleInterruptInCommand();
      const outcome = await withProgress(args.json, (progress) =>
        runCluster({
          ...clusterArgsOf(args),
          ...(args['etcd-binary'] !== undefined ? { etcdBinary: args['etcd-binary'] } : {}),
          argv: ['etcd-advisor', ...process.argv.slice(2)],
          progress,
        }),
      ).finally(ownClusterInterrupt);
      if (args.json) printJson(outcome.report);
      else {
        process.stdout.write(renderTerminalSummary(outcome.report, outcome.outDir, outcome.files, process.stdout.columns || 100));
        if (outcome.clusterFiles.length > 0)
          process.stdout.write(
            `cluster report: ${outcome.clusterFiles[0]!.replace(/cluster-report\.json$/, 'cluster-report.html')} (and .json, .csv, .md; each member's etcd.service and etcd.conf beside it)\n`,
          );
      }
      const stoppedBy = interruption();
      if (stoppedBy !== null)
        process.stderr.write(
          `etcd-advisor: stopped by ${stoppedBy}: ${outcome.report.artifacts.interruption !== undefined ? `what this node measured is in ${outcome.outDir}, marked interrupted (verdict incomplete)` : `the cluster run had finished; the report in ${outcome.outDir} is complete`}\n`,
        );
      process.exitCode = outcome.exitCode;
      return;
    }
    // A malformed peer, or an empty --peers, is bad usage (exit 2) before anything is measured.
    const peers = args.peers === undefined ? undefined : parsePeerList(args.peers).map((p) => p.raw);
    const etcdVersion = etcdVersionArg(args['etcd-version']);
    // On Ctrl-C or SIGTERM the run stops measuring and writes what it has, marked interrupted; the signal does not exit.
    const ownInterrupt = handleInterruptInCommand();
    const outcome = await withProgress(args.json, (progress) =>
      runAll({
        ...(args['data-dir'] !== undefined ? { dataDir: args['data-dir'] } : {}),
        ...(args.out !== undefined ? { out: args.out } : {}),
        ...(args.endpoints !== undefined ? { connection: connectionFrom(args, parseEndpoints(args.endpoints)) } : {}),
        ...(peers !== undefined ? { peers } : {}),
        method: args.method as RttMethodChoice,
        member: memberOptionsFrom(args, undefined),
        currentFiles: { unit: args.unit, envFiles: args['env-file'], configFile: args['config-file'] },
        ...(args['target-data-dir'] !== undefined ? { targetDataDir: args['target-data-dir'] } : {}),
        quick: args.quick,
        ...(args['etcd-binary'] !== undefined ? { etcdBinary: args['etcd-binary'] } : {}),
        ...(etcdVersion !== undefined ? { whatIf: { etcdVersion } } : {}),
        argv: commandLine(),
        progress,
      }),
    ).finally(ownInterrupt);
    if (args.json) printJson(outcome.report);
    else process.stdout.write(renderTerminalSummary(outcome.report, outcome.outDir, outcome.files, process.stdout.columns || 100));
    if ((outcome.unwritten ?? []).length > 0) {
      // The verdict and every check are printed above: they are what the run measured, even where the disk could not keep them.
      if (!args.json) process.stdout.write(`\nCould not write:\n${(outcome.unwritten ?? []).map((f) => `  ${f.path}: ${f.error}\n`).join('')}`);
      process.stderr.write(
        `etcd-advisor: could not write ${(outcome.unwritten ?? []).length} of the report files in ${outcome.outDir} (${outcome.unwritten![0]!.error}); the verdict and checks are on stdout\n`,
      );
    }
    const signal = interruption();
    if (signal !== null) {
      const marked = outcome.report.artifacts.interruption !== undefined;
      process.stderr.write(
        `etcd-advisor: stopped by ${signal}: ${marked ? `what was measured is in ${outcome.outDir}, marked interrupted (verdict incomplete)` : `the measuring had finished; the report in ${outcome.outDir} is complete`}\n`,
      );
    }
    process.exitCode = outcome.exitCode;
  },
};
