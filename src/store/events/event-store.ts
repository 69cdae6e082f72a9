/** The EventStore capability: raw journey events and the per-minute SLI and scope aggregates kept in step with them. */
import type { SliDefinition } from '../../engine/sli.js';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent, StoredEvent } from '../../model/event.js';
import type { EpochMinute, ScopeMinute, SliMinute } from '../../model/minutes.js';

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

/** A failure to judge: who met it and when (epoch ms). */
export interface FailureToJudge {
  customerId?: string;
  timestamp: number;
}

/** The customers of a journey over a period, and whether each came back in the next (docs/retention.md). */
export interface RetentionQuery {
  journey: string;
  /** Period N, epoch ms [from, to). */
  from: number;
  to: number;
  /** Period N+1, epoch ms [nextFrom, nextTo). */
  nextFrom: number;
  nextTo: number;
}

/** How many customers met `failures` failures of the journey in N and were (or were not) retained in N+1. */
export interface RetentionCount {
  failures: number;
  retained: boolean;
  customers: number;
}

/** The matching events of one bucket of time (docs/dora.md ("How each figure is measured")). */
export interface EventBucket {
  /** Start of the bucket, epoch ms: query.from + k × bucketMs. */
  from: number;
  events: number;
  /** Distinct non-empty customerId. */
  customers: number;
  /** Sum of `amount` per currency (null: events that name none), among the events that carry an amount; sorted by currency. */
  amounts: { currency: string | null; amount: number; events: number }[];
}

export interface EventStore {
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
   * the minutes raw events cover) and mark it materialised (docs/storage.md, "Retention").
   */
  rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }>;
  /**
   * What rebuildSli(def) would leave for minutes in [fromMinute, toMinute), computed without writing:
   * minutes whose raw events are all retained from those events, older ones from the stored
   * aggregates. For reading an SLI that is not materialised from a read-only store.
   */
  sliMinutesFromEvents(def: SliDefinition, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]>;
  /** Forget an SLI's aggregates (it is no longer configured). */
  dropSli(key: string): Promise<void>;

  /** Aggregates of one SLI for minutes in [fromMinute, toMinute), ascending. */
  sliMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]>;
  /** Scope aggregates for minutes in [fromMinute, toMinute), optionally of one journey, ascending by minute. */
  scopeMinutes(fromMinute: EpochMinute, toMinute: EpochMinute, journey?: string): Promise<ScopeMinute[]>;

  /** Raw events matching the query, ascending by timestamp. */
  events(query: EventQuery): Promise<StoredEvent[]>;
  /**
   * Per failure, in input order: whether the same customer has a success event of `journey` and `step` (null: the
   * whole-journey events) with timestamp in (t, t + windowMs] (docs/value.md ("Abandonment")). A failure without a
   * customerId (or an empty one) is never recovered. One statement for the whole list, whatever its length.
   */
  recoveries(journey: string, step: string | null, failures: readonly FailureToJudge[], windowMs: number): Promise<boolean[]>;
  /** Distinct non-empty customerId among the events matching the query. */
  distinctCustomers(query: EventQuery): Promise<number>;
  /**
   * The matching events in consecutive buckets of `bucketMs` from `query.from` (the last one may be cut short by
   * `query.to`): their count, distinct customers and amounts per currency. Buckets without an event are left out;
   * ascending by `from`.
   */
  eventBuckets(query: EventQuery, bucketMs: number): Promise<EventBucket[]>;
  /**
   * The distinct string values of `attributes.<name>` among the matching events, sorted, at most `limit`. `name` is
   * letters, digits and `_` (a RangeError otherwise); values that are not strings are left out.
   */
  attributeValues(query: EventQuery, name: string, limit: number): Promise<string[]>;
  /**
   * The distinct non-empty customerIds with any event of `journey` in [from, to), counted by their number of
   * `failure` events of the journey there (any step) and by whether they have any event of any journey in
   * [nextFrom, nextTo); ascending by failures, not retained first. Pairs with no customer are left out.
   */
  retentionCounts(query: RetentionQuery): Promise<RetentionCount[]>;
  /** Timestamp (epoch ms) of the newest stored event, or null. */
  newestEventTimestamp(): Promise<number | null>;
  /** Total raw events stored. */
  countEvents(): Promise<number>;

  /**
   * Delete raw events with timestamp < eventsBefore, and aggregates with minute < aggregatesBefore, in transactions of at
   * most 5,000 rows (`batches` counts them), never holding the writer for more than one at a time (docs/storage.md
   * ("Purging old data")).
   */
  purge(
    eventsBefore: number,
    aggregatesBefore: EpochMinute,
  ): Promise<{ events: number; sliMinutes: number; scopeMinutes: number; batches: number }>;
}
