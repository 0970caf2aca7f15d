// Terminal text of `lint`: which files were linted for which etcd, one line per check (file:line, status, rule id, flag), and the count.
import type { LintResult } from '../../lint/lint.js';

export function renderLintText(result: LintResult): string {
  const lines = [`Linted ${result.members.map((m) => `${m.file} (${m.kind})`).join(', ')} for etcd ${result.version} (${result.versionBasis}).`, ''];
  for (const c of result.checks) lines.push(`${c.title}: ${c.status.toUpperCase()} [${c.id}]${c.flag ? ` --${c.flag}` : ''}: ${c.message}`);
  // A lint fail is an error in the files: etcd will not start or join with them.
  const errors = result.checks.filter((c) => c.status === 'fail').length;
  const warnings = result.checks.filter((c) => c.status === 'warn').length;
  lines.push('', `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}
