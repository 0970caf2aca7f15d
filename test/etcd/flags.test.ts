// The flag catalogue against the real etcd 3.4 on this machine, and the renames and removals of 3.5 and 3.6.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import { catalogueVersion, defaultOf, ETCD_FLAG_LIST, ETCD_FLAGS, FLAG_DEFAULTS, flagForVersion, lookupFlag, replacementOf, type EtcdFlag } from '../../src/etcd/flags.js';
import { probeError } from '../../src/model/probe.js';
import { renderEnvFile, resolveMember } from '../../src/report/unit.js';

/** A value etcd parses for a flag of this type, to ask etcd 3.4 whether it knows the flag at all. */
function sampleValue(flag: EtcdFlag): string {
  const byType: Record<EtcdFlag['type'], string> = { string: 'x', bool: 'false', uint: '1', int: '1', duration: '1s', urls: 'http://127.0.0.1:1', 'initial-cluster': 'a=http://127.0.0.1:1', path: '/nonexistent', enum: flag.values?.[0] ?? 'x', list: 'x' };
  return byType[flag.type];
}

/** What etcd 3.4 says to `--flag=value --version`: it parses every flag before it prints the version. */
function etcd34Accepts(flag: EtcdFlag): { ok: boolean; said: string } {
  try {
    return { ok: true, said: execFileSync('etcd', [`--${flag.name}=${sampleValue(flag)}`, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { ok: false, said: String((e as { stderr?: string }).stderr ?? e) };
  }
}

/** `etcd --help` of the etcd 3.4 on PATH: flag -> default as printed. */
function etcd34Help(): Map<string, string> {
  const text = execFileSync('etcd', ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return new Map([...text.matchAll(/^\s+--([a-z0-9-]+)(?: '([^']*)')?/gm)].map((m) => [m[1]!, m[2] ?? '']));
}

describe('etcd flag catalogue', () => {
  const help = etcd34Help();

  it('has the defaults etcd 3.4 itself prints', () => {
    expect(help.size).toBeGreaterThan(50);
    for (const flag of Object.keys(FLAG_DEFAULTS)) {
      expect(help.has(flag), `--${flag} in etcd 3.4 --help`).toBe(true);
      expect(String(defaultOf(flag, '3.4')), `--${flag} default`).toBe(help.get(flag));
    }
  });

  it('has every flag etcd 3.4 has, and only those, as 3.4 flags', () => {
    const in34 = [...ETCD_FLAGS.values()].filter((f) => lookupFlag(f.name, '3.4').known);
    for (const name of help.keys()) expect(lookupFlag(name, '3.4').known, `--${name} from etcd 3.4 --help`).toBe(true);
    // Flags etcd 3.4 takes without listing them in --help (deprecated or late additions to 3.4.x).
    for (const f of in34.filter((f) => !help.has(f.name))) expect(etcd34Accepts(f), `--${f.name}`).toMatchObject({ ok: true, said: expect.stringMatching(/etcd Version: 3\.4/) });
    for (const f of ETCD_FLAGS.values()) {
      if (in34.includes(f)) continue;
      expect(lookupFlag(f.name, '3.4'), `--${f.name}`).toMatchObject({ known: false, reason: 'not-yet' });
      expect(etcd34Accepts(f), `--${f.name} refused by etcd 3.4`).toMatchObject({ ok: false, said: expect.stringMatching(/flag provided but not defined/) });
    }
  });

  it('every variable etcd.conf sets for 3.4 is a flag etcd 3.4 knows', () => {
    const artifacts = { host: probeError<never>('not measured') };
    const advice = advise(artifacts, { rttP99Ms: 150, fsyncP999Ms: 800, writeRate: 2000, dbSizeBytes: 2 ** 30, largestRequestBytes: 4 * 2 ** 20, etcdVersion: '3.4' }).advice;
    const member = resolveMember({ name: 'a', certFile: '/c.pem', keyFile: '/k.pem', trustedCaFile: '/ca.pem' }, 'a');
    const env = renderEnvFile(advice, { member, etcdBinary: '/usr/bin/etcd', envFilePath: '/etc/etcd/etcd.conf', user: 'etcd', provenance: 'test' });
    const names = [...env.matchAll(/^ETCD_([A-Z0-9_]+)=/gm)].map((m) => m[1]!.toLowerCase().replace(/_/g, '-'));
    expect(names.length).toBeGreaterThan(20);
    for (const n of names) expect(help.has(n), `--${n}`).toBe(true);
  });

  it('knows the 3.6 differences: snapshot-count default, --enable-v2 gone, experimental flags renamed', () => {
    expect(defaultOf('snapshot-count', '3.6')).toBe(10_000);
    expect(defaultOf('logger', '3.4')).toBe('capnslog');
    expect(defaultOf('logger', '3.5')).toBe('zap');
    expect(flagForVersion('enable-v2', '3.5').name).toBe('enable-v2');
    expect(flagForVersion('enable-v2', '3.6')).toMatchObject({ name: null, note: expect.stringMatching(/removed in etcd 3.6/) });
    expect(flagForVersion('experimental-compaction-batch-limit', '3.6')).toMatchObject({ name: 'compaction-batch-limit', note: expect.stringMatching(/deprecated/) });
    expect(flagForVersion('compaction-batch-limit', '3.4')).toMatchObject({ name: 'experimental-compaction-batch-limit' });
    expect(flagForVersion('experimental-initial-corrupt-check', '3.6').note).toMatch(/--feature-gates=InitialCorruptCheck=true/);
    expect(flagForVersion('backend-bbolt-freelist-type', '3.4').name).toBe('experimental-backend-bbolt-freelist-type');
    expect(flagForVersion('heartbeat-interval', '3.6')).toEqual({ name: 'heartbeat-interval' });
  });

  it('names the experimental flags 3.4 really has under their 3.4 names', () => {
    for (const old of ['experimental-compaction-batch-limit', 'experimental-watch-progress-notify-interval', 'experimental-corrupt-check-time', 'experimental-backend-bbolt-freelist-type']) {
      expect(help.has(old), old).toBe(true);
      expect(flagForVersion(old, '3.4').name).toBe(old);
    }
  });

  it('tells lint what each release makes of a name: known, deprecated, removed, not yet', () => {
    expect(lookupFlag('heartbeat-interval', '3.6')).toMatchObject({ known: true, deprecated: false });
    expect(lookupFlag('heartbeat', '3.4')).toEqual({ known: false, reason: 'unknown' });
    expect(lookupFlag('enable-v2', '3.6')).toMatchObject({ known: false, reason: 'removed', flag: { removedIn: '3.6' } });
    expect(lookupFlag('experimental-corrupt-check-time', '3.6')).toMatchObject({ known: true, deprecated: true, flag: { renamedTo: 'corrupt-check-time' } });
    expect(lookupFlag('experimental-corrupt-check-time', '3.7')).toMatchObject({ known: false, reason: 'removed' });
    expect(lookupFlag('corrupt-check-time', '3.5')).toMatchObject({ known: false, reason: 'not-yet', flag: { since: '3.6', type: 'duration' } });
    expect(replacementOf(ETCD_FLAGS.get('experimental-initial-corrupt-check')!)).toBe('feature-gates=InitialCorruptCheck=true');
    expect(replacementOf(ETCD_FLAGS.get('debug')!)).toBe('log-level');
  });

  it('lists each flag once, a renamed flag under its old name with the new name made from it', () => {
    const names = ETCD_FLAG_LIST.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of ETCD_FLAGS.values()) {
      if (f.renamedFrom === undefined) continue;
      const old = ETCD_FLAGS.get(f.renamedFrom)!;
      expect({ type: f.type, since: f.since }, `--${f.name}`).toEqual({ type: old.type, since: old.deprecatedIn });
    }
  });

  it.each([
    ['3.3.25', '3.4'],
    ['v3.4.23', '3.4'],
    ['3.5', '3.5'],
    ['3.7.0', '3.6'],
  ])('reads %s as the %s catalogue', (v, expected) => {
    expect(catalogueVersion(v)).toBe(expected);
  });
});
