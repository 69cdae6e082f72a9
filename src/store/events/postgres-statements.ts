/** The SQL of the PostgreSQL event store's write path. */
import { EVENT_COLUMNS } from './event-rows.js';

/**
 * Events go in as one JSON array parameter, read by json_to_recordset: the JSON keys are JourneyEvent's
 * own field names, so no per-field array building in JS. ORDER BY ord keeps seq in input order.
 */
export const INSERT_EVENTS = `
  INSERT INTO events (${EVENT_COLUMNS})
  SELECT id, journey, step, outcome, latency_ms, ts, attempt_id, customer_id, amount, currency, attributes, $2
  FROM ROWS FROM (json_to_recordset($1::json) AS ("id" text, "journey" text, "step" text, "outcome" text, "latencyMs" float8,
         "timestamp" int8, "attemptId" text, "customerId" text, "amount" float8, "currency" text, "attributes" jsonb))
       WITH ORDINALITY AS t(id, journey, step, outcome, latency_ms, ts, attempt_id, customer_id, amount, currency, attributes, ord)
  ORDER BY ord
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

export const UPSERT_SLI = `
  INSERT INTO sli_minutes (key, minute, good, total)
  SELECT key, minute, good, total FROM json_to_recordset($1::json) AS t(key text, minute int8, good int8, total int8)
  ON CONFLICT (key, minute) DO UPDATE SET good = sli_minutes.good + excluded.good, total = sli_minutes.total + excluded.total`;

export const UPSERT_SCOPE = `
  INSERT INTO scope_minutes (journey, step, minute, success, failure, rejected, abandoned)
  SELECT journey, COALESCE(step, ''), minute, success, failure, rejected, abandoned
  FROM json_to_recordset($1::json) AS t(journey text, step text, minute int8, success int8, failure int8, rejected int8, abandoned int8)
  ON CONFLICT (journey, step, minute) DO UPDATE SET success = scope_minutes.success + excluded.success,
    failure = scope_minutes.failure + excluded.failure, rejected = scope_minutes.rejected + excluded.rejected,
    abandoned = scope_minutes.abandoned + excluded.abandoned`;

export const REGISTER_KEYS = `
  INSERT INTO sli_keys (key, definition, materialised_at)
  SELECT key, definition, $2 FROM json_to_recordset($1::json) AS t(key text, definition jsonb)
  ON CONFLICT (key) DO NOTHING`;

export const UNMARK_STALE_KEYS = `
  UPDATE sli_keys SET materialised_at = NULL
  WHERE materialised_at IS NOT NULL AND definition->>'journey' = ANY($1::text[]) AND NOT (key = ANY($2::text[]))`;
