// Terminal text of `lint`: which files were linted for which etcd, one line per check (file:line, status, rule id, flag), and the count.
import type { LintResult } from '../../lint/lint.js';
import { byUrgency, type Check } from '../../model/check.js';

export function renderLintText(result: LintResult): string {
  const lines = [`Linted ${result.members.map((m) => `${m.file} (${m.kind})`).join(', ')} for etcd ${result.version} (${result.versionBasis}).`, ''];
  const line = (c: Check) => `${c.title}: ${c.status.toUpperCase()} [${c.id}]${c.flag ? ` --${c.flag}` : ''}: ${c.message}`;
  for (const c of result.checks) if (c.step === undefined) lines.push(line(c));
  if (result.upgrade !== undefined) {
    // lint --upgrade-to: the same checks, release by release, what stops etcd first (one release at a time, as etcd upgrades).
    lines.push('', `Upgrade ${result.upgrade.from} -> ${result.upgrade.to}, one release at a time:`);
    for (const step of result.upgrade.steps) {
      const at = result.checks.filter((c) => c.step === step).sort(byUrgency);
      lines.push(`  ${step}:${at.length === 0 ? ' nothing in these files changes.' : ''}`, ...at.map((c) => `    ${line(c)}`));
    }
  }
  // A lint fail is an error in the files: etcd will not start or join with them.
  const errors = result.checks.filter((c) => c.status === 'fail').length;
  const warnings = result.checks.filter((c) => c.status === 'warn').length;
  lines.push('', `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}
