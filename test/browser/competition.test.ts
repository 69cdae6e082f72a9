/**
 * The Competition page in a real Chromium against a real `vigil serve` (docs/benchmark.md ("The benchmark")): the server's
 * own probes run against local HTTP targets and a local Statuspage v2 site, and the page shows the API's ranks, bars with
 * interval whiskers, status-page minutes and our customers' rate beside our probe, highlighted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postEvents, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const run = browserAvailable();
const FIXTURES = new URL('../fixtures/statuspage/', import.meta.url);
const MIN = 60_000;

describe.skipIf(!run)('Competition in Chromium', () => {
  const tmp = tempDir('vigil-browser-competition-');
  let targets: Server;
  let vigil: VigilProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    // Our login answers; the rival's fails; the rival's status page serves the v2 fixtures.
    const summary = readFileSync(new URL('summary.json', FIXTURES), 'utf8');
    const incidents = readFileSync(new URL('incidents.json', FIXTURES), 'utf8');
    targets = createServer((req, res) => {
      if (req.url === '/ours/login') return res.end('<h1>Sign in</h1>');
      if (req.url === '/status/api/v2/summary.json') return res.end(summary);
      if (req.url === '/status/api/v2/incidents.json') return res.end(incidents);
      res.statusCode = 503;
      res.end('down');
    });
    await new Promise<void>((resolve) => targets.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(targets.address() as AddressInfo).port}`;
    const config = join(tmp.dir, 'vigil.yaml');
    writeFileSync(
      config,
      `version: vigil/v1
journeys:
  - name: login
    displayName: Log in
    steps: [{ name: auth, services: [auth-api] }]
  - name: card-payment
    displayName: Card payment
    steps: [{ name: pay, services: [cards-api] }]
benchmarks:
  probes:
    - { name: our-login, owner: self, journey: login, url: "${base}/ours/login", expect: { bodyContains: "Sign in" } }
    - { name: rival-login, owner: rival-bank, journey: login, url: "${base}/rival/login" }
  statusPages:
    - { owner: rival-bank, url: "${base}/status", components: [Payments], journey: card-payment }
`,
    );
    [vigil, browser] = await Promise.all([startVigil(['--config', config, '--database', join(tmp.dir, 'v.db')]), launchBrowser()]);
    const at = new Date(Math.floor(Date.now() / MIN) * MIN - 10 * MIN).toISOString();
    const events = [
      ...Array.from({ length: 990 }, () => ({ journey: 'login', outcome: 'success', timestamp: at })),
      ...Array.from({ length: 10 }, () => ({ journey: 'login', outcome: 'failure', timestamp: at })),
    ];
    expect((await postEvents(vigil.url, events)).status).toBe(200);
    // The server probes at start: wait until both probes have run and the status page has been read.
    const ready = async () => {
      const { body } = await getJson(`${vigil.url}/api/v1/benchmark`);
      const [login, card] = body.journeys;
      return login.owners.every((o: { probes: { runs: number } }) => o.probes.runs > 0) && card.owners[0].statusPage.downMinutes > 0;
    };
    const deadline = Date.now() + 60_000;
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error('the probes did not run within a minute of the start');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    ({ page, errors } = await newPage(browser));
    await page.goto(`${vigil.url}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    await new Promise<void>((resolve) => targets?.close(() => resolve()));
    tmp.cleanup();
  });

  it('shows each journey’s owners with the API’s ranks, bars and our customers beside our probe', async () => {
    await page.locator('nav a', { hasText: 'Competition' }).click();
    await page.waitForSelector('[data-ready="true"] [data-journey="login"]');
    expect(page.url()).toContain('#/competition');
    const { body } = await getJson(`${vigil.url}/api/v1/benchmark`);
    const owners = await page
      .locator('[data-journey="login"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-owner')));
    expect(owners).toEqual(body.journeys[0].owners.map((o: { owner: string }) => o.owner));
    expect(owners).toEqual(['self', 'rival-bank']);
    const cells = (journey: string, owner: string) =>
      page
        .locator(`[data-journey="${journey}"] tr[data-owner="${owner}"] [data-field]`)
        .evaluateAll((els) => Object.fromEntries(els.map((el) => [el.getAttribute('data-field'), el.textContent?.trim()])));
    const self = await cells('login', 'self');
    // Every run of our probe ok; our customers 99.0%: the gap is highlighted.
    expect(self['availability']).toBe('100%');
    expect(self['gap']).toBe('customers: 99.0% vs probe 100%');
    expect(await page.locator('tr[data-owner="self"] .bench-gap.highlighted').count()).toBe(1);
    const rival = await cells('login', 'rival-bank');
    expect(rival['availability']).toBe('0.0%');
    // A handful of runs: the intervals overlap, so both share rank 1.
    const ranks = body.journeys[0].owners.map((o: { rank: number }) => o.rank);
    expect(ranks).toEqual([1, 1]);
    expect([self['rank'], rival['rank']]).toEqual(['1 =', '1 =']);
    expect(await page.locator('[data-journey="login"] .bench-whisker').count()).toBe(2);
    const card = await cells('card-payment', 'rival-bank');
    expect(card['status']).toMatch(/^\d+ min down · \d+ min degraded$/);
    expect(card['rank']).toBe('—');
    await screenshot(page, 'competition');
    expect(errors).toEqual([]);
  });
});
