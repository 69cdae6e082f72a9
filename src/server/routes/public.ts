/**
 * The public page (docs/public-page.md): `/public` as HTML without script, `/api/v1/public/summary` as JSON. Both are
 * open (no token, whatever tokens exist: docs/access.md) and cheap: the summary is computed at most once per 15 s and the
 * page drawn once per summary.
 */
import type { FastifyPluginAsync } from 'fastify';
import { PublicSummary } from '../../api/public.js';
import type { VigilApi } from '../../app/api.js';
import { openRoutes } from '../access.js';
import { PUBLIC_CSP, renderPublicPage } from '../public-html.js';

/** Readers, proxies and CDNs may keep either answer this long. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=30';

export const publicRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  openRoutes(app);
  let drawn: { summary: PublicSummary; html: string } | null = null;

  app.get('/public', async (_request, reply) => {
    const summary = await api.publicPage.summary();
    if (drawn?.summary !== summary) drawn = { summary, html: renderPublicPage(summary) };
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', PUBLIC_CACHE_CONTROL)
      .header('content-security-policy', PUBLIC_CSP)
      .send(drawn.html);
  });

  app.get('/api/v1/public/summary', { config: { wire: PublicSummary } }, async (_request, reply) => {
    reply.header('cache-control', PUBLIC_CACHE_CONTROL);
    return api.publicPage.summary();
  });
};
