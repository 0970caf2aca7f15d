// Runs the built etcd-advisor CLI as an operator would, for end-to-end tests.
import { fileURLToPath } from 'node:url';
import { execa, type Options, type ResultPromise } from 'execa';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function runCli(args: string[], options: Options = {}): ResultPromise<Options> {
  return execa(process.execPath, ['--', CLI, ...args], { reject: false, stdin: 'ignore', ...options });
}
