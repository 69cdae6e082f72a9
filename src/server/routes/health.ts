/** Liveness and readiness probes, and what a client needs to know about this server (version, time zone). */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../errors/catalogue.js';
import type { VigilRuntime } from '../../app/runtime.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function healthRoutes(app: FastifyInstance, runtime: VigilRuntime): void {
  app.get('/api/v1/info', async () => ({
    version: VERSION,
    timezone: runtime.config.defaults.timezone,
    journeys: runtime.config.journeys.length,
    slos: runtime.registry.allSlos().length,
    now: new Date(runtime.clock()).toISOString(),
  }));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    try {
      await runtime.store.meta.getMeta('config');
    } catch (cause) {
      throw new VigilError('store_unavailable', 'The store does not answer', { cause });
    }
    return {
      status: 'ready',
      store: runtime.store.backend,
      journeys: runtime.config.journeys.length,
      slos: runtime.registry.allSlos().length,
    };
  });
}
