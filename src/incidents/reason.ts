/** The priority reason in words (docs/alerting.md ("Priority")): "wire-transfer confirm step failing for 2,140 customers, €38k/h at risk (…)". */
import type { Impact, Incident } from '../model/incident.js';
import { formatMoneyTotals } from '../model/money.js';
import { compareStages, type JourneyMap, type StageInfo } from './journey-map.js';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** One decimal below 10 (trailing .0 dropped), whole above. */
function shortNumber(value: number): string {
  const tenths = Math.round(value * 10) / 10;
  return tenths < 10 ? String(tenths) : whole.format(Math.round(value));
}

/**
 * A count with thousands separators.
 * @example formatCount(2140) // '2,140'
 */
export function formatCount(count: number): string {
  return whole.format(count);
}

/**
 * A burn rate as a multiple of the sustainable rate: whole from 10, one decimal below.
 * @example formatBurn(22.4) // '22'
 */
export function formatBurn(burn: number): string {
  return shortNumber(burn);
}

/**
 * Names in prose: "a", "a and b", "a, b and c", "a, b, c and 2 more".
 * @example listNames(['card-gateway', 'core-ledger']) // 'card-gateway and core-ledger'
 */
export function listNames(names: readonly string[], max = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > max) return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The stage a reason or title names first: the most important one (tier, then critical step); when the
 * impact says whether a critical step is hurt, the first stage that agrees with it.
 */
export function leadStage(
  stages: Incident['stages'],
  map: JourneyMap,
  criticalStage?: boolean,
): { lead: StageInfo | null; others: number } {
  let best: StageInfo | null = null;
  let bestAgreeing: StageInfo | null = null;
  for (const stage of stages) {
    const info = map.stageInfo(stage);
    if (info === null) continue;
    if (best === null || compareStages(info, best) < 0) best = info;
    if (info.critical === criticalStage && (bestAgreeing === null || compareStages(info, bestAgreeing) < 0)) bestAgreeing = info;
  }
  return { lead: bestAgreeing ?? best, others: Math.max(0, stages.length - 1) };
}

/** "card-payment authorise step", or the journey alone for a whole-journey stage. */
export function stageName(stage: { journey: string; step: string | null }): string {
  return stage.step === null ? stage.journey : `${stage.journey} ${stage.step} step`;
}

/**
 * Why an incident with customer impact has its priority.
 * @example impactReason(incident, impact, map)
 * // 'wire-transfer confirm step failing for 2,140 customers, €38k/h at risk (critical tier, burn 22× the sustainable rate)'
 */
export function impactReason(incident: Pick<Incident, 'stages' | 'journeys'>, impact: Impact, map: JourneyMap): string {
  const { lead, others } = leadStage(incident.stages, map, impact.criticalStage);
  let subject = lead ? stageName(lead) : listNames(incident.journeys);
  if (others > 0) subject += ` (+${others} more stage${others === 1 ? '' : 's'})`;
  let what: string;
  if (impact.customersAffected > 0)
    what = `failing for ${formatCount(impact.customersAffected)} customer${impact.customersAffected === 1 ? '' : 's'}`;
  else if (impact.failuresPerHour > 0) what = `failing ${formatCount(Math.round(impact.failuresPerHour))} times an hour`;
  else what = 'degraded';
  const atRisk = formatMoneyTotals(impact.valueAtRiskPerHour, '/h');
  const money = atRisk !== null ? `, ${atRisk} at risk` : '';
  const details: string[] = [];
  const tier = impact.tier ?? lead?.tier ?? null;
  if (tier !== null) details.push(`${tier} tier`);
  if (impact.maxBurnRate !== null) details.push(`burn ${formatBurn(impact.maxBurnRate)}× the sustainable rate`);
  return `${subject} ${what}${money}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/**
 * Why an incident is P4: no journey depends on its services, impact not assessed yet, or none measured.
 * @example noImpactReason({ journeys: [], services: ['hr-portal'] }, null) // 'no journey depends on hr-portal'
 */
export function noImpactReason(incident: Pick<Incident, 'journeys' | 'services'>, impact: Impact | null): string {
  const services = listNames(incident.services);
  if (incident.journeys.length === 0) {
    return services === '' ? 'no journey depends on these alerts: none names a service' : `no journey depends on ${services}`;
  }
  const journeys = listNames(incident.journeys);
  const alerts = services === '' ? 'alerts' : `${services} alerts`;
  if (impact === null) return `customer impact not assessed yet: ${alerts} on ${journeys}`;
  const verb = incident.journeys.length === 1 ? 'succeeds' : 'succeed';
  return `no customer impact: ${alerts} while ${journeys} ${verb} normally`;
}
