/** Incidents: alerts that touch the same journey stages, folded together and ranked by impact (docs/alerting.md ("Correlation", "Priority")). */
import type { IncidentStatus, NoiseStats, Priority, TimelineKind } from '../api/incidents.js';
import type { Stage } from './alert.js';
import type { MoneyTotals } from './money.js';

export type { IncidentStatus, NoiseStats, Priority, TimelineKind };

/** Customer and business impact at one moment, the inputs of the priority (docs/alerting.md ("How impact is measured")). */
export interface Impact {
  /** Whether customers are hurt at all: an SLO of an affected journey burning, or a stage failing above normal. */
  customerImpact: boolean;
  /** Highest 1 h burn rate among the affected journeys' SLOs (null: no events). */
  maxBurnRate: number | null;
  /** Distinct customerId among failures at the affected stages from 15 minutes before the incident opened (at most the last hour). */
  customersAffected: number;
  /** Failed (and, where abandonment matters, abandoned) attempts per hour at the affected stages. */
  failuresPerHour: number;
  /**
   * Money at risk per hour (failures/h × revenue per success, or × amount × feeRate), one amount per
   * currency, largest first, never summed across currencies; empty when nothing is at risk.
   */
  valueAtRiskPerHour: MoneyTotals;
  /** The worst tier among the affected journeys, and whether a critical step is affected. */
  tier: string | null;
  criticalStage: boolean;
  assessedAt: number;
}

/**
 * What an incident did over its life (docs/alerting.md ("What an incident keeps")): peaks and totals over its own span,
 * kept when it resolves. Every time is epoch ms.
 */
export interface IncidentFigures {
  /** The span measured: a quarter hour before its first alert, to its last alert's end (or the last assessment while one fires). */
  from: number;
  to: number;
  peakBurnRate: number | null;
  peakFailuresPerHour: number;
  peakCustomersAffected: number;
  /** Distinct customers with a failure at the incident's stages over the span. */
  customersFailed: number;
  failedAttempts: number;
  /** Failures × value per success, or failed amounts × fee rate: one amount per currency, never summed across currencies. */
  valueLost: MoneyTotals;
  /** The first failure at the incident's stages in the span, or null when none. */
  firstFailureAt: number | null;
  peakPriority: Priority;
}

export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  message: string;
  alertKey?: string;
}

export interface Incident {
  id: string;
  status: IncidentStatus;
  priority: Priority;
  /** The reason for the priority, in words: "card-payment authorise step failing for 2,140 customers, £38k/h at risk". */
  reason: string;
  title: string;
  journeys: string[];
  stages: Stage[];
  services: string[];
  /** Keys of its first alerts (at most MAX_INCIDENT_ALERT_KEYS); every member is found by its `incidentId`. */
  alertKeys: string[];
  /** Distinct alerts ever attached to it (alerts moved here by a merge included). */
  alertCount: number;
  /** Time of the newest alert (its startsAt), from which the correlation window is measured. */
  lastAlertAt: number;
  openedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  /** Whether this incident was (or would be) paged, per routing. */
  paged: boolean;
  impact: Impact | null;
  /** Peaks and totals over the incident's life; null until first measured (and for incidents stored before they were kept). */
  figures?: IncidentFigures | null;
  /** Ids of incidents merged into this one. */
  mergedFrom: string[];
  /** Set when this incident was merged into another (it is then resolved and points there). */
  mergedInto: string | null;
  timeline: TimelineEntry[];
  /**
   * How many times its row was written (docs/scale-out.md ("Incident versions")): read from the store, and set there by each
   * write. A write carrying a version lands only if the row still has it; absent on an incident never stored.
   */
  version?: number;
}

export interface IncidentQuery {
  status?: IncidentStatus[];
  journey?: string;
  priority?: Priority[];
  /** Incidents open at any time in [from, to) (epoch ms). */
  from?: number;
  to?: number;
  /** Case-insensitive (ASCII) substring of the title, the reason or a service name (docs/api.md ("Incident history")). */
  text?: string;
  /** Keyset paging: only incidents after this one in the list's order (openedAt descending, then id descending). */
  after?: IncidentCursor;
  limit?: number;
}

/** Where a page of incidents ended: the last incident's openedAt and id. */
export interface IncidentCursor {
  openedAt: number;
  id: string;
}

/** The words an operator wrote for customers about an incident (docs/public-page.md ("Public text")). */
export interface PublicText {
  text: string;
  /** Who set it: the token's name, or the body's `by` on an open server. */
  setBy: string | null;
  /** When it was set, epoch ms. */
  setAt: number;
}
