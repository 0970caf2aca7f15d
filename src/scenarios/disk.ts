// Loads fio disk profiles from scenario files (scenarios/disk-NAME.yaml or a path), accepting only fio options that write where the tool says.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError, errorMessage } from '../model/errors.js';
import type { FioProfile } from '../probes/disk.js';
import { DISK_PROFILE_PREFIX, isScenarioPath, SCENARIO_DIR, scenarioNames } from './files.js';

const PROFILE_KIND = 'disk-profile';

type OptionCheck = (value: unknown) => string | null;

const oneOf =
  (...allowed: string[]): OptionCheck =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? v : null;
const positiveInt: OptionCheck = (v) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? String(n) : null;
};
const zeroOrOne: OptionCheck = (v) => (v === 0 || v === 1 || v === true || v === false ? String(Number(v)) : null);
const size: OptionCheck = (v) => (parseFioSize(v) !== null ? String(v) : null);
/** Options fio takes without a value: true adds "--name", false leaves it out. */
const FLAG = 'flag';

/**
 * The fio options a profile may set. Everything else is refused: where fio writes (--directory, --filename), what it
 * prints (--output*) and what it runs (exec_prerun, ioengine=exec) are the tool's to decide, never a scenario file's.
 */
const ALLOWED: Record<string, OptionCheck | typeof FLAG> = {
  rw: oneOf('write', 'randwrite'),
  ioengine: oneOf('sync', 'psync', 'pvsync', 'pvsync2', 'libaio', 'io_uring', 'posixaio'),
  fdatasync: positiveInt,
  fsync: positiveInt,
  bs: size,
  size,
  direct: zeroOrOne,
  buffered: zeroOrOne,
  end_fsync: zeroOrOne,
  fsync_on_close: zeroOrOne,
  numjobs: positiveInt,
  iodepth: positiveInt,
  runtime: positiveInt,
  ramp_time: positiveInt,
  time_based: FLAG,
  group_reporting: FLAG,
};

/** fio sizes: a bare number is bytes; k, m, g, t (with or without "i"/"b") are powers of 1024, fio's default kb_base. */
export function parseFioSize(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)([kmgt]?)(?:i?b)?$/i.exec(value.trim());
  if (!m) return null;
  const power = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  const bytes = Number(m[1]) * 1024 ** power;
  return bytes > 0 ? Math.round(bytes) : null;
}

/** Validates a scenario file's text into a profile; `origin` names the file in every error. */
export function parseDiskProfile(text: string, origin: string): FioProfile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${origin}: not valid YAML: ${errorMessage(err).split('\n')[0]}`);
  }
  const bad = (what: string) => new UsageError(`${origin}: ${what}`);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw bad(`expected a mapping with kind: ${PROFILE_KIND}, name and fio`);
  const d = doc as Record<string, unknown>;
  if (d.kind !== PROFILE_KIND) throw bad(`expected "kind: ${PROFILE_KIND}" (got ${JSON.stringify(d.kind ?? null)})`);
  if (typeof d.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(d.name)) throw bad('expected a "name" of lower-case letters, digits and dashes');
  if (d.fio === null || typeof d.fio !== 'object' || Array.isArray(d.fio)) throw bad('expected "fio:" with fio options, e.g. rw: write, bs: 2300, size: 22m');
  const options = d.fio as Record<string, unknown>;
  const args: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const check = ALLOWED[key];
    if (check === undefined) throw bad(`fio option "${key}" is not allowed in a profile (allowed: ${Object.keys(ALLOWED).join(', ')})`);
    if (check === FLAG) {
      if (typeof value !== 'boolean') throw bad(`fio option "${key}" takes true or false`);
      if (value) args.push(`--${key}`);
      continue;
    }
    const accepted = check(value);
    if (accepted === null) throw bad(`fio option ${key}: ${JSON.stringify(value)} is not a valid value`);
    args.push(`--${key}=${accepted}`);
  }
  for (const required of ['rw', 'bs', 'size']) {
    if (options[required] === undefined) throw bad(`fio option "${required}" is required`);
  }
  if (options.time_based === true && options.runtime === undefined) throw bad('"time_based: true" needs "runtime" (seconds)');
  // Each job writes its own file of `size`; a time-based job loops over it rather than growing it.
  const sizeBytes = parseFioSize(options.size)! * Number(options.numjobs ?? 1);
  const profile: FioProfile = { name: d.name, args, sizeBytes };
  if (typeof d.description === 'string') profile.description = d.description;
  if (typeof d.source === 'string') profile.source = d.source;
  return profile;
}

/** Names of the profiles shipped in scenarios/ ("etcd", "openshift", ...). */
export function listDiskProfiles(dir = SCENARIO_DIR): Promise<string[]> {
  return scenarioNames('disk', dir);
}

/** `--profile NAME` reads scenarios/disk-NAME.yaml; anything with a slash or a .yaml/.yml ending is a path. */
export async function loadDiskProfile(nameOrPath: string, dir = SCENARIO_DIR): Promise<FioProfile> {
  const isPath = isScenarioPath(nameOrPath);
  if (!isPath && !/^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)) throw new UsageError(`--profile "${nameOrPath}" is neither a profile name nor a .yaml path`);
  const file = isPath ? nameOrPath : join(dir, `${DISK_PROFILE_PREFIX}${nameOrPath}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (isPath) throw new UsageError(`--profile ${nameOrPath}: cannot read the file`);
    throw new UsageError(
      `--profile ${nameOrPath}: no such profile (available: ${(await listDiskProfiles(dir)).join(', ') || 'none found in ' + dir}; or give a path to a .yaml file)`,
    );
  }
  return parseDiskProfile(text, isPath ? nameOrPath : basename(file));
}
