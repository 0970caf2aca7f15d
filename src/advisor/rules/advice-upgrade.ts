// The upgrade section: when the advice is for a later etcd than the member runs, what in its current unit or config breaks at each step (3.4 -> 3.5 -> 3.6), with the exact replacement.
import { atLeast, catalogueVersion, minorOf } from '../../etcd/flags.js';
import { upgradePlan, type UpgradeImpact } from '../../etcd/upgrade.js';
import type { Artifacts } from '../../model/artifacts.js';
import type { Check, Status } from '../../model/check.js';
import { currentSettings } from '../inputs.js';
import { checkFields, type Rule } from '../rule.js';

/**
 * A setting the next release refuses or ignores needs changing before the upgrade (warn: the hardware verdict is not
 * the unit's); a deprecation or a changed default is worth knowing (info). The lint rule etcd.upgrade says the same as error/warning/info.
 */
const STATUS: Record<UpgradeImpact, Extract<Status, 'warn' | 'info'>> = { breaks: 'warn', ignored: 'warn', deprecated: 'info', default: 'info' };

/**
 * The release the member runs today: the binary its process or unit runs (current-config probe), else the lowest version
 * the running members report, else etcd on PATH (not an --etcd-binary chosen for the measurement).
 */
export function runningEtcd(artifacts: Artifacts): { version: string; where: string } | null {
  const sources = artifacts.current?.ok ? artifacts.current.data.sources : [];
  for (const kind of ['process', 'files'] as const) {
    const s = sources.find((x) => x.kind === kind && typeof x.etcdVersion === 'string');
    if (s !== undefined) return { version: s.etcdVersion!, where: `${s.etcdBinary ?? 'etcd'} of ${kind === 'process' ? s.label : `the unit (${s.label})`}` };
  }
  const versions = (artifacts.cluster?.ok ? artifacts.cluster.data.endpoints : []).flatMap((e) => (e.status ? [e.status.version] : []));
  if (versions.length > 0) {
    const lowest = versions.reduce((a, b) => (atLeast(a, b) ? b : a));
    return { version: lowest, where: 'the lowest version the running members report' };
  }
  const host = artifacts.host.ok ? artifacts.host.data : null;
  if (host?.etcdVersion && host.etcdBinary === undefined) return { version: host.etcdVersion, where: 'etcd on PATH' };
  return null;
}

export const upgrade: Rule = {
  id: 'advice.upgrade',
  section: 'advice',
  title: 'Upgrade path',
  source: 'ETCD-FACTS.md Versions (CHANGELOG-3.5, CHANGELOG-3.6, upgrade_3_6, server/etcdmain/config.go); 3.5 refusals seen on etcd 3.5.30',
  needs: [],
  artifacts: ['current'],
  evaluate({ inputs, artifacts }) {
    const running = runningEtcd(artifacts);
    const to = inputs.etcdVersion.value;
    if (running === null || minorOf(running.version) === null || !atLeast(to, running.version) || catalogueVersion(running.version) === to)
      return { checks: [] };
    const plan = upgradePlan(currentSettings(artifacts), running.version, to);
    const checks: Check[] = plan.steps.flatMap((step) =>
      step.changes.map((c) => ({
        ...checkFields(this),
        title: `Upgrade ${step.from} -> ${step.to}: --${c.flag}`,
        status: STATUS[c.impact],
        flag: c.flag,
        message: c.where !== undefined ? `${c.message} (${c.where})` : c.message,
      })),
    );
    const summary = `The member runs etcd ${running.version} (${running.where}); the advice is for etcd ${to} (${inputs.etcdVersion.basis}).`;
    if (checks.length === 0)
      checks.push({
        ...checkFields(this),
        status: 'info',
        message: `${summary} Nothing in its current settings changes on the way: upgrade one member at a time.`,
      });
    return { checks, upgrade: { ...plan, running: `etcd ${running.version} (${running.where})`, target: `etcd ${to} (${inputs.etcdVersion.basis})` } };
  },
};
