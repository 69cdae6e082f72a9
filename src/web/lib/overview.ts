/** The overview's rows: each journey's customer view beside its infrastructure view, sorted by customer impact. */
import type { Incident, JourneySummary, OutcomeCounts, ServiceState, SloStatus } from './api-types.js';
import { type InfrastructureView, infrastructureOf, journeyServices, servicesByName } from './infrastructure.js';
import { LEVEL_RANK, type Level, sloLevel, worstLevel } from './status.js';

const TIER_WEIGHT: Readonly<Record<string, number>> = { critical: 4, core: 3, standard: 2, informational: 1 };

export interface JourneyRow {
  name: string;
  displayName: string;
  tier: string;
  owner: string | undefined;
  level: Level;
  /** The SLO the customer-success figures come from: the journey's first SLO. */
  primarySlo: string | null;
  objective: number | null;
  window: string | null;
  /** Success over the last 5 minutes, the last hour and the SLO window (null: no events). */
  successNow: number | null;
  /** Whole-journey events behind successNow (success, failure, rejected, abandoned in the last 5 minutes); null when worked back from the burn. */
  eventsNow: number | null;
  success1h: number | null;
  successWindow: number | null;
  /** The SLO with the least error budget left, and how much. */
  tightestSlo: string | null;
  /** Its displayName. */
  tightestSloName: string | null;
  budgetRemaining: number | null;
  burn1h: number | null;
  /** null when the services endpoint is unavailable. */
  infrastructure: InfrastructureView | null;
  /** Infrastructure all green while an SLO alert fires: the green-dashboard paradox. */
  paradox: boolean;
  openIncidents: number;
  /** Customers affected and value at risk per hour summed over the open incidents touching the journey (per currency). */
  customersAffected: number;
  valueAtRiskPerHour: { amount: number; currency: string }[];
  /** The journey's budget-policy state (docs/release.md ("Budget policy")); null without SLOs or from a server that does not say. */
  policyState: string | null;
}

/**
 * Events counted in a window's outcomes.
 * @example outcomeEvents({ success: 9, failure: 1, rejected: 0, abandoned: 0, successRate: 0.9 }) // 10
 */
export function outcomeEvents(outcomes: OutcomeCounts): number {
  return outcomes.success + outcomes.failure + outcomes.rejected + outcomes.abandoned;
}

/**
 * What the open incidents touching a journey put at stake: their customers affected summed, and value at
 * risk summed per currency (largest first), never across currencies.
 * @example openImpact(incidents, 'card-payment') // { customersAffected: 90, valueAtRiskPerHour: [{ amount: 3825, currency: 'GBP' }] }
 */
export function openImpact(incidents: Incident[], journey: string): Pick<JourneyRow, 'customersAffected' | 'valueAtRiskPerHour'> {
  let customersAffected = 0;
  const value = new Map<string, number>();
  for (const incident of incidents) {
    if (incident.status === 'resolved' || !incident.journeys.includes(journey) || !incident.impact) continue;
    customersAffected += incident.impact.customersAffected;
    for (const m of incident.impact.valueAtRiskPerHour) value.set(m.currency, (value.get(m.currency) ?? 0) + m.amount);
  }
  const valueAtRiskPerHour = [...value].map(([currency, amount]) => ({ amount, currency })).sort((a, b) => b.amount - a.amount);
  return { customersAffected, valueAtRiskPerHour };
}

/**
 * Success over a burn window, from the SLO's burn rate: burn = (bad/total)/(1−o), so success = 1 − burn·(1−o).
 * @example successFromBurn(2, 99.9) // 0.998
 */
export function successFromBurn(burn: number | null, objective: number): number | null {
  if (burn === null) return null;
  return Math.max(0, 1 - burn * (1 - objective / 100));
}

function tightest(slos: SloStatus[]): SloStatus | null {
  let best: SloStatus | null = null;
  for (const slo of slos)
    if (slo.state !== 'insufficient_data' && (best === null || slo.errorBudget.remaining < best.errorBudget.remaining)) best = slo;
  return best;
}

/**
 * One overview row per journey.
 * @param services the infrastructure view, or null when the API does not provide it.
 */
export function journeyRows(journeys: JourneySummary[], services: ServiceState[] | null, incidents: Incident[] = []): JourneyRow[] {
  const byName = services ? servicesByName(services) : null;
  return journeys.map((journey) => {
    const primary = journey.slos[0] ?? null;
    const infrastructure = byName ? infrastructureOf(journeyServices(journey.steps), byName) : null;
    const level = worstLevel(journey.slos.map(sloLevel));
    const tight = tightest(journey.slos);
    const alerting = journey.alerts.page || journey.alerts.ticket;
    return {
      name: journey.name,
      displayName: journey.displayName,
      tier: journey.tier,
      owner: journey.owner,
      level,
      primarySlo: primary?.slo ?? null,
      objective: primary?.objective ?? null,
      window: primary?.window ?? null,
      // Whole-journey outcomes; with no whole-journey event in the window, worked back from the first SLO's burn.
      successNow: journey.outcomes['5m'].successRate ?? (primary ? successFromBurn(primary.burnRates['5m'], primary.objective) : null),
      eventsNow: journey.outcomes['5m'].successRate === null ? null : outcomeEvents(journey.outcomes['5m']),
      success1h: journey.outcomes['1h'].successRate ?? (primary ? successFromBurn(primary.burnRates['1h'], primary.objective) : null),
      successWindow: primary?.sli ?? null,
      tightestSlo: tight?.slo ?? null,
      tightestSloName: tight?.displayName ?? null,
      budgetRemaining: tight?.errorBudget.remaining ?? null,
      burn1h: primary?.burnRates['1h'] ?? null,
      infrastructure,
      paradox: alerting && infrastructure !== null && infrastructure.services > 0 && infrastructure.green === infrastructure.services,
      openIncidents: incidents.filter((i) => i.status !== 'resolved' && i.journeys.includes(journey.name)).length,
      ...openImpact(incidents, journey.name),
      policyState: journey.policyState ?? null,
    };
  });
}

/**
 * Most customer impact first: alert level, then tier, then the fastest 1 h burn, then the least budget left.
 */
export function byCustomerImpact(a: JourneyRow, b: JourneyRow): number {
  return (
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
    (TIER_WEIGHT[b.tier] ?? 0) - (TIER_WEIGHT[a.tier] ?? 0) ||
    (b.burn1h ?? -1) - (a.burn1h ?? -1) ||
    (a.budgetRemaining ?? 2) - (b.budgetRemaining ?? 2) ||
    a.name.localeCompare(b.name)
  );
}

/** Totals for the header tiles. */
export interface OverviewTotals {
  journeys: number;
  paging: number;
  ticketing: number;
  healthy: number;
  /** Share of all services (across journeys) with no firing technical alert; null without infrastructure data. */
  infrastructureGreen: number | null;
}

export function overviewTotals(rows: JourneyRow[], services: ServiceState[] | null, journeys: JourneySummary[]): OverviewTotals {
  let infrastructureGreen: number | null = null;
  if (services) {
    const all = infrastructureOf(
      journeys.flatMap((j) => journeyServices(j.steps)),
      servicesByName(services),
    );
    infrastructureGreen = all.share;
  }
  return {
    journeys: rows.length,
    // From the alerts, not the level: an exhausted budget outranks a page on the badge but still pages.
    paging: journeys.filter((j) => j.alerts.page).length,
    ticketing: journeys.filter((j) => j.alerts.ticket && !j.alerts.page).length,
    healthy: rows.filter((r) => r.level === 'ok').length,
    infrastructureGreen,
  };
}

/**
 * The paradox banner's sentence, or null when there is no paradox: "Infrastructure 100% green — customers
 * failing: Card payment success 71.0% in the last hour".
 */
export function paradoxMessage(rows: JourneyRow[], percent: (r: number | null) => string): string | null {
  const hit = rows.filter((r) => r.paradox);
  if (hit.length === 0) return null;
  const parts = hit.slice(0, 3).map((r) => `${r.displayName} success ${percent(r.success1h)} in the last hour`);
  const more = hit.length > 3 ? ` and ${hit.length - 3} more` : '';
  return `Infrastructure 100% green — customers failing: ${parts.join('; ')}${more}`;
}
