/**
 * The dashboard's read-token prompt (docs/access.md, docs/api.md ("Security")) in Chromium, against a real
 * `vigil serve` whose database holds real tokens made by `vigil token create`: the API answers 401
 * `unauthorized` until the page sends a known token, and 403 `forbidden` for a write the read token may not do.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, runVigil, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage } from './browser.js';

const run = browserAvailable();

/** `vigil token create` on the database; the token is the one line of its output that looks like one. */
async function createToken(database: string, name: string, scopes: string[]): Promise<string> {
  const made = await runVigil(['token', 'create', '--name', name, ...scopes.flatMap((s) => ['--scope', s]), '--database', database]);
  const token = made.stdout.split('\n').find((line) => /^vigil_[0-9a-f]+_\S+$/.test(line.trim()));
  if (made.code !== 0 || !token) throw new Error(`vigil token create failed: ${made.stderr}${made.stdout}`);
  return token.trim();
}

describe.skipIf(!run)('read-token prompt in Chromium', () => {
  const tmp = tempDir('vigil-token-');
  let vigil: VigilProcess;
  let browser: Browser;
  let url: string;
  let readToken: string;
  /** The Authorization header of every API call the pages made. */
  const seen: string[] = [];

  beforeAll(async () => {
    const database = `${tmp.dir}/vigil.db`;
    // The tokens exist before the server starts: it is closed from its first request.
    readToken = await createToken(database, 'wall-screen', ['read']);
    const ingestToken = await createToken(database, 'alert-source', ['ingest']);
    [vigil, browser] = await Promise.all([startVigil(['--config', E2E_CONFIG, '--database', database]), launchBrowser()]);
    const posted = await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestToken}` },
      body: JSON.stringify({ source: 'nagios', key: 'ledger-down', status: 'firing', service: 'core-ledger', summary: 'ledger down' }),
    });
    expect(posted.status).toBe(200);
    url = vigil.url;
  });

  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
    tmp.cleanup();
  });

  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    const opened = await newPage(browser);
    opened.page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/')) seen.push(request.headers()['authorization'] ?? '');
    });
    return opened;
  }

  const dialog = (page: Page) => page.getByRole('dialog', { name: 'This Vigil server needs a read token' });

  it('asks once, says when a token is wrong, then shows the data and sends the token on every call', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${url}/`);
    await expect.poll(() => dialog(page).isVisible()).toBe(true);
    const input = page.getByLabel('Token', { exact: true });
    expect(await input.getAttribute('type')).toBe('password');
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);

    await page.getByRole('button', { name: 'Submit' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Enter a token.');

    await input.fill('wrong-token');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That token was not accepted. Check it and try again.');
    expect(await input.getAttribute('aria-invalid')).toBe('true');

    await input.fill(readToken);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForSelector('[data-ready="true"]');
    expect(await dialog(page).isVisible()).toBe(false);
    expect(await page.locator('tr[data-journey="wire-transfer"]').count()).toBe(1);
    expect(await page.evaluate(() => sessionStorage.getItem('vigil.token'))).toBe(readToken);

    // A reload in the same session asks nothing: every call carries the token from the start.
    const before = seen.length;
    await page.reload();
    await page.waitForSelector('[data-ready="true"]');
    expect(await dialog(page).isVisible()).toBe(false);
    expect(seen.slice(before).length).toBeGreaterThan(0);
    expect(new Set(seen.slice(before))).toEqual(new Set([`Bearer ${readToken}`]));
    // The 401s and the refused token are the only console errors (Chromium logs every failed fetch).
    expect(errors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
  });

  it('a write the token may not do says the token lacks the scope, and changes nothing', async () => {
    const { page } = await openPage();
    await page.goto(`${url}/`);
    await page.getByLabel('Token', { exact: true }).fill(readToken);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.goto(`${url}/#/incidents`);
    await page.waitForSelector('[data-ready="true"]');
    await page.getByRole('button', { name: 'Acknowledge' }).first().click();
    await expect.poll(() => page.locator('body').textContent()).toMatch(/This token lacks the scope for that: .*operate/);
    const { body } = await getJson(`${vigil.url}/api/v1/incidents`, { authorization: `Bearer ${readToken}` });
    expect(body.incidents[0].status).toBe('open');
  });
});
