/** The DisruptionStore capability: disruptions of important business services, kept for the yearly list (docs/impact-tolerances.md). */
import type { DisruptionRecord } from '../../model/disruption.js';

export type { DisruptionRecord };

/** Which disruptions to read: those of a journey (every journey when absent) starting in [startFrom, startTo). */
export interface DisruptionQuery {
  journey?: string;
  startFrom?: number;
  startTo?: number;
}

/** Persistence of disruptions. Never purged: they are the record a regulator may ask for. */
export interface DisruptionStore {
  /**
   * Stores disruptions in one transaction, replacing a stored one with the same id; a warning or breach already
   * recorded stays recorded (its time is kept) whatever the new record says.
   */
  saveDisruptions(records: readonly DisruptionRecord[]): Promise<void>;
  /** Disruptions matching the query, oldest start first (then id). */
  disruptions(query: DisruptionQuery): Promise<DisruptionRecord[]>;
  /** Disruptions still running (no end), of one journey or all, oldest start first. */
  runningDisruptions(journey?: string): Promise<DisruptionRecord[]>;
}
