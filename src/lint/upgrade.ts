// Lint rules for the release path: values the target release refuses or deprecates, and what breaks when upgrading to 3.5 and 3.6.
import { atLeast, ETCD_FLAGS } from '../etcd/flags.js';
import { upgradeSteps } from '../etcd/upgrade.js';
import type { Check } from '../model/check.js';
import { lintCheck } from './check.js';
import type { MemberRule } from './rules.js';

/** A value the target release refuses (error: etcd will not start) or takes with a warning: logger=capnslog, discovery-fallback=proxy. */
export const retiredValues: MemberRule = {
  id: 'etcd.value-retired',
  source: 'etcd 3.5 --help ("capnslog is deprecated"); server/etcdmain/config.go of 3.6 (--discovery-fallback proxy refused, --logger zap only)',
  check({ settings, version }) {
    const out: Check[] = [];
    for (const s of settings.values()) {
      for (const r of ETCD_FLAGS.get(s.flag)?.retiredValues ?? []) {
        if (r.value !== s.value) continue;
        if (atLeast(version, r.removedIn)) {
          out.push(
            lintCheck(
              'fail',
              'etcd.value-retired',
              s.file,
              s.line,
              s.flag,
              `etcd ${version} no longer takes ${s.written}=${s.value} (removed in ${r.removedIn}): it refuses to start. Fix: set ${r.instead}.`,
            ),
          );
        } else if (r.deprecatedIn !== undefined && atLeast(version, r.deprecatedIn)) {
          out.push(
            lintCheck(
              'warn',
              'etcd.value-retired',
              s.file,
              s.line,
              s.flag,
              `${s.written}=${s.value} is deprecated in etcd ${r.deprecatedIn} and goes away in ${r.removedIn}. Fix: set ${r.instead}.`,
            ),
          );
        }
      }
    }
    return out;
  },
};

/** What in this member's settings breaks or changes on the way from the target release to 3.6, each with its replacement. */
export const upgradePath: MemberRule = {
  id: 'etcd.upgrade',
  source: 'CHANGELOG-3.5, CHANGELOG-3.6, docs upgrades/upgrade_3_5, upgrade_3_6 and downgrades/downgrade_3_6 (the --help diffs), as in src/etcd/flags.ts',
  check({ settings, version }) {
    const values = new Map([...settings.values()].map((s) => [s.flag, s.value]));
    return upgradeSteps(values, version).map((step) => {
      const s = settings.get(step.flag);
      // Removals stop etcd at the upgrade: a warning now; the rest is for the upgrade plan.
      const status = step.kind === 'removed' || step.kind === 'value-removed' ? 'warn' : 'info';
      return lintCheck(status, 'etcd.upgrade', s?.file ?? '', s?.line ?? null, step.flag, `Upgrading to ${step.at}: ${step.message}`);
    });
  },
};
