/** Turns validated vigil.yaml files into one resolved `VigilConfig`, merging files and applying every default. */
import type { SINGLE_FILE_SECTIONS } from './rules.js';
import { DEFAULT_POLICY } from '../model/release.js';
import { DEFAULT_MIN_SPIKE } from '../model/signal.js';
import { type BenchmarksSpec, DEFAULT_PROBE_INTERVAL_MS, DEFAULT_PROBE_TIMEOUT_MS } from '../model/benchmark.js';
import { policyFor } from '../engine/alert-pairs.js';
import { CRITICAL_TIER, DEFAULT_DORA_THRESHOLDS, DEFAULT_DOWNTIME_BELOW, type RegulationSpec } from '../model/regulation.js';
import {
  type AlertingSpec,
  type AlertWindowPair,
  type AlertWindowPolicy,
  type CorrectionSpec,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_OTEL,
  DEFAULT_PROMETHEUS_SETTLE_MINUTES,
  DEFAULT_PROMETHEUS_TIMEOUT_MS,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SERVICE_LABELS,
  DEFAULT_TIERS,
  type JourneySpec,
  type OtelSpec,
  type SloSpec,
  type TierSpec,
  type VigilConfig,
  type WindowSpec,
  durationText,
} from '../model/config.js';
import { resolveNotifications } from './notifications.js';
import type { ConfigFile, JourneyFile } from './schema.js';

type PairFile = { severity: 'page' | 'ticket'; short: number; long: number; budgetPercent: number };

/** A pair as written (durations in minutes) with its windows named canonically, `60m` as `1h`. */
function resolvePair(pair: PairFile): AlertWindowPair {
  return {
    severity: pair.severity,
    short: durationText(pair.short),
    long: durationText(pair.long),
    shortMinutes: pair.short,
    longMinutes: pair.long,
    budgetPercent: pair.budgetPercent,
  };
}

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
  const section = <K extends (typeof SINGLE_FILE_SECTIONS)[number]>(key: K): ConfigFile[K] =>
    files.find((file) => file[key] !== undefined)?.[key];

  const alerting = section('alerting');
  const resolvedAlerting: AlertingSpec = {
    serviceLabels: alerting?.serviceLabels ?? [...DEFAULT_SERVICE_LABELS],
    correlationWindowMinutes: alerting?.correlationWindow ?? DEFAULT_CORRELATION_WINDOW_MINUTES,
    serviceRules: (alerting?.serviceRules ?? []).map((rule) => ({ match: { ...rule.match }, service: rule.service })),
    ...(alerting?.windows !== undefined && {
      windows: alerting.windows.map((policy) => ({ period: policy.period, pairs: policy.pairs.map(resolvePair) })),
    }),
  };
  const rawEventsMinutes = section('retention')?.rawEvents;
  const notifications = section('notifications');
  const server = section('server');
  const policy = section('policy');
  const deployments = section('deployments');
  const corrections = files.flatMap((file) => (file.corrections ?? []).map(resolveCorrection));
  const signals = section('signals');
  const signalsMinutes = section('retention')?.signals;
  const probesMinutes = section('retention')?.probes;
  const alertsMinutes = section('retention')?.alerts;
  const incidentsMinutes = section('retention')?.incidents;
  const outboxMinutes = section('retention')?.outbox;
  const benchmarks = section('benchmarks');
  const otel = section('otel');
  const regulation = section('regulation');
  const prometheus = section('sources')?.prometheus;

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
    journeys: files.flatMap((file) =>
      (file.journeys ?? []).map((journey) => resolveJourney(journey, tiers, resolvedAlerting.windows ?? [])),
    ),
    alerting: resolvedAlerting,
    retention: {
      rawEventsDays: rawEventsMinutes !== undefined ? rawEventsMinutes / MINUTES_PER_DAY : DEFAULT_RETENTION_DAYS,
      ...(signalsMinutes !== undefined && { signalsDays: signalsMinutes / MINUTES_PER_DAY }),
      ...(probesMinutes !== undefined && { probesDays: probesMinutes / MINUTES_PER_DAY }),
      ...(alertsMinutes !== undefined && { alertsDays: alertsMinutes / MINUTES_PER_DAY }),
      ...(incidentsMinutes !== undefined && { incidentsDays: incidentsMinutes / MINUTES_PER_DAY }),
      ...(outboxMinutes !== undefined && { outboxDays: outboxMinutes / MINUTES_PER_DAY }),
    },
    ingest: { maxBodyBytes: section('ingest')?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
    // Left out when unset rather than defaulted, so configurations without it resolve exactly as before.
    ...(notifications !== undefined && { notifications: resolveNotifications(notifications) }),
    ...(server !== undefined && {
      server: {
        allowedHosts: [...(server.allowedHosts ?? [])],
        allowedOrigins: (server.allowedOrigins ?? []).map((o) => new URL(o).origin),
      },
    }),
    ...(policy !== undefined && {
      policy: {
        states: (policy.states ?? DEFAULT_POLICY.states).map((s) => ({ ...s })),
        gate: { deny: [...(policy.gate?.deny ?? DEFAULT_POLICY.gate.deny)], warn: [...(policy.gate?.warn ?? DEFAULT_POLICY.gate.warn)] },
      },
    }),
    ...(deployments?.attributionWindow !== undefined && { deployments: { attributionMinutes: deployments.attributionWindow } }),
    ...(corrections.length > 0 && { corrections }),
    ...(signals !== undefined && {
      signals: {
        minSpike: signals.minSpike ?? DEFAULT_MIN_SPIKE,
        keywords: Object.entries(signals.keywords ?? {}).map(([journey, phrases]) => ({
          journey,
          phrases: phrases.map((p) => p.trim().toLowerCase()),
        })),
      },
    }),
    ...(benchmarks !== undefined && { benchmarks: resolveBenchmarks(benchmarks) }),
    ...(otel !== undefined && { otel: resolveOtel(otel) }),
    ...(regulation !== undefined && { regulation: resolveRegulation(regulation) }),
    ...(prometheus !== undefined && {
      sources: {
        prometheus: {
          url: prometheus.url.replace(/\/+$/, ''),
          ...(prometheus.bearerTokenEnv !== undefined && { bearerTokenEnv: prometheus.bearerTokenEnv }),
          timeoutMs: prometheus.timeout ?? DEFAULT_PROMETHEUS_TIMEOUT_MS,
          settleMinutes: prometheus.settle ?? DEFAULT_PROMETHEUS_SETTLE_MINUTES,
        },
      },
    }),
  };
}

function resolveOtel(o: NonNullable<ConfigFile['otel']>): OtelSpec {
  return {
    rules: o.rules.map((rule) => ({
      match: { ...rule.match },
      journey: rule.journey,
      ...(rule.step !== undefined && { step: rule.step }),
    })),
    attributes: { ...DEFAULT_OTEL.attributes, ...o.attributes },
  };
}

/** `regulation` over the regulation's defaults, field by field (docs/configuration.md ("regulation")). */
function resolveRegulation(r: NonNullable<ConfigFile['regulation']>): RegulationSpec {
  const d = DEFAULT_DORA_THRESHOLDS;
  const dora = r.dora;
  return {
    downtimeBelow: r.downtimeBelow ?? DEFAULT_DOWNTIME_BELOW,
    dora: {
      referenceDays: dora?.referenceDays ?? d.referenceDays,
      clientsShare: dora?.clients?.share ?? d.clientsShare,
      clientsAbsolute: dora?.clients?.absolute ?? d.clientsAbsolute,
      transactionsShare: dora?.transactions?.share ?? d.transactionsShare,
      amountShare: dora?.amount?.share ?? d.amountShare,
      durationMinutes: dora?.duration ?? d.durationMinutes,
      downtimeMinutes: dora?.downtime ?? d.downtimeMinutes,
      economicImpact: { ...(dora?.economicImpact ?? d.economicImpact) },
      recurringWithinMinutes: dora?.recurringWithin ?? d.recurringWithinMinutes,
    },
  };
}

function resolveBenchmarks(b: NonNullable<ConfigFile['benchmarks']>): BenchmarksSpec {
  return {
    probes: b.probes.map((p) => ({
      name: p.name,
      owner: p.owner,
      journey: p.journey,
      url: p.url,
      method: p.method,
      intervalMs: p.interval ?? DEFAULT_PROBE_INTERVAL_MS,
      timeoutMs: p.timeout ?? DEFAULT_PROBE_TIMEOUT_MS,
      ...(p.expect?.status !== undefined && { expectStatus: p.expect.status }),
      ...(p.expect?.bodyContains !== undefined && { bodyContains: p.expect.bodyContains }),
    })),
    statusPages: b.statusPages.map((s) => ({
      owner: s.owner,
      url: s.url.replace(/\/+$/, ''),
      components: [...s.components],
      journey: s.journey,
    })),
  };
}

function resolveCorrection(c: NonNullable<ConfigFile['corrections']>[number]): CorrectionSpec {
  const common = {
    name: c.name,
    journeys: [...c.journeys],
    ...(c.reason !== undefined && { reason: c.reason }),
    source: 'config' as const,
  };
  // The schema has checked that a correction is weekly, or has both from and to.
  return c.every !== undefined
    ? { ...common, kind: 'weekly', weekly: c.every }
    : { ...common, kind: 'once', from: c.from ?? 0, to: c.to ?? 0 };
}

function resolveJourney(journey: JourneyFile, tiers: Record<string, TierSpec>, policies: readonly AlertWindowPolicy[]): JourneySpec {
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
    ...(journey.public === true && { public: true, publicName: journey.publicName ?? journey.displayName ?? journey.name }),
    steps: journey.steps.map((step) => ({
      name: step.name,
      ...(step.displayName !== undefined && { displayName: step.displayName }),
      services: [...step.services],
      critical: step.critical,
    })),
    // Left out when unset, so configurations without it resolve exactly as before; journeyRegulation() defaults it.
    ...(journey.regulation !== undefined && {
      regulation: {
        critical: journey.regulation.critical ?? tier === CRITICAL_TIER,
        importantBusinessService: journey.regulation.importantBusinessService ?? false,
        ...(journey.regulation.impactTolerance !== undefined && { impactToleranceMinutes: journey.regulation.impactTolerance }),
      },
    }),
    slos: journey.slos.map((slo): SloSpec => {
      const objective = slo.objective ?? tierObjective;
      const window = slo.window ?? { ...DEFAULT_WINDOW };
      // The SLO's own windows, else the configured policy for its period; without either the engine
      // applies the built-in policy, so configurations that set none resolve exactly as before.
      const windows = slo.alerting?.windows?.map(resolvePair) ?? policyFor(window, policies)?.pairs.map((pair) => ({ ...pair }));
      return {
        name: slo.name,
        ...(slo.displayName !== undefined && { displayName: slo.displayName }),
        objective,
        window,
        budgeting: slo.budgeting,
        timeSliceTarget: slo.timeSliceTarget ?? objective,
        sli: {
          source: slo.sli.kind === 'prometheus' ? 'prometheus' : (slo.sli.source ?? 'events'),
          kind: slo.sli.kind,
          ...(slo.sli.kind === 'prometheus' && {
            prometheus: {
              ...(slo.sli.good !== undefined && { good: slo.sli.good }),
              ...(slo.sli.bad !== undefined && { bad: slo.sli.bad }),
              total: slo.sli.total ?? '',
            },
          }),
          ...(slo.sli.thresholdMs !== undefined && { thresholdMs: slo.sli.thresholdMs }),
          ...(slo.sli.step !== undefined && { step: slo.sli.step }),
          abandonedIsBad: slo.sli.abandonedIsBad,
          // Set only when amount-weighted, so configurations without it resolve exactly as before.
          ...(slo.sli.weight === 'amount' && { weight: 'amount' as const, currency: journey.value?.currency ?? '' }),
        },
        alerting: { minEvents: slo.alerting?.minEvents ?? 0, ...(windows !== undefined && { windows }) },
      };
    }),
  };
}
