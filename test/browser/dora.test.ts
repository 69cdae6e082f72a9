/**
 * An incident's DORA classification on its dashboard page, in Chromium against a real `vigil serve` (docs/dora.md
 * ("Where it shows")): a critical journey's outage opens an incident that Vigil classifies major; its page shows the
 * decision, the reporting clocks in the server's zone and every criterion as the API answers them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postEvents, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const run = browserAvailable();
const MIN = 60_000;

const CONFIG = `version: vigil/v1
defaults: { timezone: Asia/Tokyo }
regulation:
  dora: { referenceDays: 1, downtime: 10m }
journeys:
  - name: sepa-instant
    displayName: SEPA instant payment
    tier: critical
    steps: [{ name: pay, services: [sepa-api] }]
`;

describe.skipIf(!run)('the DORA panel of an incident in Chromium', () => {
  const tmp = tempDir('vigil-dora-browser-');
  let vigil: VigilProcess;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    const config = join(tmp.dir, 'vigil.yaml');
    writeFileSync(config, CONFIG);
    [vigil, browser] = await Promise.all([startVigil(['--config', config, '--database', join(tmp.dir, 'vigil.db')]), launchBrowser()]);
    const now = Date.now();
    // A reference day of 10 customers, then 20 minutes of failures by 4 of them: 40% of a day's customers, 20 min of downtime.
    const events = [
      ...Array.from({ length: 10 }, (_, i) => ({
        id: `r${i}`,
        journey: 'sepa-instant',
        step: 'pay',
        outcome: 'success',
        timestamp: new Date(now - 24 * 60 * MIN + i * MIN).toISOString(),
        customerId: `c${i}`,
      })),
      ...Array.from({ length: 20 }, (_, i) => ({
        id: `f${i}`,
        journey: 'sepa-instant',
        step: 'pay',
        outcome: 'failure',
        timestamp: new Date(now - 21 * MIN + i * MIN).toISOString(),
        customerId: `c${i % 4}`,
      })),
    ];
    expect((await postEvents(vigil.url, events, 'application/json')).status).toBe(200);
    const alert = {
      source: 'prometheus',
      key: 'sepa-down',
      status: 'firing',
      service: 'sepa-api',
      severity: 'critical',
      summary: 'sepa-api 5xx',
    };
    const posted = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...alert, startsAt: new Date(now - 20 * MIN).toISOString() }),
    });
    id = ((await posted.json()) as { incidents: string[] }).incidents[0]!;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('shows the decision, the clocks in the server zone and each criterion as the API answers them', async () => {
    const { body: dora } = await getJson(`${vigil.url}/api/v1/incidents/${id}/regulatory`);
    expect(dora.decision.major).toBe(true);
    expect(dora.clocks).toHaveLength(3);
    const { page, errors } = await newPage(browser);
    await page.goto(`${vigil.url}/#/incidents/${encodeURIComponent(id)}`);
    await page.waitForSelector('[data-ready="true"] [data-testid="dora"]');
    const panel = page.getByTestId('dora');
    expect(await panel.getAttribute('data-major')).toBe('true');
    expect(await page.getByTestId('dora-decision').textContent()).toBe(`Major ${dora.decision.reason}`);
    for (const clock of dora.clocks) {
      const row = panel.locator(`tr[data-clock="${clock.report}"]`);
      // Due times in Asia/Tokyo as the server writes them, whatever the browser's own zone.
      expect(await row.locator('time').textContent()).toBe(clock.dueLocal);
      expect(await row.locator('time').getAttribute('datetime')).toBe(clock.dueAt);
    }
    const criteria = await panel
      .locator('tr[data-criterion]')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-criterion'), r.querySelectorAll('td')[1]?.textContent?.trim()]));
    const words = { met: '●met', not_met: '○not met', needs_person: '?needs a person' } as Record<string, string>;
    expect(criteria).toEqual(dora.criteria.map((c: { key: string; status: string }) => [c.key, words[c.status]]));
    expect(await panel.locator('p.note').textContent()).toBe(dora.notice);
    expect(errors).toEqual([]);
    await screenshot(page, 'incident-dora');
  });
});
