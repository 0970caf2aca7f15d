// The command surface, one module per command; each later issue replaces its placeholder here.
import type { CommandModule } from 'yargs';
import { lintCommand } from './lint.js';
import { adviseCmd, compare, disk, load, net, report } from './not-yet.js';
import { statusCommand } from './status.js';
import { runCommand } from './run.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' CommandModule is invariant in its argument types.
export const COMMANDS: CommandModule<any, any>[] = [runCommand, disk, net, load, adviseCmd, report, compare, lintCommand, statusCommand];
