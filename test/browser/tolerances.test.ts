/**
 * Impact-tolerance clocks in Chromium against a real `vigil serve` (docs/impact-tolerances.md ("Where the clock shows")):
 * SEPA Instant (tolerance 1h) and card payments (tolerance 30m) have failed for 40 minutes, so their SLO alerts open
 * incidents and the watch clocks both: the overview shows card payments red (breached) above SEPA Instant amber (past
 * half), statements (tolerance 4h, healthy) shows no clock, and the journey pages show the clock or the tolerance.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postEvents, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const run = browserAvailable();

const journey = (name: string, displayName: string, tolerance: string) => `  - name: ${name}
    displayName: ${displayName}
    tier: critical
    regulation: { importantBusinessService: true, impactTolerance: ${tolerance} }
    steps: [{ name: pay, services: [${name}-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
`;
const CONFIG = `version: vigil/v1
defaults: { timezone: Europe/London }
journeys:
${journey('sepa-instant', 'SEPA Instant', '1h')}${journey('card-payment', 'Card payments', '30m')}${journey('statements', 'Statements', '4h')}`;

/**
 * Whole-journey attempts, six in each of the 50 whole UTC minutes before now's: the failing journeys fail 5 in 6 over the
 * last 40 of them, so their disruption starts 40 minutes before the start of now's minute.
 */
function events(name: string, failing: boolean, now: number): object[] {
  const minute = Math.floor(now / 60_000) * 60_000;
  const out: object[] = [];
  for (let minutesAgo = 50; minutesAgo >= 1; minutesAgo--) {
    for (let i = 0; i < 6; i++) {
      const bad = failing && minutesAgo <= 40 && i > 0;
      out.push({
        journey: name,
        outcome: bad ? 'failure' : 'success',
        timestamp: new Date(minute - minutesAgo * 60_000 + i * 5_000).toISOString(),
      });
    }
  }
  return out;
}

describe.skipIf(!run)('impact-tolerance clocks on the dashboard', () => {
  const tmp = tempDir('vigil-tolerance-browser-');
  let vigil: VigilProcess;
  let browser: Browser;

  beforeAll(async () => {
    const config = join(tmp.dir, 'vigil.yaml');
    writeFileSync(config, CONFIG);
    [vigil, browser] = await Promise.all([startVigil(['--config', config, '--database', join(tmp.dir, 'vigil.db')]), launchBrowser()]);
    const now = Date.now();
    const posted = await postEvents(vigil.url, [
      ...events('sepa-instant', true, now),
      ...events('card-payment', true, now),
      ...events('statements', false, now),
    ]);
    expect(posted.body).toMatchObject({ accepted: 900, rejectedCount: 0 });
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  it('clocks both failing services on the journey answers, and not the healthy one', async () => {
    // The alerting tick after the events opens the incidents; the watch after it clocks them.
    await expect
      .poll(
        async () => {
          const journeys = (await getJson(`${vigil.url}/api/v1/journeys`)).body.journeys as {
            name: string;
            impactTolerance?: { clock: { level: string } | null };
          }[];
          return journeys.map((j) => [j.name, j.impactTolerance?.clock?.level ?? null]);
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toEqual([
        ['sepa-instant', 'warning'],
        ['card-payment', 'breached'],
        ['statements', null],
      ]);
  });

  it('shows the running clocks on the overview, breached (red) first, past half (amber) next, none for a healthy service', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${vigil.url}/`);
    const clocks = page.getByTestId('tolerance-clocks').getByTestId('tolerance-clock');
    await expect.poll(() => clocks.count(), { timeout: 30_000 }).toBe(2);
    expect(await clocks.evaluateAll((items) => items.map((i) => [i.getAttribute('data-journey'), i.className]))).toEqual([
      ['card-payment', 'tolerance-clock tolerance-breached'],
      ['sepa-instant', 'tolerance-clock tolerance-warning'],
    ]);
    const texts = await clocks.locator('[data-field="clock-text"]').allTextContents();
    // 40 minutes and the part of now's minute gone, or a minute or two more on a slow machine.
    expect(texts[0]).toMatch(/^Card payments: disrupted 4[0-2] min of 30 min tolerance — breached$/);
    expect(texts[1]).toMatch(/^SEPA Instant: disrupted 4[0-2] min of 1 h tolerance — past half$/);
    // Amber and red are the stylesheet's ticket and page colours.
    const borders = await clocks.evaluateAll((items) => items.map((i) => getComputedStyle(i).borderTopColor));
    expect(borders).toEqual(['rgb(255, 122, 51)', 'rgb(230, 159, 0)']);
    // Each clock links to its incident.
    const link = clocks.first().locator('a');
    expect(await link.getAttribute('href')).toMatch(/^#\/incidents\/inc-/);
    await screenshot(page, 'tolerance-clocks');
    expect(errors).toEqual([]);
  });

  it('shows the clock on the journey page, or the tolerance when none runs; the breach is on the incident timeline', async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(`${vigil.url}/#/journeys/card-payment`);
    const clock = page.getByTestId('tolerance-clock');
    await expect.poll(() => clock.getAttribute('class'), { timeout: 30_000 }).toBe('tolerance-clock tolerance-breached');
    expect(await clock.locator('[data-field="clock-text"]').textContent()).toMatch(
      /^Card payments: disrupted 4[0-2] min of 30 min tolerance/,
    );

    await page.goto(`${vigil.url}/#/journeys/statements`);
    await expect
      .poll(() => page.getByTestId('tolerance-none').textContent(), { timeout: 30_000 })
      .toBe('Important business service · impact tolerance 4 h · no disruption now');
    expect(await page.getByTestId('tolerance-clock').count()).toBe(0);

    const year = await getJson(`${vigil.url}/api/v1/regulation/tolerances`);
    const cards = (year.body.services as { journey: string; disruptions: { incidentId: string }[] }[]).find(
      (s) => s.journey === 'card-payment',
    )!;
    const incident = await getJson(`${vigil.url}/api/v1/incidents/${cards.disruptions[0]!.incidentId}`);
    const entries = (incident.body.timeline as { kind: string; message: string }[]).filter((t) => t.message.includes('Card payments'));
    // Found already past its tolerance: the breach says it all, once.
    expect(entries.map((t) => t.kind)).toEqual(['tolerance_breached']);
    expect(errors).toEqual([]);
  });
});
