/** The SignalStore capability: customer signals, idempotent by id (docs/signals.md). */
import type { Signal } from '../../model/signal.js';
import type { PurgeResult } from '../purge.js';

export type { Signal };

/** Where a page of signals starts: after this (at, id), newest first. */
export interface SignalCursor {
  at: number;
  id: string;
}

export interface SignalQuery {
  /** A journey's signals; null: only those under no journey; undefined: all. */
  journey?: string | null;
  /** at in [from, to), either bound optional. */
  from?: number;
  to?: number;
  after?: SignalCursor;
  limit: number;
}

/** Persistence of signals. */
export interface SignalStore {
  /** Stores each signal whose id is new; one flag per signal, false for an id already stored (kept as first stored). */
  saveSignals(signals: readonly Signal[]): Promise<boolean[]>;
  /** Signals matching the query, newest first (at descending, then id descending). */
  listSignals(query: SignalQuery): Promise<Signal[]>;
  /** The sum of `count` per journey (null: no journey) over signals with at in [from, to); journeys with none are absent. */
  signalCounts(from: number, to: number): Promise<{ journey: string | null; count: number }[]>;
  /** Deletes signals with at before `before`, at most `batch` per transaction (docs/storage.md ("Purging old data")). */
  purgeSignals(before: number, batch?: number): Promise<PurgeResult>;
}
