/**
 * The HTTP server (docs/api.md ("HTTP API")): one Fastify plugin per route group, each encapsulated so that a
 * group's hooks (access control, per-group limits) apply to that group alone. Routes parse the
 * request, call the API facade of src/app, and send what it returns; they never touch the store.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { VigilApi } from '../app/api.js';
import { trackRoutes } from './access.js';
import { installErrorHandling } from './errors.js';
import { EVENT_TYPES } from './media-types.js';
import { installRequestGuard, type RequestGuardOptions } from './request-guard.js';
import { strictUtf8Body } from './json-body.js';
import { installLeaderForwarding, type LeaderForwarding } from './forward-to-leader.js';
import { installRequestId, requestIdOptions } from './request-id.js';
import { adminRoutes } from './routes/admin.js';
import { alertsInRoutes } from './routes/alerts-in.js';
import { eventRoutes } from './routes/events.js';
import { otelRoutes } from './routes/otel.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { journeyRoutes } from './routes/journeys.js';
import { publicRoutes } from './routes/public.js';
import { releaseRoutes } from './routes/release.js';
import { correctionRoutes } from './routes/corrections.js';
import { retentionRoutes } from './routes/retention.js';
import { serviceRoutes } from './routes/services.js';
import { signalRoutes } from './routes/signals.js';
import { benchmarkRoutes } from './routes/benchmark.js';
import { toleranceRoutes } from './routes/tolerances.js';
import { sourceRoutes } from './routes/sources.js';
import { clusterRoutes } from './routes/cluster.js';
import { metricsRoutes } from './routes/metrics.js';
import { sloAlertRoutes } from './routes/slo-alerts.js';
import { webRoutes } from './routes/web.js';
import { installSecurityHeaders } from './security-headers.js';
import { installWireValidation } from './wire.js';
import { refuseRepeatedQuery } from './query.js';

export interface ServerOptions {
  api: VigilApi;
  /** pino logging; false in tests. `vigil serve` logs warnings and errors as JSON lines to stderr (docs/errors.md ("Request ids")). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Check every answer against its route's wire schema (src/api); on in tests (VIGIL_VALIDATE_RESPONSES=1). */
  validateResponses?: boolean;
  /** Where the dashboard's built files are (default dist/web). */
  webDir?: string;
  /** Host names and origins the server answers and accepts writes from (docs/api.md ("Security")). */
  guard?: RequestGuardOptions;
  /** Several nodes: pass leader-only writes to the leader (docs/scale-out.md ("Writes only the leader takes")). */
  forward?: LeaderForwarding;
}

/**
 * Build (not start) the server.
 * @example const app = await buildServer({ api: vigilApi(runtime, incidents) }); await app.listen({ port: 8080 });
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { api } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: api.maxBodyBytes, ...requestIdOptions() });
  // Bodies stay strings, decoded as strict UTF-8: ingest parses them itself so that one bad line or item is one
  // rejection. Any other Content-Type is 415 (docs/api.md ("Security")): no text/plain or form a foreign page could send.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...EVENT_TYPES], { parseAs: 'buffer' }, strictUtf8Body);
  installErrorHandling(app);
  installRequestId(app);
  installSecurityHeaders(app);
  installRequestGuard(app, options.guard ?? {});
  if (options.forward) installLeaderForwarding(app, options.forward);
  trackRoutes(app);
  if (options.validateResponses ?? process.env['VIGIL_VALIDATE_RESPONSES'] === '1') installWireValidation(app);
  app.addHook('preValidation', refuseRepeatedQuery);

  await app.register(healthRoutes, { api });
  await app.register(eventRoutes, { api });
  await app.register(otelRoutes, { api });
  await app.register(journeyRoutes, { api });
  await app.register(sloAlertRoutes, { api });
  await app.register(serviceRoutes, { api });
  await app.register(webRoutes, options.webDir ? { dir: options.webDir } : {});
  if (api.incidents) {
    await app.register(alertsInRoutes, { api, incidents: api.incidents });
    await app.register(incidentRoutes, { api, incidents: api.incidents });
  }
  await app.register(adminRoutes, { api });
  await app.register(releaseRoutes, { api });
  await app.register(correctionRoutes, { api });
  await app.register(signalRoutes, { api });
  await app.register(retentionRoutes, { api });
  await app.register(publicRoutes, { api });
  await app.register(benchmarkRoutes, { api });
  await app.register(toleranceRoutes, { api });
  await app.register(sourceRoutes, { api });
  await app.register(clusterRoutes, { api });
  await app.register(metricsRoutes, { api });
  return app;
}
