// Terminal text of `advise`: what blocks the plan first, then each recommended flag with its reason and measurement, the other findings, the files written.
import type { AdvisorResult } from '../../advisor/advise.js';
import type { FlagRecommendation } from '../../model/advice.js';
import { byUrgency } from '../../model/check.js';
import { formatBytes } from '../../util/units.js';
import { checkLines } from '../terminal.js';

/** The flag as etcd takes it (copyable), then its unit; bytes also in human units, since 8589934592 says little at a glance. */
function flagLine(f: FlagRecommendation): string {
  const unit = f.unit === 'bytes' && typeof f.value === 'number' ? ` (${formatBytes(f.value)})` : f.unit && f.unit !== 'count' ? ` (${f.unit})` : '';
  return `  --${f.flag}=${f.value}${unit}`;
}

export function renderAdviseText(result: AdvisorResult, files: readonly string[]): string {
  const checks = [...result.checks].sort(byUrgency);
  const lines: string[] = [];
  // What stops the plan comes first: a flag list under a failing finding reads as a green light.
  const blocking = checks.filter((c) => c.status === 'fail' || c.status === 'error');
  if (blocking.length > 0) lines.push('Needs attention:', ...checkLines(blocking), '');
  lines.push(`Recommended flags for etcd ${result.advice.etcdVersion} (${result.inputs.etcdVersion.basis}):`);
  for (const f of result.advice.flags) lines.push(flagLine(f), `      ${f.reason}`, `      measured: ${f.basis}`);
  for (const s of result.advice.unitSettings) lines.push(`  ${s.key}=${s.value} (unit)`);
  lines.push('', 'Findings:', ...checkLines(checks.filter((c) => !blocking.includes(c))));
  if (files.length > 0) lines.push('', 'Written:', ...files.map((f) => `  ${f}`));
  return `${lines.join('\n')}\n`;
}
