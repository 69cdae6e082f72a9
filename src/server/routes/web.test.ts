import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/vigil-process.js';
import { installErrorHandling } from '../errors.js';
import { DASHBOARD_CSP } from '../security-headers.js';
import { webRoutes } from './web.js';

/** What the server logged at warn level or above: a handler that answers twice shows here ("Reply was already sent"). */
const logged: string[] = [];
const logStream = { write: (line: string) => logged.push(line) };

async function serverFor(dir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: 'warn', stream: logStream } });
  installErrorHandling(app);
  await app.register(webRoutes, { dir });
  await app.ready();
  return app;
}

describe('web routes over a built dashboard', () => {
  const tmp = tempDir('vigil-web-');
  let app: FastifyInstance;
  beforeAll(async () => {
    mkdirSync(`${tmp.dir}/assets`);
    writeFileSync(`${tmp.dir}/index.html`, '<!doctype html><title>Vigil</title>');
    writeFileSync(`${tmp.dir}/assets/index-abc123.js`, 'console.log(1)');
    writeFileSync(`${tmp.dir}/assets/index-abc123.css`, 'body{}');
    writeFileSync(`${tmp.dir}/secret.js`, 'password');
    writeFileSync(`${tmp.dir}/assets/notes.yaml`, 'a: 1');
    app = await serverFor(tmp.dir);
  });
  afterAll(async () => {
    await app.close();
    tmp.cleanup();
  });

  it('serves index.html at / with no-cache and an ETag', async () => {
    const response = await app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<title>Vigil</title>');
    const again = await app.inject({ url: '/', headers: { 'if-none-match': String(response.headers.etag) } });
    expect(again.statusCode).toBe(304);
    // The browser merges a 304's headers into the cached page: both carry the dashboard's policy.
    expect(response.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(again.headers['content-security-policy']).toBe(DASHBOARD_CSP);
  });

  it('answers each request once: nothing is logged for files served and for 304s', async () => {
    logged.length = 0;
    const index = await app.inject({ url: '/' });
    await app.inject({ url: '/', headers: { 'if-none-match': String(index.headers.etag) } });
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    await app.inject({ url: '/assets/index-abc123.js', headers: { 'if-none-match': String(js.headers.etag) } });
    expect(logged).toEqual([]);
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log(1)');
    const css = await app.inject({ url: '/assets/index-abc123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers a missing asset, a path leaving the directory or an unknown type with the API error shape', async () => {
    for (const url of [
      '/assets/nope.js',
      '/assets/../secret.js',
      '/assets/%2e%2e/secret.js',
      '/assets/..%2fsecret.js',
      '/assets/notes.yaml',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe('route_not_found');
    }
  });
});

describe('web routes without a build', () => {
  it('answers / with a 503 page that says to run npm run build', async () => {
    const tmp = tempDir('vigil-web-empty-');
    const app = await serverFor(`${tmp.dir}/missing`);
    try {
      const response = await app.inject({ url: '/' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('npm run build');
      // Its one inline style is allowed by hash, and nothing else is.
      const css = /<style>(.*)<\/style>/.exec(response.body)?.[1] ?? '';
      const hash = createHash('sha256').update(css).digest('base64');
      expect(response.headers['content-security-policy']).toBe(
        `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      );
      expect((await app.inject({ url: '/assets/x.js' })).statusCode).toBe(404);
    } finally {
      await app.close();
      tmp.cleanup();
    }
  });
});
