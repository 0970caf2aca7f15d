// Opens a page file in Debian's headless Chromium through playwright-core with every network request blocked and recorded.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface OpenedPage {
  page: Page;
  /** Every console message of type error, and every uncaught page error. */
  errors: string[];
  /** Every request the page tried that was not its own file:// URL; all were aborted. */
  blockedRequests: string[];
  dialogs: string[];
  close(): Promise<void>;
}

export async function openInChromium(htmlPath: string, viewport = { width: 1200, height: 900 }): Promise<OpenedPage> {
  const profile = await mkdtemp(join(tmpdir(), 'ea7-chromium-'));
  let context: BrowserContext;
  try {
    // A fresh profile directory each time (playwright passes it as --user-data-dir): no state leaks between tests.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const blockedRequests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blockedRequests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  return {
    page,
    errors,
    blockedRequests,
    dialogs,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
