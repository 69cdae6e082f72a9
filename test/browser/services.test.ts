/**
 * The Where to invest page in a real Chromium against a real `vigil serve` (docs/value.md ("Where to invest")): services
 * in the API's order with its figures, the loud-but-harmless service called out, the period switch, no console errors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postEvents, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const run = browserAvailable();

const CONFIG = `version: vigil/v1
services:
  - { name: noisy, tier: critical }
journeys:
  - name: pay
    tier: critical
    value: { currency: EUR, revenuePerSuccess: 2 }
    steps:
      - { name: send, services: [api, ledger] }
    slos:
      - { name: send-ok, objective: 99, window: 28d, sli: { kind: success, step: send } }
  - name: cards
    tier: standard
    value: { currency: GBP, revenuePerSuccess: 1 }
    steps:
      - { name: auth, services: [cards-api] }
`;

const MIN = 60_000;

describe.skipIf(!run)('Where to invest in Chromium', () => {
  const tmp = tempDir('vigil-browser-ranking-');
  let vigil: VigilProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const config = join(tmp.dir, 'vigil.yaml');
    writeFileSync(config, CONFIG);
    [vigil, browser] = await Promise.all([startVigil(['--config', config, '--database', join(tmp.dir, 'v.db')]), launchBrowser()]);
    const at = new Date(Math.floor(Date.now() / MIN) * MIN - 10 * MIN).toISOString();
    // pay/send: 10 failures (5 each to api and ledger, €10 each) and 990 successes; cards/auth: 3 failures (£3).
    const events = [
      ...Array.from({ length: 10 }, () => ({ journey: 'pay', step: 'send', outcome: 'failure', timestamp: at })),
      ...Array.from({ length: 990 }, () => ({ journey: 'pay', step: 'send', outcome: 'success', timestamp: at })),
      ...Array.from({ length: 3 }, () => ({ journey: 'cards', step: 'auth', outcome: 'failure', timestamp: at })),
    ];
    expect((await postEvents(vigil.url, events)).status).toBe(200);
    const alerts = [1, 2, 3].map((i) => ({ source: 'nagios', key: `noisy-${i}`, status: 'firing', service: 'noisy', summary: 'cpu' }));
    const posted = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    expect(posted.status).toBe(200);
    ({ page, errors } = await newPage(browser));
    await page.goto(`${vigil.url}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('lists services in the API’s order with its figures, and calls the loud harmless one out', async () => {
    await page.locator('nav a', { hasText: 'Services' }).click();
    await page.waitForSelector('[data-ready="true"]');
    expect(page.url()).toContain('#/services');
    const { body } = await getJson(`${vigil.url}/api/v1/services/ranking`);
    const names = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-service')));
    expect(names).toEqual(body.services.map((s: { name: string }) => s.name));
    // Equal harm at pay/send: api before ledger by name; noisy, loud, after them; cards-api in the lower tier.
    expect(names).toEqual(['api', 'ledger', 'noisy', 'cards-api']);
    const cells = async (service: string) =>
      page
        .locator(`tr[data-service="${service}"] td[data-field]`)
        .evaluateAll((tds) => Object.fromEntries(tds.map((td) => [td.getAttribute('data-field'), td.textContent?.trim()])));
    expect(await cells('ledger')).toEqual({
      failed: '5',
      lost: '€10',
      budget: '50.0% of pay / send-ok',
      incidents: '0',
      alerts: '0',
      verdict: 'customer harm 0 alerts, 5 failed attempts',
    });
    expect(await cells('noisy')).toMatchObject({
      failed: '0',
      lost: '—',
      alerts: '3',
      verdict: 'loud, no harm 3 alerts, 0 failed attempts',
    });
    expect(await cells('cards-api')).toMatchObject({ failed: '3', lost: '£3', budget: '—' });
    await screenshot(page, 'where-to-invest');
  });

  it('switches the period and asks the API for it', async () => {
    const asked = page.waitForRequest((r) => r.url().includes('/api/v1/services/ranking'));
    await page.getByTestId('ranking-period').selectOption('7');
    const url = new URL((await asked).url());
    const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!);
    expect(span).toBe(7 * 86_400_000);
    await page.waitForSelector('tr[data-service="ledger"]');
    expect(errors).toEqual([]);
  });
});
