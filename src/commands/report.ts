// `etcd-advisor report --from report.json`: renders every report file again from a saved run, measuring nothing.
import { capText } from '../util/input-file.js';
import { dirname, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { readReport } from '../report/load.js';
import { writeReport } from '../report/write.js';
import { jsonOption, printJson } from './shared.js';

interface ReportArgs {
  from: string;
  out?: string;
  json: boolean;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'Render report.html, report.csv, summary.md, etcd.service and etcd.conf again from a saved report.json',
  builder: (y) =>
    y
      .option('from', { type: 'string', demandOption: true, normalize: true, describe: `The report.json of a run (${capText('report')})` })
      .option('out', {
        type: 'string',
        normalize: true,
        describe: 'Directory for the files (default: the directory of --from; report.json is rewritten with a new generation time only)',
      })
      .option('json', jsonOption('{ "out": DIR, "files": [...] } as JSON'))
      .example('$0 report --from reports/node1-20261124T054653Z-793a/report.json --out /tmp/node1', 'Render the files of a saved run into /tmp/node1')
      .epilogue('Only the generation time differs from the files the run wrote. Exit 0 when the files are written, 2 when --from is not a report.json.'),
  handler: async (args) => {
    const saved = await readReport(args.from, { flag: '--from' });
    const outDir = resolve(args.out ?? dirname(args.from));
    const files = await writeReport(outDir, { ...saved, generatedAt: new Date().toISOString() });
    if (args.json) printJson({ out: outDir, files });
    else process.stdout.write(`Report rendered from ${args.from} into ${outDir}:\n${files.map((f) => `  ${f}\n`).join('')}`);
  },
};
