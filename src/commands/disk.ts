// `etcd-advisor disk`: whether a disk can hold etcd's WAL, measured with fio (--dir) or judged from a pasted fio output (--from).
import type { CommandModule } from 'yargs';
import { runDisk } from '../disk.js';
import { renderDiskText } from '../report/terminal/disk.js';
import { capText } from '../util/input-file.js';
import { jsonOption, printJson, withProgress } from './shared.js';

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
      runDisk({
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
