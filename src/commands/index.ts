// The command surface, one module per command: a new command is registered here.
import type { CommandModule } from 'yargs';
import { adviseCommand } from './advise.js';
import { compareCommand } from './compare.js';
import { diskCommand } from './disk.js';
import { lintCommand } from './lint.js';
import { loadCommand } from './load.js';
import { netCommand } from './net.js';
import { observeCommand } from './observe.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { statusCommand } from './status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' CommandModule is invariant in its argument types.
export const COMMANDS: CommandModule<any, any>[] = [
  runCommand,
  diskCommand,
  netCommand,
  loadCommand,
  adviseCommand,
  reportCommand,
  compareCommand,
  lintCommand,
  statusCommand,
  observeCommand,
];
