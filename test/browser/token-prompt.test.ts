/**
 * The dashboard's read-token prompt (docs/api.md ("Security")) in Chromium. Until the token feature is merged,
 * a gate in front of a real `vigil serve` plays its part: /api/v1/* answers 401 `unauthorized` (with
 * `WWW-Authenticate: Bearer`) until `Authorization: Bearer <token>` names a known token, 403 `forbidden` for a
 * write with the read-only token, and otherwise passes the request on. After the merge, point the page at
 * the real server started with tokens instead of GATE.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';
import { browserAvailable, launchBrowser, newPage } from './browser.js';

const run = browserAvailable();
const READ_TOKEN = 'vigil_read_0123456789';

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  response.writeHead(status, headers).end(JSON.stringify({ error: { code, message } }));
}

/** The token check in front of `upstream`; `seen` records the Authorization of every API call. */
function gate(upstream: string, seen: string[]): Server {
  return createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    if (path.startsWith('/api/v1/')) {
      const authorization = request.headers.authorization ?? '';
      seen.push(authorization);
      if (authorization !== `Bearer ${READ_TOKEN}`) return refuse(response, 401, 'unauthorized', 'A valid token is required');
      if (request.method !== 'GET') return refuse(response, 403, 'forbidden', "the token lacks the 'write' scope");
    }
    const answer = await fetch(`${upstream}${path}`);
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== 'content-encoding' && name !== 'transfer-encoding') headers[name] = value;
    });
    response.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
  });
}

describe.skipIf(!run)('read-token prompt in Chromium', () => {
  const tmp = tempDir('vigil-token-');
  let vigil: VigilProcess;
  let browser: Browser;
  let server: Server;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    [vigil, browser] = await Promise.all([startVigil(['--config', E2E_CONFIG, '--database', `${tmp.dir}/vigil.db`]), launchBrowser()]);
    await fetch(`${vigil.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'nagios', key: 'ledger-down', status: 'firing', service: 'core-ledger', summary: 'ledger down' }),
    });
    server = gate(vigil.url, seen);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await vigil?.stop();
    tmp.cleanup();
  });

  const dialog = (page: Page) => page.getByRole('dialog', { name: 'This Vigil server needs a read token' });

  it('asks once, says when a token is wrong, then shows the data and sends the token on every call', async () => {
    const { page, errors } = await newPage(browser);
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

    await input.fill(READ_TOKEN);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForSelector('[data-ready="true"]');
    expect(await dialog(page).isVisible()).toBe(false);
    expect(await page.locator('tr[data-journey="wire-transfer"]').count()).toBe(1);
    expect(await page.evaluate(() => sessionStorage.getItem('vigil.token'))).toBe(READ_TOKEN);

    // A reload in the same session asks nothing: every call carries the token from the start.
    const before = seen.length;
    await page.reload();
    await page.waitForSelector('[data-ready="true"]');
    expect(await dialog(page).isVisible()).toBe(false);
    expect(seen.slice(before).length).toBeGreaterThan(0);
    expect(new Set(seen.slice(before))).toEqual(new Set([`Bearer ${READ_TOKEN}`]));
    // The 401s and the refused token are the only console errors (Chromium logs every failed fetch).
    expect(errors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
  });

  it('a write the token may not do says the token lacks the scope, and changes nothing', async () => {
    const { page } = await newPage(browser);
    await page.goto(`${url}/`);
    await page.getByLabel('Token', { exact: true }).fill(READ_TOKEN);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.goto(`${url}/#/incidents`);
    await page.waitForSelector('[data-ready="true"]');
    await page.getByRole('button', { name: 'Acknowledge' }).first().click();
    await expect
      .poll(() => page.locator('body').textContent())
      .toContain("This token lacks the scope for that: the token lacks the 'write' scope");
    const { body } = await getJson(`${vigil.url}/api/v1/incidents`);
    expect(body.incidents[0].status).toBe('open');
  });
});
