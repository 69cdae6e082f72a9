/**
 * Customer signals in Chromium against a real `vigil serve` (docs/signals.md ("Blind spots")): complaints about
 * statements spike while its SLO and services are fine, so the overview's paradox banner names the blind spot;
 * card payments spike too but a service alert fires, so they are not named. The journey page shows the stream,
 * with the customer's text as text (never markup).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const run = browserAvailable();

const CONFIG = `version: vigil/v1
journeys:
  - name: statements
    displayName: Statements
    steps: [{ name: view, services: [docs-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: card-payment
    displayName: Card payment
    steps: [{ name: pay, services: [cards-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
signals:
  minSpike: 10
  keywords:
    statements: [statement, pdf, download]
    card-payment: [card declined]
`;

const HOSTILE = 'PDF statement is blank <img src=x onerror="window.__pwned=1"> & broken';

describe.skipIf(!run)('customer signals on the dashboard', () => {
  const tmp = tempDir('vigil-signals-browser-');
  let vigil: VigilProcess;
  let browser: Browser;

  beforeAll(async () => {
    const config = join(tmp.dir, 'vigil.yaml');
    writeFileSync(config, CONFIG);
    [vigil, browser] = await Promise.all([startVigil(['--config', config, '--database', join(tmp.dir, 'vigil.db')]), launchBrowser()]);
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const signals = [
      // 12 about statements in the last hour, none before: a spike (12 ≥ 10), and nothing else shows it.
      { id: 'st-1', source: 'app-store', at: at(5), text: HOSTILE },
      { id: 'st-2', source: 'call-centre', at: at(20), text: 'cannot download my statement', count: 11 },
      // 10 about card payments: a spike, but cards-api has a firing alert.
      { id: 'cp-1', source: 'social', at: at(3), text: 'card declined at the till', count: 10 },
    ];
    const posted = await fetch(`${vigil.url}/api/v1/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signals),
    });
    expect(await posted.json()).toMatchObject({ accepted: 3, rejectedCount: 0 });
    const alert = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'nagios', key: 'cards-down', status: 'firing', service: 'cards-api', summary: 'cards-api errors' }),
    });
    expect(alert.status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('names the blind spot on the paradox banner, and only that one', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${vigil.url}/`);
    const blind = page.getByTestId('blind-spot');
    await expect.poll(() => blind.textContent(), { timeout: 30_000 }).toBe(' Customers complain about Statements; no SLI shows it.');
    expect(await page.getByTestId('paradox').textContent()).toBe(
      '⚠Green-dashboard paradox.  Customers complain about Statements; no SLI shows it.',
    );
    await screenshot(page, 'signals-blind-spot');
    expect(errors).toEqual([]);
  });

  it("shows the journey's signals beside its SLOs, newest first, the customer's text as text", async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${vigil.url}/#/journeys/statements`);
    const stream = page.getByTestId('signals-stream');
    await page.waitForSelector('[data-signal="st-2"]', { timeout: 30_000 });
    await expect.poll(() => stream.locator('[data-signal]').count(), { timeout: 30_000 }).toBe(2);
    expect(await stream.locator('[data-field="signals-status"]').textContent()).toBe(
      '12 in the last hour against a usual 0 (same hour, last 4 weeks): spiking, and no SLI shows it',
    );
    expect(await stream.locator('[data-signal]').evaluateAll((items) => items.map((i) => i.getAttribute('data-signal')))).toEqual([
      'st-1',
      'st-2',
    ]);
    expect(await stream.locator('[data-signal="st-1"] .signal-text').textContent()).toBe(HOSTILE);
    expect(await stream.locator('[data-signal="st-2"]').textContent()).toContain('call-centre × 11 · matched “statement”');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, 'signals-stream');

    await page.goto(`${vigil.url}/#/journeys/card-payment`);
    await expect
      .poll(() => page.getByTestId('signals-stream').locator('[data-field="signals-status"]').textContent())
      .toBe('10 in the last hour against a usual 0 (same hour, last 4 weeks): spiking, and the SLOs or infrastructure show it too');
    expect(errors).toEqual([]);
  });
});
