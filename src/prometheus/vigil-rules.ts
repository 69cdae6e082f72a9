/**
 * `vigil rules prometheus` (docs/prometheus.md ("Rules over Vigil's counters")): Sloth-shaped recording and alerting
 * rules over the counters `/metrics` exports, with the engine's alert pairs, factors and minimum events, so Prometheus
 * pages and tickets when the engine does. Pure: a configuration in, rule documents out.
 */
import { alertFactor, alertWindowsFor } from '../engine/alert-pairs.js';
import { budgetFraction } from '../engine/error-budget.js';
import type { JourneySpec, SloSpec, VigilConfig, WindowSpec } from '../model/config.js';
import { goFloat, labelFilter, promDuration } from './promql-text.js';
import type { RuleDocument } from './rules-yaml.js';
import { type BurnPair, type PeriodWindows, sloRuleGroups } from './rules.js';

/** The counter of an SLO's valid events by result (docs/prometheus.md ("Metrics")). */
export const SLO_EVENTS_METRIC = 'vigil_slo_events_total';
/** The name of the page and ticket alerts; `severity` tells them apart. */
export const VIGIL_ALERT_NAME = 'VigilErrorBudgetBurn';

const DAY_MS = 86_400_000;

/**
 * The length of a calendar period in days as PromQL, in UTC: 7 for a week, `days_in_month()` for a month, and for a
 * quarter 90 + one day from April + one more from July + February's leap day in the first quarter.
 */
export function calendarDaysExpr(unit: 'week' | 'month' | 'quarter'): string {
  if (unit === 'week') return 'vector(7)';
  if (unit === 'month') return 'days_in_month()';
  const quarter = 'ceil(month() / 3)';
  const leap = '((year() % 4 == bool 0) - (year() % 100 == bool 0) + (year() % 400 == bool 0))';
  return `vector(90) + (${quarter} > bool 1) + (${quarter} > bool 2) + (${quarter} == bool 1) * ${leap}`;
}

/** A rolling period's length; for a calendar one a nominal length that nothing is scaled by (its factor comes from PromQL). */
function nominalPeriodMs(window: WindowSpec): number {
  if (window.kind === 'rolling') return window.minutes * 60_000;
  return (window.unit === 'week' ? 7 : window.unit === 'month' ? 30 : 91) * DAY_MS;
}

/**
 * The error ratio of an SLO over a window, from its counters: bad increase over total increase.
 * @example vigilErrorRatio('login', 'success')('5m')
 *   // 'sum(increase(vigil_slo_events_total{journey="login", result="bad", slo="success"}[5m]))\n/\n…'
 */
export function vigilErrorRatio(journey: string, slo: string): (window: string) => string {
  const bad = labelFilter({ journey, slo, result: 'bad' });
  const all = labelFilter({ journey, slo });
  return (window) => `sum(increase(${SLO_EVENTS_METRIC}${bad}[${window}]))\n/\nsum(increase(${SLO_EVENTS_METRIC}${all}[${window}]))\n`;
}

function pairsOf(slo: SloSpec): PeriodWindows {
  const pairs = alertWindowsFor(slo);
  const of = (severity: 'page' | 'ticket'): BurnPair[] =>
    pairs
      .filter((p) => p.severity === severity)
      .map((p) => ({ shortMs: p.shortMinutes * 60_000, longMs: p.longMinutes * 60_000, budgetPercent: p.budgetPercent }));
  return { periodMs: nominalPeriodMs(slo.window), page: of('page'), ticket: of('ticket') };
}

/**
 * The threshold a pair's error ratios must exceed: the engine's factor (budget% × P / 100 / long window) times the
 * error budget; for a calendar window P comes from PromQL at evaluation time.
 */
function threshold(slo: SloSpec): (pair: BurnPair) => string {
  const budget = goFloat(budgetFraction(slo.objective));
  const window = slo.window;
  if (window.kind === 'rolling') {
    return (pair) => `(${goFloat(alertFactor(pair.budgetPercent, window.minutes, pair.longMs / 60_000))} * ${budget})`;
  }
  const days = calendarDaysExpr(window.unit);
  return (pair) => `(${goFloat(pair.budgetPercent)} * scalar(${days}) * 1440 / ${goFloat(100 * (pair.longMs / 60_000))} * ${budget})`;
}

function sloGroups(journey: JourneySpec, slo: SloSpec, version: string) {
  const minEvents = slo.alerting.minEvents;
  const total = labelFilter({ journey: journey.name, slo: slo.name });
  const alert = (severity: 'page' | 'ticket') => ({
    name: VIGIL_ALERT_NAME,
    labels: { severity, journey: journey.name, slo: slo.name },
    annotations: {
      description:
        `${journey.displayName}: ${slo.displayName ?? slo.name} (${goFloat(slo.objective)}% over ${slo.window.text})` +
        ' burns its error budget too fast.',
    },
  });
  return sloRuleGroups(
    {
      id: `${journey.name}-${slo.name}`,
      service: journey.name,
      name: slo.name,
      objective: slo.objective,
      labels: { journey: journey.name, slo: slo.name },
      errorRatio: vigilErrorRatio(journey.name, slo.name),
      windows: pairsOf(slo),
      ...(slo.window.kind === 'calendar' && { period: { days: calendarDaysExpr(slo.window.unit) } }),
      page: alert('page'),
      ticket: alert('ticket'),
      info: { version, mode: 'vigil-rules-prom', spec: 'vigil/v1' },
      threshold: threshold(slo),
      ...(minEvents > 0 && {
        pairGuard: (pair: BurnPair) => `sum(increase(${SLO_EVENTS_METRIC}${total}[${promDuration(pair.longMs)}])) >= ${goFloat(minEvents)}`,
      }),
      groupPrefix: 'vigil-slo',
    },
    { recordings: true, alerts: true },
  );
}

/**
 * The rules of every SLO of a configuration, in configuration order, as one document.
 * @example ruleFileText([vigilRuleDocument(config, 'vigil-0.1.0')], 'Code generated by Vigil.')
 */
export function vigilRuleDocument(config: VigilConfig, version: string): RuleDocument {
  return { kind: 'groups', groups: config.journeys.flatMap((journey) => journey.slos.flatMap((slo) => sloGroups(journey, slo, version))) };
}
