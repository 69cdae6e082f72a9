/**
 * The retention page in a real Chromium against a real `vigil serve` (docs/retention.md): ISO weeks in UTC, customers
 * counted by hand, the reading, the dose-response bars falling with failures met, exposed against unexposed, the table.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postEvents, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const run = browserAvailable();
const CONFIG = `version: vigil/v1
defaults: { timezone: UTC }
journeys:
  - name: card-payment
    displayName: Card payment
    steps: [{ name: authorise, services: [cards-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: login
    steps: [{ name: form, services: [auth-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
`;
const DAY = 86_400_000;

describe.skipIf(!run)('retention page in Chromium', () => {
  const tmp = tempDir('vigil-retention-browser-');
  let vigil: VigilProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  // Week N: two weeks before this one; N+1 last week (over); this week is N+1 of nobody yet.
  const today = Math.floor(Date.now() / DAY) * DAY;
  const thisMonday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const n = thisMonday - 14 * DAY;
  const next = thisMonday - 7 * DAY;

  beforeAll(async () => {
    const config = join(tmp.dir, 'vigil.yaml');
    writeFileSync(config, CONFIG);
    [vigil, browser] = await Promise.all([startVigil(['--config', config, '--database', join(tmp.dir, 'v.db')]), launchBrowser()]);
    const pay = (customerId: string, outcome: string) => ({
      journey: 'card-payment',
      outcome,
      customerId,
      timestamp: new Date(n + DAY).toISOString(),
    });
    const back = (customerId: string) => ({
      journey: 'login',
      outcome: 'success',
      customerId,
      timestamp: new Date(next + DAY).toISOString(),
    });
    const customers = (prefix: string, count: number, failures: number, retained: number) =>
      Array.from({ length: count }, (_, i) => [
        ...(failures === 0 ? [pay(`${prefix}${i}`, 'success')] : Array.from({ length: failures }, () => pay(`${prefix}${i}`, 'failure'))),
        ...(i < retained ? [back(`${prefix}${i}`)] : []),
      ]).flat();
    // No failure: 8 of 10 back; one failure: 3 of 4; two: 1 of 3; five: 0 of 2.
    const events = [...customers('u', 10, 0, 8), ...customers('a', 4, 1, 3), ...customers('b', 3, 2, 1), ...customers('c', 2, 5, 0)];
    expect((await postEvents(vigil.url, events)).status).toBe(200);
    ({ page, errors } = await newPage(browser));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('reads the latest complete week, draws the dose-response falling with failures, and lists the figures', async () => {
    await page.goto(`${vigil.url}/#/journeys/card-payment/retention?period=week`);
    await page.waitForSelector('[data-ready="true"] [data-testid="retention-dose"]');
    const { body } = await getJson(`${vigil.url}/api/v1/retention?journey=card-payment&period=week`);
    const week = body.periods.find((p: any) => p.start === new Date(n).toISOString());
    expect(week.exposed).toMatchObject({ customers: 9, retained: 4 });
    expect(week.unexposed).toMatchObject({ customers: 10, retained: 8 });
    expect(body.reading).toContain('were 35.6 points less likely to be active in week');
    expect(await page.getByTestId('retention-reading').textContent()).toBe(body.reading);

    // 80%, 75%, 33.3%, 0%: each bar lower than the one before (SVG y grows downwards; 0% has no height).
    const dose = page.getByTestId('retention-dose');
    const labels = await dose.locator('[data-bar] > text').allTextContents();
    expect(labels).toEqual(['80.0%', 'no failure · 10', '75.0%', '1 failure · 4', '33.3%', '2-3 failures · 3', '0.0%', '4+ failures · 2']);
    const tops = await dose.locator('[data-bar] rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('y'))));
    expect(tops).toHaveLength(4);
    for (let i = 1; i < tops.length; i++) expect(tops[i]!).toBeGreaterThan(tops[i - 1]!);
    expect(await dose.locator('[data-bar="dose-1"] title').textContent()).toContain('75.0% of 4 (');

    // Exposed against unexposed: one pair for the one week with customers of card payment.
    const pairs = await page
      .getByTestId('retention-exposure')
      .locator('[data-bar]')
      .evaluateAll((bars) => bars.map((b) => b.getAttribute('data-bar')));
    expect(pairs).toEqual([`${week.period}-exposed`, `${week.period}-unexposed`]);

    const row = page.getByTestId('retention-table').locator('tbody tr', { hasText: week.period });
    expect(await row.locator('td').allTextContents()).toEqual([
      '44.4% of 9 (18.9–73.3%)',
      '80.0% of 10 (49.0–94.3%)',
      '−35.6 pts',
      (4 / 9 / 0.8).toFixed(3),
      String(Number(week.pValue.toPrecision(2))),
    ]);
    await screenshot(page, 'retention');
    expect(errors).toEqual([]);
  });

  it('is linked from the journey page and switches between weeks and months', async () => {
    await page.goto(`${vigil.url}/#/journeys/card-payment`);
    await page.getByRole('link', { name: 'retention by failures met' }).click();
    await page.waitForSelector('[data-ready="true"] #retention-title');
    expect(page.url()).toMatch(/#\/journeys\/card-payment\/retention$/);
    await page.getByRole('link', { name: 'Weeks' }).click();
    await page.waitForSelector('[data-testid="retention-dose"]');
    expect(page.url()).toMatch(/retention\?period=week$/);
    expect(errors).toEqual([]);
  });
});
