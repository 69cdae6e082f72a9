/** Notifications waiting in, or delivered from, the durable outbox. */

export interface OutboxMessage {
  id: string;
  /** Name of the notification target in vigil.yaml. */
  target: string;
  /** The receiver's de-duplication key (PagerDuty dedup_key; the incident id for webhooks). */
  dedupKey: string;
  /** The request body to send, as JSON text. */
  payload: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  lastError: string | null;
}
