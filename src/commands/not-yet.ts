// Commands whose issues have not landed yet: each says so in one line and exits 2.
import type { CommandModule } from 'yargs';
import { notYet } from './shared.js';

function placeholder(command: string, describe: string, issue: string): CommandModule {
  return { command, describe: `${describe} (not implemented yet)`, builder: (y) => y, handler: () => notYet(`\`etcd-advisor ${command.split(' ')[0]}\``, issue) };
}

export const load = placeholder('load', 'Drive put/get load against etcd from a scenario', 'issue 5');
