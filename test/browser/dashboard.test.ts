/**
 * The dashboard in a real Chromium against a real `vigil serve` over the demo bank, loaded with a fixed,
 * seeded scenario (scenario.ts): every page renders without console errors, shows the API's figures, and
 * a user can go overview → journey → SLO → incident and acknowledge it. Screenshots of each page are saved.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBudget, formatCount, formatFactor, formatSli } from '../../src/web/lib/format.js';
import { BANK_CONFIG_PATH } from '../../src/demo/bank.js';
import { getJson, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';
import { loadScenario } from './scenario.js';

const run = browserAvailable();

async function ready(page: Page, hash: string): Promise<void> {
  await page.goto(hash.startsWith('http') ? hash : `${page.url().split('#')[0]}${hash}`);
  await page.waitForSelector('[data-ready="true"]', { timeout: 10_000 });
}

describe.skipIf(!run)('dashboard in Chromium', () => {
  const tmp = tempDir('vigil-browser-');
  let vigil: VigilProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [vigil, browser] = await Promise.all([
      startVigil(['--config', BANK_CONFIG_PATH, '--database', `${tmp.dir}/vigil.db`]),
      launchBrowser(),
    ]);
    await loadScenario(vigil.url);
    ({ page, errors } = await newPage(browser));
    await page.goto(`${vigil.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('overview: journeys by customer impact, the API’s figures, the paradox called out', async () => {
    await ready(page, '#/');
    const { body } = await getJson(`${vigil.url}/api/v1/journeys`);
    const names: string[] = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-journey') ?? ''));
    expect(names).toHaveLength(body.journeys.length);
    expect(names[0]).toBe('card-payment');
    for (const journey of body.journeys) {
      const row = page.locator(`tr[data-journey="${journey.name}"]`);
      const primary = journey.slos[0];
      expect(await row.locator('[data-field="success-window"] [data-value]').textContent(), journey.name).toBe(
        formatSli(primary.sli, primary.objective),
      );
      const tightest = Math.min(...journey.slos.filter((s: any) => s.total > 0).map((s: any) => s.errorBudget.remaining));
      expect(await row.locator('[data-field="budget"] [data-value]').textContent(), journey.name).toBe(formatBudget(tightest));
    }
    await expect
      .poll(() => page.getByTestId('paradox').textContent())
      .toMatch(/Infrastructure 100% green — customers failing: Card payment success \d+\.\d% in the last hour/);
    // Times are in the configured zone (Europe/London), not the browser's (New York).
    expect(await page.locator('.clock').textContent()).toMatch(/^\d\d:\d\d GMT|BST$/);
    await screenshot(page, 'overview');
  });

  it('journey map: steps with their services, the funnel as the API counts it, a step’s SLOs on click', async () => {
    await page.locator('tr[data-journey="card-payment"] a.journey-link').click();
    await page.waitForSelector('.flow');
    expect(page.url()).toContain('#/journeys/card-payment');
    expect(await page.locator('.flow .step').count()).toBe(2);
    expect(await page.locator('.flow .step[data-step="authorise"]').textContent()).toContain('★ critical');
    // The last hour slides on: compare with a fresh API answer, reloading until both are of the same minute.
    await expect
      .poll(async () => {
        await page.reload();
        await page.waitForSelector('.funnel-steps');
        const { body } = await getJson(`${vigil.url}/api/v1/journeys/card-payment`);
        const expected = body.steps.map((s: any) =>
          formatCount(s.outcomes['1h'].success + s.outcomes['1h'].failure + s.outcomes['1h'].rejected + s.outcomes['1h'].abandoned),
        );
        const shown = await page
          .locator('.funnel-steps [data-field="reached"]')
          .evaluateAll((els) => els.map((e) => e.firstChild?.textContent?.trim()));
        return JSON.stringify(shown) === JSON.stringify(expected);
      })
      .toBe(true);
    // By keyboard: the steps are links, reachable with Tab and opened with Enter.
    await page.locator('.flow .step[data-step="authorise"]').focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('step-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('authorise-fast');
    await screenshot(page, 'journey');
  });

  it('SLO page: tiles and burn-rate pairs as the API says, charts drawn', async () => {
    await page.locator('a.slo-card[data-slo="success"]').click();
    await page.waitForSelector('[data-ready="true"] .burn-table');
    await page.waitForSelector('.chart canvas');
    const { body: status } = await getJson(`${vigil.url}/api/v1/journeys/card-payment/slos/success/status`);
    expect(await page.locator('.tile [data-field="attainment"]').textContent()).toBe(formatSli(status.attainment, status.objective));
    expect(await page.locator('.tile [data-field="budget"]').textContent()).toBe(formatBudget(status.errorBudget.remaining));
    const factors = await page.locator('.burn-table [data-field="factor"]').allTextContents();
    expect(factors).toEqual(status.alerts.pairs.map((p: any) => formatFactor(p.factor)));
    const firing = await page.locator('.burn-table [data-field="firing"]').allTextContents();
    expect(firing.map((f) => f.includes('Firing'))).toEqual(status.alerts.pairs.map((p: any) => p.firing));
    expect(status.alerts.page).toBe(true);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    // A step-scoped SLO whose incident is marked on the burn-down's time axis.
    await ready(page, '#/journeys/sepa-instant/slos/confirm-step');
    const { body: confirm } = await getJson(`${vigil.url}/api/v1/journeys/sepa-instant/slos/confirm-step/status`);
    expect(await page.locator('.tile [data-field="budget"]').textContent()).toBe(formatBudget(confirm.errorBudget.remaining));
    expect(await page.locator('.marker-list li').first().textContent()).toContain('instant-clearing');
    await page.waitForSelector('.chart canvas');
    await screenshot(page, 'slo');
  });

  it('incidents: grouped by stage with reason and impact; acknowledge from the page', async () => {
    // From the SLO page, the incident marked on its burn-down.
    await page.locator('.marker-list a').first().click();
    await page.waitForSelector('[data-ready="true"] .noise');
    const focused = decodeURIComponent(page.url().split('#/incidents/')[1] ?? '');
    const { body } = await getJson(`${vigil.url}/api/v1/incidents?status=open&limit=1000`);
    const target = body.incidents.find((i: any) => i.id === focused);
    expect(target?.services, JSON.stringify(body.incidents.map((i: any) => [i.id, i.title]))).toContain('instant-clearing');
    const card = page.locator(`article[data-incident="${target.id}"]`);
    expect(await card.getAttribute('class')).toContain('incident-focused');
    expect(await card.locator('[data-field="reason"]').textContent()).toBe(target.reason);
    expect(await card.locator('.badge').first().textContent()).toContain(target.priority);
    const toggle = card.getByRole('button', { name: /^(Show|Hide) \d+ alerts?$/ });
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
    await card.locator('.timeline-row').first().waitFor();
    expect(await card.locator('.timeline-row').count()).toBe(target.alertKeys.length);
    await screenshot(page, 'incidents');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => card.locator('[data-field="status"]').textContent()).toContain('Acknowledged');
    const { body: after } = await getJson(`${vigil.url}/api/v1/incidents/${target.id}`);
    expect(after.status ?? after.incident?.status).toBe('acknowledged');
  });

  it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });
});
