/** The infrastructure view of a journey: how many of its services have no technical alert firing. */
import type { ServiceAlert, ServiceState } from './api-types.js';

export interface InfrastructureView {
  /** Distinct services the journey's steps depend on. */
  services: number;
  /** Of those, the ones with no firing technical alert (services unknown to the catalogue count as green). */
  green: number;
  /** green / services; null for a journey without services. */
  share: number | null;
  firing: { service: string; alert: ServiceAlert }[];
}

/** Services by name, for repeated look-ups. */
export function servicesByName(services: ServiceState[]): Map<string, ServiceState> {
  return new Map(services.map((s) => [s.name, s]));
}

/**
 * The infrastructure view of a set of services (a journey's, or one step's).
 * @example infrastructureOf(['card-gateway', 'core-ledger'], byName).share // 0.5 when one has an alert firing
 */
export function infrastructureOf(serviceNames: Iterable<string>, byName: Map<string, ServiceState>): InfrastructureView {
  const names = [...new Set(serviceNames)];
  const firing: InfrastructureView['firing'] = [];
  let green = 0;
  for (const name of names) {
    const state = byName.get(name);
    if (!state || state.firingAlerts === 0) {
      green += 1;
      continue;
    }
    for (const alert of state.alerts) firing.push({ service: name, alert });
  }
  return { services: names.length, green, share: names.length > 0 ? green / names.length : null, firing };
}

/** Every service a journey's steps name, in step order. */
export function journeyServices(steps: { services: string[] }[]): string[] {
  return [...new Set(steps.flatMap((s) => s.services))];
}
