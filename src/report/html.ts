// report.html: one self-contained page (inline CSS, inline SVG charts, no network) rendered with handlebars, which escapes every value from outside.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Report } from '../model/report.js';
import { htmlView } from './html-view.js';

const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'templates');

const compiled = new Map<string, HandlebarsTemplateDelegate>();
export function template(name: string): HandlebarsTemplateDelegate {
  let t = compiled.get(name);
  if (t === undefined) {
    // strict: a misspelt field in the template fails the render (and the snapshot tests) instead of printing nothing.
    t = Handlebars.create().compile(readFileSync(join(TEMPLATE_DIR, name), 'utf8'), { strict: true });
    compiled.set(name, t);
  }
  return t;
}

let baseCss: string | null = null;
/** The stylesheet report.html and compare.html share, inlined into each (a page may load nothing). */
export function css(): string {
  baseCss ??= readFileSync(join(TEMPLATE_DIR, 'base.css'), 'utf8');
  return baseCss;
}

/** JSON inside <script> must not be able to close the element or open a comment. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The page's only script: copy buttons for the unit file and etcd.conf. The Content-Security-Policy allows this exact
 * script by its hash and nothing else, so that even a value that escaped escaping could not run or fetch anything.
 */
export const COPY_SCRIPT = `
document.querySelectorAll('button.copy').forEach(function (button) {
  button.addEventListener('click', function () {
    var pre = document.getElementById(button.getAttribute('data-target'));
    var text = pre ? pre.textContent : '';
    function done(ok) { button.textContent = ok ? 'copied' : 'select and copy by hand'; setTimeout(function () { button.textContent = 'copy'; }, 1500); }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
    } else done(fallback());
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(pre);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { return document.execCommand('copy'); } catch (e) { return false; }
    }
  });
});
`;

export function scriptHash(script: string): string {
  return `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
}

/** default-src 'none': the page may load nothing at all; only its own styles and the one hashed script run. */
export function contentSecurityPolicy(scripts: string[]): string {
  const scriptSrc = scripts.length === 0 ? "'none'" : scripts.map((s) => `'${scriptHash(s)}'`).join(' ');
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSrc}; base-uri 'none'; form-action 'none'`;
}

export function renderHtml(report: Report, files: { unitFile: string; envFile: string }): string {
  return template('report.hbs')({
    ...htmlView(report, files),
    css: css(),
    csp: contentSecurityPolicy([COPY_SCRIPT]),
    copyScript: COPY_SCRIPT,
    reportJson: inlineJson(report),
  });
}
