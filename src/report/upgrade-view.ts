// The upgrade section as every renderer shows it (report.html, summary.md, advise and lint text): one block per release step, what breaks first.
import type { UpgradeImpact, UpgradeStepPlan } from '../etcd/upgrade.js';

/** How each impact reads in a report, the most urgent first. */
export const IMPACT_LABEL: Record<UpgradeImpact, string> = {
  breaks: 'etcd will not start',
  ignored: 'ignored: setting lost',
  deprecated: 'deprecated',
  default: 'default changes',
};
const ORDER = Object.keys(IMPACT_LABEL) as UpgradeImpact[];

export interface UpgradeStepView {
  /** "3.4 -> 3.5" */
  title: string;
  rows: { impact: UpgradeImpact; label: string; flag: string; message: string; where: string }[];
}

export function upgradeStepViews(steps: readonly UpgradeStepPlan[]): UpgradeStepView[] {
  return steps.map((s) => ({
    title: `${s.from} -> ${s.to}`,
    rows: [...s.changes]
      .sort((a, b) => ORDER.indexOf(a.impact) - ORDER.indexOf(b.impact))
      .map((c) => ({ impact: c.impact, label: IMPACT_LABEL[c.impact], flag: `--${c.flag}`, message: c.message, where: c.where ?? '' })),
  }));
}
