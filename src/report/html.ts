// report.html: one self-contained page (inline CSS, no network) rendered with handlebars, which escapes every value from outside.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { byUrgency } from '../model/check.js';
import type { Report } from '../model/report.js';
import { hostnameOf } from './csv.js';
import { VERDICT_TEXT } from './format.js';

const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'templates');

let compiled: HandlebarsTemplateDelegate | null = null;
function template(): HandlebarsTemplateDelegate {
  compiled ??= Handlebars.create().compile(readFileSync(join(TEMPLATE_DIR, 'report.hbs'), 'utf8'), { strict: false });
  return compiled;
}

/** JSON inside <script> must not be able to close the element or open a comment. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderHtml(report: Report, files: { unitFile: string; envFile: string }): string {
  return template()({
    ...report,
    hostname: hostnameOf(report),
    duration: report.run.durationSec.toFixed(0),
    verdictText: VERDICT_TEXT[report.verdict],
    notes: report.run.notes,
    checks: [...report.checks].sort(byUrgency),
    unitFile: files.unitFile,
    envFile: files.envFile,
    commandLine: report.run.argv.join(' '),
    reportJson: inlineJson(report),
  });
}
