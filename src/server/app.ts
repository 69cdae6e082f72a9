/** The HTTP server: routes over a running VigilRuntime. Parsing and formatting only. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncidentService } from '../app/incident-service.js';
import type { VigilRuntime } from '../app/runtime.js';
import { installErrorHandling } from './errors.js';
import { alertsInRoutes } from './routes/alerts-in.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { journeyRoutes } from './routes/journeys.js';
import { serviceRoutes } from './routes/services.js';
import { sloAlertRoutes } from './routes/slo-alerts.js';
import { webRoutes } from './routes/web.js';

export interface ServerOptions {
  runtime: VigilRuntime;
  /** pino logging; false in tests. */
  logger?: boolean | { level: string };
  /** Alerts in and the incident API (docs/alerting.md ("Customer-centric alerting")); their routes are served only when given. */
  incidents?: IncidentService;
}

const TEXT_BODY_TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson', 'text/plain'];

/**
 * Build (not start) the server.
 * @example const app = await buildServer({ runtime }); await app.listen({ port: 8080 });
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { runtime } = options;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: runtime.config.ingest.maxBodyBytes });
  // Bodies stay strings: ingest parses them itself so that one bad line or item is one rejection.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(TEXT_BODY_TYPES, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  installErrorHandling(app);
  healthRoutes(app, runtime);
  eventRoutes(app, runtime);
  journeyRoutes(app, runtime);
  sloAlertRoutes(app, runtime);
  serviceRoutes(app, runtime, options.incidents);
  webRoutes(app);
  if (options.incidents) {
    alertsInRoutes(app, runtime, options.incidents);
    incidentRoutes(app, runtime, options.incidents);
  }
  return app;
}
