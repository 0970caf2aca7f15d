#!/usr/bin/env -S node --max-old-space-size=4096 --max-semi-space-size=4 --heap-growing-percent=50 --
// The etcd-advisor command line: yargs commands, each a thin wrapper over a library function; errors become exit codes, never stack traces.
// "node --": Node 20 reads --env-file anywhere on its command line, so `lint --env-file x` would be answered by Node, not by this tool.
// The heap flags bound the load process's peak memory (bench/README.md): with V8's sizes taken from a large host's memory, a
// 2000-client load peaked at 165-180 MB. An explicit old-space limit (4 GiB, what Node picks on a host of 16 GiB or more
// anyway), 4 MiB semi-spaces and a heap that grows by 1.5x, not up to 4x, between full GCs bring it to about 115 MB.
import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { COMMANDS } from './commands/index.js';
import { EXIT, errorMessage, UsageError } from './model/errors.js';
import { runCleanup } from './util/cleanup.js';
import { redact } from './util/secrets.js';
import { TOOL_VERSION } from './version.js';

const EPILOGUE = `Exit codes:
  0  every check passes (warnings allowed)
  1  at least one check fails: the node does not qualify
  2  bad usage or bad input
  3  the run could not complete (a tool missing, etcd unreachable, disk full); what was measured is still written

Facts and thresholds come from etcd's docs and code; every report cites them.`;

// grpc-js names an IP address as the TLS server name, and Node warns of it (DEP0123) on every TLS command: the warning is
// about a library's internals, says nothing to the operator, and is the only stack-like text a TLS run printed.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((...args: unknown[]) => {
  const options = args[1];
  const code = typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : args[2];
  if (code === 'DEP0123') return;
  emitWarning(...args);
}) as typeof process.emitWarning;

export async function main(argv: string[]): Promise<void> {
  const parser = yargs(argv)
    .scriptName('etcd-advisor')
    .usage('$0 <command> [options]\n\nQualifies a node for etcd (disk, network, etcd load) and recommends, with evidence, how to configure etcd on it.')
    .command(COMMANDS.map(valuesRequired))
    // yargs turns a number option given as text into NaN and lets it through: every command would print "NaN" in its own way.
    .middleware((args) => {
      const key = Object.keys(args).find((k) => Number.isNaN(args[k]) && !/[A-Z]/.test(k));
      if (key !== undefined) throw new UsageError(`--${key} must be a number`);
    }, true)
    .demandCommand(1, 'Give a command: start with `etcd-advisor run`, or see the list above.')
    .recommendCommands()
    .strict()
    .version(TOOL_VERSION)
    .help()
    .alias('h', 'help')
    .epilogue(EPILOGUE)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs' own validation messages are usage errors, and so are its parse errors (a YError: "Not enough arguments
      // following"); errors thrown by handlers are handled below.
      if (err && err.name !== 'YError') throw err;
      // Some of yargs' messages span lines ("Invalid values:\n  Argument: ..."): the error is one line like every other.
      process.stderr.write(`etcd-advisor: ${usageText(msg)} (--help shows the options and an example)\n`);
      process.exit(EXIT.usage);
    });
  await parser.parseAsync();
}

/**
 * Every flag that takes a value needs one (yargs' requiresArg), set here once for every command: without it `load --clients`
 * ran with the default, `run --out` wrote into the working directory and `--call-timeout` kept its default, all silently.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' CommandModule is invariant in its argument types.
function valuesRequired(command: CommandModule<any, any>): CommandModule<any, any> {
  const build = command.builder;
  if (typeof build !== 'function') return command;
  // `lint <files..>`, `compare <reports..>`: positionals are not flags.
  const positionals = new Set([...String(command.command ?? '').matchAll(/[<[]([\w-]+)/g)].map((m) => m[1]!));
  return {
    ...command,
    builder: (y: Argv) => {
      const b = build(y) as Argv;
      // getOptions() is yargs' own record of the options declared (public, not in its typings).
      const o = (b as unknown as { getOptions(): Record<'string' | 'number' | 'boolean' | 'array', string[]> }).getOptions();
      // Not an array flag (--env-file a b): requiresArg would take one value only.
      const flags = (list: string[]) => list.filter((k) => !o.boolean.includes(k) && !positionals.has(k));
      const valued = flags([...o.string, ...o.number]).filter((k) => !o.array.includes(k));
      const arrays = flags(o.array);
      // An array flag given bare is an empty list: the same usage error.
      return (valued.length > 0 ? b.requiresArg(valued) : b).middleware((args) => {
        const bare = arrays.find((k) => Array.isArray(args[k]) && (args[k] as unknown[]).length === 0);
        if (bare !== undefined) throw new UsageError(`Not enough arguments following: --${bare}`);
      }, true);
    },
  };
}

/** yargs names flags without their dashes ("Unknown argument: unit"): the operator typed --unit, so say --unit, on one line. */
export function usageText(msg: string): string {
  // yargs lists a kebab-case flag again in camelCase: the operator typed one.
  const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const dashed = (names: string) =>
    [...new Set(names.split(/,\s*/).map(kebab))].map((n) => (n.startsWith('-') ? n : `${n.length === 1 ? '-' : '--'}${n}`)).join(', ');
  return msg
    .replace(/\s*\n\s*/g, ' ')
    .replace(/^(Unknown arguments?|Missing required arguments?|Not enough arguments following): (.+)$/, (_m, what: string, names: string) => {
      const flags = dashed(names);
      return `${flags.includes(',') || what.endsWith('following') ? what : what.replace(/s$/, '')}: ${flags}`;
    })
    .replace(/^Arguments (\S+) and (\S+) are mutually exclusive$/, (_m, a: string, b: string) => `${dashed(a)} and ${dashed(b)} cannot be given together`);
}

function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown }).exitCode;
  return typeof code === 'number' ? code : EXIT.incomplete;
}

// A reader that closes the pipe early (`status ... | head -c 10`) ends the output, not the tool with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

main(hideBin(process.argv)).catch(async (err: unknown) => {
  await runCleanup();
  const code = exitCodeOf(err);
  // Every error is one line, whatever a library put into its message (JSON.parse quotes the text it stopped at, newlines and all).
  process.stderr.write(`etcd-advisor: ${redact(errorMessage(err)).replace(/\s*\n\s*/g, ' ')}\n`);
  if (code === EXIT.incomplete && process.env.ETCD_ADVISOR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = code;
});
