// Where the scenario files a flag names are found: one shipped in scenarios/ by name, or a path; shared by load scenarios and disk profiles.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../model/errors.js';
import { readInputFile } from '../util/input-file.js';

/** The scenarios/ directory of the package, the same two levels up from src/scenarios/ and from dist/scenarios/. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** scenarios/ holds both kinds: the fio profiles of `disk` are disk-NAME.yaml, the load scenarios every other NAME.yaml. */
export const DISK_PROFILE_PREFIX = 'disk-';

/** Anything with a slash or a .yaml/.yml ending is a path; anything else a name in scenarios/. */
export function isScenarioPath(nameOrPath: string): boolean {
  return /[/\\]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
}

/** The names a flag accepts for one kind, sorted: what an error lists when a name is unknown. */
export async function scenarioNames(kind: 'load' | 'disk', dir = SCENARIO_DIR): Promise<string[]> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    return [];
  }
  const names = files.filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));
  const disk = names.filter((n) => n.startsWith(DISK_PROFILE_PREFIX));
  return (kind === 'disk' ? disk.map((n) => n.slice(DISK_PROFILE_PREFIX.length)) : names.filter((n) => !disk.includes(n))).sort();
}

/**
 * The text of the scenario file a flag names. A path the operator gave goes through the one bounded reader (regular
 * file, size cap, timeout); a name is a file shipped in scenarios/, and an unknown name is refused in `unknownName`'s words.
 */
export async function readScenarioFile(
  nameOrPath: string,
  file: string,
  o: { flag: string; holding: string; unknownName: () => Promise<string> },
): Promise<string> {
  if (isScenarioPath(nameOrPath)) return readInputFile(file, { flag: o.flag, holding: o.holding, kind: 'config' });
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UsageError(await o.unknownName());
  }
}
