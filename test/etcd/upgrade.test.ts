// The upgrade path 3.4 -> 3.5 -> 3.6 from the catalogue, and each 3.5 replacement it proposes accepted by the real etcd 3.5.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { upgradePlan, upgradeSteps } from '../../src/etcd/upgrade.js';
import { ETCD_3_5, requireEtcd } from '../support/etcd-versions.js';

const settings = (pairs: [string, string][]) => pairs.map(([flag, value]) => ({ flag, value }));

const UNIT_34 = settings([
  ['debug', 'true'],
  ['logger', 'capnslog'],
  ['enable-v2', 'true'],
  ['experimental-backend-bbolt-freelist-type', 'map'],
  ['experimental-corrupt-check-time', '5m'],
  ['experimental-initial-corrupt-check', 'true'],
  ['heartbeat-interval', '100'],
]);

describe('upgradeSteps', () => {
  const steps = upgradeSteps(UNIT_34, '3.4.23');
  const at = (v: string) => steps.filter((s) => s.at === v).map((s) => `${s.kind} ${s.flag}`);

  it('lists what 3.5 breaks or changes in a 3.4 unit, with the exact replacement', () => {
    expect(at('3.5')).toEqual(
      expect.arrayContaining([
        'removed debug',
        'removed experimental-backend-bbolt-freelist-type',
        'deprecated enable-v2',
        'value-removed logger',
        'default-changed pre-vote',
      ]),
    );
    expect(steps.find((s) => s.flag === 'debug')!.message).toBe(
      'etcd 3.5 refuses --debug ("flag provided but not defined"): it will not start. Fix: replace it with --log-level (use --log-level=debug).',
    );
    expect(steps.find((s) => s.flag === 'experimental-backend-bbolt-freelist-type')!.message).toContain('replace it with --backend-bbolt-freelist-type');
    expect(at('3.5')).not.toContain('removed heartbeat-interval');
  });

  it('lists what 3.6 breaks or changes, from the book', () => {
    expect(at('3.6')).toEqual(
      expect.arrayContaining([
        'removed enable-v2',
        'deprecated experimental-corrupt-check-time',
        'deprecated experimental-initial-corrupt-check',
        'default-changed snapshot-count',
        'default-changed discovery-fallback',
      ]),
    );
    expect(steps.find((s) => s.at === '3.6' && s.flag === 'experimental-initial-corrupt-check')!.message).toContain('--feature-gates=InitialCorruptCheck=true');
    expect(steps.find((s) => s.at === '3.6' && s.flag === 'snapshot-count')!.message).toContain('from 100000 to 10000');
    // 3.6 refuses the old default proxy: keeping it is no fix.
    expect(steps.find((s) => s.at === '3.6' && s.flag === 'discovery-fallback')!.message).toMatch(
      /Fix: accept the new default \(etcd 3\.6 refuses --discovery-fallback=proxy\)\.$/,
    );
  });

  it('says nothing for a release already reached, and keeps a set default out', () => {
    expect(upgradeSteps(settings([['snapshot-count', '100000']]), '3.6')).toEqual([]);
    expect(upgradeSteps(settings([['snapshot-count', '100000']]), '3.5').map((s) => s.flag)).not.toContain('snapshot-count');
  });

  it('tells a removed flag on the command line (etcd will not start) from one in the environment or the config file (ignored)', () => {
    const removed = upgradeSteps(
      [
        { flag: 'debug', value: 'true', origin: 'flag' },
        { flag: 'log-package-levels', value: 'x', origin: 'env' },
        { flag: 'experimental-backend-bbolt-freelist-type', value: 'map', origin: 'yaml' },
        { flag: 'logger', value: 'capnslog', origin: 'env' },
      ],
      '3.4',
      '3.5',
    ).filter((c) => c.kind !== 'default-changed');
    expect(removed.map((c) => `${c.flag} ${c.impact}`)).toEqual([
      'debug breaks',
      'log-package-levels ignored',
      'experimental-backend-bbolt-freelist-type ignored',
      'logger breaks',
    ]);
    expect(removed[1]!.message).toContain('etcd 3.5 ignores ETCD_LOG_PACKAGE_LEVELS ("unrecognized environment variable")');
    expect(removed[2]!.message).toContain('Fix: replace it with "backend-bbolt-freelist-type"');
    expect(removed[3]!.message).toBe('etcd 3.5 refuses ETCD_LOGGER=capnslog: it will not start. Fix: set ETCD_LOGGER=zap.');
  });

  it('groups the changes release by release, each step from the one before', () => {
    const plan = upgradePlan(UNIT_34, '3.4.23', '3.6');
    expect(plan.steps.map((s) => `${s.from} -> ${s.to}`)).toEqual(['3.4 -> 3.5', '3.5 -> 3.6']);
    expect(plan.steps[0]!.changes.every((c) => c.at === '3.5' && c.from === '3.4')).toBe(true);
    expect(plan.steps[1]!.changes.map((c) => c.flag)).toContain('enable-v2');
    expect(upgradePlan(UNIT_34, '3.5', '3.6').steps.map((s) => s.to)).toEqual(['3.6']);
  });

  it('proposes 3.5 replacements that the real etcd 3.5 accepts', async () => {
    await requireEtcd(ETCD_3_5);
    const replacements = ['--log-level=debug', '--backend-bbolt-freelist-type=map', '--logger=zap'];
    for (const r of replacements)
      expect(execFileSync(ETCD_3_5.binary, [r, '--version'], { encoding: 'utf8' }), r).toContain(`etcd Version: ${ETCD_3_5.version}`);
  });
});
