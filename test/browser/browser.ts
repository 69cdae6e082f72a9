/** Debian's Chromium driven by playwright-core (never a downloaded browser), with console-error capture and screenshots. */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from '../helpers/vigil-process.js';

export const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * Whether the browser tests can run. Without Chromium they skip with a message, except under CI=true,
 * where a missing browser is a failure (.ci/run installs it).
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
  console.warn(`browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT, timezoneId: 'America/New_York' });
  // Fail a missing element in seconds with its selector, rather than at the test's own time-out.
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return { page, errors };
}

const screenshotDir = (() => {
  let dir: string | undefined;
  return () => {
    if (!dir) {
      dir = process.env.VIGIL_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'vigil-screenshots-'));
      mkdirSync(dir, { recursive: true });
    }
    return dir;
  };
})();

/** Save a 1280×800 screenshot: into docs/screenshots with VIGIL_SCREENSHOTS=1, else a temp directory. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(screenshotDir(), `${name}.png`);
  await page.screenshot({ path });
  return path;
}
