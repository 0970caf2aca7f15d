// Load scenarios: YAML files under scenarios/ (or any path), validated into typed phases with errors that name the bad key and value.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError, errorMessage } from '../model/errors.js';
import { isScenarioPath, SCENARIO_DIR, scenarioNames } from '../scenarios/files.js';
import { LIMITS } from '../util/limits.js';
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

const PHASE_KEYS = ['name', 'model', 'clients', 'conns', 'duration', 'total', 'rate', 'keySize', 'valueSize', 'keySpace', 'ops', 'thresholds'];
const OP_KEYS = ['weight', 'limit'];

/** The source name of values that came from command-line flags: their errors name the flag alone. */
const FLAGS = 'flags';

class Where {
  constructor(readonly source: string) {}
  fail(path: string, why: string): never {
    throw new UsageError(this.source === FLAGS ? `${path}: ${why}` : `scenario ${this.source}: ${path}: ${why}`);
  }
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

function positiveInt(w: Where, path: string, v: unknown, range: Range): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) w.fail(path, `must be a positive whole number, got ${show(v)}`);
  if (n < range.min || n > range.max) w.fail(path, `must be from ${range.min} to ${range.max}, got ${show(v)}`);
  return n;
}

/** 256, "256B", "1KiB", "1.5 KiB" -> bytes, in the one size grammar (src/util/units.ts), inside `range`. */
function parseSize(where: Where, path: string, v: unknown, range: Range): number {
  let bytes = 0;
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a size');
    bytes = parseBytes(path, v);
  } catch {
    where.fail(path, `must be a size like 256, "256B", "1KiB" or "10KiB", got ${show(v)}`);
  }
  if (bytes <= 0) where.fail(path, `must be above zero, got ${show(v)}`);
  if (bytes < range.min || bytes > range.max) where.fail(path, `must be from ${range.min} B to ${formatSize(range.max)}, got ${show(v)}`);
  return bytes;
}

/** A size, or a range "1KiB-10KiB" / {min, max} drawn uniformly per put. */
function parseSizeRange(w: Where, path: string, v: unknown, range: Range): SizeRange {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== 'min' && k !== 'max') w.fail(`${path}.${k}`, 'unknown key (expected min and max)');
    const min = parseSize(w, `${path}.min`, o.min, range);
    const max = parseSize(w, `${path}.max`, o.max, range);
    if (max < min) w.fail(path, `max (${max}) is below min (${min})`);
    return { min, max };
  }
  if (typeof v === 'string' && /^[^-]+-[^-]+$/.test(v)) {
    const [a, b] = v.split('-');
    const min = parseSize(w, path, a, range);
    const max = parseSize(w, path, b, range);
    if (max < min) w.fail(path, `the range ${show(v)} goes down`);
    return { min, max };
  }
  const n = parseSize(w, path, v, range);
  return { min: n, max: n };
}

/** "60s", "500ms", "2m", "1m30s" -> seconds: the one duration grammar; a bare number is refused as for every flag. */
function parseDuration(where: Where, path: string, v: unknown): number {
  let ms = 0;
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a duration');
    ms = parseDurationText(path, v);
  } catch (err) {
    where.fail(
      path,
      `must be a duration like "60s", "500ms" or "2m" (${err instanceof UsageError && err.message.endsWith(GIVE_A_UNIT) ? GIVE_A_UNIT : 'Go syntax, with a unit'}), got ${show(v)}`,
    );
  }
  if (!(ms > 0)) where.fail(path, `must be above zero, got ${show(v)}`);
  if (ms < LIMITS.phaseMs.min || ms > LIMITS.phaseMs.max)
    where.fail(path, `must be from ${formatDuration(LIMITS.phaseMs.min)} to ${formatDuration(LIMITS.phaseMs.max)}, got ${show(v)}`);
  return ms / 1000;
}

function opSpec(w: Where, path: string, name: string, v: unknown): OpSpec {
  if (!(OP_NAMES as readonly string[]).includes(name)) w.fail(path, `unknown op (expected one of ${OP_NAMES.join(', ')})`);
  const opName = name as OpName;
  const kind = opName.split('-')[0] as OpKind;
  let weight: unknown = v;
  let limit: unknown = undefined;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!OP_KEYS.includes(k)) w.fail(`${path}.${k}`, `unknown key (expected ${OP_KEYS.join(' or ')})`);
    weight = o.weight;
    limit = o.limit;
    if (limit !== undefined && kind !== 'range') w.fail(`${path}.limit`, 'only a range op has a limit');
  }
  if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight) || weight > LIMITS.opWeight.max)
    w.fail(path, `must be a weight (a number from 0 to ${LIMITS.opWeight.max}), got ${show(weight)}`);
  return {
    name: opName,
    kind,
    weight,
    serializable: opName.endsWith('-serializable'),
    limit: limit === undefined ? DEFAULT_RANGE_LIMIT : positiveInt(w, `${path}.limit`, limit, LIMITS.rangeLimit),
  };
}

function parseOps(w: Where, path: string, v: unknown): OpSpec[] {
  if (v === undefined) return [opSpec(w, path, 'put', 1)];
  if (typeof v === 'string') return parseOpList(v, w, path);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) w.fail(path, `must map op names to weights, e.g. { put: 20, get: 80 }, got ${show(v)}`);
  const ops = Object.entries(v as Record<string, unknown>).map(([name, spec]) => opSpec(w, `${path}.${name}`, name, spec));
  if (ops.length === 0 || ops.every((o) => o.weight === 0)) w.fail(path, 'needs at least one op with a weight above zero');
  return ops.filter((o) => o.weight > 0);
}

/** The --op form: "put", "put=20,get=80", "range:100=10" (name[:limit][=weight]). */
export function parseOpList(text: string, w: Where = new Where(FLAGS), path = '--op'): OpSpec[] {
  const ops = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const m = /^([a-z-]+)(?::(\d+))?(?:=(\d+(?:\.\d+)?))?$/.exec(item);
      if (!m) w.fail(path, `"${item}" is not an op (expected name[:limit][=weight], e.g. put=20,get=80,range:100=10)`);
      const spec: Record<string, unknown> = { weight: m[3] === undefined ? 1 : Number(m[3]) };
      if (m[2] !== undefined) spec.limit = Number(m[2]);
      return opSpec(w, `${path} ${item}`, m[1]!, spec);
    });
  if (ops.length === 0 || ops.every((o) => o.weight === 0)) w.fail(path, 'needs at least one op with a weight above zero');
  return ops.filter((o) => o.weight > 0);
}

function parsePhase(w: Where, path: string, v: unknown, index: number): LoadPhaseSpec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) w.fail(path, `must be a mapping of phase settings, got ${show(v)}`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!PHASE_KEYS.includes(k)) w.fail(`${path}.${k}`, `unknown key (expected one of ${PHASE_KEYS.join(', ')})`);
  const name = o.name === undefined ? `phase-${index + 1}` : String(o.name);
  if (!/^[\w.-]+$/.test(name)) w.fail(`${path}.name`, `use letters, digits, ".", "_" or "-", got ${show(o.name)}`);
  const rate = o.rate === undefined ? null : positiveInt(w, `${path}.rate`, o.rate, LIMITS.rate);
  const model = o.model ?? (rate === null ? 'closed' : 'open');
  if (model !== 'closed' && model !== 'open') w.fail(`${path}.model`, `must be "closed" or "open", got ${show(model)}`);
  if (model === 'open' && rate === null) w.fail(`${path}.rate`, 'an open-model phase needs a target rate in requests per second');
  if (model === 'closed' && rate !== null) w.fail(`${path}.rate`, 'a closed-model phase runs as fast as etcd answers: drop rate or set model: open');
  const clients = positiveInt(w, `${path}.clients`, o.clients, LIMITS.clients);
  const conns = o.conns === undefined ? Math.max(1, Math.ceil(clients / CLIENTS_PER_CONN)) : positiveInt(w, `${path}.conns`, o.conns, LIMITS.conns);
  if (conns > clients) w.fail(`${path}.conns`, `${conns} connections for ${clients} clients leaves some idle: use at most ${clients}`);
  const durationSec = o.duration === undefined ? null : parseDuration(w, `${path}.duration`, o.duration);
  const total = o.total === undefined ? null : positiveInt(w, `${path}.total`, o.total, LIMITS.total);
  if (durationSec === null && total === null) w.fail(path, 'needs a duration (e.g. "30s") or a total number of requests');
  const thresholds = o.thresholds === undefined ? [] : o.thresholds;
  if (!Array.isArray(thresholds)) w.fail(`${path}.thresholds`, `must be a list of strings like "p99 < 25ms", got ${show(thresholds)}`);
  const phase: LoadPhaseSpec = {
    name,
    model,
    clients,
    conns,
    durationSec,
    total,
    rate,
    keySize: o.keySize === undefined ? DEFAULT_KEY_SIZE : parseSize(w, `${path}.keySize`, o.keySize, LIMITS.keySize),
    valueSize:
      o.valueSize === undefined ? { min: DEFAULT_VALUE_SIZE, max: DEFAULT_VALUE_SIZE } : parseSizeRange(w, `${path}.valueSize`, o.valueSize, LIMITS.valueSize),
    keySpace: o.keySpace === undefined ? DEFAULT_KEY_SPACE : positiveInt(w, `${path}.keySpace`, o.keySpace, LIMITS.keySpace),
    ops: parseOps(w, `${path}.ops`, o.ops),
    thresholds: thresholds.map((t) => String(t)),
  };
  phase.thresholds.forEach((t, i) => {
    try {
      parseThreshold(t, phase);
    } catch (err) {
      w.fail(`${path}.thresholds[${i}]`, errorMessage(err));
    }
  });
  return phase;
}

/** Validates a parsed YAML document; `source` names it in errors. */
export function validateScenario(doc: unknown, source: string, fallbackName: string): LoadScenario {
  const w: Where = new Where(source);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) w.fail('(top level)', 'must be a mapping with name and phases');
  const o = doc as Record<string, unknown>;
  // scenarios/ is shared with the disk profiles: a file says what it is, and a disk profile is turned away by name.
  if (o.kind !== undefined && o.kind !== 'load') w.fail('kind', `this file is a ${show(o.kind)}, not a load scenario (kind: load)`);
  for (const k of Object.keys(o))
    if (!['kind', 'name', 'description', 'phases'].includes(k)) w.fail(k, 'unknown key (expected kind, name, description, phases)');
  if (!Array.isArray(o.phases) || o.phases.length === 0) w.fail('phases', `must be a non-empty list of phases, got ${show(o.phases)}`);
  const phases = o.phases.map((p, i) => parsePhase(w, `phases[${i}]`, p, i));
  const names = new Set<string>();
  phases.forEach((p, i) => {
    if (names.has(p.name)) w.fail(`phases[${i}].name`, `"${p.name}" is used twice`);
    names.add(p.name);
  });
  const scenario: LoadScenario = { name: o.name === undefined ? fallbackName : String(o.name), phases };
  if (o.description !== undefined) scenario.description = String(o.description);
  return scenario;
}

/** A name from scenarios/ ("quick", "check-perf-s") or a path to a YAML file. */
export async function loadScenario(nameOrPath: string): Promise<LoadScenario> {
  const isPath = isScenarioPath(nameOrPath);
  const file = isPath ? resolve(nameOrPath) : join(SCENARIO_DIR, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (isPath) throw new UsageError(`--scenario: cannot read ${file}`);
    throw new UsageError(`--scenario: no scenario named "${nameOrPath}" (known: ${(await listScenarios()).join(', ')}; or give a path to a YAML file)`);
  }
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
  const w: Where = new Where(FLAGS);
  const phase: LoadPhaseSpec = { ...base, thresholds: [...base.thresholds] };
  if (o.clients !== undefined) phase.clients = positiveInt(w, '--clients', o.clients, LIMITS.clients);
  if (o.conns !== undefined) phase.conns = positiveInt(w, '--conns', o.conns, LIMITS.conns);
  else if (o.clients !== undefined) phase.conns = Math.max(1, Math.ceil(phase.clients / CLIENTS_PER_CONN));
  if (phase.conns > phase.clients) w.fail('--conns', `${phase.conns} connections for ${phase.clients} clients leaves some idle`);
  if (o.model !== undefined && o.model !== 'open' && o.model !== 'closed') w.fail('--model', `must be closed or open, got ${show(o.model)}`);
  if (o.rate !== undefined) {
    if (o.model === 'closed') w.fail('--rate', 'a closed-model phase runs as fast as etcd answers: drop --rate or use --model open');
    phase.rate = positiveInt(w, '--rate', o.rate, LIMITS.rate);
    phase.model = 'open';
  } else if (o.model === 'closed') {
    phase.model = 'closed';
    phase.rate = null;
  } else if (o.model === 'open' && phase.rate === null) {
    w.fail('--rate', 'the open model needs a target rate: give --rate');
  }
  if (o.total !== undefined) {
    phase.total = positiveInt(w, '--total', o.total, LIMITS.total);
    if (o.duration === undefined) phase.durationSec = null;
  }
  if (o.duration !== undefined) {
    phase.durationSec = parseDuration(w, '--duration', o.duration);
    if (o.total === undefined) phase.total = null;
  }
  if (o.keySize !== undefined) phase.keySize = parseSize(w, '--key-size', o.keySize, LIMITS.keySize);
  if (o.valSize !== undefined) phase.valueSize = parseSizeRange(w, '--val-size', o.valSize, LIMITS.valueSize);
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
