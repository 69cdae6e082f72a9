/** SQL shared by the backends for raw events: the WHERE clause of an EventQuery, and row ↔ event mapping. */
import type { Outcome } from '../../model/config.js';
import type { StoredEvent } from '../../model/event.js';
import type { EventQuery, FailureToJudge } from './event-store.js';

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
