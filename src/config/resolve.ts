/** Turns validated vigil.yaml files into one resolved `VigilConfig`, merging files and applying every default. */
import {
  type AlertingSpec,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SERVICE_LABELS,
  DEFAULT_TIERS,
  type JourneySpec,
  type SloSpec,
  type TierSpec,
  type VigilConfig,
  type WindowSpec,
} from '../model/config.js';
import { resolveNotifications } from './notifications.js';
import type { ConfigFile, JourneyFile } from './schema.js';

export const DEFAULT_TIMEZONE = 'UTC';
export const DEFAULT_TIER = 'standard';
export const DEFAULT_WINDOW: WindowSpec = { kind: 'rolling', minutes: 28 * 24 * 60, text: '28d' };
export const DEFAULT_CORRELATION_WINDOW_MINUTES = 10;

const MINUTES_PER_DAY = 24 * 60;

/**
 * Merges files that passed the schema and the cross-field rules (journeys and services concatenate in
 * file order, tiers merge over DEFAULT_TIERS, single-file sections come from whichever file sets them).
 * @example resolveConfig([{ version: 'vigil/v1', journeys: [] }]).defaults.timezone === 'UTC'
 */
export function resolveConfig(files: readonly ConfigFile[]): VigilConfig {
  const tiers: Record<string, TierSpec> = { ...DEFAULT_TIERS };
  for (const file of files) {
    for (const [name, tier] of Object.entries(file.tiers ?? {})) tiers[name] = { name, objective: tier.objective };
  }
  const section = <K extends 'defaults' | 'alerting' | 'retention' | 'ingest' | 'notifications'>(key: K): ConfigFile[K] =>
    files.find((file) => file[key] !== undefined)?.[key];

  const alerting = section('alerting');
  const resolvedAlerting: AlertingSpec = {
    serviceLabels: alerting?.serviceLabels ?? [...DEFAULT_SERVICE_LABELS],
    correlationWindowMinutes: alerting?.correlationWindow ?? DEFAULT_CORRELATION_WINDOW_MINUTES,
    serviceRules: (alerting?.serviceRules ?? []).map((rule) => ({ match: { ...rule.match }, service: rule.service })),
  };
  const rawEventsMinutes = section('retention')?.rawEvents;
  const notifications = section('notifications');

  return {
    version: 'vigil/v1',
    defaults: { timezone: section('defaults')?.timezone ?? DEFAULT_TIMEZONE },
    tiers,
    services: files.flatMap((file) =>
      (file.services ?? []).map((s) => ({
        name: s.name,
        ...(s.owner !== undefined && { owner: s.owner }),
        ...(s.tier !== undefined && { tier: s.tier }),
      })),
    ),
    journeys: files.flatMap((file) => (file.journeys ?? []).map((journey) => resolveJourney(journey, tiers))),
    alerting: resolvedAlerting,
    retention: { rawEventsDays: rawEventsMinutes !== undefined ? rawEventsMinutes / MINUTES_PER_DAY : DEFAULT_RETENTION_DAYS },
    ingest: { maxBodyBytes: section('ingest')?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
    // Left out when unset rather than defaulted, so configurations without it resolve exactly as before.
    ...(notifications !== undefined && { notifications: resolveNotifications(notifications) }),
  };
}

function resolveJourney(journey: JourneyFile, tiers: Record<string, TierSpec>): JourneySpec {
  const tier = journey.tier ?? DEFAULT_TIER;
  // The rules have checked the tier exists; the fallback only keeps this function total.
  const tierObjective = (tiers[tier] ?? tiers[DEFAULT_TIER] ?? DEFAULT_TIERS['standard']!).objective;
  return {
    name: journey.name,
    displayName: journey.displayName ?? journey.name,
    ...(journey.description !== undefined && { description: journey.description }),
    tier,
    ...(journey.owner !== undefined && { owner: journey.owner }),
    ...(journey.value !== undefined && { value: { ...journey.value } }),
    steps: journey.steps.map((step) => ({
      name: step.name,
      ...(step.displayName !== undefined && { displayName: step.displayName }),
      services: [...step.services],
      critical: step.critical,
    })),
    slos: journey.slos.map((slo): SloSpec => {
      const objective = slo.objective ?? tierObjective;
      return {
        name: slo.name,
        ...(slo.displayName !== undefined && { displayName: slo.displayName }),
        objective,
        window: slo.window ?? { ...DEFAULT_WINDOW },
        budgeting: slo.budgeting,
        timeSliceTarget: slo.timeSliceTarget ?? objective,
        sli: {
          kind: slo.sli.kind,
          ...(slo.sli.thresholdMs !== undefined && { thresholdMs: slo.sli.thresholdMs }),
          ...(slo.sli.step !== undefined && { step: slo.sli.step }),
          abandonedIsBad: slo.sli.abandonedIsBad,
        },
        alerting: { minEvents: slo.alerting?.minEvents ?? 0 },
      };
    }),
  };
}
