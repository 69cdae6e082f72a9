/** Hand-made API answers for the transform tests: small, with every figure chosen so the expected results can be worked out by hand. */
import type { Alert, Incident, JourneySummary, OutcomeCounts, ServiceState, SloStatus } from './api-types.js';

/** No whole-journey event in the window. */
export const NO_OUTCOMES: OutcomeCounts = { success: 0, failure: 0, rejected: 0, abandoned: 0, successRate: null };

/** A status; its `state` is worked out from the overrides as the engine would, unless given. */
export function sloStatus(over: Partial<SloStatus> & { journey: string; slo: string }): SloStatus {
  const status: SloStatus = {
    displayName: over.slo,
    objective: 99.9,
    window: '28d',
    budgeting: 'occurrences',
    at: '2026-11-26T10:00:00.000Z',
    windowStart: '2026-10-29T10:01:00.000Z',
    windowEnd: '2026-11-26T10:01:00.000Z',
    good: 9990,
    total: 10000,
    unit: 'events',
    sli: 0.999,
    attainment: 0.999,
    errorBudget: { allowed: 10, consumed: 5, remaining: 0.5 },
    burnRates: { '5m': 0, '30m': 0, '1h': 0, '2h': 0, '6h': 0, '1d': 0, '3d': 0 },
    alerts: { page: false, ticket: false, pairs: [] },
    state: 'ok',
    ...over,
  };
  if (over.state !== undefined) return status;
  const burn = status.burnRates['1h'];
  const state: SloStatus['state'] =
    status.total === 0
      ? 'insufficient_data'
      : status.errorBudget.remaining <= 0
        ? 'exhausted'
        : status.alerts.page
          ? 'page'
          : status.alerts.ticket
            ? 'ticket'
            : burn !== null && burn > 1
              ? 'at_risk'
              : 'ok';
  return { ...status, state };
}

export function journey(name: string, tier: string, slos: SloStatus[], services: string[][]): JourneySummary {
  return {
    name,
    displayName: name.replace(/-/g, ' '),
    tier,
    steps: services.map((s, i) => ({
      name: `step-${i + 1}`,
      displayName: `step-${i + 1}`,
      services: s,
      critical: i === services.length - 1,
    })),
    outcomes: { '5m': NO_OUTCOMES, '1h': NO_OUTCOMES },
    slos,
    alerts: { page: slos.some((s) => s.alerts.page), ticket: slos.some((s) => s.alerts.ticket) },
  };
}

export function service(name: string, firing: string[] = []): ServiceState {
  return {
    name,
    stages: [],
    firingAlerts: firing.length,
    alerts: firing.map((f) => ({
      key: `generic:${f}`,
      name: f,
      severity: 'critical',
      summary: `${f} on ${name}`,
      startsAt: '2026-11-26T09:00:00.000Z',
    })),
  };
}

export function incident(over: Partial<Incident> & { id: string }): Incident {
  return {
    status: 'open',
    priority: 'P2',
    reason: 'reason',
    title: over.id,
    journeys: [],
    stages: [],
    services: [],
    alertKeys: [],
    alertCount: 0,
    lastAlertAt: '1970-01-01T00:00:00.000Z',
    openedAt: '1970-01-01T00:00:00.000Z',
    acknowledgedAt: null,
    resolvedAt: null,
    paged: true,
    impact: null,
    figures: null,
    mergedFrom: [],
    mergedInto: null,
    timeline: [],
    version: 1,
    ...over,
  };
}

/** An instant on the wire from epoch ms, for writing fixtures in minutes. */
export const at = (ms: number): string => new Date(ms).toISOString();

export function alert(over: Partial<Alert> & { key: string; startsAt: string }): Alert {
  return {
    source: 'generic',
    status: 'firing',
    name: over.key,
    summary: '',
    severity: 'warning',
    service: null,
    labels: {},
    annotations: {},
    endsAt: null,
    firstReceivedAt: over.startsAt,
    lastReceivedAt: over.startsAt,
    flaps: 0,
    stages: [],
    incidentId: null,
    ...over,
  };
}
