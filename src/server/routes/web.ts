/** The dashboard: the files Vite built into dist/web, served at `/` (index.html never cached, hashed assets for a year). */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { VigilError } from '../../errors/catalogue.js';
import { openRoutes } from '../access.js';
import { DASHBOARD_CSP, styleHashSource } from '../security-headers.js';

/** dist/web beside the package root, whether this module runs from dist/ or from src/. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../dist/web', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT_STYLE =
  'body{font-family:system-ui,sans-serif;background:#0d1117;color:#e6edf3;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}' +
  'code{background:#1b232d;padding:.1rem .35rem;border-radius:4px}a{color:#7cc4f0}';
const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil — dashboard not built</title>
<style>${NOT_BUILT_STYLE}</style></head>
<body><h1>The dashboard has not been built</h1>
<p>This Vigil server is running, but the dashboard's files (<code>dist/web</code>) are missing. Build them with:</p>
<p><code>npm run build</code></p>
<p>then reload this page. The API answers meanwhile: <a href="api/v1/journeys">api/v1/journeys</a>.</p></body></html>
`;

/** The page's one inline style is allowed by its hash, nothing else (docs/api.md ("Security")). */
const NOT_BUILT_CSP = `default-src 'none'; style-src ${styleHashSource(NOT_BUILT_STYLE)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export interface WebRouteOptions {
  /** Directory holding index.html and assets/ (default: dist/web of this package). */
  dir?: string;
}

/** A file inside `dir`, or null when the path would leave it or has no known type. */
function resolveInside(dir: string, relative: string): string | null {
  if (relative.includes('\0')) return null;
  const path = normalize(join(dir, relative));
  if (path !== dir && !path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
  return CONTENT_TYPES[extname(path)] ? path : null;
}

async function sendFile(reply: FastifyReply, path: string, cacheControl: string, ifNoneMatch: string | undefined): Promise<boolean> {
  let body: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    body = await readFile(path);
  } catch {
    return false;
  }
  const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
  reply.header('cache-control', cacheControl).header('etag', etag);
  // True, not the reply: a reply is thenable, so an async function returning it would resolve to undefined once sent.
  if (ifNoneMatch === etag) reply.code(304).send();
  else reply.type(CONTENT_TYPES[extname(path)]!).send(body);
  return true;
}

/**
 * Register GET `/` (and `/index.html`) and `/assets/*`. Without a build, `/` answers 503 with a page that
 * says to run `npm run build`; the API is unaffected.
 * @example webRoutes(app) // after the API routes
 */
export const webRoutes: FastifyPluginAsync<WebRouteOptions> = async (app, options) => {
  // The static shell holds no data; what it reads from /api/v1 needs a read token (docs/access.md).
  openRoutes(app);
  const dir = normalize(options.dir ?? DEFAULT_WEB_DIR);

  const index = async (request: { headers: Record<string, string | string[] | undefined> }, reply: FastifyReply) => {
    // Set here, not by content type: a 304 has none, and the browser merges its headers into the cached page.
    reply.header('content-security-policy', DASHBOARD_CSP);
    if (await sendFile(reply, join(dir, 'index.html'), 'no-cache', request.headers['if-none-match'] as string | undefined)) return reply;
    reply.header('cache-control', 'no-store').header('content-security-policy', NOT_BUILT_CSP);
    return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
  };
  app.get('/', index);
  app.get('/index.html', index);

  app.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    const path = resolveInside(join(dir, 'assets'), request.params['*']);
    if (path && (await sendFile(reply, path, IMMUTABLE, request.headers['if-none-match']))) return reply;
    throw new VigilError('route_not_found', `No dashboard file at ${request.url}`);
  });
};
