// summary.md: short enough for a ticket, and text from outside stays text in whatever renders it.
import { describe, expect, it } from 'vitest';
import { md, renderMarkdown } from '../../src/report/markdown.js';
import { FIXTURE_NAMES, HOSTILE, hostileReport, loadFixture } from './fixtures.js';

describe.each(FIXTURE_NAMES)('renderMarkdown(%s)', (name) => {
  const text = renderMarkdown(loadFixture(name));

  it('fits in a ticket: under 60 lines and 4 KiB', () => {
    expect(text.split('\n').length).toBeLessThan(60);
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
  });

  it('starts with the verdict and lists every recommended flag', () => {
    const report = loadFixture(name);
    expect(text.split('\n')[2]).toMatch(/^\*\*(QUALIFIED|NOT QUALIFIED|COULD NOT COMPLETE)/);
    for (const f of report.advice.flags) expect(text).toContain(`| --${f.flag} | ${f.current?.value ?? 'not read'} | ${f.value} |`);
  });
});

describe('renderMarkdown', () => {
  it('lists the checks that could not run and why', () => {
    const text = renderMarkdown(loadFixture('no-fio'));
    expect(text).toContain('## Needs attention');
    expect(text).toContain('| disk | could not run: fio is not installed');
  });

  it('keeps markup from outside as text', () => {
    const text = renderMarkdown(hostileReport());
    expect(text).toContain('# etcd-advisor: &lt;script&gt;alert(1)&lt;/script&gt;');
    for (const raw of Object.values(HOSTILE)) if (/[<>]/.test(raw)) expect(text).not.toContain(raw);
  });
});

describe('md', () => {
  it('escapes emphasis, links, code, tables and HTML, and joins lines', () => {
    expect(md('a|b *c* _d_ [e](f) `g` <h>\ni')).toBe('a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt; i');
  });
});
