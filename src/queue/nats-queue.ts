/**
 * NATS JetStream ingest (docs/nats.md): ingest publishes validated batches to a stream and answers once JetStream
 * has them durably; every node consumes the stream through one shared durable pull consumer into the one append
 * path, acknowledging a batch only after the store committed it. A redelivered batch changes nothing: every
 * event carries an id (the client's, or one given here at publish), and the store skips ids it already has.
 */
import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  type Consumer,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  type JsMsg,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { VigilError } from '../errors/catalogue.js';
import type { JourneyEvent } from '../model/event.js';

/** The durable consumer every node shares: JetStream hands each batch to one of them at a time. */
export const CONSUMER_NAME = 'vigil-ingest';
export const DEFAULT_STREAM = 'VIGIL_EVENTS';
const DEFAULT_ACK_WAIT_MS = 30_000;
const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;
/** JetStream forgets a batch's message id after this: a publisher's retry within it is stored once. */
const DUPLICATE_WINDOW_MS = 120_000;
/**
 * Batches a node pulls at a time, and stores at once: each is stored as it arrives rather than after the one
 * before, so none waits in the node's buffer while its ack wait runs out (docs/nats.md ("Stream and consumer")).
 */
const PULL_BATCH = 8;
/** Room left in a message for the envelope around the events. */
const ENVELOPE_BYTES = 256;
/** How long a batch the store refused waits before JetStream offers it again. */
const RETRY_DELAY_MS = 1_000;
const PENDING_POLL_MS = 2_000;

export interface QueueLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface NatsQueueOptions {
  /** `nats://host:4222` (several servers: comma-separated). */
  url: string;
  /** Stream name (docs/nats.md ("Stream and consumer")); its subject is `<stream>.batches`. */
  stream?: string;
  /** How long JetStream waits for a node's acknowledgement before offering the batch to another. */
  ackWaitMs?: number;
  publishTimeoutMs?: number;
  log: QueueLog;
}

/** What a node consumes into: the one append path (src/app/append-events.ts). */
export interface QueueAppend {
  append(events: readonly JourneyEvent[], receivedAt: number): Promise<{ inserted: readonly boolean[] }>;
}

/** Progress figures for /metrics (docs/nats.md ("Watching it")). */
export interface QueueProgress {
  /** Batches published by this node and confirmed by JetStream. */
  published: number;
  /** Batches this node stored and acknowledged. */
  consumed: number;
  /** Events of those batches that were new to the store. */
  eventsStored: number;
  /** Events of those batches the store already had (a redelivery, or a client's repeat of an id). */
  eventsDuplicate: number;
  /** Batches the store refused; JetStream offers them again. */
  retried: number;
  /** Batches in the stream not yet acknowledged by any node (at the last poll); undefined before the first. */
  pending: number | undefined;
  /** True while the connection to NATS is up. */
  connected: boolean;
}

/** What one message carries: the events of (part of) one ingest body, with the time the body was received. */
interface QueuedBatch {
  receivedAt: number;
  events: JourneyEvent[];
}

/**
 * The events with an id each: a client's id is kept; an event without one gets `<batch id>:<index>`, so that
 * a redelivered batch finds its events already stored (docs/nats.md ("Exactly once")).
 * @example withIds([{ journey: 'a', outcome: 'success', timestamp: 0 }], 'b1') // [{ id: 'b1:0', … }]
 */
export function withIds(events: readonly JourneyEvent[], batchId: string): JourneyEvent[] {
  return events.map((event, index) => (event.id === undefined ? { id: `${batchId}:${index}`, ...event } : event));
}

/**
 * Splits serialised events into message bodies of at most `maxBytes` each, in order.
 * @example chunkBodies(['{"a":1}', '{"b":2}'], 1, 1000) // ['{"receivedAt":1,"events":[{"a":1},{"b":2}]}']
 */
export function chunkBodies(serialised: readonly string[], receivedAt: number, maxBytes: number): string[] {
  const budget = maxBytes - ENVELOPE_BYTES;
  const bodies: string[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) bodies.push(`{"receivedAt":${receivedAt},"events":[${current.join(',')}]}`);
    current = [];
    size = 0;
  };
  for (const event of serialised) {
    const bytes = Buffer.byteLength(event) + 1;
    if (bytes > budget) {
      throw new VigilError(
        'payload_too_large',
        `One event is ${bytes} bytes serialised, more than a NATS message may carry (${maxBytes} bytes, the server's max_payload)`,
      );
    }
    if (size + bytes > budget) flush();
    current.push(event);
    size += bytes;
  }
  flush();
  return bodies;
}

/** The batch a message carries, or undefined when it is not one Vigil published. */
export function decodeBatch(data: Uint8Array): QueuedBatch | undefined {
  try {
    const value = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<QueuedBatch>;
    if (typeof value.receivedAt !== 'number' || !Array.isArray(value.events)) return undefined;
    return { receivedAt: value.receivedAt, events: value.events };
  } catch {
    return undefined;
  }
}

/**
 * The URL(s) as they may be shown: without the user's password or token.
 * @example shownUrl('nats://vigil:secret@host:4222') // 'nats://vigil:***@host:4222'
 */
export function shownUrl(url: string): string {
  return url
    .split(',')
    .map((part) => {
      try {
        const u = new URL(part);
        if (u.password) u.password = '***';
        else if (u.username) u.username = '***';
        return u.href.replace(/\/$/, '');
      } catch {
        return part;
      }
    })
    .join(',');
}

function unavailable(url: string, what: string, cause: unknown): VigilError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new VigilError('queue_unavailable', `NATS JetStream at ${shownUrl(url)}: ${what} (${reason})`, { cause });
}

/**
 * One node's link to the ingest stream.
 * @example
 * const queue = await NatsQueue.open({ url: 'nats://127.0.0.1:4222', log });
 * queue.startConsuming(runtime.append);
 * await queue.publish(events, Date.now()); // resolves once JetStream has them durably
 */
export class NatsQueue {
  readonly stream: string;
  readonly subject: string;
  private readonly progress: Omit<QueueProgress, 'connected'> = {
    published: 0,
    consumed: 0,
    eventsStored: 0,
    eventsDuplicate: 0,
    retried: 0,
    pending: undefined,
  };
  private messages: ConsumerMessages | undefined;
  private consuming: Promise<void> | undefined;
  private pendingTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Between a `disconnect` and a `reconnect` status of the connection: false. */
  private up = true;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: NatsQueueOptions & { stream: string },
  ) {
    this.stream = options.stream;
    this.subject = `${options.stream}.batches`;
  }

  /**
   * Connect, and create or update the stream and the shared consumer. Throws queue_unavailable when NATS
   * cannot be reached or has no JetStream.
   */
  static async open(options: NatsQueueOptions): Promise<NatsQueue> {
    const stream = options.stream ?? DEFAULT_STREAM;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: options.url.split(','),
        name: 'vigil',
        timeout: 5_000,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
      });
    } catch (cause) {
      throw unavailable(options.url, 'cannot connect; is nats-server running?', cause);
    }
    try {
      const jsm = await jetstreamManager(nc, { timeout: 5_000 });
      const queue = new NatsQueue(nc, jetstream(nc), jsm, { ...options, stream });
      await queue.declare();
      queue.watchStatus();
      return queue;
    } catch (cause) {
      await nc.close().catch(() => {});
      if (cause instanceof VigilError) throw cause;
      throw unavailable(options.url, `cannot set up stream ${stream}; is JetStream enabled (nats-server -js)?`, cause);
    }
  }

  /** The stream (file storage, work-queue retention) and the durable consumer, created or brought to these settings. */
  private async declare(): Promise<void> {
    const streamConfig = {
      name: this.stream,
      subjects: [this.subject],
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    };
    const existing = await this.jsm.streams.info(this.stream).catch(() => undefined);
    if (existing)
      await this.jsm.streams.update(this.stream, { subjects: streamConfig.subjects, duplicate_window: streamConfig.duplicate_window });
    else await this.jsm.streams.add(streamConfig);
    const ackWait = nanos(this.options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS);
    const consumer = await this.jsm.consumers.info(this.stream, CONSUMER_NAME).catch(() => undefined);
    if (consumer) await this.jsm.consumers.update(this.stream, CONSUMER_NAME, { ack_wait: ackWait, max_deliver: -1 });
    else {
      await this.jsm.consumers.add(this.stream, {
        durable_name: CONSUMER_NAME,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: ackWait,
        // Never give up on a batch: JetStream acknowledged it to a client, so it must reach the store.
        max_deliver: -1,
      });
    }
  }

  private watchStatus(): void {
    void (async () => {
      for await (const status of this.nc.status()) {
        if (status.type === 'disconnect') this.up = false;
        if (status.type === 'reconnect') this.up = true;
        if (status.type === 'disconnect')
          this.options.log.warn(`NATS: disconnected from ${shownUrl(this.options.url)}; ingest answers 503 until it is back`);
        if (status.type === 'reconnect') this.options.log.info(`NATS: reconnected to ${shownUrl(this.options.url)}`);
      }
    })().catch(() => {});
  }

  /** True while connected to NATS. */
  get connected(): boolean {
    return this.up && !this.nc.isClosed();
  }

  progressNow(): QueueProgress {
    return { ...this.progress, connected: this.connected };
  }

  /**
   * Publish validated events and resolve once JetStream confirmed every part durably; the result has one
   * `true` per event (duplicates are found when a node consumes the batch, docs/nats.md ("Exactly once")).
   * Throws queue_unavailable when NATS does not confirm in time, payload_too_large for an event bigger than a message.
   */
  async append(events: readonly JourneyEvent[], receivedAt: number): Promise<{ inserted: boolean[] }> {
    const batchId = randomUUID();
    const bodies = chunkBodies(
      withIds(events, batchId).map((e) => JSON.stringify(e)),
      receivedAt,
      this.nc.info?.max_payload ?? 1_048_576,
    );
    const timeout = this.options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    try {
      await Promise.all(
        bodies.map((body, part) => this.js.publish(this.subject, body, { msgID: `${batchId}.${part}`, timeout, retries: 2 })),
      );
    } catch (cause) {
      throw unavailable(this.options.url, 'the batch was not confirmed, so it is not acknowledged; send it again', cause);
    }
    this.progress.published += bodies.length;
    return { inserted: events.map(() => true) };
  }

  /** Consume the stream into `sink` until close(); a batch is acknowledged only after `sink` stored it. */
  startConsuming(sink: QueueAppend): void {
    if (this.consuming) return;
    this.consuming = this.consumeLoop(sink);
    this.pendingTimer = setInterval(() => void this.pollPending(), PENDING_POLL_MS);
    this.pendingTimer.unref();
    void this.pollPending();
  }

  private async pollPending(): Promise<void> {
    try {
      const info = await this.jsm.consumers.info(this.stream, CONSUMER_NAME);
      this.progress.pending = info.num_pending + info.num_ack_pending;
    } catch {
      // NATS unreachable: the figure stays at its last value; `connected` says why.
    }
  }

  private async consumeLoop(sink: QueueAppend): Promise<void> {
    while (!this.stopping) {
      try {
        const consumer: Consumer = await this.js.consumers.get(this.stream, CONSUMER_NAME);
        this.messages = await consumer.consume({ max_messages: PULL_BATCH });
        const storing = new Set<Promise<void>>();
        try {
          for await (const message of this.messages) {
            const work = this.handle(message, sink).finally(() => storing.delete(work));
            storing.add(work);
            if (storing.size >= PULL_BATCH) await Promise.race(storing);
            if (this.stopping) break;
          }
        } finally {
          await Promise.all(storing);
        }
      } catch (error) {
        if (this.stopping) break;
        this.options.log.warn(`NATS: consuming ${this.stream} failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  /** Store one batch, then acknowledge it; a refused store leaves it to JetStream to offer again. */
  private async handle(message: JsMsg, sink: QueueAppend): Promise<void> {
    const batch = decodeBatch(message.data);
    if (!batch) {
      this.options.log.warn(`NATS: message ${message.seq} on ${message.subject} is not a Vigil batch; dropped`);
      message.term('not a Vigil batch');
      return;
    }
    let result: { inserted: readonly boolean[] };
    // While the store works on it, tell JetStream the batch is in hand, so a slow commit is not redelivered meanwhile.
    const ackWaitMs = this.options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    const inHand = setInterval(() => message.working(), Math.max(200, ackWaitMs / 3));
    try {
      result = await sink.append(batch.events, batch.receivedAt);
    } catch (error) {
      this.progress.retried++;
      this.options.log.warn(
        `NATS: storing batch ${message.seq} failed; JetStream offers it again: ${error instanceof Error ? error.message : String(error)}`,
      );
      message.nak(RETRY_DELAY_MS);
      return;
    } finally {
      clearInterval(inHand);
    }
    message.ack();
    this.progress.consumed++;
    for (const inserted of result.inserted) {
      if (inserted) this.progress.eventsStored++;
      else this.progress.eventsDuplicate++;
    }
  }

  /** Stop consuming (the batch being stored is finished and acknowledged first), then close the connection. */
  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.pendingTimer) clearInterval(this.pendingTimer);
    this.messages?.stop();
    await this.consuming;
    // Draining flushes what is left to send; while NATS is away it would wait for it, so it gets 5 s, then the connection closes.
    let timer: NodeJS.Timeout | undefined;
    const drained = this.nc.drain().then(
      () => true,
      () => false,
    );
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), 5_000);
    });
    if (!(await Promise.race([drained, late]))) await this.nc.close().catch(() => {});
    clearTimeout(timer);
  }
}
