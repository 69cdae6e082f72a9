/**
 * Security headers on every answer (docs/api.md ("Security")): no sniffing, no referrer, no framing,
 * no cross-origin embedding, and a Content-Security-Policy that allows the dashboard only its own files.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The dashboard's policy: scripts, styles, fonts and API calls from this server only. React's `style={}`
 * props write through the CSSOM, which `style-src` does not govern, so no `'unsafe-inline'` is needed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Every answer that is not HTML (JSON, scripts, styles): nothing may load from it or frame it. */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * A CSP source for one inline `<style>` block, so a page can carry its CSS without `'unsafe-inline'`.
 * @example styleHashSource('a{color:red}') // "'sha256-…'"
 */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * Add the headers to every answer of `app` (errors and 404s included). A route that set its own
 * Content-Security-Policy keeps it; HTML gets the dashboard's policy, anything else the default one.
 * @example installSecurityHeaders(app) // before the route plugins are registered
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!reply.hasHeader('content-security-policy')) {
      const type = String(reply.getHeader('content-type') ?? '');
      reply.header('content-security-policy', type.startsWith('text/html') ? DASHBOARD_CSP : DEFAULT_CSP);
    }
    return payload;
  });
}
