// Test support: builds the CLI once per test file and runs `etcd-advisor advise` as an operator would, a real process.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = resolve(ROOT, 'dist', 'cli.js');

let built: Promise<unknown> | null = null;

/** `npm run build`, so that the tests run the code of this checkout and not a stale dist/. */
export function ensureBuilt(): Promise<unknown> {
  built ??= run('npm', ['run', 'build'], { cwd: ROOT });
  return built;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function advise(args: string[]): Promise<CliResult> {
  await ensureBuilt();
  try {
    const { stdout, stderr } = await run('node', [CLI, 'advise', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
