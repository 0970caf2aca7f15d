// The flag catalogue checked both ways against real etcd 3.4.23, 3.5.16 and 3.5.30, and the renames and removals of 3.6 by the book.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../src/advisor/advise.js';
import { catalogueVersion, defaultOf, ETCD_FLAG_LIST, ETCD_FLAGS, flagForVersion, lookupFlag, replacementOf, type EtcdFlag } from '../../src/etcd/flags.js';
import { probeError } from '../../src/model/probe.js';
import { renderEnvFile, resolveMember } from '../../src/report/unit.js';
import { describeEtcd, ETCD_3_4, ETCD_MATRIX_WIDE } from '../support/etcd-versions.js';

/** A value etcd parses for a flag of this type, to ask a release whether it knows the flag at all. */
function sampleValue(flag: EtcdFlag): string {
  const byType: Record<EtcdFlag['type'], string> = {
    string: 'x',
    bool: 'false',
    uint: '1',
    int: '1',
    duration: '1s',
    urls: 'http://127.0.0.1:1',
    'initial-cluster': 'a=http://127.0.0.1:1',
    path: '/nonexistent',
    enum: flag.values?.[0] ?? 'x',
    list: '*',
  };
  return byType[flag.type];
}

/** What a release says to `--flag=value --version`: etcd parses every flag before it prints the version. */
function accepts(binary: string, flag: EtcdFlag): { ok: boolean; said: string } {
  try {
    return {
      ok: true,
      said: execFileSync(binary, [`--${flag.name}=${sampleValue(flag)}`, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    };
  } catch (e) {
    return { ok: false, said: String((e as { stderr?: string }).stderr ?? e) };
  }
}

/**
 * `etcd --help` of a binary: flag -> default as printed, undefined when it prints none. 3.4 and 3.5 quote most defaults
 * ("--name 'default'") and print some bare ("--bcrypt-cost 10") or not at all ("--experimental-memory-mlock").
 */
function helpOf(binary: string): Map<string, string | undefined> {
  const text = execFileSync(binary, ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return new Map([...text.matchAll(/^\s+--([a-z0-9-]+)(?: '([^']*)'| (\S+))?\s*$/gm)].map((m) => [m[1]!, m[2] ?? m[3]]));
}

describeEtcd(
  'the flag catalogue against the real binary',
  (etcd) => {
    let help: Map<string, string | undefined>;
    beforeAll(() => {
      help = helpOf(etcd.binary);
    });

    it('knows every flag of its --help, with the default --help prints', () => {
      expect(help.size).toBeGreaterThan(70);
      for (const [name, printed] of help) {
        expect(lookupFlag(name, etcd.version), `--${name} from etcd ${etcd.version} --help`).toMatchObject({ known: true });
        const d = defaultOf(name, etcd.minor);
        expect(d === null ? undefined : String(d), `--${name} default in etcd ${etcd.version}`).toBe(printed);
      }
    });

    it('every flag it lists for the release is accepted, every other one refused', () => {
      for (const f of ETCD_FLAG_LIST) {
        const known = lookupFlag(f.name, etcd.version).known;
        if (known && help.has(f.name)) continue;
        // Flags a release takes without listing them in --help (deprecated, or late additions to a patch series), and flags it has not or no more.
        const said = accepts(etcd.binary, f);
        if (known)
          expect(said, `--${f.name} accepted by etcd ${etcd.version}`).toMatchObject({
            ok: true,
            said: expect.stringContaining(`etcd Version: ${etcd.version}`),
          });
        else
          expect(said, `--${f.name} refused by etcd ${etcd.version}`).toMatchObject({
            ok: false,
            said: expect.stringMatching(/flag provided but not defined/),
          });
      }
    });
    it('every variable etcd.conf sets for the release is a flag of its --help', () => {
      const artifacts = { host: probeError<never>('not measured') };
      const advice = advise(artifacts, {
        rttP99Ms: 150,
        fsyncP999Ms: 800,
        writeRate: 2000,
        dbSizeBytes: 2 ** 30,
        largestRequestBytes: 4 * 2 ** 20,
        etcdVersion: etcd.minor,
      }).advice;
      const member = resolveMember({ name: 'a', certFile: '/c.pem', keyFile: '/k.pem', trustedCaFile: '/ca.pem' }, 'a');
      const env = renderEnvFile(advice, { member, etcdBinary: etcd.binary, envFilePath: '/etc/etcd/etcd.conf', user: 'etcd', provenance: 'test' });
      const names = [...env.matchAll(/^ETCD_([A-Z0-9_]+)=/gm)].map((m) => m[1]!.toLowerCase().replace(/_/g, '-'));
      expect(names.length).toBeGreaterThan(20);
      for (const n of names) expect(help.has(n), `--${n}`).toBe(true);
    });
  },
  ETCD_MATRIX_WIDE,
);

describe('etcd flag catalogue', () => {
  const help = helpOf(ETCD_3_4.binary);

  it('knows the 3.6 differences: snapshot-count default, --enable-v2 gone, experimental flags renamed', () => {
    expect(defaultOf('snapshot-count', '3.6')).toBe(10_000);
    expect(defaultOf('logger', '3.4')).toBe('capnslog');
    expect(defaultOf('logger', '3.5')).toBe('zap');
    expect(flagForVersion('enable-v2', '3.5').name).toBe('enable-v2');
    expect(flagForVersion('enable-v2', '3.6')).toMatchObject({ name: null, note: expect.stringMatching(/removed in etcd 3.6/) });
    expect(flagForVersion('experimental-compaction-batch-limit', '3.6')).toMatchObject({
      name: 'compaction-batch-limit',
      note: expect.stringMatching(/deprecated/),
    });
    expect(flagForVersion('compaction-batch-limit', '3.4')).toMatchObject({ name: 'experimental-compaction-batch-limit' });
    expect(flagForVersion('experimental-initial-corrupt-check', '3.6').note).toMatch(/--feature-gates=InitialCorruptCheck=true/);
    expect(flagForVersion('backend-bbolt-freelist-type', '3.4').name).toBe('experimental-backend-bbolt-freelist-type');
    expect(flagForVersion('heartbeat-interval', '3.6')).toEqual({ name: 'heartbeat-interval' });
  });

  it('marks 3.6 from the book: the removed flags, the renames, the feature gates and the new defaults', () => {
    for (const gone of ['enable-v2', 'experimental-enable-v2v3', 'proxy', 'proxy-read-timeout'])
      expect(lookupFlag(gone, '3.6'), gone).toMatchObject({ known: false, reason: 'removed' });
    expect(defaultOf('discovery-fallback', '3.6')).toBe('exit');
    expect(defaultOf('v2-deprecation', '3.6')).toBe('write-only');
    expect(defaultOf('logger', '3.6')).toBe('zap');
    expect(ETCD_FLAGS.get('logger')!.retiredValues).toEqual([{ value: 'capnslog', deprecatedIn: '3.4', removedIn: '3.5', instead: 'zap' }]);
    expect(flagForVersion('experimental-distributed-tracing-address', '3.6').name).toBe('distributed-tracing-address');
    expect(defaultOf('compact-hash-check-time', '3.6')).toBe('1m');
    expect(replacementOf(ETCD_FLAGS.get('experimental-stop-grpc-service-on-defrag')!)).toBe('feature-gates=StopGRPCServiceOnDefrag=true');
    expect(lookupFlag('log-format', '3.6')).toMatchObject({ known: true });
    expect(lookupFlag('log-format', '3.5')).toMatchObject({ known: false, reason: 'not-yet' });
  });

  it('names the experimental flags 3.4 really has under their 3.4 names', () => {
    for (const old of [
      'experimental-compaction-batch-limit',
      'experimental-watch-progress-notify-interval',
      'experimental-corrupt-check-time',
      'experimental-backend-bbolt-freelist-type',
    ]) {
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
