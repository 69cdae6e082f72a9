/** Liveness and readiness probes. */
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../errors/catalogue.js';
import type { VigilRuntime } from '../../runtime/runtime.js';

export function healthRoutes(app: FastifyInstance, runtime: VigilRuntime): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    try {
      await runtime.store.getMeta('config');
    } catch (cause) {
      throw new VigilError('store_unavailable', 'The store does not answer', { cause });
    }
    return { status: 'ready', store: runtime.store.backend, journeys: runtime.config.journeys.length, slos: runtime.registry.allSlos().length };
  });
}
