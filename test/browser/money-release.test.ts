/**
 * The money and release parts of the dashboard in a real Chromium against a real `vigil serve` over the demo bank with the
 * browser scenario's week of traffic and two deployments: the value view shows the API's sentence, figures and hourly
 * chart; the SLO page marks the deployments on the burn-down with what each spent, details on hover (escaped, the link
 * with rel=noopener), the gate in one line; the overview shows each journey's policy state.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK_CONFIG_PATH } from '../../src/demo/bank.js';
import { gateLine, policyStyle, spentText } from '../../src/web/lib/release.js';
import { moneyList } from '../../src/web/lib/value.js';
import { getJson, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';
import { loadScenario } from './scenario.js';

const run = browserAvailable();
const MINUTE = 60_000;

async function ready(page: Page, base: string, hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('[data-ready="true"]', { timeout: 10_000 });
}

describe.skipIf(!run)('money and release in Chromium', () => {
  const tmp = tempDir('vigil-browser-money-');
  let vigil: VigilProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let now: number;

  beforeAll(async () => {
    [vigil, browser] = await Promise.all([
      startVigil(['--config', BANK_CONFIG_PATH, '--database', `${tmp.dir}/vigil.db`]),
      launchBrowser(),
    ]);
    now = await loadScenario(vigil.url);
    // Two deployments of card-payment's services: one three hours ago whose description holds markup, one half an hour ago,
    // before the scenario's card outage.
    const res = await fetch(`${vigil.url}/api/v1/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          id: 'deploy-2210',
          service: 'fraud-check',
          version: '2.13.9',
          startedAt: new Date(now - 180 * MINUTE).toISOString(),
          description: '<img src=x onerror="window.pwned=1">Rules <b>tuned</b>',
          author: 'mallory',
        },
        {
          id: 'deploy-2211',
          service: 'card-gateway',
          version: '2.14.0',
          startedAt: new Date(now - 30 * MINUTE).toISOString(),
          description: 'New fraud rules',
          author: 'ci',
          url: 'https://ci.example/run/2211',
        },
      ]),
    });
    expect(res.status, await res.text()).toBe(201);
    ({ page, errors } = await newPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('value view: the API’s sentence big at the top, the range, a card per method, the hourly chart; the month picker', async () => {
    await ready(page, vigil.url, '#/journeys/card-payment/value');
    const { body: value } = await getJson(`${vigil.url}/api/v1/journeys/card-payment/value`);
    expect(await page.getByTestId('value-statement').textContent()).toBe(value.statement);
    expect(value.statement).toMatch(/^Card payment failures .* cost /);
    const direct = page.locator('[data-method="direct"]');
    expect(await direct.locator('[data-field="figure"]').textContent()).toBe(moneyList(value.methods.direct.lost));
    // A week of history is too short for elasticity: the card gives the API's reason.
    expect(value.methods.elasticity).toBeNull();
    expect(await page.locator('[data-method="elasticity"] [data-field="detail"]').textContent()).toBe(value.reasons.elasticity);
    // The chart: one point per hour of the period; the week of history gives a baseline, the outage a lost hour or none.
    await page.waitForSelector('.chart canvas');
    expect(Number(await page.locator('.chart').getAttribute('data-points'))).toBe(value.hours.length);
    expect(value.hours.length).toBeGreaterThanOrEqual(720);
    const lost = value.hours.filter((h: any) => h.degraded && h.baseline !== null && h.baseline > h.attempts).length;
    expect(Number(await page.locator('[data-lost-hours]').getAttribute('data-lost-hours'))).toBe(lost);
    await screenshot(page, 'value');

    // The month picker: this calendar month (UTC), in the URL, with the API's answer for that period.
    const d = new Date();
    const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    await page.locator('.month-picker select').selectOption(month);
    await expect.poll(() => page.url()).toContain(`#/journeys/card-payment/value?period=${month}`);
    const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
    await expect
      .poll(async () => {
        const { body } = await getJson(`${vigil.url}/api/v1/journeys/card-payment/value?from=${from}&to=${new Date().toISOString()}`);
        return (await page.getByTestId('value-statement').textContent()) === body.statement;
      })
      .toBe(true);
  });

  it('SLO page: deployments on the burn-down with what each spent, details on hover and focus, the gate in one line', async () => {
    await ready(page, vigil.url, '#/journeys/card-payment/slos/success');
    await page.waitForSelector('.chart-flag');
    const { body: status } = await getJson(`${vigil.url}/api/v1/journeys/card-payment/slos/success/status`);
    const at = Date.parse(status.at);
    const { body: series } = await getJson(
      `${vigil.url}/api/v1/journeys/card-payment/slos/success/series?from=${new Date(at - 360 * MINUTE).toISOString()}&to=${status.at}&step=1m`,
    );
    expect(series.deployments.map((x: any) => x.id)).toEqual(['deploy-2210', 'deploy-2211']);
    const latest = series.deployments[1];
    // The outage after 2.14.0 spent budget; the label says how much, as the API figures it.
    expect(latest.consumed).toBeGreaterThan(0);
    for (const dep of series.deployments) {
      expect(await page.locator(`.chart-flag[data-flag="${dep.id}"] .chart-flag-label`).textContent()).toBe(
        `${dep.version} · ${spentText(dep.consumed)}`,
      );
    }
    // The labels do not overlap.
    const boxes = await page.locator('.chart-flag-label').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    expect(boxes).toHaveLength(2);
    const [a, b] = boxes as DOMRect[];
    expect(a!.right <= b!.left || b!.right <= a!.left || a!.bottom <= b!.top || b!.bottom <= a!.top).toBe(true);

    // Hover: version, service, author, description and the run's link.
    const flag = page.locator('.chart-flag[data-flag="deploy-2211"]');
    const tip = flag.locator('[role="tooltip"]');
    expect(await tip.isVisible()).toBe(false);
    await flag.locator('.chart-flag-label').hover();
    await expect.poll(() => tip.isVisible()).toBe(true);
    const text = await tip.textContent();
    for (const part of ['card-gateway 2.14.0', 'New fraud rules', 'ci', spentText(latest.consumed)]) expect(text).toContain(part);
    const link = tip.locator('a');
    expect(await link.getAttribute('href')).toBe('https://ci.example/run/2211');
    expect(await link.getAttribute('rel')).toContain('noopener');
    // Focus from the keyboard shows the other one; its markup is text, never HTML, and it has no link.
    await page.mouse.move(0, 0);
    const other = page.locator('.chart-flag[data-flag="deploy-2210"]');
    await other.locator('.chart-flag-label').focus();
    await expect.poll(() => other.locator('[role="tooltip"]').isVisible()).toBe(true);
    expect(await other.locator('[role="tooltip"]').textContent()).toContain('<img src=x onerror="window.pwned=1">Rules <b>tuned</b>');
    expect(await other.locator('[role="tooltip"] img, [role="tooltip"] b, [role="tooltip"] a').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // Listed under the chart too.
    expect(await page.locator('[data-deployment="deploy-2211"]').textContent()).toContain('2.14.0');

    // The product manager's line, from the gate's answer (margins move with the minute: compare with a fresh answer).
    await expect
      .poll(async () => {
        const { body: gate } = await getJson(`${vigil.url}/api/v1/gate?journey=card-payment`);
        return (await page.getByTestId('gate-line').textContent()) === gateLine(gate, 'card-payment', 'success');
      })
      .toBe(true);
    expect(await page.getByTestId('gate-line').textContent()).toMatch(/^Release: (allowed|denied|allowed with a warning)/);
    await screenshot(page, 'slo-deployments');
  });

  it('corrections from the series answer are shaded and named on the SLO charts', async () => {
    // This server configures no correction: the series answer is given one (the shape of docs/api.md) to show it is drawn.
    const pattern = '**/api/v1/journeys/card-payment/slos/success/series*';
    await page.route(pattern, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.corrections = [
        {
          name: 'ledger-upgrade',
          from: new Date(now - 120 * MINUTE).toISOString(),
          to: new Date(now - 90 * MINUTE).toISOString(),
          reason: 'Announced core-ledger upgrade',
        },
      ];
      await route.fulfill({ response, json: body });
    });
    await page.goto('about:blank');
    await ready(page, vigil.url, '#/journeys/card-payment/slos/success');
    await page.waitForSelector('.chart canvas');
    await expect
      .poll(() => page.locator('.chart').evaluateAll((els) => els.map((e) => e.getAttribute('data-bands'))))
      .toEqual(['ledger-upgrade', 'ledger-upgrade', 'ledger-upgrade']);
    expect(await page.locator('[data-correction="ledger-upgrade"]').textContent()).toContain('Announced core-ledger upgrade');
    await page.unroute(pattern);
  });

  it('overview: each journey’s policy state with icon and word, and a link to what it cost', async () => {
    await ready(page, vigil.url, '#/');
    const { body } = await getJson(`${vigil.url}/api/v1/journeys`);
    for (const journey of body.journeys) {
      const cell = page.locator(`tr[data-journey="${journey.name}"] [data-field="policy"]`);
      const style = policyStyle(journey.policyState);
      expect(await cell.textContent(), journey.name).toBe(`${style.icon}${style.label}`);
    }
    expect(body.journeys.some((j: any) => j.policyState !== 'healthy')).toBe(true);
    await page.locator('tr[data-journey="card-payment"] [data-field="value-link"]').click();
    await page.waitForSelector('[data-testid="value-statement"]');
    expect(page.url()).toContain('#/journeys/card-payment/value');
  });

  it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });
});
