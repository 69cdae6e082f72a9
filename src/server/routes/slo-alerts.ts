/** GET /api/v1/alerts: the SLO burn-rate alerts firing now (docs/slo-maths.md ("Alert pairs"), docs/api.md ("The other reads")). */
import type { FastifyInstance } from 'fastify';
import type { VigilRuntime } from '../../app/runtime.js';
import { parseInstant } from '../query.js';

export function sloAlertRoutes(app: FastifyInstance, runtime: VigilRuntime): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/api/v1/alerts', async (request) => {
    const at = parseInstant(request.query.at, 'at', runtime.clock());
    const alerts = [];
    for (const status of runtime.registry.statuses(at)) {
      for (const severity of ['page', 'ticket'] as const) {
        if (!status.alerts[severity]) continue;
        const ref = runtime.registry.slo(status.journey, status.slo)!;
        alerts.push({
          journey: status.journey,
          slo: status.slo,
          ...(ref.slo.sli.step ? { step: ref.slo.sli.step } : {}),
          severity,
          objective: status.objective,
          sli: status.sli,
          errorBudgetRemaining: status.errorBudget.remaining,
          burnRates: status.burnRates,
          firingPairs: status.alerts.pairs.filter((p) => p.severity === severity && p.firing),
        });
      }
    }
    return { at: new Date(at).toISOString(), alerts };
  });
}
