/**
 * The SLO alert view (docs/alerting.md ("SLO alerts")): for every SLO and severity, whether its
 * burn-rate pairs page or ticket now. `GET /api/v1/alerts` lists the firing ones; the alerting loop
 * turns changes of the same states into SLO alerts, so both always agree.
 */
import type { SloAlert, SloAlertsResponse, SloStatus } from '../../api/slo.js';
import { toInstant } from '../../api/common.js';
import type { SloRegistry } from '../../engine/slo-registry.js';

export const SLO_ALERT_SEVERITIES = ['page', 'ticket'] as const;
export type SloAlertSeverity = (typeof SLO_ALERT_SEVERITIES)[number];

/** One SLO at one severity: its status, the step it is scoped to, and whether it fires. */
export interface SloAlertState {
  status: SloStatus;
  step: string | null;
  severity: SloAlertSeverity;
  firing: boolean;
}

/**
 * Every SLO × severity at `at`, in configuration order.
 * @example sloAlertStates(registry, Date.now()).filter((s) => s.firing)
 */
export function sloAlertStates(registry: SloRegistry, at: number): SloAlertState[] {
  const states: SloAlertState[] = [];
  for (const status of registry.statuses(at)) {
    const step = registry.slo(status.journey, status.slo)?.slo.sli.step ?? null;
    for (const severity of SLO_ALERT_SEVERITIES) states.push({ status, step, severity, firing: status.alerts[severity] });
  }
  return states;
}

/** A firing state as the API serves it. */
export function sloAlertView(state: SloAlertState): SloAlert {
  const { status, step, severity } = state;
  return {
    journey: status.journey,
    slo: status.slo,
    ...(step ? { step } : {}),
    severity,
    objective: status.objective,
    sli: status.sli,
    errorBudgetRemaining: status.errorBudget.remaining,
    burnRates: status.burnRates,
    firingPairs: status.alerts.pairs.filter((p) => p.severity === severity && p.firing),
  };
}

/** The SLO alerts firing at `at`. */
export function firingSloAlerts(registry: SloRegistry, at: number): SloAlertsResponse {
  return {
    at: toInstant(at),
    alerts: sloAlertStates(registry, at)
      .filter((s) => s.firing)
      .map(sloAlertView),
  };
}
