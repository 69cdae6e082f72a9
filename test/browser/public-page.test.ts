/**
 * The public page in Chromium with JavaScript turned off, against a real `vigil serve` that has tokens (docs/public-page.md):
 * the page loads without one, shows the public journey's state in customer words and 90 bars with a text alternative
 * each, draws them with its own stylesheet under its strict policy, and shows nothing of the journey that is not public.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, screenshot, VIEWPORT } from './browser.js';

const run = browserAvailable();

const CONFIG = `version: vigil/v1
defaults: { timezone: UTC }
journeys:
  - name: card-payment
    displayName: Card payment
    public: true
    publicName: Card payments
    steps: [{ name: pay, services: [cards-api-internal] }]
    slos: [{ name: success, objective: 99.9, window: 28d, sli: { kind: success } }]
  - name: back-office-reconcile
    steps: [{ name: run, services: [recon-batch] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
`;

describe.skipIf(!run)('the public page in Chromium without JavaScript', () => {
  const tmp = tempDir('vigil-public-browser-');
  let vigil: VigilProcess;
  let browser: Browser;

  beforeAll(async () => {
    const config = join(tmp.dir, 'vigil.yaml');
    const database = join(tmp.dir, 'vigil.db');
    writeFileSync(config, CONFIG);
    // A token exists, so every protected route needs one: the public page must not.
    const made = await runVigil(['token', 'create', '--name', 'ci', '--scope', 'ingest', '--database', database]);
    const token = made.stdout
      .split('\n')
      .find((line) => /^vigil_[0-9a-f]+_\S+$/.test(line.trim()))
      ?.trim();
    if (made.code !== 0 || !token) throw new Error(`vigil token create failed: ${made.stderr}${made.stdout}`);
    [vigil, browser] = await Promise.all([startVigil(['--config', config, '--database', database]), launchBrowser()]);
    const now = Date.now();
    // Today: 90 of 100 card payments succeeded.
    const events = Array.from({ length: 100 }, (_, i) => ({
      id: `e${i}`,
      journey: 'card-payment',
      outcome: i < 10 ? 'failure' : 'success',
      timestamp: new Date(now - 60_000 - i * 1_000).toISOString(),
    }));
    const posted = await postEvents(vigil.url, events, 'application/json', { authorization: `Bearer ${token}` });
    expect(posted.status).toBe(200);
    expect((await fetch(`${vigil.url}/api/v1/journeys`)).status).toBe(401);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('shows the state in words and 90 labelled bars, styled, with no script and nothing internal', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORT, timezoneId: 'America/New_York' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(`${vigil.url}/public`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('h2').allTextContents()).toEqual(['Card payments']);
    const state = page.locator('.state');
    expect(await state.getAttribute('data-state')).toBe('disrupted');
    expect(await state.textContent()).toBe('Partial disruption: Some customers may see failures with card payments. We are working on it.');
    const bars = page.locator('svg.bars [role="listitem"]');
    expect(await bars.count()).toBe(90);
    const today = new Date().toISOString().slice(0, 10);
    const [, month, day] = today.split('-').map(Number);
    const label = `${day} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month! - 1]}: 90.0% of attempts succeeded`;
    expect(await bars.last().getAttribute('aria-label')).toBe(label);
    expect(await bars.last().locator('title').textContent()).toBe(label);
    expect(await bars.first().getAttribute('aria-label')).toMatch(/: no data/);
    // The stylesheet applied under the page's policy: a poor day is vermillion and shorter than a full bar.
    const rect = bars.last().locator('rect');
    expect(await rect.getAttribute('class')).toBe('poor');
    expect(await rect.evaluate((el) => getComputedStyle(el).fill)).toBe('rgb(213, 94, 0)');
    const html = await page.content();
    expect(html).not.toMatch(/<script/i);
    for (const internal of ['cards-api-internal', 'recon-batch', 'back-office-reconcile', 'card-payment"'])
      expect(html).not.toContain(internal);
    expect(errors).toEqual([]);
    await screenshot(page, 'public-page');
    await context.close();
  });
});
