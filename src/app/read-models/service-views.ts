/**
 * The infrastructure view (docs/api.md ("The other reads")): every service the configuration knows (catalogue
 * and journey steps) or an alert names, with the journey stages that depend on it and its technical
 * alerts firing now — to set beside the customer's view.
 */
import type { ServiceState, ServicesResponse } from '../../api/services.js';
import { toInstant } from '../../api/common.js';
import type { Alert } from '../../model/alert.js';
import type { VigilConfig } from '../../model/config.js';

/**
 * Services, those with the most firing alerts first, then by name.
 * @example serviceViews(config, incidents.firingTechnicalAlerts()).services[0].firingAlerts
 */
export function serviceViews(config: Pick<VigilConfig, 'services' | 'journeys'>, firing: readonly Alert[]): ServicesResponse {
  const byName = new Map<string, ServiceState>();
  const view = (name: string): ServiceState => {
    let s = byName.get(name);
    if (!s) {
      s = { name, stages: [], firingAlerts: 0, alerts: [] };
      byName.set(name, s);
    }
    return s;
  };
  for (const service of config.services) {
    const s = view(service.name);
    if (service.owner) s.owner = service.owner;
    if (service.tier) s.tier = service.tier;
  }
  for (const journey of config.journeys) {
    for (const step of journey.steps) for (const name of step.services) view(name).stages.push({ journey: journey.name, step: step.name });
  }
  for (const alert of firing) {
    if (!alert.service) continue;
    const s = view(alert.service);
    s.firingAlerts++;
    s.alerts.push({
      key: alert.key,
      name: alert.name,
      severity: alert.severity,
      summary: alert.summary,
      startsAt: toInstant(alert.startsAt),
    });
  }
  return { services: [...byName.values()].sort((a, b) => b.firingAlerts - a.firingAlerts || a.name.localeCompare(b.name)) };
}
