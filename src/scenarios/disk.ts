// Loads fio disk profiles from scenario files (scenarios/disk-NAME.yaml or a path) through a zod schema, accepting only fio options that write where the tool says, each inside its range.
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError, errorMessage } from '../model/errors.js';
import type { FioProfile } from '../probes/disk.js';
import { LIMITS } from '../util/limits.js';
import { firstIssue, refuse, says, show } from '../util/schema.js';
import { formatBytes, type Range } from '../util/units.js';
import { DISK_PROFILE_PREFIX, isScenarioPath, readScenarioFile, SCENARIO_DIR, scenarioNames } from './files.js';

const PROFILE_KIND = 'disk-profile';

const notValid = (key: string) => says((v) => `fio option ${key}: ${show(v)} is not a valid value`);
const outOfRange = (key: string, range: Range, unit = '') => `fio option ${key}: must be from ${range.min}${unit} to ${range.max}${unit}`;

/** One of fio's words for the option. */
const oneOf = (key: string, ...allowed: [string, ...string[]]) => z.enum(allowed, { errorMap: notValid(key) });

/** A whole number inside `range` (digits in quotes too); fio gets it as written back. */
function wholeNumber(key: string, range: Range, unit = '') {
  return z
    .preprocess(
      (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
      z
        .number({ errorMap: notValid(key) })
        .int()
        .positive(),
    )
    .superRefine(refuse((n: number) => (n < range.min || n > range.max ? `${outOfRange(key, range, unit)}, got ${n}` : null)))
    .transform(String);
}

/** 0 or 1 (true or false). */
const zeroOrOne = (key: string) =>
  z
    .custom<0 | 1 | boolean>(
      (v) => v === 0 || v === 1 || typeof v === 'boolean',
      (v: unknown) => ({ message: `fio option ${key}: ${show(v)} is not a valid value` }),
    )
    .transform((v) => String(Number(v)));

/** A fio size (powers of 1024), inside `range`; fio gets the text as written. */
function fioSize(key: string, range: Range) {
  return z
    .custom<string | number>(
      (v) => typeof v === 'string' || typeof v === 'number',
      (v: unknown) => ({ message: `fio option ${key}: ${show(v)} is not a valid value` }),
    )
    .superRefine((v, ctx) => {
      const bytes = parseFioSize(v);
      if (bytes === null) ctx.addIssue({ code: 'custom', fatal: true, message: `fio option ${key}: ${show(v)} is not a valid value` });
      else if (bytes < range.min || bytes > range.max)
        ctx.addIssue({
          code: 'custom',
          fatal: true,
          message: `fio option ${key}: must be from ${formatBytes(range.min)} to ${formatBytes(range.max)}, got ${show(v)}`,
        });
    })
    .transform(String);
}

const flag = (key: string) => z.boolean({ errorMap: says(() => `fio option "${key}" takes true or false`) });

/**
 * The fio options a profile may set. Everything else is refused: where fio writes (--directory, --filename), what it
 * prints (--output*) and what it runs (exec_prerun, ioengine=exec) are the tool's to decide, never a scenario file's.
 * Numbers are bounded by util/limits.ts.
 */
const OPTIONS = {
  rw: oneOf('rw', 'write', 'randwrite'),
  ioengine: oneOf('ioengine', 'sync', 'psync', 'pvsync', 'pvsync2', 'libaio', 'io_uring', 'posixaio'),
  fdatasync: wholeNumber('fdatasync', LIMITS.fioSyncEvery),
  fsync: wholeNumber('fsync', LIMITS.fioSyncEvery),
  bs: fioSize('bs', LIMITS.fioBlock),
  size: fioSize('size', LIMITS.fioFile),
  direct: zeroOrOne('direct'),
  buffered: zeroOrOne('buffered'),
  end_fsync: zeroOrOne('end_fsync'),
  fsync_on_close: zeroOrOne('fsync_on_close'),
  numjobs: wholeNumber('numjobs', LIMITS.fioJobs),
  iodepth: wholeNumber('iodepth', LIMITS.fioDepth),
  runtime: wholeNumber('runtime', LIMITS.fioSeconds, ' s'),
  ramp_time: wholeNumber('ramp_time', LIMITS.fioSeconds, ' s'),
  time_based: flag('time_based'),
  group_reporting: flag('group_reporting'),
};
/** Options fio takes without a value: true adds "--name", false leaves it out. */
const FLAGS = new Set(['time_based', 'group_reporting']);
const REQUIRED = ['rw', 'bs', 'size'] as const;

const fioOptions = z
  .object(
    Object.fromEntries(Object.entries(OPTIONS).map(([k, s]) => [k, s.optional()])) as { [K in keyof typeof OPTIONS]: z.ZodOptional<(typeof OPTIONS)[K]> },
    {
      errorMap: says((_v, issue) =>
        issue.code === 'unrecognized_keys'
          ? `fio option "${issue.keys[0]}" is not allowed in a profile (allowed: ${Object.keys(OPTIONS).join(', ')})`
          : 'expected "fio:" with fio options, e.g. rw: write, bs: 2300, size: 22m',
      ),
    },
  )
  .strict()
  .superRefine((o, ctx) => {
    const missing = REQUIRED.find((k) => o[k] === undefined);
    if (missing !== undefined) ctx.addIssue({ code: 'custom', message: `fio option "${missing}" is required` });
    else if (o.time_based === true && o.runtime === undefined) ctx.addIssue({ code: 'custom', message: '"time_based: true" needs "runtime" (seconds)' });
  });

const TOP_KEYS = ['kind', 'name', 'description', 'source', 'fio'];

/** A profile file: what it is, its name, where it comes from, and the fio options. */
const profileFile = z
  .object(
    {
      kind: z.unknown().superRefine(refuse((k) => (k !== PROFILE_KIND ? `expected "kind: ${PROFILE_KIND}" (got ${JSON.stringify(k ?? null)})` : null))),
      name: z.string({ errorMap: says(() => 'expected a "name" of lower-case letters, digits and dashes') }).regex(/^[a-z0-9][a-z0-9-]*$/),
      description: z.string({ errorMap: says((v) => `description: must be text, got ${show(v)}`) }).optional(),
      source: z.string({ errorMap: says((v) => `source: must be text, got ${show(v)}`) }).optional(),
      fio: fioOptions,
    },
    {
      errorMap: says((_v, issue) =>
        issue.code === 'unrecognized_keys'
          ? `${issue.keys[0]}: unknown key (expected ${TOP_KEYS.join(', ')})`
          : `expected a mapping with kind: ${PROFILE_KIND}, name and fio`,
      ),
    },
  )
  .strict();

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
  // The kind first: a load scenario given as a profile is named as such, before any of its keys.
  const kind = profileFile.pick({ kind: true }).passthrough().safeParse(doc);
  const parsed = kind.success ? profileFile.safeParse(doc) : kind;
  if (!parsed.success) throw new UsageError(`${origin}: ${firstIssue(parsed.error).message}`);
  const d = parsed.data as z.infer<typeof profileFile>;
  const written = (doc as { fio: Record<string, unknown> }).fio;
  const options = d.fio as Record<string, string | boolean | undefined>;
  // fio reads its options in the order the file gives them.
  const args: string[] = [];
  for (const key of Object.keys(written)) {
    const value = options[key];
    if (FLAGS.has(key)) {
      if (value === true) args.push(`--${key}`);
    } else args.push(`--${key}=${String(value)}`);
  }
  // Each job writes its own file of `size`; a time-based job loops over it rather than growing it.
  const sizeBytes = parseFioSize(written.size)! * Number(d.fio.numjobs ?? 1);
  const profile: FioProfile = { name: d.name, args, sizeBytes };
  if (d.description !== undefined) profile.description = d.description;
  if (d.source !== undefined) profile.source = d.source;
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
  const text = await readScenarioFile(nameOrPath, file, {
    flag: '--profile',
    holding: 'a disk profile (YAML)',
    unknownName: async () =>
      `--profile ${nameOrPath}: no such profile (available: ${(await listDiskProfiles(dir)).join(', ') || 'none found in ' + dir}; or give a path to a .yaml file)`,
  });
  return parseDiskProfile(text, isPath ? nameOrPath : basename(file));
}
