// report.html and compare.html opened in Debian's headless Chromium with the network blocked: no errors, no request, escaped text, a screenshot.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFleet, summarise } from '../../src/compare/fleet.js';
import { renderCompareHtml } from '../../src/compare/render.js';
import type { Report } from '../../src/model/report.js';
import { renderAll } from '../../src/report/write.js';
import { fleetWithSlowDisk } from '../compare/fleet-fixture.js';
import { openInChromium } from './browser.js';
import { HOSTILE, hostileReport, loadFixture, PINNED_GENERATED_AT } from './fixtures.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea7-browser-'));
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writePage(name: string, report: Report): Promise<string> {
  const files = renderAll(report);
  await mkdir(join(dir, name), { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, name, file), text);
  return join(dir, name, 'report.html');
}

describe('the blocking itself', () => {
  it('records and aborts a request the page would make (to loopback)', async () => {
    const path = join(dir, 'control.html');
    await writeFile(path, '<!DOCTYPE html><title>control</title><img src="http://127.0.0.1:9/x.png">');
    const page = await openInChromium(path);
    try {
      expect(page.blockedRequests).toEqual(['http://127.0.0.1:9/x.png']);
    } finally {
      await page.close();
    }
  });
});

describe.each([
  ['full', () => loadFixture('full')],
  ['no-fio', () => loadFixture('no-fio')],
  ['hostile', hostileReport],
] as const)('report.html of %s in Chromium', (name, make) => {
  it('loads with no console error, no request and no dialog, and is screenshotted', async () => {
    const page = await openInChromium(await writePage(name, make()));
    try {
      await page.page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
      expect(page.errors).toEqual([]);
      expect(page.blockedRequests).toEqual([]);
      expect(page.dialogs).toEqual([]);
      expect(await page.page.locator('svg.chart').count()).toBeGreaterThan(name === 'no-fio' ? 1 : 3);
    } finally {
      await page.close();
    }
  });
});

describe('report.html in Chromium', () => {
  it('shows a hostile hostname as text and runs none of the injected markup', async () => {
    const page = await openInChromium(await writePage('hostile-text', hostileReport()));
    try {
      expect(await page.page.locator('h1').textContent()).toBe(`etcd-advisor report: ${HOSTILE.hostname}`);
      expect(await page.page.title()).toContain(HOSTILE.hostname);
      expect(await page.page.locator('svg text', { hasText: HOSTILE.peer }).count()).toBeGreaterThan(0);
      expect(await page.page.locator('img, iframe, svg:not(.chart)').count()).toBe(0);
      expect(await page.page.locator('script').count()).toBe(2);
      await page.page.waitForTimeout(200);
      expect(page.dialogs).toEqual([]);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('copies etcd.service with its button', async () => {
    const htmlPath = await writePage('copy', loadFixture('full'));
    const page = await openInChromium(htmlPath);
    try {
      await page.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      const button = page.page.locator('button.copy[data-target="unit-file"]');
      await button.click();
      await expect.poll(() => button.textContent()).toBe('copied');
      const copied = await page.page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(await readFile(join(dir, 'copy', 'etcd.service'), 'utf8'));
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('prints to PDF without the buttons', async () => {
    const page = await openInChromium(await writePage('print', loadFixture('full')));
    try {
      await page.page.emulateMedia({ media: 'print' });
      expect(await page.page.locator('button.copy').first().isVisible()).toBe(false);
      const pdf = await page.page.pdf({ path: join(ARTIFACTS, 'report-full.pdf'), format: 'A4' });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
      expect(pages).toBeGreaterThan(1);
      expect(pages).toBeLessThan(15);
    } finally {
      await page.close();
    }
  });
});

describe('compare.html in Chromium', () => {
  it('loads with no console error and no request, and is screenshotted', async () => {
    const path = join(dir, 'compare.html');
    const fleet = compareFleet([...fleetWithSlowDisk(50), loadFixture('no-fio'), hostileReport()].map((r, i) => summarise(r, `reports/${i}/report.json`)));
    await writeFile(path, renderCompareHtml(fleet, PINNED_GENERATED_AT));
    const page = await openInChromium(path);
    try {
      await page.page.screenshot({ path: join(ARTIFACTS, 'compare.png'), fullPage: true });
      expect(page.errors).toEqual([]);
      expect(page.blockedRequests).toEqual([]);
      expect(page.dialogs).toEqual([]);
      expect(await page.page.locator('td.outlier').count()).toBe(2);
    } finally {
      await page.close();
    }
  });
});
