// Load scenarios: YAML files under scenarios/ (or any path), validated by zod schemas into typed phases, with errors that name the bad key path and value.
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError, errorMessage } from '../model/errors.js';
import { isScenarioPath, readScenarioFile, SCENARIO_DIR, scenarioNames } from '../scenarios/files.js';
import { LIMITS } from '../util/limits.js';
import { byShape, firstIssue, pathText, refuse, says, show } from '../util/schema.js';
import {
  formatBytes as formatSize,
  formatDuration,
  GIVE_A_UNIT,
  parseDuration as parseDurationText,
  parseSize as parseBytes,
  type Range,
} from '../util/units.js';
import { parseThreshold } from './thresholds.js';

export type OpKind = 'put' | 'get' | 'range' | 'delete' | 'txn';
/** The names an op mix uses; "-serializable" reads are member-local, the others linearizable (etcd's default). */
export const OP_NAMES = ['put', 'get', 'get-serializable', 'range', 'range-serializable', 'delete', 'txn'] as const;
export type OpName = (typeof OP_NAMES)[number];

export interface OpSpec {
  name: OpName;
  kind: OpKind;
  weight: number;
  serializable: boolean;
  /** Ranges only: at most this many keys per call. */
  limit: number;
}

export interface SizeRange {
  min: number;
  max: number;
}

export interface LoadPhaseSpec {
  name: string;
  /** closed: `clients` loops as fast as etcd answers; open: `rate` requests per second whatever etcd does, `clients` the most in flight. */
  model: 'closed' | 'open';
  clients: number;
  conns: number;
  durationSec: number | null;
  total: number | null;
  rate: number | null;
  keySize: number;
  valueSize: SizeRange;
  keySpace: number;
  ops: OpSpec[];
  thresholds: string[];
}

export interface LoadScenario {
  name: string;
  description?: string;
  phases: LoadPhaseSpec[];
}

export const QUICK_SCENARIO_NAME = 'quick';
export const DEFAULT_SCENARIO_NAME = 'default';
/** A range op without a limit reads this many keys: a page of kubectl's default --chunk-size (500), as Kubernetes lists do. */
export const DEFAULT_RANGE_LIMIT = 500;
/**
 * One connection carries this many clients unless the scenario says otherwise: the lean client batches the requests of a
 * connection into one write, so few connections go faster (500 clients: 1-2 connections beat 5 in bench/lean-vs-go.sh);
 * Go's clientv3 uses one.
 */
const CLIENTS_PER_CONN = 250;
/** The sizes of `etcdctl check perf` (ETCD-FACTS.md): the defaults of a phase that names none. */
const DEFAULT_KEY_SIZE = 256;
const DEFAULT_VALUE_SIZE = 1024;
const DEFAULT_KEY_SPACE = 10_000;

/** The source name of values that came from command-line flags: their errors name the flag alone. */
const FLAGS = 'flags';

/** One line naming the file (or only the flag) and the key path. */
function failure(source: string, path: string, why: string): UsageError {
  return new UsageError(source === FLAGS ? `${path}: ${why}` : `scenario ${source}: ${path}: ${why}`);
}

/** Parses `v` with `schema`; an issue becomes one usage error naming `source` and the key path below `path`. */
function check<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, v: unknown, source: string, path: (string | number)[]): T {
  const parsed = schema.safeParse(v);
  if (parsed.success) return parsed.data;
  const issue = firstIssue(parsed.error);
  throw failure(source, pathText([...path, ...issue.path]), issue.message);
}

/** A whole number above zero inside `range` (digits in quotes too, as YAML may give them). */
function wholeNumber(range: Range) {
  const errorMap = says((v, issue) =>
    (issue.code === 'too_small' && typeof v === 'number' && v > 0) || issue.code === 'too_big'
      ? `must be from ${range.min} to ${range.max}, got ${show(v)}`
      : `must be a positive whole number, got ${show(v)}`,
  );
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v),
    z.number({ errorMap }).int().positive().min(range.min).max(range.max),
  );
}

/** 256, "256B", "1KiB", "1.5 KiB" -> bytes, in the one size grammar (src/util/units.ts), inside `range`. */
function size(range: Range) {
  return z
    .unknown()
    .transform((v, ctx) => {
      try {
        if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a size');
        return parseBytes('size', v);
      } catch {
        ctx.addIssue({ code: 'custom', fatal: true, message: `must be a size like 256, "256B", "1KiB" or "10KiB", got ${show(v)}` });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .number({
          errorMap: says((v, issue) =>
            issue.code === 'too_small' && v === 0
              ? 'must be above zero, got 0'
              : `must be from ${range.min} B to ${formatSize(range.max)}, got ${formatSize(Number(v))}`,
          ),
        })
        .positive()
        .min(range.min)
        .max(range.max),
    );
}

/** A size, or a range "1KiB-10KiB" / {min, max} drawn uniformly per put. */
function sizeRange(range: Range) {
  return byShape<SizeRange>((v) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      return z
        .object({ min: size(range), max: size(range) }, { errorMap: says(() => 'unknown key (expected min and max)') })
        .strict()
        .superRefine(refuse(({ min, max }) => (max < min ? `max (${max}) is below min (${min})` : null)));
    if (typeof v === 'string' && /^[^-]+-[^-]+$/.test(v))
      return z
        .string()
        .transform((text, ctx) => {
          const [min, max] = text.split('-').map((part) => size(range).safeParse(part));
          if (!min!.success || !max!.success) {
            ctx.addIssue({ code: 'custom', fatal: true, message: firstIssue((min!.success ? max : min)!.error!).message });
            return z.NEVER;
          }
          return { min: min!.data, max: max!.data };
        })
        .superRefine(refuse(({ min, max }) => (max < min ? `the range ${show(v)} goes down` : null)));
    return size(range).transform((n) => ({ min: n, max: n }));
  });
}

/** "60s", "500ms", "2m", "1m30s" -> seconds: the one duration grammar; a bare number is refused as for every flag. */
const duration = z
  .unknown()
  .transform((v, ctx) => {
    try {
      if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a duration');
      return parseDurationText('duration', v);
    } catch (err) {
      const why = err instanceof UsageError && err.message.endsWith(GIVE_A_UNIT) ? GIVE_A_UNIT : 'Go syntax, with a unit';
      ctx.addIssue({ code: 'custom', fatal: true, message: `must be a duration like "60s", "500ms" or "2m" (${why}), got ${show(v)}` });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .number({
        errorMap: says((v) =>
          v === 0
            ? 'must be above zero, got 0'
            : `must be from ${formatDuration(LIMITS.phaseMs.min)} to ${formatDuration(LIMITS.phaseMs.max)}, got ${formatDuration(Number(v))}`,
        ),
      })
      .positive()
      .min(LIMITS.phaseMs.min)
      .max(LIMITS.phaseMs.max),
  )
  .transform((ms) => ms / 1000);

const OP_KEYS = ['weight', 'limit'];
const weight = z
  .number({ errorMap: says((v) => `must be a weight (a number from 0 to ${LIMITS.opWeight.max}), got ${show(v)}`) })
  .finite()
  .min(0)
  .max(LIMITS.opWeight.max);

/** One op of a mix: a weight, or {weight, limit} where a range reads at most `limit` keys per call. */
function opSpec(name: string) {
  const known = (OP_NAMES as readonly string[]).includes(name);
  const opName = name as OpName;
  const kind = opName.split('-')[0] as OpKind;
  const spec = byShape<{ weight: number; limit?: number | undefined }>((v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? z
          .object(
            { weight: z.unknown(), limit: wholeNumber(LIMITS.rangeLimit).optional() },
            { errorMap: says(() => `unknown key (expected ${OP_KEYS.join(' or ')})`) },
          )
          .strict()
          .superRefine((o, ctx) => {
            if (o.limit !== undefined && kind !== 'range')
              ctx.addIssue({ code: 'custom', fatal: true, path: ['limit'], message: 'only a range op has a limit' });
          })
          .pipe(z.object({ weight, limit: z.number().optional() }))
      : weight.transform((w) => ({ weight: w })),
  );
  return z
    .unknown()
    .superRefine((_v, ctx) => {
      if (!known) ctx.addIssue({ code: 'custom', fatal: true, message: `unknown op (expected one of ${OP_NAMES.join(', ')})` });
    })
    .pipe(spec)
    .transform((o): OpSpec => ({
      name: opName,
      kind,
      weight: o.weight,
      serializable: opName.endsWith('-serializable'),
      limit: o.limit ?? DEFAULT_RANGE_LIMIT,
    }));
}

const nonEmptyMix = refuse((ops: OpSpec[]) => (ops.length === 0 || ops.every((o) => o.weight === 0) ? 'needs at least one op with a weight above zero' : null));

/** { put: 20, get: 80 }, or the --op text "put=20,get=80". */
const ops = byShape<OpSpec[]>((v) => {
  if (typeof v === 'string')
    return z.string().transform((text, ctx) => {
      const read = readOpList(text);
      if (Array.isArray(read)) return read;
      ctx.addIssue({ code: 'custom', fatal: true, message: read.item === null ? read.message : `${read.item}: ${read.message}` });
      return z.NEVER;
    });
  return z
    .record(z.unknown(), { errorMap: says((x) => `must map op names to weights, e.g. { put: 20, get: 80 }, got ${show(x)}`) })
    .transform((o, ctx) => {
      const out: OpSpec[] = [];
      for (const [name, item] of Object.entries(o)) {
        const parsed = opSpec(name).safeParse(item);
        if (parsed.success) out.push(parsed.data);
        else {
          const issue = firstIssue(parsed.error);
          ctx.addIssue({ code: 'custom', fatal: true, path: [name, ...issue.path], message: issue.message });
          return z.NEVER;
        }
      }
      return out;
    })
    .superRefine(nonEmptyMix)
    .transform((list) => list.filter((o) => o.weight > 0));
});

/** The --op form: "put", "put=20,get=80", "range:100=10" (name[:limit][=weight]); an issue names the item it is about. */
function readOpList(text: string): OpSpec[] | { item: string | null; message: string } {
  const list: OpSpec[] = [];
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const m = /^([a-z-]+)(?::(\d+))?(?:=(\d+(?:\.\d+)?))?$/.exec(item);
    if (!m) return { item: null, message: `"${item}" is not an op (expected name[:limit][=weight], e.g. put=20,get=80,range:100=10)` };
    const spec: Record<string, unknown> = { weight: m[3] === undefined ? 1 : Number(m[3]) };
    if (m[2] !== undefined) spec.limit = Number(m[2]);
    const parsed = opSpec(m[1]!).safeParse(spec);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      return { item: pathText([item, ...issue.path]), message: issue.message };
    }
    list.push(parsed.data);
  }
  if (list.length === 0 || list.every((o) => o.weight === 0)) return { item: null, message: 'needs at least one op with a weight above zero' };
  return list.filter((o) => o.weight > 0);
}

/** --op as a flag: its errors name the flag and the item. */
export function parseOpList(text: string): OpSpec[] {
  const read = readOpList(text);
  if (Array.isArray(read)) return read;
  throw failure(FLAGS, read.item === null ? '--op' : `--op ${read.item}`, read.message);
}

const PHASE_KEYS = ['name', 'model', 'clients', 'conns', 'duration', 'total', 'rate', 'keySize', 'valueSize', 'keySpace', 'ops', 'thresholds'] as const;

/** A phase as the file writes it: every key typed and inside its range (util/limits.ts); the rules between keys follow. */
const phaseFields = z
  .object(
    {
      name: z
        .union([z.string(), z.number()])
        .transform(String)
        .pipe(z.string({ errorMap: says((v) => `use letters, digits, ".", "_" or "-", got ${show(v)}`) }).regex(/^[\w.-]+$/))
        .optional(),
      model: z.enum(['closed', 'open'], { errorMap: says((v) => `must be "closed" or "open", got ${show(v)}`) }).optional(),
      clients: wholeNumber(LIMITS.clients),
      conns: wholeNumber(LIMITS.conns).optional(),
      duration: duration.optional(),
      total: wholeNumber(LIMITS.total).optional(),
      rate: wholeNumber(LIMITS.rate).optional(),
      keySize: size(LIMITS.keySize).optional(),
      valueSize: sizeRange(LIMITS.valueSize).optional(),
      keySpace: wholeNumber(LIMITS.keySpace).optional(),
      ops: ops.optional(),
      thresholds: z.array(z.unknown().transform(String), { errorMap: says((v) => `must be a list of strings like "p99 < 25ms", got ${show(v)}`) }).optional(),
    },
    {
      errorMap: says((v, issue) =>
        issue.code === 'unrecognized_keys' ? `unknown key (expected one of ${PHASE_KEYS.join(', ')})` : `must be a mapping of phase settings, got ${show(v)}`,
      ),
    },
  )
  .strict();

function phaseSchema(index: number) {
  return phaseFields.transform((o, ctx): LoadPhaseSpec => {
    const fail = (path: (string | number)[], message: string): never => {
      ctx.addIssue({ code: 'custom', fatal: true, path, message });
      return z.NEVER as never;
    };
    const rate = o.rate ?? null;
    const model = o.model ?? (rate === null ? 'closed' : 'open');
    if (model === 'open' && rate === null) return fail(['rate'], 'an open-model phase needs a target rate in requests per second');
    if (model === 'closed' && rate !== null) return fail(['rate'], 'a closed-model phase runs as fast as etcd answers: drop rate or set model: open');
    const conns = o.conns ?? Math.max(1, Math.ceil(o.clients / CLIENTS_PER_CONN));
    if (conns > o.clients) return fail(['conns'], `${conns} connections for ${o.clients} clients leaves some idle: use at most ${o.clients}`);
    if (o.duration === undefined && o.total === undefined) return fail([], 'needs a duration (e.g. "30s") or a total number of requests');
    const phase: LoadPhaseSpec = {
      name: o.name ?? `phase-${index + 1}`,
      model,
      clients: o.clients,
      conns,
      durationSec: o.duration ?? null,
      total: o.total ?? null,
      rate,
      keySize: o.keySize ?? DEFAULT_KEY_SIZE,
      valueSize: o.valueSize ?? { min: DEFAULT_VALUE_SIZE, max: DEFAULT_VALUE_SIZE },
      keySpace: o.keySpace ?? DEFAULT_KEY_SPACE,
      ops: o.ops ?? [OP_PUT],
      thresholds: o.thresholds ?? [],
    };
    for (const [i, t] of phase.thresholds.entries()) {
      try {
        parseThreshold(t, phase);
      } catch (err) {
        return fail(['thresholds', i], errorMessage(err));
      }
    }
    return phase;
  });
}

const OP_PUT: OpSpec = { name: 'put', kind: 'put', weight: 1, serializable: false, limit: DEFAULT_RANGE_LIMIT };

/** A scenario file: kind (load, or none), name, description, phases. */
const scenarioFields = z
  .object(
    {
      kind: z.unknown().superRefine(refuse((k) => (k !== undefined && k !== 'load' ? `this file is a ${show(k)}, not a load scenario (kind: load)` : null))),
      name: z.unknown().optional(),
      description: z.unknown().optional(),
      phases: z
        .array(z.unknown(), { errorMap: says((v) => `must be a non-empty list of phases, got ${show(v)}`) })
        .min(1)
        .transform((list, ctx) => {
          const out: LoadPhaseSpec[] = [];
          for (const [i, p] of list.entries()) {
            const parsed = phaseSchema(i).safeParse(p);
            if (!parsed.success) {
              const issue = firstIssue(parsed.error);
              ctx.addIssue({ code: 'custom', fatal: true, path: [i, ...issue.path], message: issue.message });
              return z.NEVER;
            }
            const twin = out.findIndex((q) => q.name === parsed.data.name);
            if (twin >= 0) {
              ctx.addIssue({ code: 'custom', fatal: true, path: [i, 'name'], message: `"${parsed.data.name}" is used twice` });
              return z.NEVER;
            }
            out.push(parsed.data);
          }
          return out;
        }),
    },
    {
      errorMap: says((v, issue) =>
        issue.code === 'unrecognized_keys' ? 'unknown key (expected kind, name, description, phases)' : 'must be a mapping with name and phases',
      ),
    },
  )
  .strict();

/** Validates a parsed YAML document; `source` names it in errors. */
export function validateScenario(doc: unknown, source: string, fallbackName: string): LoadScenario {
  // scenarios/ is shared with the disk profiles: a file says what it is, and a disk profile is turned away by its kind first.
  check(scenarioFields.pick({ kind: true }).passthrough(), doc, source, []);
  const o = check(scenarioFields, doc, source, []);
  const scenario: LoadScenario = { name: o.name === undefined ? fallbackName : String(o.name), phases: o.phases };
  if (o.description !== undefined) scenario.description = String(o.description);
  return scenario;
}

/** A name from scenarios/ ("quick", "check-perf-s") or a path to a YAML file. */
export async function loadScenario(nameOrPath: string): Promise<LoadScenario> {
  const isPath = isScenarioPath(nameOrPath);
  const file = isPath ? resolve(nameOrPath) : join(SCENARIO_DIR, `${nameOrPath}.yaml`);
  const text = await readScenarioFile(nameOrPath, file, {
    flag: '--scenario',
    holding: 'a load scenario (YAML)',
    unknownName: async () => `--scenario: no scenario named "${nameOrPath}" (known: ${(await listScenarios()).join(', ')}; or give a path to a YAML file)`,
  });
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UsageError(`scenario ${file}: not valid YAML: ${errorMessage(err).split('\n')[0]}`);
  }
  return validateScenario(doc, isPath ? file : nameOrPath, nameOrPath.replace(/^.*[/\\]/, '').replace(/\.ya?ml$/i, ''));
}

export function listScenarios(): Promise<string[]> {
  return scenarioNames('load');
}

export interface PhaseOverrides {
  model?: string;
  clients?: number;
  conns?: number;
  rate?: number;
  total?: number;
  duration?: string;
  keySize?: string;
  valSize?: string;
  op?: string;
  /** Which phase of the scenario the flags change; default the first. */
  phase?: string;
}

/** Defaults of an ad-hoc phase (workload flags without --scenario): etcd benchmark's put, as fast as etcd answers. */
export const AD_HOC_DEFAULTS = { name: 'ad-hoc', clients: 50, durationSec: 10 } as const;

/** Whether any workload flag was given. */
export function hasOverrides(o: PhaseOverrides): boolean {
  return Object.values(o).some((v) => v !== undefined);
}

/**
 * Workload flags without --scenario: one phase built from the flags alone, closed (clients loop as fast as etcd answers)
 * unless --rate asks for an open model, as `benchmark put --clients 500 --total 40000` does. Unset flags take etcdctl check
 * perf's sizes and AD_HOC_DEFAULTS.
 */
export function adHocScenario(o: PhaseOverrides): LoadScenario {
  if (o.phase !== undefined) throw new UsageError('--phase: names a phase of --scenario; without --scenario the flags make one phase of their own');
  const clients = o.clients ?? AD_HOC_DEFAULTS.clients;
  const base: LoadPhaseSpec = {
    name: AD_HOC_DEFAULTS.name,
    model: 'closed',
    clients,
    conns: Math.max(1, Math.ceil(clients / CLIENTS_PER_CONN)),
    durationSec: AD_HOC_DEFAULTS.durationSec,
    total: null,
    rate: null,
    keySize: DEFAULT_KEY_SIZE,
    valueSize: { min: DEFAULT_VALUE_SIZE, max: DEFAULT_VALUE_SIZE },
    keySpace: DEFAULT_KEY_SPACE,
    ops: parseOpList('put'),
    thresholds: [],
  };
  const scenario = applyOverrides({ name: AD_HOC_DEFAULTS.name, description: 'one phase from the command-line flags', phases: [base] }, o);
  return scenario;
}

/** Ad-hoc flags turn the scenario into one phase: the named (or first) phase with the flags applied, validated like a file. */
export function applyOverrides(scenario: LoadScenario, o: PhaseOverrides): LoadScenario {
  const given = Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'phase');
  if (given.length === 0 && o.phase === undefined) return scenario;
  const base = o.phase === undefined ? scenario.phases[0]! : scenario.phases.find((p) => p.name === o.phase);
  if (base === undefined)
    throw new UsageError(`--phase: the scenario ${scenario.name} has no phase "${o.phase}" (it has ${scenario.phases.map((p) => p.name).join(', ')})`);
  const phase: LoadPhaseSpec = { ...base, thresholds: [...base.thresholds] };
  if (o.clients !== undefined) phase.clients = check(wholeNumber(LIMITS.clients), o.clients, FLAGS, ['--clients']);
  if (o.conns !== undefined) phase.conns = check(wholeNumber(LIMITS.conns), o.conns, FLAGS, ['--conns']);
  else if (o.clients !== undefined) phase.conns = Math.max(1, Math.ceil(phase.clients / CLIENTS_PER_CONN));
  if (phase.conns > phase.clients) throw failure(FLAGS, '--conns', `${phase.conns} connections for ${phase.clients} clients leaves some idle`);
  if (o.model !== undefined && o.model !== 'open' && o.model !== 'closed') throw failure(FLAGS, '--model', `must be closed or open, got ${show(o.model)}`);
  if (o.rate !== undefined) {
    if (o.model === 'closed') throw failure(FLAGS, '--rate', 'a closed-model phase runs as fast as etcd answers: drop --rate or use --model open');
    phase.rate = check(wholeNumber(LIMITS.rate), o.rate, FLAGS, ['--rate']);
    phase.model = 'open';
  } else if (o.model === 'closed') {
    phase.model = 'closed';
    phase.rate = null;
  } else if (o.model === 'open' && phase.rate === null) {
    throw failure(FLAGS, '--rate', 'the open model needs a target rate: give --rate');
  }
  if (o.total !== undefined) {
    phase.total = check(wholeNumber(LIMITS.total), o.total, FLAGS, ['--total']);
    if (o.duration === undefined) phase.durationSec = null;
  }
  if (o.duration !== undefined) {
    phase.durationSec = check(duration, o.duration, FLAGS, ['--duration']);
    if (o.total === undefined) phase.total = null;
  }
  if (o.keySize !== undefined) phase.keySize = check(size(LIMITS.keySize), o.keySize, FLAGS, ['--key-size']);
  if (o.valSize !== undefined) phase.valueSize = check(sizeRange(LIMITS.valueSize), o.valSize, FLAGS, ['--val-size']);
  if (o.op !== undefined) phase.ops = parseOpList(o.op);
  // Thresholds that compare with a target make no sense once the phase has none.
  phase.thresholds = phase.thresholds.filter((t) => {
    try {
      parseThreshold(t, phase);
      return true;
    } catch {
      return false;
    }
  });
  return { ...scenario, phases: [phase] };
}
