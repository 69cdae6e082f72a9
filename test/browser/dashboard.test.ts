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

  it('SLO charts: minutes without events are gaps on the SLI and burn charts, the range picker changes the step', async () => {
    // The scenario's history stops five minutes ago and login's recent traffic starts four minutes ago: at least one whole
    // minute without a login event, which must be a gap (null), never 100% nor the hour's burn carried on.
    await ready(page, '#/journeys/login/slos/success');
    expect(await page.locator('.range-picker [aria-pressed="true"]').getAttribute('data-range')).toBe('6h');
    const charts = page.locator('.chart');
    await page.waitForSelector('.chart canvas');
    const sliGaps = Number(await charts.nth(1).getAttribute('data-gaps'));
    const burnGaps = Number(await charts.nth(2).getAttribute('data-gaps'));
    expect(sliGaps).toBeGreaterThanOrEqual(1);
    expect(burnGaps).toBe(sliGaps);
    expect(Number(await charts.nth(1).getAttribute('data-points'))).toBeGreaterThanOrEqual(360);
    // The API agrees: the same range at a 1-minute step has as many empty steps.
    const { body: status } = await getJson(`${vigil.url}/api/v1/journeys/login/slos/success/status`);
    const at = Date.parse(status.at);
    const { body: series } = await getJson(
      `${vigil.url}/api/v1/journeys/login/slos/success/series?from=${at - 6 * 3_600_000}&to=${at}&step=1m`,
    );
    const empty = series.points.filter((p: any) => p.stepTotal === 0).length;
    expect(empty).toBeGreaterThanOrEqual(1);
    expect(Math.abs(empty - sliGaps)).toBeLessThanOrEqual(1); // the page evaluated a few seconds apart
    await page.locator('.range-picker [data-range="1h"]').click();
    await expect.poll(async () => Number(await page.locator('.chart').nth(1).getAttribute('data-points'))).toBeLessThanOrEqual(62);
    expect(errors).toEqual([]);
  });

  it('incidents: grouped by stage with reason and impact; acknowledge from the page', async () => {
    // From the SLO page, the incident marked on its burn-down: its own page.
    await ready(page, '#/journeys/sepa-instant/slos/confirm-step');
    await page.locator('.marker-list a').first().click();
    await page.waitForSelector('[data-ready="true"] article[data-incident]');
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
    await screenshot(page, 'incident');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => card.locator('[data-field="status"]').textContent()).toContain('Acknowledged');
    const { body: after } = await getJson(`${vigil.url}/api/v1/incidents/${target.id}`);
    expect(after.status ?? after.incident?.status).toBe('acknowledged');
  });

  it('incidents list: grouped by stage, the noise figure, a link to the history', async () => {
    await ready(page, '#/incidents');
    await page.waitForSelector('.noise');
    expect(await page.locator('article[data-incident]').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'incidents');
  });

  it('history: an incident from days ago is found by text, pages through 55 matches, and its link opens it', async () => {
    // 55 old incidents, an hour apart on services no journey uses, each resolved 10 minutes after it fired.
    const start = Date.now() - 10 * 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const old = Array.from({ length: 55 }, (_, i) => ({
      source: 'prometheus',
      key: `batch-${i}`,
      service: `batch-runner-${String(i).padStart(2, '0')}`,
      severity: 'warning',
      summary: `Mainframe batch ${i} overran`,
      startsAt: iso(start + i * 3_600_000),
    }));
    const post = async (alerts: object[]) => {
      const res = await fetch(`${vigil.url}/api/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      expect(res.status, await res.text()).toBe(200);
    };
    await post(old);
    await post(old.map((a, i) => ({ ...a, status: 'resolved', endsAt: iso(start + i * 3_600_000 + 600_000) })));

    await ready(page, '#/history?q=batch-runner-&range=all');
    await expect.poll(() => page.getByTestId('page-label').textContent()).toBe('1–50 of 55');
    expect(await page.locator('.history-table tbody tr').count()).toBe(50);
    await screenshot(page, 'history');
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect.poll(() => page.getByTestId('page-label').textContent()).toBe('51–55 of 55');
    const rows = page.locator('.history-table tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    // The oldest one, opened ten days ago: its link opens its own page, from the history and from anywhere else.
    const oldest = (await rows.last().getAttribute('data-incident'))!;
    await rows.last().locator('a').first().click();
    await page.waitForSelector(`[data-ready="true"] article[data-incident="${oldest}"]`);
    const { body: detail } = await getJson(`${vigil.url}/api/v1/incidents/${oldest}`);
    expect(detail.services).toEqual(['batch-runner-00']);
    expect(Date.parse(detail.openedAt)).toBe(start);
    expect(await page.locator(`article[data-incident="${oldest}"] [data-field="reason"]`).textContent()).toBe(detail.reason);
    await page.goto('about:blank');
    await page.goto(`${vigil.url}/#/incidents/${oldest}`);
    await page.waitForSelector(`[data-ready="true"] article[data-incident="${oldest}"]`);
    // Its alert timeline loads after the incident itself.
    await page.locator('.timeline-row').first().waitFor();
    expect(await page.locator('.timeline-row').count()).toBe(1);
    // A filter narrows the same history: P1 only matches none of these warnings.
    await ready(page, '#/history?q=batch-runner-&range=all&priority=P1');
    await page.waitForSelector('.state-empty');
    expect(await page.locator('.history-table').count()).toBe(0);
  });

  it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });
});
