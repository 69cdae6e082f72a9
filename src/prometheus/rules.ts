/**
 * Sloth-shaped Prometheus rules (docs/prometheus.md ("Rules")): for one SLO, the SLI error ratio recorded over every
 * alert window and over the SLO period, the objective metadata, and one multiwindow multi-burn-rate alert per
 * severity. `vigil rules prometheus` feeds it Vigil's counters; `vigil import sloth` feeds it a Sloth spec. Pure.
 */
import { goFloat, labelFilter, promDuration } from './promql-text.js';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** One burn-rate window pair: it fires when the error ratio over both windows exceeds the factor times the error budget. */
export interface BurnPair {
  shortMs: number;
  longMs: number;
  /** Share of the period's budget the pair guards, in percent. */
  budgetPercent: number;
}

/** The pairs of one SLO period: page and ticket, each a quick and a slow pair (Sloth's `AlertWindows`). */
export interface PeriodWindows {
  periodMs: number;
  page: readonly BurnPair[];
  ticket: readonly BurnPair[];
}

/** Name, labels and annotations of an alert; absent (on the spec) means the alert is not written. */
export interface AlertMeta {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface SloRuleSpec {
  /** `sloth_id`, `sloth_service`, `sloth_slo`. */
  id: string;
  service: string;
  name: string;
  /** Percent, e.g. 99.9. */
  objective: number;
  /** The SLO's labels (the spec's, the SLO's and the extra ones, merged), on every recording rule. */
  labels: Record<string, string>;
  /** The error-ratio expression over one window, given as Prometheus writes durations (`5m`, `4w`). */
  errorRatio: (window: string) => string;
  windows: PeriodWindows;
  /**
   * The SLO period's length in days as PromQL, and the name of the period's SLI window; absent: the constant
   * `windows.periodMs`. Calendar periods (Vigil's `month`) set `days` and leave `window` out, and then the period
   * rules that need a range are not written.
   */
  period?: { days: string };
  page?: AlertMeta;
  ticket?: AlertMeta;
  /** `sloth_slo_info`'s extra labels: `sloth_version`, `sloth_mode`, `sloth_spec`. */
  info: { version: string; mode: string; spec: string };
  /** The burn-rate threshold of a pair as PromQL; default Sloth's `(factor * budget)`. */
  threshold?: (pair: BurnPair, severity: 'page' | 'ticket') => string;
  /** A condition `and`-ed to each pair (Vigil's `alerting.minEvents`); absent: none. */
  pairGuard?: (pair: BurnPair) => string | undefined;
  /** Prefix of the group names; default `sloth-slo`. */
  groupPrefix?: string;
}

export interface RuleOptions {
  recordings: boolean;
  alerts: boolean;
}

/** The metric an SLI error ratio over `window` is recorded as. */
export const sliErrorMetric = (window: string): string => `slo:sli_error:ratio_rate${window}`;

/**
 * A pair's burn-rate factor for a period: the rate that spends `budgetPercent` of the period's budget within the long
 * window, computed as Sloth computes it (budget% × period hours / 100, then over the long window's hours), so the
 * same float64 comes out.
 * @example burnFactor({ shortMs: 300_000, longMs: 3_600_000, budgetPercent: 2 }, 28 * 86_400_000) // 13.44
 */
export function burnFactor(pair: BurnPair, periodMs: number): number {
  const periodHours = periodMs / 3_600_000;
  const longHours = pair.longMs / 3_600_000;
  return (pair.budgetPercent * periodHours) / 100 / longHours;
}

/** Every window the pairs use, shortest first, each once. */
export function pairWindows(windows: PeriodWindows): number[] {
  const all = new Set<number>();
  for (const pair of [...windows.page, ...windows.ticket]) {
    all.add(pair.shortMs);
    all.add(pair.longMs);
  }
  return [...all].sort((a, b) => a - b);
}

/** Labels merged left to right, later ones winning, as Sloth's MergeLabels does; keys sorted. */
export function mergeLabels(...sets: ReadonlyArray<Readonly<Record<string, string>> | undefined>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const set of sets) Object.assign(merged, set ?? {});
  return Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((k) => [k, merged[k]!]),
  );
}

function idLabels(spec: SloRuleSpec): Record<string, string> {
  return { sloth_id: spec.id, sloth_service: spec.service, sloth_slo: spec.name };
}

/** The SLI error-ratio recording rules: one per alert window, then the period's (from the shortest page window's rule). */
function sliRules(spec: SloRuleSpec): RecordingRule[] {
  const ids = idLabels(spec);
  const rules: RecordingRule[] = pairWindows(spec.windows).map((ms) => {
    const window = promDuration(ms);
    return {
      record: sliErrorMetric(window),
      expr: spec.errorRatio(window),
      labels: mergeLabels(ids, { sloth_window: window }, spec.labels),
    };
  });
  if (spec.period) return rules;
  const window = promDuration(spec.windows.periodMs);
  const short = sliErrorMetric(promDuration(quickPage(spec).shortMs));
  const filter = labelFilter(ids);
  rules.push({
    record: sliErrorMetric(window),
    expr: `sum_over_time(${short}${filter}[${window}])\n/ ignoring (sloth_window)\ncount_over_time(${short}${filter}[${window}])\n`,
    labels: mergeLabels(ids, { sloth_window: window }, spec.labels),
  });
  return rules;
}

function quickPage(spec: SloRuleSpec): BurnPair {
  return spec.windows.page[0] ?? spec.windows.ticket[0]!;
}

function burnRateExpr(metric: string, filter: string): string {
  return `${metric}${filter}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${filter}\n`;
}

/** The metadata recording rules: objective, error budget, period, current and period burn rate, remaining budget, info. */
function metaRules(spec: SloRuleSpec): RecordingRule[] {
  const ids = idLabels(spec);
  const labels = mergeLabels(ids, spec.labels);
  const filter = labelFilter(ids);
  const objectiveRatio = spec.objective / 100;
  const days = spec.period?.days ?? `vector(${goFloat(spec.windows.periodMs / 86_400_000)})`;
  const rules: RecordingRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${goFloat(objectiveRatio)})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${goFloat(objectiveRatio)})`, labels },
    { record: 'slo:time_period:days', expr: days, labels },
    {
      record: 'slo:current_burn_rate:ratio',
      expr: burnRateExpr(sliErrorMetric(promDuration(quickPage(spec).shortMs)), filter),
      labels,
    },
  ];
  if (!spec.period) {
    rules.push(
      { record: 'slo:period_burn_rate:ratio', expr: burnRateExpr(sliErrorMetric(promDuration(spec.windows.periodMs)), filter), labels },
      { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${filter}`, labels },
    );
  }
  rules.push({
    record: 'sloth_slo_info',
    expr: 'vector(1)',
    labels: mergeLabels(labels, {
      sloth_version: spec.info.version,
      sloth_mode: spec.info.mode,
      sloth_spec: spec.info.spec,
      sloth_objective: String(spec.objective),
    }),
  });
  return rules;
}

/** Sloth's threshold: `(factor * budget)`, the budget as Sloth computes it, (100 − objective) / 100. */
export function slothThreshold(spec: Pick<SloRuleSpec, 'objective' | 'windows'>): (pair: BurnPair) => string {
  return (pair) => `(${goFloat(burnFactor(pair, spec.windows.periodMs))} * ${goFloat((100 - spec.objective) / 100)})`;
}

function alertRule(spec: SloRuleSpec, severity: 'page' | 'ticket', meta: AlertMeta): AlertingRule {
  const filter = labelFilter(idLabels(spec));
  const threshold = spec.threshold ?? slothThreshold(spec);
  const over = (ms: number, pair: BurnPair) =>
    `max(${sliErrorMetric(promDuration(ms))}${filter} > ${threshold(pair, severity)}) without (sloth_window)`;
  const pairs = severity === 'page' ? spec.windows.page : spec.windows.ticket;
  const expr = pairs
    .map((pair) => {
      const guard = spec.pairGuard?.(pair);
      const lines = [`    ${over(pair.shortMs, pair)}`, '    and', `    ${over(pair.longMs, pair)}`];
      if (guard) lines.push('    and on()', `    ${guard}`);
      return `(\n${lines.join('\n')}\n)`;
    })
    .join('\nor\n');
  return {
    alert: meta.name,
    expr: `${expr}\n`,
    labels: mergeLabels({ sloth_severity: severity }, meta.labels),
    annotations: mergeLabels(
      {
        title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
        summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
      },
      meta.annotations,
    ),
  };
}

/**
 * The rule groups of one SLO, in Sloth's order: SLI recordings, metadata recordings, alerts; an empty group is left out.
 * @example sloRuleGroups(spec, { recordings: true, alerts: true }).map((g) => g.name)
 *   // ['sloth-slo-sli-recordings-svc-a', 'sloth-slo-meta-recordings-svc-a', 'sloth-slo-alerts-svc-a']
 */
export function sloRuleGroups(spec: SloRuleSpec, options: RuleOptions): RuleGroup[] {
  const prefix = spec.groupPrefix ?? 'sloth-slo';
  const groups: RuleGroup[] = [];
  if (options.recordings) {
    groups.push({ name: `${prefix}-sli-recordings-${spec.id}`, rules: sliRules(spec) });
    groups.push({ name: `${prefix}-meta-recordings-${spec.id}`, rules: metaRules(spec) });
  }
  if (options.alerts) {
    const alerts: AlertingRule[] = [];
    // A severity without pairs (an SLO's own windows may have only page pairs) has no alert.
    if (spec.page && spec.windows.page.length > 0) alerts.push(alertRule(spec, 'page', spec.page));
    if (spec.ticket && spec.windows.ticket.length > 0) alerts.push(alertRule(spec, 'ticket', spec.ticket));
    if (alerts.length > 0) groups.push({ name: `${prefix}-alerts-${spec.id}`, rules: alerts });
  }
  return groups;
}
