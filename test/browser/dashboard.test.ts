/**
 * The dashboard in a real Chromium against a real `vigil demo` (seeded, no live traffic) with a scripted
 * outage added: every page renders without console errors, shows the API's figures, and a user can go
 * overview → journey → SLO → incident and acknowledge it. Screenshots of each page are saved.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBudget, formatCount, formatFactor, formatSli } from '../../src/web/lib/format.js';
import { startDemo } from '../helpers/vigil-demo.js';
import { getJson, postEvents, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const MINUTE = 60_000;
const run = browserAvailable();

/** Card payments failing at the authorise step for the last 15 minutes, with no technical alert: the paradox. */
function cardOutage(now: number) {
  const events = [];
  for (let i = 0; i < 90; i++) {
    const timestamp = new Date(now - 15 * MINUTE + i * 10_000).toISOString();
    const attemptId = `outage-${i}`;
    events.push({ id: `${attemptId}-s`, journey: 'card-payment', step: 'screen', outcome: 'success', latencyMs: 120, timestamp, attemptId, customerId: `c-${i}` });
    events.push({ id: `${attemptId}-a`, journey: 'card-payment', step: 'authorise', outcome: 'failure', latencyMs: 4000, timestamp, attemptId, customerId: `c-${i}`, amount: 42.5, currency: 'GBP' });
    events.push({ id: `${attemptId}-j`, journey: 'card-payment', outcome: 'failure', latencyMs: 4200, timestamp, attemptId, customerId: `c-${i}`, amount: 42.5, currency: 'GBP' });
  }
  return events;
}

/** SEPA Instant confirmations failing while instant-clearing alerts, and an alert no journey depends on. */
function clearingIncident(now: number) {
  const events = [];
  for (let i = 0; i < 40; i++) {
    const timestamp = new Date(now - 10 * MINUTE + i * 12_000).toISOString();
    events.push({ id: `clearing-${i}`, journey: 'sepa-instant', step: 'confirm', outcome: 'failure', latencyMs: 9000, timestamp, attemptId: `clearing-${i}`, customerId: `s-${i}`, amount: 250, currency: 'EUR' });
  }
  const alerts = [
    { source: 'prometheus', key: 'instant-clearing-5xx', service: 'instant-clearing', severity: 'critical', summary: 'instant-clearing 5xx above 5%', startsAt: new Date(now - 11 * MINUTE).toISOString() },
    { source: 'prometheus', key: 'instant-clearing-latency', service: 'instant-clearing', severity: 'warning', summary: 'instant-clearing p99 above 8 s', startsAt: new Date(now - 9 * MINUTE).toISOString() },
    { source: 'prometheus', key: 'etl-lag', service: 'data-warehouse-etl', severity: 'warning', summary: 'ETL lag above 2 h', startsAt: new Date(now - 20 * MINUTE).toISOString() },
  ];
  return { events, alerts };
}

/** The last few minutes of ordinary traffic for the healthy journeys (the demo runs without live traffic). */
function recentTraffic(now: number) {
  const journeys = ['login', 'view-balance', 'sepa-instant', 'open-account', 'statements'];
  return journeys.flatMap((journey) =>
    Array.from({ length: 24 }, (_, i) => ({ id: `recent-${journey}-${i}`, journey, outcome: 'success', latencyMs: 250 + i * 10, timestamp: new Date(now - 4 * MINUTE + i * 10_000).toISOString(), customerId: `r-${i}` })),
  );
}

async function ready(page: Page, hash: string): Promise<void> {
  await page.goto(hash.startsWith('http') ? hash : `${page.url().split('#')[0]}${hash}`);
  await page.waitForSelector('[data-ready="true"]', { timeout: 10_000 });
}

describe.skipIf(!run)('dashboard in Chromium', () => {
  const tmp = tempDir('vigil-browser-');
  let demo: VigilProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(['--no-live', '--days', '3', '--seed', '7', '--database', `${tmp.dir}/demo.db`]), launchBrowser()]);
    const now = Date.now();
    const { events, alerts } = clearingIncident(now);
    expect((await postEvents(demo.url, [...cardOutage(now), ...events, ...recentTraffic(now)])).body.rejected).toEqual([]);
    const sent = await fetch(`${demo.url}/api/v1/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    expect(sent.status, await sent.text()).toBe(200);
    ({ page, errors } = await newPage(browser));
    await page.goto(`${demo.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    tmp.cleanup();
  });

  it('overview: journeys by customer impact, the API’s figures, the paradox called out', async () => {
    await ready(page, '#/');
    const { body } = await getJson(`${demo.url}/api/v1/journeys`);
    const names: string[] = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-journey') ?? ''));
    expect(names).toHaveLength(body.journeys.length);
    expect(names[0]).toBe('card-payment');
    for (const journey of body.journeys) {
      const row = page.locator(`tr[data-journey="${journey.name}"]`);
      const primary = journey.slos[0];
      expect(await row.locator('[data-field="success-window"] .figure').textContent(), journey.name).toBe(formatSli(primary.sli, primary.objective));
      const tightest = Math.min(...journey.slos.filter((s: any) => s.total > 0).map((s: any) => s.errorBudget.remaining));
      expect(await row.locator('[data-field="budget"] .figure').textContent(), journey.name).toBe(formatBudget(tightest));
    }
    await expect.poll(() => page.getByTestId('paradox').textContent()).toMatch(/Infrastructure 100% green — customers failing: Card payment success \d+\.\d% in the last hour/);
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
        const { body } = await getJson(`${demo.url}/api/v1/journeys/card-payment`);
        const expected = body.steps.map((s: any) => formatCount(s.outcomes['1h'].success + s.outcomes['1h'].failure + s.outcomes['1h'].rejected + s.outcomes['1h'].abandoned));
        const shown = await page.locator('.funnel-steps [data-field="reached"]').evaluateAll((els) => els.map((e) => e.firstChild?.textContent?.trim()));
        return JSON.stringify(shown) === JSON.stringify(expected);
      })
      .toBe(true);
    await page.locator('.flow .step[data-step="authorise"]').click();
    const panel = page.getByTestId('step-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('authorise-fast');
    await screenshot(page, 'journey');
  });

  it('SLO page: tiles and burn-rate pairs as the API says, charts drawn', async () => {
    await page.locator('a.slo-card[data-slo="success"]').click();
    await page.waitForSelector('[data-ready="true"] .burn-table');
    await page.waitForSelector('.chart canvas');
    const { body: status } = await getJson(`${demo.url}/api/v1/journeys/card-payment/slos/success/status`);
    expect(await page.locator('.tile [data-field="attainment"]').textContent()).toBe(formatSli(status.attainment, status.objective));
    expect(await page.locator('.tile [data-field="budget"]').textContent()).toBe(formatBudget(status.errorBudget.remaining));
    const factors = await page.locator('.burn-table [data-field="factor"]').allTextContents();
    expect(factors).toEqual(status.alerts.pairs.map((p: any) => formatFactor(p.factor)));
    const firing = await page.locator('.burn-table [data-field="firing"]').allTextContents();
    expect(firing.map((f) => f.includes('Firing'))).toEqual(status.alerts.pairs.map((p: any) => p.firing));
    expect(status.alerts.page).toBe(true);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'slo');
  });

  it('incidents: grouped by stage with reason and impact; acknowledge from the page', async () => {
    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.waitForSelector('[data-ready="true"] .noise');
    const { body } = await getJson(`${demo.url}/api/v1/incidents?status=open`);
    const target = body.incidents.find((i: any) => i.services.includes('instant-clearing'));
    expect(target, JSON.stringify(body.incidents.map((i: any) => i.title))).toBeDefined();
    const card = page.locator(`article[data-incident="${target.id}"]`);
    expect(await card.locator('[data-field="reason"]').textContent()).toBe(target.reason);
    expect(await card.locator('.badge').first().textContent()).toContain(target.priority);
    await card.locator('.timeline-row').first().waitFor();
    await screenshot(page, 'incidents');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => card.locator('[data-field="status"]').textContent()).toContain('Acknowledged');
    const { body: after } = await getJson(`${demo.url}/api/v1/incidents/${target.id}`);
    expect(after.status ?? after.incident?.status).toBe('acknowledged');
  });

  it('logged no console error on any page', () => {
    expect(errors).toEqual([]);
  });
});
