/** Rows of the corrections table, shared by both backends. */
import type { StoredCorrection } from './correction-store.js';

export const CORRECTION_COLUMNS = 'name, journeys, from_ms, to_ms, reason, author, created_at';

export interface CorrectionRow {
  name: string;
  journeys: string;
  from_ms: number | string;
  to_ms: number | string;
  reason: string | null;
  author: string | null;
  created_at: number | string;
}

export function correctionValues(c: StoredCorrection): unknown[] {
  return [c.name, JSON.stringify(c.journeys), c.from, c.to, c.reason, c.author, c.createdAt];
}

export function correctionFromRow(row: CorrectionRow): StoredCorrection {
  return {
    name: row.name,
    journeys: JSON.parse(row.journeys) as string[],
    from: Number(row.from_ms),
    to: Number(row.to_ms),
    reason: row.reason,
    author: row.author,
    createdAt: Number(row.created_at),
  };
}
