/** SQL shared by the backends for raw events: the WHERE clause of an EventQuery, and row ↔ event mapping. */
import type { Outcome } from '../../model/config.js';
import type { StoredEvent } from '../../model/event.js';
import type { EventBucket, EventQuery, FailureToJudge } from './event-store.js';

/** Columns of the events table, in the order every SELECT of whole events uses. */
export const EVENT_COLUMNS =
  'id, journey, step, outcome, latency_ms, ts, attempt_id, customer_id, amount, currency, attributes, received_at';

export interface EventRow {
  id: string | null;
  journey: string;
  step: string | null;
  outcome: string;
  latency_ms: number | null;
  ts: number;
  attempt_id: string | null;
  customer_id: string | null;
  amount: number | null;
  currency: string | null;
  /** JSON text (SQLite) or an already parsed value (PostgreSQL jsonb). */
  attributes: unknown;
  received_at: number;
}

/**
 * The WHERE clause (without the keyword) and its parameters for an EventQuery.
 * `placeholder(n)` renders the n-th parameter (1-based): `?` for SQLite, `$n` for PostgreSQL.
 */
export function eventQueryWhere(query: EventQuery, placeholder: (n: number) => string): { sql: string; params: unknown[] } {
  const params: unknown[] = [query.from, query.to];
  const parts = [`ts >= ${placeholder(1)}`, `ts < ${placeholder(2)}`];
  const param = (value: unknown): string => {
    params.push(value);
    return placeholder(params.length);
  };
  if (query.journey !== undefined) parts.push(`journey = ${param(query.journey)}`);
  if (query.step === null) parts.push('step IS NULL');
  else if (query.step !== undefined) parts.push(`step = ${param(query.step)}`);
  if (query.outcomes !== undefined) {
    if (query.outcomes.length === 0) parts.push('1 = 0');
    else parts.push(`outcome IN (${query.outcomes.map((o) => param(o)).join(', ')})`);
  }
  return { sql: parts.join(' AND '), params };
}

/** A stored row as the event it was accepted as: absent fields stay absent rather than null. */
export function storedEventFromRow(row: EventRow): StoredEvent {
  const event: StoredEvent = { journey: row.journey, outcome: row.outcome as Outcome, timestamp: row.ts, receivedAt: row.received_at };
  if (row.id !== null) event.id = row.id;
  if (row.step !== null) event.step = row.step;
  if (row.latency_ms !== null) event.latencyMs = row.latency_ms;
  if (row.attempt_id !== null) event.attemptId = row.attempt_id;
  if (row.customer_id !== null) event.customerId = row.customer_id;
  if (row.amount !== null) event.amount = row.amount;
  if (row.currency !== null) event.currency = row.currency;
  if (row.attributes !== null && row.attributes !== undefined) {
    event.attributes = (typeof row.attributes === 'string' ? JSON.parse(row.attributes) : row.attributes) as Record<string, unknown>;
  }
  return event;
}

/** Validates a caller-supplied row limit (a LIMIT is bound as a parameter, never interpolated). */
export function checkedLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  return limit;
}

/** The failures of a recoveries() list that have a customer (the others are never recovered), with their index in it. */
export function judgeable(failures: readonly FailureToJudge[]): Array<{ index: number; customerId: string; timestamp: number }> {
  const out: Array<{ index: number; customerId: string; timestamp: number }> = [];
  failures.forEach((f, index) => {
    if (f.customerId !== undefined && f.customerId !== '') out.push({ index, customerId: f.customerId, timestamp: f.timestamp });
  });
  return out;
}

/** An attribute name that may be read from `attributes` (it goes into a JSON path). */
const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Validates an attributeValues() name and limit. */
export function checkedAttribute(name: string, limit: number): void {
  if (!ATTRIBUTE_NAME.test(name)) throw new RangeError(`attribute name must be letters, digits and _, got ${JSON.stringify(name)}`);
  checkedLimit(limit);
}

/** Validates a bucket length: a positive whole number of ms. */
export function checkedBucket(bucketMs: number): number {
  if (!Number.isInteger(bucketMs) || bucketMs <= 0) throw new RangeError(`bucketMs must be a positive integer, got ${bucketMs}`);
  return bucketMs;
}

/** One row of each eventBuckets() query: counts per bucket, amounts per bucket and currency. */
export interface BucketCountRow {
  b: number;
  events: number;
  customers: number;
}
export interface BucketAmountRow {
  b: number;
  currency: string | null;
  amount: number;
  events: number;
}

/** The buckets of eventBuckets() from its two queries' rows. */
export function bucketsFromRows(
  from: number,
  bucketMs: number,
  counts: readonly BucketCountRow[],
  amounts: readonly BucketAmountRow[],
): EventBucket[] {
  const byBucket = new Map<number, EventBucket>();
  for (const row of counts) {
    const b = Number(row.b);
    byBucket.set(b, { from: from + b * bucketMs, events: Number(row.events), customers: Number(row.customers), amounts: [] });
  }
  for (const row of amounts) {
    byBucket.get(Number(row.b))?.amounts.push({ currency: row.currency, amount: Number(row.amount), events: Number(row.events) });
  }
  const buckets = [...byBucket.entries()].sort(([a], [b]) => a - b).map(([, bucket]) => bucket);
  for (const bucket of buckets) bucket.amounts.sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? ''));
  return buckets;
}
