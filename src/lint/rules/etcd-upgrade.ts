// Lint rule upgradePath (lint --upgrade-to): what in this member's settings breaks or changes on each step from its release to the target, with the replacement.
import { upgradePlan, type UpgradeImpact } from '../../etcd/upgrade.js';
import type { Check } from '../../model/check.js';
import { lintCheck, type LintStatus } from '../check.js';
import { anchor } from '../settings.js';
import { where, type MemberRule } from './common.js';

/** A setting the next release refuses stops etcd at the upgrade; one it ignores or deprecates is a risk; a default changing is worth knowing. */
const UPGRADE_STATUS: Record<UpgradeImpact, LintStatus> = { breaks: 'fail', ignored: 'warn', deprecated: 'warn', default: 'info' };

export const upgradePath: MemberRule = {
  id: 'etcd.upgrade',
  source:
    'ETCD-FACTS.md Versions (CHANGELOG-3.5, CHANGELOG-3.6, upgrade_3_6, downgrade_3_6 --help diff), the catalogue in src/etcd/flags.ts; 3.5 refusals seen on etcd 3.5.30',
  check({ member, settings, version, upgradeTo }) {
    if (upgradeTo === undefined) return [];
    const plan = upgradePlan(
      [...settings.values()].map((s) => ({ flag: s.flag, value: s.value, origin: s.origin, where: where(s) })),
      version,
      upgradeTo,
    );
    const out: Check[] = [];
    for (const step of plan.steps)
      for (const c of step.changes) {
        // A default that changes is about a flag not set: the finding points at the member's ExecStart.
        const at = anchor(member, settings, c.flag);
        out.push({ ...lintCheck(UPGRADE_STATUS[c.impact], 'etcd.upgrade', at.file, at.line, c.flag, c.message), step: `${step.from} -> ${step.to}` });
      }
    return out;
  },
};
