/**
 * The Store interface: what Vigil keeps durably. Backends live in sibling folders (sqlite/, postgres/)
 * and all pass the contract suite in contract.test-suite.ts.
 */
import type { Outcome } from '../model/config.js';
import type { JourneyEvent, StoredEvent } from '../model/event.js';
import type { EpochMinute, ScopeMinute, SliMinute } from '../model/minutes.js';

export type { EpochMinute, ScopeMinute, SliMinute, StoredEvent };
import type { SliDefinition } from '../engine/sli.js';
import type { Alert } from '../model/alert.js';
import type { Incident, IncidentQuery } from '../model/incident.js';
import type { OutboxMessage } from '../model/notification.js';

export interface AppendResult {
  /** Per input event, in input order: true when stored, false when its id was already stored (a duplicate). */
  inserted: boolean[];
  /** The aggregate increments applied for the inserted events (summed per key and minute). */
  sliDeltas: SliMinute[];
  scopeDeltas: ScopeMinute[];
}

export interface EventQuery {
  journey?: string;
  /** undefined: any step; null: only whole-journey events; a string: that step. */
  step?: string | null;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  outcomes?: Outcome[];
  limit?: number;
}

export interface Store extends AlertingStore {
  readonly backend: 'sqlite' | 'postgres';
  /** Create or upgrade the schema. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Atomically and durably store a batch: insert the events (skipping any whose id is already stored,
   * including an id repeated inside the batch) and add their contributions to the per-minute
   * aggregates of every SLI definition given and of their scopes. When the promise resolves the batch
   * is on disk; when it rejects, nothing of the batch is stored.
   */
  appendEvents(events: readonly JourneyEvent[], slis: readonly SliDefinition[], receivedAt: number): Promise<AppendResult>;

  /** SLI keys whose aggregates are materialised (kept up to date since they were built). */
  materialisedSliKeys(): Promise<string[]>;
  /**
   * Recompute the aggregates of one SLI from the retained raw events (replacing what was there for
   * the minutes raw events cover) and mark it materialised. docs/slo-maths.md ("Changing an SLO").
   */
  rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }>;
  /** Forget an SLI's aggregates (it is no longer configured). */
  dropSli(key: string): Promise<void>;

  /** Aggregates of one SLI for minutes in [fromMinute, toMinute), ascending. */
  sliMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]>;
  /** Scope aggregates for minutes in [fromMinute, toMinute), optionally of one journey, ascending by minute. */
  scopeMinutes(fromMinute: EpochMinute, toMinute: EpochMinute, journey?: string): Promise<ScopeMinute[]>;

  /** Raw events matching the query, ascending by timestamp. */
  events(query: EventQuery): Promise<StoredEvent[]>;
  /** Distinct non-empty customerId among the events matching the query. */
  distinctCustomers(query: EventQuery): Promise<number>;
  /** Timestamp (epoch ms) of the newest stored event, or null. */
  newestEventTimestamp(): Promise<number | null>;
  /** Total raw events stored. */
  countEvents(): Promise<number>;

  /** Delete raw events with timestamp < eventsBefore, and aggregates with minute < aggregatesBefore. */
  purge(eventsBefore: number, aggregatesBefore: EpochMinute): Promise<{ events: number; sliMinutes: number; scopeMinutes: number }>;

  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
}

/** One atomic step of alert correlation: what changed, written together or not at all. */
export interface AlertingChanges {
  alerts: Alert[];
  incidents: Incident[];
  outbox: OutboxMessage[];
}

/**
 * Persistence of alerts, incidents and the notification outbox (docs/storage.md ("Alerting tables")). Part of every Store.
 */
export interface AlertingStore {
  /** Upsert the alerts and incidents (by key / id) and insert the outbox messages, in one transaction. */
  saveAlerting(changes: AlertingChanges): Promise<void>;
  alert(key: string): Promise<Alert | null>;
  /** Alerts of one incident, or with the given keys, ordered by startsAt. */
  alerts(query: { incidentId?: string; keys?: string[] }): Promise<Alert[]>;
  /** Incidents not resolved, and every alert that is firing or belongs to one of them (the correlation state to reload at start). */
  openAlerting(): Promise<{ incidents: Incident[]; alerts: Alert[] }>;
  incident(id: string): Promise<Incident | null>;
  /** Newest first (by openedAt). */
  incidents(query: IncidentQuery): Promise<Incident[]>;
  /** Distinct alerts first received, incidents opened and incidents paged in [from, to). */
  alertingCounts(from: number, to: number): Promise<{ alertsReceived: number; incidentsOpened: number; incidentsPaged: number }>;
  /** Undelivered messages with nextAttemptAt ≤ now, oldest first. */
  outboxDue(now: number, limit: number): Promise<OutboxMessage[]>;
  /** Record a delivery attempt's outcome (deliveredAt, attempts, nextAttemptAt, lastError). */
  updateOutbox(message: OutboxMessage): Promise<void>;
}
