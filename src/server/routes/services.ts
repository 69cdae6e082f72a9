/**
 * GET /api/v1/services: every service the configuration knows (catalogue and journey steps) or an
 * alert names, with the journey stages that depend on it and its technical alerts firing now —
 * the infrastructure view to set beside the customer's.
 */
import type { FastifyInstance } from 'fastify';
import type { Stage } from '../../model/alert.js';
import type { IncidentService } from '../../app/incident-service.js';
import type { VigilRuntime } from '../../app/runtime.js';

interface ServiceView {
  name: string;
  owner?: string;
  tier?: string;
  stages: Stage[];
  firingAlerts: number;
  alerts: { key: string; name: string; severity: string | null; summary: string; startsAt: string }[];
}

export function serviceRoutes(app: FastifyInstance, runtime: VigilRuntime, incidents?: IncidentService): void {
  app.get('/api/v1/services', async () => {
    const byName = new Map<string, ServiceView>();
    const view = (name: string): ServiceView => {
      let s = byName.get(name);
      if (!s) {
        s = { name, stages: [], firingAlerts: 0, alerts: [] };
        byName.set(name, s);
      }
      return s;
    };
    for (const service of runtime.config.services) {
      const s = view(service.name);
      if (service.owner) s.owner = service.owner;
      if (service.tier) s.tier = service.tier;
    }
    for (const journey of runtime.config.journeys) {
      for (const step of journey.steps)
        for (const name of step.services) view(name).stages.push({ journey: journey.name, step: step.name });
    }
    for (const alert of incidents?.firingTechnicalAlerts?.() ?? []) {
      if (!alert.service) continue;
      const s = view(alert.service);
      s.firingAlerts++;
      s.alerts.push({
        key: alert.key,
        name: alert.name,
        severity: alert.severity,
        summary: alert.summary,
        startsAt: new Date(alert.startsAt).toISOString(),
      });
    }
    return { services: [...byName.values()].sort((a, b) => b.firingAlerts - a.firingAlerts || a.name.localeCompare(b.name)) };
  });
}
