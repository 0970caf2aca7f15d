// compare.html and compare.csv from a fleet made of recorded reports, against their snapshots.
import { describe, expect, it } from 'vitest';
import { compareFleet, summarise } from '../../src/compare/fleet.js';
import { COMPARE_CSV_COLUMNS, renderCompareCsv, renderCompareHtml } from '../../src/compare/render.js';
import { HOSTILE, hostileReport, loadFixture, PINNED_GENERATED_AT } from '../report/fixtures.js';
import { fleetWithSlowDisk } from './fleet-fixture.js';

const fleet = () => compareFleet([...fleetWithSlowDisk(50), loadFixture('no-fio')].map((r, i) => summarise(r, `reports/${i}/report.json`)));

describe('renderCompareHtml', () => {
  it('matches its snapshot', async () => {
    await expect(renderCompareHtml(fleet(), PINNED_GENERATED_AT)).toMatchFileSnapshot('./__snapshots__/compare.html');
  });

  it('names the outlier with its figure, the median and how far it is', () => {
    const html = renderCompareHtml(fleet(), PINNED_GENERATED_AT);
    const outliers = html.slice(html.indexOf('id="outliers"'), html.indexOf('id="figures"'));
    expect(outliers).toMatch(
      /<td>slow-disk <span class="rank">run-slow-disk<\/span><\/td><td>fdatasync p99<\/td><td class="num">9\.\d\d ms<\/td><td class="num">0\.18\d ms<\/td><td>49\.5× slower than the median<\/td>/,
    );
    expect(html).toContain('The load figures come from different scenarios (default, quick)');
  });

  it('escapes host names, in the table and in the chart tooltips', () => {
    const html = renderCompareHtml(
      compareFleet([hostileReport(), loadFixture('quick'), loadFixture('full')].map((r) => summarise(r, '<x>.json'))),
      PINNED_GENERATED_AT,
    );
    expect(html).not.toContain(HOSTILE.hostname);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<x>');
    expect(html).not.toMatch(/<script/);
  });
});

describe('renderCompareCsv', () => {
  it('matches its snapshot and ranks worst first', async () => {
    const csv = renderCompareCsv(fleet());
    await expect(csv).toMatchFileSnapshot('./__snapshots__/compare.csv');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(COMPARE_CSV_COLUMNS.join(','));
    // Incomplete before qualified; among the qualified, the outlier first.
    expect(lines[1]).toMatch(/^1,vm,.*,incomplete,quick,yes,/);
    expect(lines[2]).toMatch(/^2,slow-disk,.*,fdatasyncP99Ms;writeIops,/);
    // Header, 12 nodes, and the empty string after the last CRLF.
    expect(lines).toHaveLength(14);
    expect(lines.at(-1)).toBe('');
  });
});
