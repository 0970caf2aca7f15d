// `etcd-advisor compare A.json B.json ... | DIR`: ranks many nodes' runs and flags the outliers, in one HTML page and one CSV.
import { capText } from '../util/input-file.js';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { compareReports, writeComparison } from '../compare/index.js';
import { renderCompareText } from '../compare/render.js';
import { fleetFails, OUTLIER_RULE, SIGNIFICANT_RATIO } from '../compare/fleet.js';
import { EXIT } from '../model/errors.js';
import { jsonOption, printJson } from './shared.js';

interface CompareArgs {
  reports: string[];
  out?: string;
  json: boolean;
}

function timestamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <reports..>',
  describe: "Compare many nodes' report.json files: rank them by fdatasync p99, RTT and load, and flag the outliers",
  builder: (y) =>
    y
      .positional('reports', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: `report.json files (each ${capText('report')}), or directories holding them (searched for report.json up to 3 levels down)`,
      })
      .option('out', { type: 'string', normalize: true, describe: 'Directory for compare.html and compare.csv (default: ./reports/compare-<UTC timestamp>/)' })
      .option('json', jsonOption("the comparison (every node's figures, ranks and outliers) as JSON"))
      .example('$0 compare reports/', 'Compare every run under ./reports')
      .example('$0 compare node1/report.json node2/report.json node3/report.json --out /tmp/fleet', 'Compare three nodes into /tmp/fleet')
      .epilogue(
        `Outlier: ${OUTLIER_RULE}.\nExit codes: 0 every node qualified and no outlier that matters; 1 a node does not qualify or is ${SIGNIFICANT_RATIO}x worse than the median on a disk or RTT figure; 2 a file is not a report.json.`,
      ),
  handler: async (args) => {
    const now = new Date();
    const fleet = await compareReports(args.reports.map(String));
    const outDir = resolve(args.out ?? join('reports', `compare-${timestamp(now)}`));
    const files = await writeComparison(outDir, fleet, now.toISOString());
    if (args.json) {
      printJson({ generatedAt: now.toISOString(), outlierRule: OUTLIER_RULE, files, ...fleet });
    } else {
      process.stdout.write(renderCompareText(fleet, files));
    }
    process.exitCode = fleetFails(fleet) ? EXIT.failed : EXIT.ok;
  },
};
