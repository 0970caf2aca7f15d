// Runs the built CLI (dist/cli.js, as `make test` builds it) the way an operator does, capturing stdout, stderr and the exit code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (make test does) before these tests`);
  const r = await execa('node', [CLI, ...args], { reject: false, stdin: 'ignore', stripFinalNewline: false, ...options });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
