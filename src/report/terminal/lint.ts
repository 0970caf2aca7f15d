// Terminal text of `lint`: which files were linted for which etcd, one line per finding (file:line, severity, rule, flag), and the count.
import type { LintResult } from '../../lint/lint.js';

export function renderLintText(result: LintResult): string {
  const lines = [`Linted ${result.members.map((m) => `${m.file} (${m.kind})`).join(', ')} for etcd ${result.version} (${result.versionBasis}).`, ''];
  for (const f of result.findings)
    lines.push(`${f.file}${f.line !== null ? `:${f.line}` : ''}: ${f.severity} [${f.rule}]${f.flag ? ` --${f.flag}` : ''}: ${f.message}`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  lines.push('', `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}
