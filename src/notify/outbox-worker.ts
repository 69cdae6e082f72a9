/**
 * Delivers the notification outbox: POSTs each due message to its target, marks it delivered on a 2xx,
 * and otherwise retries it for ever with exponential backoff and jitter, always with the same body and
 * dedup key, so a receiver that got a message twice can fold the copies.
 */
import type { NotificationTarget } from '../model/config.js';
import type { OutboxMessage } from '../model/notification.js';
import { hostname } from 'node:os';
import { requestFor } from './request.js';

/** What the worker needs from the store (every Store provides it). */
export interface OutboxStore {
  /** Undelivered messages with nextAttemptAt ≤ now, oldest first. */
  outboxDue(now: number, limit: number): Promise<OutboxMessage[]>;
  updateOutbox(message: OutboxMessage): Promise<void>;
  /** Claim messages for a while (AlertingStore.claimOutbox); without it, every due message is this worker's. */
  claimOutbox?(ids: readonly string[], claimant: string, until: number, now: number): Promise<Set<string>>;
}

/**
 * How long a claim holds a message against another node (docs/scale-out.md ("Notifications once")): longer than a
 * pass of attempts takes, which each pass renews.
 */
export const CLAIM_LEASE_MS = 60_000;

export interface Backoff {
  /** Delay after the first failure; it doubles after each further failure. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 5_000, maxMs: 10 * 60_000 };
/** Retries are spread over the last 20% of each delay, so messages that failed together do not retry together. */
const JITTER = 0.2;
const ERROR_TEXT_MAX = 300;

export interface OutboxWorkerOptions {
  store: OutboxStore;
  targets: readonly NotificationTarget[];
  clock?: () => number;
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** How often to look for due messages while started (default 1 s). */
  pollIntervalMs?: number;
  batchSize?: number;
  backoff?: Backoff;
  /** [0, 1); Math.random by default. */
  random?: () => number;
  log?: { warn(message: string): void };
  /** The name this worker claims messages under (default: host and process id). */
  claimant?: string;
}

/**
 * The wait before the next attempt after `attempts` failed ones: base × 2^(attempts−1), capped, minus up to 20% jitter.
 * @example retryDelay(3, DEFAULT_BACKOFF, 0) // 20_000
 */
export function retryDelay(attempts: number, backoff: Backoff, random: number): number {
  const exponential = backoff.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40);
  const capped = Math.min(backoff.maxMs, exponential);
  return Math.round(capped - capped * JITTER * random);
}

const orderKey = (message: OutboxMessage) => `${message.target}\u0000${message.dedupKey}`;

export class OutboxWorker {
  private readonly store: OutboxStore;
  private targets: Map<string, NotificationTarget>;
  private readonly clock: () => number;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private readonly log: { warn(message: string): void };
  /** Per target and dedup key, the undelivered message later ones wait behind (a resolve never overtakes its trigger). */
  private readonly waitingFor = new Map<string, OutboxMessage>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private started = false;
  private readonly claimant: string;

  constructor(options: OutboxWorkerOptions) {
    this.store = options.store;
    this.targets = new Map(options.targets.map((t) => [t.name, t]));
    this.clock = options.clock ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 50;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? { warn: () => {} };
    this.claimant = options.claimant ?? `${hostname()}/${process.pid}`;
  }

  /**
   * Deliver to these targets from now on (a reloaded configuration, docs/cli.md ("Signals")); a message
   * being sent finishes with the target it started with.
   */
  setTargets(targets: readonly NotificationTarget[]): void {
    this.targets = new Map(targets.map((t) => [t.name, t]));
  }

  /** Poll for due messages until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const tick = async () => {
      this.running = this.deliverDue().catch((error: unknown) => this.log.warn(`notification outbox: ${(error as Error).message}`));
      await this.running;
      if (this.started) this.timer = setTimeout(tick, this.pollIntervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stop polling and wait for the delivery in progress, if any. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One pass: attempt every message due now (per target and dedup key in order, different keys in
   * parallel) and record each outcome. Returns how many were delivered.
   */
  async deliverDue(): Promise<number> {
    const now = this.clock();
    const due = await this.store.outboxDue(now, this.batchSize);
    // Several nodes: only messages this worker holds a claim on are sent, and a key's later messages wait behind an
    // earlier one another node holds (docs/scale-out.md ("Notifications once")).
    const claimed = this.store.claimOutbox
      ? await this.store.claimOutbox(
          due.map((m) => m.id),
          this.claimant,
          now + CLAIM_LEASE_MS,
          now,
        )
      : undefined;
    const queues = new Map<string, OutboxMessage[]>();
    const heldElsewhere = new Set<string>();
    for (const message of due) {
      const key = orderKey(message);
      if (heldElsewhere.has(key)) continue;
      if (claimed && !claimed.has(message.id)) {
        heldElsewhere.add(key);
        continue;
      }
      const queue = queues.get(key);
      if (queue) queue.push(message);
      else queues.set(key, [message]);
    }
    const delivered = await Promise.all([...queues.values()].map((queue) => this.deliverInOrder(queue, now)));
    return delivered.reduce((sum, n) => sum + n, 0);
  }

  private async deliverInOrder(queue: OutboxMessage[], now: number): Promise<number> {
    let delivered = 0;
    for (const message of queue) {
      const key = orderKey(message);
      const blocker = this.waitingFor.get(key);
      if (blocker && blocker.id !== message.id) {
        // Wait for the earlier message: become due when it next is, without spending an attempt.
        await this.store.updateOutbox({ ...message, nextAttemptAt: Math.max(blocker.nextAttemptAt, now) });
        continue;
      }
      const outcome = await this.attempt(message);
      if (outcome.deliveredAt !== null) {
        this.waitingFor.delete(key);
        delivered++;
      } else {
        this.waitingFor.set(key, outcome);
        this.log.warn(
          `notification ${message.id} to ${message.target} failed (attempt ${outcome.attempts}): ${outcome.lastError}; ` +
            `next at ${new Date(outcome.nextAttemptAt).toISOString()}`,
        );
      }
      await this.store.updateOutbox(outcome);
    }
    return delivered;
  }

  private async attempt(message: OutboxMessage): Promise<OutboxMessage> {
    const attempts = message.attempts + 1;
    const error = await this.send(message);
    const at = this.clock();
    if (error === null) return { ...message, attempts, deliveredAt: at, lastError: null };
    return { ...message, attempts, nextAttemptAt: at + retryDelay(attempts, this.backoff, this.random()), lastError: error };
  }

  /** POST the message; null on a 2xx, else why it failed. */
  private async send(message: OutboxMessage): Promise<string | null> {
    const target = this.targets.get(message.target);
    if (!target) return `no notification target named '${message.target}' is configured`;
    try {
      const request = requestFor(target, message);
      const response = await this.fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        // An incident goes only where it is configured to go: a redirect is a failed attempt, never followed
        // (docs/alerting.md ("Delivery")).
        redirect: 'manual',
      });
      const text = await response.text();
      if (response.ok) return null;
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location');
        return `HTTP ${response.status}: redirected to ${location ? location.slice(0, ERROR_TEXT_MAX) : '(no Location)'}: not followed`;
      }
      return `HTTP ${response.status}${text ? `: ${text.slice(0, ERROR_TEXT_MAX)}` : ''}`;
    } catch (error) {
      const err = error as Error & { cause?: { code?: string; message?: string } };
      if (err.name === 'TimeoutError') return `no answer within ${this.timeoutMs} ms`;
      const cause = err.cause?.code ?? err.cause?.message;
      return `${err.message}${cause ? ` (${cause})` : ''}`.slice(0, ERROR_TEXT_MAX);
    }
  }
}
