// Scenario files: every shipped one loads, bad keys and values are named in the error, ad-hoc flags make one phase.
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { adHocScenario, AD_HOC_DEFAULTS, applyOverrides, listScenarios, loadScenario, parseOpList, validateScenario } from '../../src/load/scenario.js';

const phase = { name: 'p', clients: 10, duration: '5s' };

function errorOf(doc: unknown): string {
  try {
    validateScenario(doc, 'test.yaml', 'test');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('shipped scenarios', () => {
  it('all load and check-perf ones carry etcdctl check perf loads and rules', async () => {
    const names = await listScenarios();
    expect(names).toEqual(expect.arrayContaining(['quick', 'default', 'check-perf-s', 'check-perf-m', 'check-perf-l', 'check-perf-xl', 'k8s-like']));
    for (const name of names) expect((await loadScenario(name)).phases.length).toBeGreaterThan(0);
    const expected = { s: [50, 150], m: [200, 1000], l: [500, 8000], xl: [1000, 15000] };
    for (const [size, [clients, rate]] of Object.entries(expected)) {
      const p = (await loadScenario(`check-perf-${size}`)).phases[0]!;
      expect({ model: p.model, clients: p.clients, rate: p.rate, durationSec: p.durationSec, keySize: p.keySize, valueSize: p.valueSize }).toEqual({
        model: 'open',
        clients,
        rate,
        durationSec: 60,
        keySize: 256,
        valueSize: { min: 1024, max: 1024 },
      });
      expect(p.thresholds).toEqual(['errors == 0', 'rate > 0.9 * target', 'max <= 500ms', 'stdev <= 100ms']);
    }
  });

  it('keeps the load part of run short: quick about 5 s, default about 35 s', async () => {
    const seconds = async (n: string) => (await loadScenario(n)).phases.reduce((s, p) => s + (p.durationSec ?? 0), 0);
    expect(await seconds('quick')).toBeLessThanOrEqual(6);
    expect(await seconds('default')).toBeLessThanOrEqual(40);
  });

  it('k8s mixes mostly reads with 1-10 KiB writes', async () => {
    const p = (await loadScenario('k8s-like')).phases[0]!;
    const weight = (kinds: string[]) => p.ops.filter((o) => kinds.includes(o.kind)).reduce((s, o) => s + o.weight, 0);
    expect(weight(['get', 'range'])).toBeGreaterThan(weight(['put', 'txn', 'delete']));
    expect(p.valueSize).toEqual({ min: 1024, max: 10240 });
    expect(p.ops.find((o) => o.kind === 'range')?.limit).toBe(500);
  });
});

describe('validation names the bad key and value', () => {
  it.each([
    [{ phases: [{ ...phase, clinets: 3 }] }, /phases\[0\]\.clinets: unknown key/],
    [{ phases: [{ ...phase, clients: -4 }] }, /phases\[0\]\.clients: must be a positive whole number, got -4/],
    [{ phases: [{ ...phase, model: 'fast' }] }, /phases\[0\]\.model: must be "closed" or "open", got "fast"/],
    [{ phases: [{ ...phase, model: 'open' }] }, /phases\[0\]\.rate: an open-model phase needs a target rate/],
    [{ phases: [{ name: 'p', clients: 2 }] }, /phases\[0\]: needs a duration/],
    [{ phases: [{ ...phase, valueSize: '1 KB/s' }] }, /phases\[0\]\.valueSize: must be a size like .*got "1 KB\/s"/],
    [{ phases: [{ ...phase, duration: 'soon' }] }, /phases\[0\]\.duration: must be a duration .*got "soon"/],
    [{ phases: [{ ...phase, ops: { put: 1, scan: 2 } }] }, /phases\[0\]\.ops\.scan: unknown op/],
    [{ phases: [{ ...phase, ops: { put: { weight: 1, limit: 4 } } }] }, /phases\[0\]\.ops\.put\.limit: only a range op has a limit/],
    [{ phases: [{ ...phase, thresholds: ['p99 < 25'] }] }, /phases\[0\]\.thresholds\[0\]: "p99 < 25": a latency needs a number with a unit/],
    [{ phases: [{ ...phase, thresholds: ['rate >= 0.9 * target'] }] }, /phases\[0\]\.thresholds\[0\]: .*no target rate/],
    [{ phases: [{ ...phase, conns: 20 }] }, /phases\[0\]\.conns: 20 connections for 10 clients/],
    [{ phases: [phase, phase] }, /phases\[1\]\.name: "p" is used twice/],
    [{ phases: [] }, /phases: must be a non-empty list/],
  ])('%j', (doc, message) => {
    expect(errorOf(doc)).toMatch(/^scenario test\.yaml: /);
    expect(errorOf(doc)).toMatch(message);
  });

  it.each([
    // a wrong type
    [{ phases: [{ ...phase, clients: 'many' }] }, /: phases\[0\]\.clients: must be a positive whole number, got "many"$/],
    [{ phases: [{ ...phase, thresholds: 'p99 < 1s' }] }, /: phases\[0\]\.thresholds: must be a list of strings like "p99 < 25ms", got "p99 < 1s"$/],
    [{ phases: [{ ...phase, ops: { put: 'lots' } }] }, /: phases\[0\]\.ops\.put: must be a weight \(a number from 0 to 1000000\), got "lots"$/],
    [{ phases: 'all' }, /: phases: must be a non-empty list of phases, got "all"$/],
    // an unknown key, at any depth
    [{ phasez: [] }, /: phasez: unknown key \(expected kind, name, description, phases\)$/],
    [{ phases: [{ ...phase, valueSize: { min: 1, max: 2, mid: 3 } }] }, /: phases\[0\]\.valueSize\.mid: unknown key \(expected min and max\)$/],
    [{ phases: [{ ...phase, ops: { range: { weight: 1, limt: 5 } } }] }, /: phases\[0\]\.ops\.range\.limt: unknown key \(expected weight or limit\)$/],
    // a non-finite number (YAML's .inf and .nan)
    [{ phases: [{ ...phase, clients: Infinity }] }, /: phases\[0\]\.clients: must be a positive whole number, got Infinity$/],
    [{ phases: [{ ...phase, ops: { put: NaN } }] }, /: phases\[0\]\.ops\.put: must be a weight .*got NaN$/],
    [{ phases: [{ ...phase, keySize: -Infinity }] }, /: phases\[0\]\.keySize: must be a size like .*got -Infinity$/],
    // out of the range in util/limits.ts
    [{ phases: [{ ...phase, clients: 20000 }] }, /: phases\[0\]\.clients: must be from 1 to 10000, got 20000$/],
    [{ phases: [{ ...phase, valueSize: '1KiB-20MiB' }] }, /: phases\[0\]\.valueSize: must be from 1 B to 10 MiB, got 20 MiB$/],
    [{ phases: [{ ...phase, duration: '25h' }] }, /: phases\[0\]\.duration: must be from 100ms to 24h/],
    [{ phases: [{ ...phase, ops: { range: { weight: 1, limit: 200000 } } }] }, /: phases\[0\]\.ops\.range\.limit: must be from 1 to 100000, got 200000$/],
    [{ phases: [{ ...phase, ops: { put: 2e6 } }] }, /: phases\[0\]\.ops\.put: must be a weight \(a number from 0 to 1000000\), got 2000000$/],
  ])('types, unknown keys, non-finite and out-of-range numbers are named by key path: %j', (doc, message) => {
    expect(errorOf(doc)).toMatch(/^scenario test\.yaml: /);
    expect(errorOf(doc)).toMatch(message);
  });

  it('names the key path of a .inf read from a YAML file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ea5-'));
    await writeFile(join(dir, 'inf.yaml'), 'phases:\n  - name: a\n    clients: 2\n    total: .inf\n');
    await expect(loadScenario(join(dir, 'inf.yaml'))).rejects.toThrow(/inf\.yaml: phases\[0\]\.total: must be a positive whole number, got Infinity$/);
  });

  it('flags are checked by the same schemas, named by the flag', () => {
    const base = adHocScenario({});
    expect(() => applyOverrides(base, { clients: 0 })).toThrow(/^--clients: must be a positive whole number, got 0$/);
    expect(() => applyOverrides(base, { duration: '90' })).toThrow(/^--duration: must be a duration .*give a unit: 200ms or 0\.2s/);
    expect(() => applyOverrides(base, { valSize: '11MiB' })).toThrow(/^--val-size: must be from 1 B to 10 MiB, got 11 MiB$/);
  });

  it('reads sizes, size ranges and durations in their usual spellings', () => {
    const s = validateScenario({ phases: [{ ...phase, keySize: '1KiB', valueSize: '1KiB-10KiB', duration: '500ms', ops: 'put=2,range:50=1' }] }, 't', 't');
    const p = s.phases[0]!;
    expect([p.keySize, p.valueSize, p.durationSec, p.model, p.conns]).toEqual([1024, { min: 1024, max: 10240 }, 0.5, 'closed', 1]);
    expect(p.ops.map((o) => [o.name, o.weight, o.limit])).toEqual([
      ['put', 2, 500],
      ['range', 1, 50],
    ]);
  });

  it('turns away a disk profile that shares the scenarios/ directory', async () => {
    expect(await listScenarios()).not.toContain('disk-etcd');
    await expect(loadScenario('disk-etcd')).rejects.toThrow(/scenario disk-etcd: kind: this file is a "disk-profile", not a load scenario/);
  });

  it('reports a missing scenario with the known names, and bad YAML as such', async () => {
    await expect(loadScenario('nope')).rejects.toThrow(/no scenario named "nope" \(known: .*check-perf-s/);
    const dir = await mkdtemp(join(tmpdir(), 'ea5-'));
    await writeFile(join(dir, 'bad.yaml'), 'phases: [ {name: a\n');
    await expect(loadScenario(join(dir, 'bad.yaml'))).rejects.toThrow(/not valid YAML/);
  });
});

describe('ad-hoc flags', () => {
  it('make one phase of the chosen one, and --rate switches it to the open model', async () => {
    const s = applyOverrides(await loadScenario('default'), {
      phase: 'write-capacity',
      clients: 8,
      rate: 300,
      total: 900,
      valSize: '2KiB',
      op: 'put=1,get-serializable=3',
    });
    expect(s.phases).toHaveLength(1);
    const p = s.phases[0]!;
    expect([p.name, p.clients, p.conns, p.model, p.rate, p.total, p.durationSec, p.valueSize.max]).toEqual([
      'write-capacity',
      8,
      1,
      'open',
      300,
      900,
      null,
      2048,
    ]);
    expect(p.ops.map((o) => [o.kind, o.serializable])).toEqual([
      ['put', false],
      ['get', true],
    ]);
  });

  it('reject bad values by flag name', () => {
    expect(() => parseOpList('put=x')).toThrow(/--op: "put=x" is not an op/);
    expect(() => parseOpList('scan')).toThrow(/--op scan: unknown op/);
  });
});

describe('ad-hoc flags without --scenario', () => {
  it('make one closed phase of their own, as etcd benchmark put does', () => {
    const s = adHocScenario({ clients: 500, total: 40000, op: 'put' });
    expect(s.phases).toHaveLength(1);
    const p = s.phases[0]!;
    expect([p.name, p.model, p.rate, p.clients, p.conns, p.total, p.durationSec, p.thresholds]).toEqual([
      AD_HOC_DEFAULTS.name,
      'closed',
      null,
      500,
      2,
      40000,
      null,
      [],
    ]);
    expect(p.ops.map((o) => o.name)).toEqual(['put']);
  });

  it('are open only when --rate is given, and take defaults for the rest', () => {
    const p = adHocScenario({ rate: 300 }).phases[0]!;
    expect([p.model, p.rate, p.clients, p.durationSec, p.total, p.keySize, p.valueSize.max]).toEqual([
      'open',
      300,
      AD_HOC_DEFAULTS.clients,
      AD_HOC_DEFAULTS.durationSec,
      null,
      256,
      1024,
    ]);
  });

  it('refuse --phase and bad values by flag name', () => {
    expect(() => adHocScenario({ phase: 'x', clients: 5 })).toThrow(/--phase: names a phase of --scenario/);
    expect(() => adHocScenario({ model: 'open' })).toThrow(/--rate: the open model needs a target rate/);
    expect(() => adHocScenario({ clients: 0 })).toThrow(/--clients: must be a positive whole number, got 0/);
  });
});
