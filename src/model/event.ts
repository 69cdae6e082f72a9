/** A journey event as accepted by ingest (docs/api.md ("The event")), normalised: the timestamp is epoch milliseconds. */
import type { Outcome } from './config.js';

export type { EventRejection } from '../api/events.js';

export interface JourneyEvent {
  id?: string;
  journey: string;
  step?: string;
  outcome: Outcome;
  latencyMs?: number;
  /** Epoch milliseconds (UTC). */
  timestamp: number;
  attemptId?: string;
  customerId?: string;
  amount?: number;
  currency?: string;
  attributes?: Record<string, unknown>;
}

/** An event as stored: what ingest accepted and when. */
export interface StoredEvent extends JourneyEvent {
  /** Epoch ms when the server accepted it. */
  receivedAt: number;
}
