/** The resolved configuration model: what `vigil.yaml` means once loaded, validated and defaulted. */
import type { Priority } from './incident.js';

export type Outcome = 'success' | 'failure' | 'rejected' | 'abandoned';
export const OUTCOMES: readonly Outcome[] = ['success', 'failure', 'rejected', 'abandoned'];

/** A rolling window of a fixed number of minutes, or the current calendar period. */
export type WindowSpec =
  | { kind: 'rolling'; minutes: number; text: string }
  | { kind: 'calendar'; unit: 'week' | 'month' | 'quarter'; text: string };

export type Budgeting = 'occurrences' | 'timeslices';

export interface SliSpec {
  kind: 'success' | 'latency';
  /** Only for `latency`: good events are successes with latencyMs ≤ thresholdMs. */
  thresholdMs?: number;
  /** Scope: one step; absent means the whole journey (events without a step). */
  step?: string;
  abandonedIsBad: boolean;
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
  alerting: { minEvents: number };
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
  steps: StepSpec[];
  slos: SloSpec[];
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
}

export interface VigilConfig {
  version: 'vigil/v1';
  defaults: { timezone: string };
  tiers: Record<string, TierSpec>;
  services: ServiceSpec[];
  journeys: JourneySpec[];
  alerting: AlertingSpec;
  retention: { rawEventsDays: number };
  ingest: { maxBodyBytes: number };
  /** Where incident notifications go; absent when vigil.yaml has no `notifications` section (nothing is sent). */
  notifications?: NotificationsSpec;
}

/** What an incident's priority asks for: a page, a ticket, or nothing sent. */
export type Routing = 'page' | 'ticket' | 'none';
export type NotificationTargetType = 'webhook' | 'slack' | 'pagerduty';

export interface NotificationTarget {
  /** Unique among targets; outbox messages name their target by it. */
  name: string;
  type: NotificationTargetType;
  /** Where to POST: the webhook or Slack incoming-webhook URL, or the PagerDuty Events API v2 endpoint. */
  url: string;
  /** PagerDuty only: the Events API v2 integration key. */
  routingKey?: string;
  /** The least urgent priority this target receives (P3: P1, P2 and P3). */
  minPriority: Priority;
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
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_ROUTING: Readonly<Record<Priority, Routing>> = { P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' };
export const DEFAULT_MIN_PRIORITY: Priority = 'P3';
export const DEFAULT_PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';
