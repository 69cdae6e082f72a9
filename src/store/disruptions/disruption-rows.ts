/** Disruption rows as both backends read and write them. */
import type { DisruptionRecord } from '../../model/disruption.js';
import type { DisruptionQuery } from './disruption-store.js';

export const DISRUPTION_COLUMNS = 'id, journey, incident_id, start_at, end_at, paused_at, tolerance_ms, warned_at, breached_at';

type Num = number | string;

export interface DisruptionRow {
  id: string;
  journey: string;
  incident_id: string;
  start_at: Num;
  end_at: Num | null;
  paused_at: Num | null;
  tolerance_ms: Num;
  warned_at: Num | null;
  breached_at: Num | null;
}

const orNull = (v: Num | null): number | null => (v === null ? null : Number(v));

export function disruptionFromRow(row: DisruptionRow): DisruptionRecord {
  return {
    id: row.id,
    journey: row.journey,
    incidentId: row.incident_id,
    startAt: Number(row.start_at),
    endAt: orNull(row.end_at),
    pausedAt: orNull(row.paused_at),
    toleranceMs: Number(row.tolerance_ms),
    warnedAt: orNull(row.warned_at),
    breachedAt: orNull(row.breached_at),
  };
}

/** The values of DISRUPTION_COLUMNS, in order. */
export function disruptionValues(r: DisruptionRecord): (string | number | null)[] {
  return [r.id, r.journey, r.incidentId, r.startAt, r.endAt, r.pausedAt, r.toleranceMs, r.warnedAt, r.breachedAt];
}

/** The WHERE clause and parameters of a query, with `$n` placeholders (PostgreSQL) or `?` (SQLite). */
export function whereOf(query: DisruptionQuery, placeholder: (n: number) => string): { where: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number) => {
    params.push(value);
    clauses.push(clause.replace('?', placeholder(params.length)));
  };
  if (query.journey !== undefined) add('journey = ?', query.journey);
  if (query.startFrom !== undefined) add('start_at >= ?', query.startFrom);
  if (query.startTo !== undefined) add('start_at < ?', query.startTo);
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** The upsert's SET list: every column replaced but a warning or breach already recorded, which stays. */
export const UPSERT_SET = `journey = excluded.journey, incident_id = excluded.incident_id, start_at = excluded.start_at,
  end_at = excluded.end_at, paused_at = excluded.paused_at, tolerance_ms = excluded.tolerance_ms,
  warned_at = COALESCE(disruptions.warned_at, excluded.warned_at), breached_at = COALESCE(disruptions.breached_at, excluded.breached_at)`;
