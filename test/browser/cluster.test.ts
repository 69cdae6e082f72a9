/**
 * The nodes serving one store on the dashboard (docs/scale-out.md ("The nodes")), in a real Chromium against real servers:
 * two nodes on one PostgreSQL schema show "2 nodes" in the top bar and no warning; a third started with another
 * configuration brings a warning under the top bar, on every page, listing what differs as the API says it; a server on a
 * SQLite file shows neither. No console errors.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeLog } from '../../src/app/runtime.js';
import type { VigilConfig } from '../../src/model/config.js';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import { untilCluster } from '../helpers/cluster.js';
import { payConfig, sloSpec } from '../helpers/configs.js';
import { tempDir } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from './browser.js';

const run = browserAvailable();
const base = process.env.VIGIL_TEST_DATABASE_URL;
if (!base && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');
if (!base) console.warn('cluster browser test skipped: VIGIL_TEST_DATABASE_URL is not set');

const ONE = payConfig([sloSpec('success')]);
const TWO = payConfig([sloSpec('success'), sloSpec('strict')]);
const quiet: RuntimeLog = { info: () => {}, warn: () => {} };
const until = untilCluster;

describe.skipIf(!run)('the nodes on the dashboard, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a server on a SQLite file shows no count of nodes and no warning', async () => {
    const tmp = tempDir('vigil-browser-single-');
    const server = await startServer({ config: ONE, database: join(tmp.dir, 'v.db'), host: '127.0.0.1', port: 0, log: quiet });
    const { page, errors } = await newPage(browser);
    try {
      await page.goto(`${server.url}/`);
      // The header carries the mode once the answer is in: only then does "nothing shown" mean anything.
      await page.waitForSelector('header.topbar[data-cluster="single"]');
      await page.waitForSelector('[data-ready="true"]');
      expect(await page.getByTestId('cluster-nodes').count()).toBe(0);
      expect(await page.getByTestId('cluster-banner').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
      tmp.cleanup();
    }
  }, 60_000);

  describe.skipIf(!base)('on one PostgreSQL schema', () => {
    let admin: pg.Client;
    const schema = `vigil_dash_${process.pid}_${randomBytes(4).toString('hex')}`;
    const servers: RunningServer[] = [];
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
    });
    afterAll(async () => {
      for (const server of servers.reverse()) await server.close();
      await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin?.end();
    });

    it('two agreeing nodes: "2 nodes" and no warning; a third with another configuration: the warning on every page', async () => {
      const u = new URL(base!);
      u.searchParams.set('options', `-c search_path=${schema}`);
      const start = async (cfg: VigilConfig) => {
        const server = await startServer({ config: cfg, database: u.href, host: '127.0.0.1', port: 0, log: quiet });
        servers.push(server);
        return server;
      };
      const a = await start(ONE);
      await start(ONE);
      const two = await until(
        a,
        'A lists two live nodes, one of them leader',
        (c) => c.nodes.filter((n) => n.live).length === 2 && c.nodes.some((n) => n.live && n.role === 'leader'),
      );
      expect(two.agree).toBe(true);
      const self = two.nodes.find((n) => n.self)!.node;
      const leader = two.nodes.find((n) => n.live && n.role === 'leader')!.node;

      const { page, errors } = await newPage(browser);
      await page.goto(`${a.url}/`);
      await page.waitForSelector('header.topbar[data-cluster="cluster"]');
      const indicator = page.getByTestId('cluster-nodes');
      expect(await indicator.locator('[data-field="label"]').textContent()).toBe('2 nodes');
      expect(await indicator.locator('summary').getAttribute('title')).toBe(`Answered by ${self}; leader ${leader}`);
      expect(await page.getByTestId('cluster-banner').count()).toBe(0);

      // The list opens from the keyboard and names each node as the API does; Escape closes it.
      await indicator.locator('summary').focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('.cluster-popover tbody tr');
      const rows = await indicator
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-node'), tr.querySelector('[data-field="role"]')?.textContent]));
      expect(rows).toEqual(two.nodes.map((n) => [n.node, n.role]));
      expect(await indicator.locator(`tr[data-node="${self}"] th`).textContent()).toBe(`${self} (this one)`);
      expect(await indicator.locator(`tr[data-node="${self}"] [data-field="config"]`).textContent()).toBe(two.nodes[0]!.config);
      await screenshot(page, 'cluster-nodes');
      await page.keyboard.press('Escape');
      await page.waitForSelector('.cluster-popover', { state: 'hidden' });

      await start(TWO);
      const apart = await until(a, 'A sees that the third node differs', (c) => c.nodes.filter((n) => n.live).length === 3 && !c.agree);
      expect(apart.differences).toHaveLength(1);
      expect(apart.differences[0]).toMatch(/^configurations differ: /);
      await page.reload();
      const banner = page.getByRole('alert').filter({ has: page.locator('[data-field="difference"]') });
      await banner.waitFor();
      expect(await banner.locator('[data-field="difference"]').allTextContents()).toEqual(apart.differences);
      expect(await banner.textContent()).toContain(
        'Deploy one vigil.yaml and one Vigil version to every node, then reload them all: POST /api/v1/admin/reload?nodes=all',
      );
      expect(await indicator.locator('[data-field="label"]').textContent()).toBe('3 nodes');
      await screenshot(page, 'cluster-differ');

      // On every page: the incidents page shows it too.
      await page.locator('nav a', { hasText: 'Incidents' }).click();
      await page.waitForSelector('[data-ready="true"]');
      expect(page.url()).toContain('#/incidents');
      expect(await page.getByTestId('cluster-banner').locator('[data-field="difference"]').allTextContents()).toEqual(apart.differences);
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  });
});
