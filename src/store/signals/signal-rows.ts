/** Signal rows as both backends read and write them. */
import type { Signal } from '../../model/signal.js';

export interface SignalRow {
  id: string;
  source: string;
  at: number | string;
  journey: string | null;
  keyword: string | null;
  text: string | null;
  count: number | string;
  received_at: number | string;
}

export const SIGNAL_COLUMNS = 'id, source, at, journey, keyword, text, count, received_at';
export const SIGNAL_COLUMN_COUNT = 8;

export function signalFromRow(row: SignalRow): Signal {
  return {
    id: row.id,
    source: row.source,
    at: Number(row.at),
    journey: row.journey,
    keyword: row.keyword,
    text: row.text,
    count: Number(row.count),
    receivedAt: Number(row.received_at),
  };
}

/** The row values of a signal, in SIGNAL_COLUMNS order. */
export function signalValues(s: Signal): unknown[] {
  return [s.id, s.source, s.at, s.journey, s.keyword, s.text, s.count, s.receivedAt];
}

/** For each signal, whether it is the first of its id in the batch and its id was inserted (not already stored). */
export function insertedFlags(signals: readonly Signal[], inserted: ReadonlySet<string>): boolean[] {
  const seen = new Set<string>();
  return signals.map((s) => {
    const first = !seen.has(s.id);
    seen.add(s.id);
    return first && inserted.has(s.id);
  });
}
