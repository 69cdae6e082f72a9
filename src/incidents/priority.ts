/** Incident priority P1–P4 from customer and business impact (docs/alerting.md ("Priority")); technical severity only breaks ties. */
import type { Impact, Incident, Priority } from '../model/incident.js';
import type { Money } from '../model/money.js';
import type { JourneyMap } from './journey-map.js';
import { impactReason, noImpactReason } from './reason.js';

export type RoutingAction = 'page' | 'ticket' | 'none';
export type Routing = Readonly<Record<Priority, RoutingAction>>;

/** P1–P2 page, P3 opens a ticket, P4 is recorded only. */
export const defaultRouting: Routing = { P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' };

/** Thresholds for one, two and three points: burn rate (× sustainable), customers affected, value at risk per hour (per currency). */
export const BURN_RATE_STEPS = [1, 6, 14.4] as const;
export const CUSTOMER_STEPS = [10, 100, 1000] as const;
export const VALUE_PER_HOUR_STEPS = [100, 1000, 10_000] as const;
/** Lowest impact score of P1 and of P2; anything with customer impact below P2 is P3. */
export const PRIORITY_THRESHOLDS = { P1: 9, P2: 5 } as const;
/** Technical severities that break a tie (case-insensitive). */
export const TIE_BREAKING_SEVERITIES: ReadonlySet<string> = new Set(['critical', 'page', 'emergency', 'fatal', 'high', 'sev1', 'p1']);

/** Points from each impact input; `total` is their sum (0–13). */
export interface ImpactScore {
  tier: number;
  criticalStage: number;
  burnRate: number;
  customers: number;
  valueAtRisk: number;
  total: number;
}

export interface PriorityDecision {
  priority: Priority;
  reason: string;
  /** Whether routing pages for this priority. */
  paged: boolean;
  /** The score behind it, null for P4 (no customer impact or no journey). */
  score: ImpactScore | null;
  /** True when a critical technical severity lifted the priority by one level at a boundary. */
  severityTieBreak: boolean;
}

function steps(value: number, thresholds: readonly number[]): number {
  let points = 0;
  for (const threshold of thresholds) if (value >= threshold) points++;
  return points;
}

/**
 * Value-at-risk points: each currency's amount is held against the thresholds in that currency's own
 * units, and the points are those of the currency that reaches the most. Amounts in different
 * currencies are never added, so €600/h and £600/h score like 600/h, not 1,200/h (docs/alerting.md).
 * @example valuePoints([money(600, 'EUR'), money(1_200, 'GBP')]) // 2
 */
export function valuePoints(valueAtRiskPerHour: readonly Money[]): number {
  return Math.max(0, ...valueAtRiskPerHour.map((m) => steps(m.amount, VALUE_PER_HOUR_STEPS)));
}

/**
 * The impact score: tier (critical 3, core 2, standard 1, informational 0), +1 for a critical step,
 * and 0–3 points each for burn rate (≥ 1, ≥ 6, ≥ 14.4), customers affected (≥ 10, ≥ 100, ≥ 1,000) and
 * value at risk per hour (≥ 100, ≥ 1k, ≥ 10k, see `valuePoints`). Every input only adds points.
 * @example impactScore({ …impact, maxBurnRate: 22, customersAffected: 2140, valueAtRiskPerHour: [money(38_000, 'EUR')], criticalStage: true }, 3).total // 13
 */
export function impactScore(impact: Impact, tierRank: number): ImpactScore {
  const score = {
    tier: tierRank,
    criticalStage: impact.criticalStage ? 1 : 0,
    burnRate: impact.maxBurnRate === null ? 0 : steps(impact.maxBurnRate, BURN_RATE_STEPS),
    customers: steps(impact.customersAffected, CUSTOMER_STEPS),
    valueAtRisk: valuePoints(impact.valueAtRiskPerHour),
  };
  return { ...score, total: score.tier + score.criticalStage + score.burnRate + score.customers + score.valueAtRisk };
}

/** Whether any of the alerts' technical severities is one that breaks ties. */
export function breaksTie(severities: readonly (string | null)[]): boolean {
  return severities.some((severity) => severity !== null && TIE_BREAKING_SEVERITIES.has(severity.toLowerCase()));
}

/** 1 for P1 … 4 for P4, so that a smaller rank is a higher priority. */
export function priorityRank(priority: Priority): number {
  return Number(priority.slice(1));
}

/**
 * Priority, reason and paging of an incident. No customer impact (impact null, `customerImpact` false,
 * or no journey) → P4, never paged. Otherwise the impact score gives P1 (≥ 9), P2 (≥ 5) or P3.
 * Technical severity is worth half a point: an incident whose score is exactly one below a boundary
 * (8 or 4) and that holds an alert of critical severity moves up one level; it never decides anything else.
 * @example prioritise(incident, impact, ['warning', 'critical'], map) // { priority: 'P1', reason: 'wire-transfer confirm step failing for …', paged: true, … }
 */
export function prioritise(
  incident: Pick<Incident, 'journeys' | 'stages' | 'services'>,
  impact: Impact | null,
  severities: readonly (string | null)[],
  journeyMap: JourneyMap,
  routing: Routing = defaultRouting,
): PriorityDecision {
  if (impact === null || !impact.customerImpact || incident.journeys.length === 0) {
    return { priority: 'P4', reason: noImpactReason(incident, impact), paged: routing.P4 === 'page', score: null, severityTieBreak: false };
  }
  const rank =
    impact.tier !== null
      ? journeyMap.tierRank(impact.tier)
      : Math.max(0, ...incident.journeys.map((j) => journeyMap.journeys.get(j)?.tierRank ?? 0));
  const score = impactScore(impact, rank);
  const tieBreak = breaksTie(severities) && (score.total === PRIORITY_THRESHOLDS.P1 - 1 || score.total === PRIORITY_THRESHOLDS.P2 - 1);
  const effective = score.total + (tieBreak ? 1 : 0);
  const priority: Priority = effective >= PRIORITY_THRESHOLDS.P1 ? 'P1' : effective >= PRIORITY_THRESHOLDS.P2 ? 'P2' : 'P3';
  return {
    priority,
    reason: impactReason(incident, impact, journeyMap),
    paged: routing[priority] === 'page',
    score,
    severityTieBreak: tieBreak,
  };
}
