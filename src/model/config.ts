/** The resolved configuration model: what `vigil.yaml` means once loaded, validated and defaulted. */
import type { Priority } from './incident.js';
import type { PolicySpec } from './release.js';
import type { SignalsSpec } from './signal.js';
import type { BenchmarksSpec } from './benchmark.js';
import type { JourneyRegulation, RegulationSpec } from './regulation.js';

export type Outcome = 'success' | 'failure' | 'rejected' | 'abandoned';
export const OUTCOMES: readonly Outcome[] = ['success', 'failure', 'rejected', 'abandoned'];

/** A rolling window of a fixed number of minutes, or the current calendar period. */
export type WindowSpec =
  | { kind: 'rolling'; minutes: number; text: string }
  | { kind: 'calendar'; unit: 'week' | 'month' | 'quarter'; text: string };

export type Budgeting = 'occurrences' | 'timeslices';

/**
 * Where an SLI's good and total counts come from: `events`, the journey events Vigil ingests, or `prometheus`, per-minute
 * increases read from a Prometheus server (docs/prometheus.md ("Prometheus as an SLI source")). The engine dispatches on
 * it (docs/configuration.md, "SLI source").
 */
export const SLI_SOURCES = ['events', 'prometheus'] as const;
export type SliSource = (typeof SLI_SOURCES)[number];

/**
 * What one valid event counts for in good and total: 1 (`events`), or its `amount` (`amount`, a value-weighted SLI whose
 * good and total are sums of money in the journey's currency; docs/slo-maths.md ("Value-weighted SLIs")).
 */
export const SLI_WEIGHTS = ['events', 'amount'] as const;
export type SliWeight = (typeof SLI_WEIGHTS)[number];

/**
 * One multiwindow, multi-burn-rate alert: it fires when the burn rate over both windows exceeds the
 * rate that would spend `budgetPercent` of the SLO period's budget within the long window
 * (docs/configuration.md, "Alert windows").
 */
export interface AlertWindowPair {
  severity: 'page' | 'ticket';
  /** Canonical duration text (`5m`, `1h`, `3d`): the key of the window in `SloStatus.burnRates`. */
  short: string;
  long: string;
  shortMinutes: number;
  longMinutes: number;
  /** Share of the period's error budget the pair guards, in percent, in (0, 100]. */
  budgetPercent: number;
}

/**
 * A whole number of minutes in its largest exact unit, the canonical name of a burn window.
 * @example durationText(4320) // '3d'
 * @example durationText(90) // '90m'
 */
export function durationText(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** The alert windows for SLOs of one period (a rolling length, or a calendar week, month or quarter). */
export interface AlertWindowPolicy {
  period: WindowSpec;
  pairs: AlertWindowPair[];
}

/**
 * The PromQL of an SLI of kind `prometheus` (docs/prometheus.md ("Prometheus as an SLI source")): counter selectors or
 * expressions whose per-minute increase Vigil reads; exactly one of `good` and `bad` is set.
 */
export interface PrometheusSliQueries {
  good?: string;
  bad?: string;
  total: string;
}

/** `sources.prometheus` (docs/configuration.md ("sources")): the Prometheus server SLIs of kind `prometheus` are read from. */
export interface PrometheusSourceSpec {
  /** Base URL, without a trailing slash (`http://prometheus:9090`). */
  url: string;
  /** Name of the environment variable holding a bearer token, sent as `Authorization: Bearer …`; absent: none. */
  bearerTokenEnv?: string;
  /** Per request. */
  timeoutMs: number;
  /** Minutes Vigil waits after a minute ends before it first reads it, and keeps re-reading it (late scrapes). */
  settleMinutes: number;
}

export interface SliSpec {
  /** Absent in hand-built specs means `events`; a loaded configuration always sets it. */
  source?: SliSource;
  /** `prometheus`: good and total come from PromQL (`prometheus`), with source `prometheus`. */
  kind: 'success' | 'latency' | 'prometheus';
  /** Only for kind `prometheus`. */
  prometheus?: PrometheusSliQueries;
  /** Only for `latency`: good events are successes with latencyMs ≤ thresholdMs. */
  thresholdMs?: number;
  /** Scope: one step; absent means the whole journey (events without a step). */
  step?: string;
  abandonedIsBad: boolean;
  /** Absent means `events`. */
  weight?: SliWeight;
  /** Only with weight `amount`: the journey's `value.currency`, the one currency the SLI counts. */
  currency?: string;
}

export interface SloSpec {
  name: string;
  displayName?: string;
  /** Percent in (0, 100). */
  objective: number;
  window: WindowSpec;
  budgeting: Budgeting;
  /** Percent; a one-minute slice is good when its SLI ≥ this. Only meaningful for timeslices. */
  timeSliceTarget: number;
  sli: SliSpec;
  alerting: {
    minEvents: number;
    /**
     * The SLO's alert windows when the configuration sets them (its own, or `alerting.windows` for its
     * period); absent: the built-in policy for its period (engine/alert-pairs.ts, `alertWindowsFor`).
     */
    windows?: AlertWindowPair[];
  };
}

export interface StepSpec {
  name: string;
  displayName?: string;
  services: string[];
  critical: boolean;
}

import type { JourneyValue } from '../api/journeys.js';

export type { JourneyValue };

export interface JourneySpec {
  name: string;
  displayName: string;
  description?: string;
  tier: string;
  owner?: string;
  value?: JourneyValue;
  /** Shown on the public page (docs/public-page.md ("Which journeys")); absent means not shown. */
  public?: boolean;
  /** The name customers read on the public page; set whenever `public` is. */
  publicName?: string;
  steps: StepSpec[];
  slos: SloSpec[];
  /**
   * `regulation` as written, resolved (docs/configuration.md ("regulation")); absent when the journey sets none: read it
   * through `journeyRegulation` (model/regulation.ts), which defaults `critical` from the tier.
   */
  regulation?: JourneyRegulation;
}

export interface TierSpec {
  name: string;
  objective: number;
}

export interface ServiceSpec {
  name: string;
  owner?: string;
  tier?: string;
}

/** Explicit mapping of technical alerts to a service by label values (issue: customer-centric alerting). */
export interface ServiceRule {
  /** Every label must equal the given value, or match the regular expression when written /…/. */
  match: Record<string, string>;
  service: string;
}

export interface AlertingSpec {
  serviceLabels: string[];
  correlationWindowMinutes: number;
  serviceRules: ServiceRule[];
  /** Alert-window policies set in vigil.yaml, one per period; absent when none is set (the built-in ones apply). */
  windows?: AlertWindowPolicy[];
}

export interface VigilConfig {
  version: 'vigil/v1';
  defaults: { timezone: string };
  tiers: Record<string, TierSpec>;
  services: ServiceSpec[];
  journeys: JourneySpec[];
  alerting: AlertingSpec;
  /**
   * Each optional key is set only when vigil.yaml sets it; absent, its default applies (retentionDays below,
   * docs/configuration.md ("Retention")).
   */
  retention: {
    rawEventsDays: number;
    signalsDays?: number;
    probesDays?: number;
    alertsDays?: number;
    incidentsDays?: number;
    outboxDays?: number;
  };
  ingest: { maxBodyBytes: number };
  /** Where incident notifications go; absent when vigil.yaml has no `notifications` section (nothing is sent). */
  notifications?: NotificationsSpec;
  /** Who may reach the server from a browser; absent when vigil.yaml has no `server` section (the defaults apply). */
  server?: ServerAccessSpec;
  /** `policy` (docs/release.md ("Budget policy")); absent: the default policy. */
  policy?: PolicySpec;
  /** `deployments` (docs/release.md ("Attribution")); absent: a 24-hour attribution window. */
  deployments?: { attributionMinutes: number };
  /**
   * Corrections (docs/slo-maths.md ("Corrections")): those of vigil.yaml, and once the server runs, those added through
   * the API after them. Absent when there are none, so configurations without any resolve exactly as before.
   */
  corrections?: CorrectionSpec[];
  /** `signals` (docs/signals.md); absent: minSpike 10 and no keywords. */
  signals?: SignalsSpec;
  /** `benchmarks` (docs/benchmark.md): probes and competitors' status pages; absent when vigil.yaml has none. */
  benchmarks?: BenchmarksSpec;
  /** `otel` (docs/opentelemetry.md): how spans become journey events; absent when vigil.yaml has none (DEFAULT_OTEL applies). */
  otel?: OtelSpec;
  /**
   * `regulation` (docs/configuration.md ("regulation")): DORA thresholds and the downtime line; absent when vigil.yaml has
   * none: read it through `regulationOf` (model/regulation.ts), which gives the regulation's defaults.
   */
  regulation?: RegulationSpec;
  /** `sources` (docs/configuration.md ("sources")): external SLI sources; absent when vigil.yaml has none. */
  sources?: { prometheus?: PrometheusSourceSpec };
}

/** What an `otel.rules` entry matches on: the resource's `service.name`, the span's name and its `http.route` attribute. */
export const OTEL_MATCH_KEYS = ['service.name', 'span.name', 'http.route'] as const;
export type OtelMatchKey = (typeof OTEL_MATCH_KEYS)[number];

/** One rule of `otel.rules` (docs/opentelemetry.md ("Rules")): every key given must match; the first rule that matches wins. */
export interface OtelRule {
  /** Each value equals the span's, or is a regular expression written /…/ matching all of it. */
  match: Partial<Record<OtelMatchKey, string>>;
  journey: string;
  /** Absent: the span is the whole-journey outcome (when it is the root of its trace, or its parent is remote). */
  step?: string;
}

/** `otel` in vigil.yaml (docs/opentelemetry.md ("Configuration")). */
export interface OtelSpec {
  rules: OtelRule[];
  /** The span attributes that carry an event's customerId, amount and currency. */
  attributes: { customerId: string; amount: string; currency: string };
}

export const DEFAULT_OTEL: OtelSpec = {
  rules: [],
  attributes: { customerId: 'vigil.customer_id', amount: 'vigil.amount', currency: 'vigil.currency' },
};

/** A weekly wall-clock window such as `Sun 02:00-04:00`, read in `defaults.timezone`. */
export interface WeeklyWindow {
  /** As written. */
  text: string;
  /** Minute of the local week the window opens at, 0 = Monday 00:00. */
  startMinuteOfWeek: number;
  /** Its length in minutes, 1 to 1,440. */
  minutes: number;
}

/** A maintenance window whose events no SLI of its journeys counts (docs/slo-maths.md ("Corrections")). */
export type CorrectionSpec = {
  name: string;
  journeys: string[];
  reason?: string;
  /** Where it was declared: vigil.yaml, or `POST /api/v1/corrections`. */
  source: 'config' | 'api';
} & ({ kind: 'once'; from: number; to: number } | { kind: 'weekly'; weekly: WeeklyWindow });

/** `server` in vigil.yaml (docs/configuration.md ("server")): Host names and origins beyond the defaults. */
export interface ServerAccessSpec {
  /** Host names (or IP addresses) the server answers to, beside localhost, 127.0.0.1, ::1 and its listen address. */
  allowedHosts: string[];
  /** Origins (`https://portal.bank.example`) of pages allowed to write, beside the server's own. */
  allowedOrigins: string[];
}

/** What an incident's priority asks for: a page, a ticket, or nothing sent. */
export type Routing = 'page' | 'ticket' | 'none';
export type NotificationTargetType = 'webhook' | 'slack' | 'pagerduty' | 'teams' | 'opsgenie';

export interface NotificationTarget {
  /** Unique among targets; outbox messages name their target by it. */
  name: string;
  type: NotificationTargetType;
  /** Where to POST: the webhook, Slack or Teams incoming-webhook URL, the PagerDuty Events API v2 endpoint, or the Opsgenie API base URL. */
  url: string;
  /** PagerDuty only: the Events API v2 integration key. */
  routingKey?: string;
  /** Opsgenie only: the API integration key, sent as `Authorization: GenieKey <key>`. */
  apiKey?: string;
  /** The least urgent priority this target receives (P3: P1, P2 and P3). */
  minPriority: Priority;
  /** Only incidents this matches (docs/alerting.md ("Routing by journey and team")); every incident when absent. */
  match?: NotificationMatch;
}

/** Which incidents a target hears about: every field given must hold, each by any of its values. */
export interface NotificationMatch {
  priorities?: Priority[];
  /** Journeys the incident touches. */
  journeys?: string[];
  /** `owner` of a journey the incident touches. */
  journeyOwners?: string[];
  /** `owner` (the team) of a service the incident involves, from the `services` catalogue. */
  serviceOwners?: string[];
}

export interface NotificationsSpec {
  /** The URL people reach this Vigil at, for links in notifications; relative links without it. */
  externalUrl?: string;
  targets: NotificationTarget[];
  routing: Record<Priority, Routing>;
}

export const DEFAULT_TIERS: Record<string, TierSpec> = {
  critical: { name: 'critical', objective: 99.99 },
  core: { name: 'core', objective: 99.95 },
  standard: { name: 'standard', objective: 99.9 },
  informational: { name: 'informational', objective: 99.5 },
};

export const DEFAULT_SERVICE_LABELS = ['service', 'service_name', 'app', 'job'];
export const DEFAULT_RETENTION_DAYS = 35;
/** Alerts, incidents, signals and probe results are kept this long unless `retention` says otherwise. */
export const DEFAULT_RECORD_RETENTION_DAYS = 400;
/** Delivered notifications (the outbox) are kept this long unless `retention.outbox` says otherwise. */
export const DEFAULT_OUTBOX_RETENTION_DAYS = 30;

/** Every kind of data Vigil purges by age (docs/configuration.md ("Retention")). */
export type RetentionKind = 'rawEvents' | 'signals' | 'probes' | 'alerts' | 'incidents' | 'outbox';

/**
 * The days each kind of data is kept, defaults filled in.
 * @example retentionDays({ retention: { rawEventsDays: 35 } }).incidents // 400
 */
export function retentionDays(config: Pick<VigilConfig, 'retention'>): Record<RetentionKind, number> {
  const r = config.retention;
  return {
    rawEvents: r.rawEventsDays,
    signals: r.signalsDays ?? DEFAULT_RECORD_RETENTION_DAYS,
    probes: r.probesDays ?? DEFAULT_RECORD_RETENTION_DAYS,
    alerts: r.alertsDays ?? DEFAULT_RECORD_RETENTION_DAYS,
    incidents: r.incidentsDays ?? DEFAULT_RECORD_RETENTION_DAYS,
    outbox: r.outboxDays ?? DEFAULT_OUTBOX_RETENTION_DAYS,
  };
}
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_ROUTING: Readonly<Record<Priority, Routing>> = { P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' };
export const DEFAULT_MIN_PRIORITY: Priority = 'P3';
export const DEFAULT_PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;
export const DEFAULT_PROMETHEUS_SETTLE_MINUTES = 2;
export const DEFAULT_OPSGENIE_URL = 'https://api.opsgenie.com';
