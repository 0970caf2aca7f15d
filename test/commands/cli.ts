// Test helper: runs the built CLI (dist/cli.js), building it first when any source is newer.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export async function ensureBuilt(): Promise<void> {
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newestMtime(join(ROOT, 'src'))) await execa('npm', ['run', 'build'], { cwd: ROOT });
}

export function cli(args: string[]) {
  return execa('node', [CLI, ...args], { reject: false, cwd: ROOT });
}
