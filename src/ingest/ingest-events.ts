/** The event ingest service (SPEC §3.2): body → parsed items → validated events → one durable store append. */
import type { SliDefinition } from '../engine/sli.js';
import { sliDefinitions } from '../engine/sli.js';
import type { VigilConfig } from '../model/config.js';
import type { EventRejection, IngestSummary, JourneyEvent } from '../model/event.js';
import type { AppendResult, EventStore } from '../store/store.js';
import { parseEventsBody } from './parse-body.js';
import type { EventValidator } from './validate-event.js';
import { createEventValidator } from './validate-event.js';

/** Most rejections echoed back in one response; `rejectedCount` always has the true total. */
export const MAX_ECHOED_REJECTIONS = 1000;

/**
 * What an ingest answers. `status` is the HTTP status (200 when at least one event was valid,
 * duplicates included; 400 otherwise) and is not part of the response body; the rest is.
 */
export interface IngestResult extends IngestSummary {
  status: 200 | 400;
  /** All rejections of the body; `rejected` holds the first MAX_ECHOED_REJECTIONS of them by index. */
  rejectedCount: number;
}

/** The one store method ingest needs; any Store backend provides it. */
export type EventAppender = Pick<EventStore, 'appendEvents'>;

export interface EventIngestorOptions {
  config: VigilConfig;
  store: EventAppender;
  /** Epoch milliseconds; the server's notion of now (receipt time, default timestamps, time limits). */
  clock: () => number;
  /**
   * Called with each append's result once the store has made it durable, e.g. to update in-memory
   * aggregates. It must not throw: the events are already stored when it runs.
   */
  onAppended?: (result: AppendResult) => void;
}

/**
 * Turns ingest bodies into stored events.
 * @example
 * const ingestor = new EventIngestor({ config, store, clock: Date.now });
 * const { status, ...body } = await ingestor.ingest(rawBody, request.headers['content-type']);
 * reply.code(status).send(body);
 */
export class EventIngestor {
  private readonly store: EventAppender;
  private readonly clock: () => number;
  private readonly onAppended: ((result: AppendResult) => void) | undefined;
  private readonly validate: EventValidator;
  /** The configuration is fixed for the life of the process, so its SLI definitions are too. */
  private readonly slis: readonly SliDefinition[];

  constructor(options: EventIngestorOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.onAppended = options.onAppended;
    this.validate = createEventValidator(options.config, options.clock);
    this.slis = sliDefinitions(options.config.journeys);
  }

  /**
   * Parse, validate and store one body. Valid events are stored in one append even when others are
   * rejected; the promise resolves once they are durable, and rejects (storing nothing) when the
   * store fails.
   */
  async ingest(body: string, contentType: string | undefined): Promise<IngestResult> {
    const receivedAt = this.clock();
    const parsed = parseEventsBody(body, contentType);
    const events: JourneyEvent[] = [];
    const invalid: EventRejection[] = [];
    for (const item of parsed.items) {
      const result = this.validate(item.value, item.index, receivedAt);
      if (result.ok) events.push(result.event);
      else invalid.push(result.rejection);
    }
    const rejectedCount = parsed.rejections.length + invalid.length;
    const rejected = firstByIndex(parsed.rejections, invalid, MAX_ECHOED_REJECTIONS);
    if (events.length === 0) return { status: 400, accepted: 0, duplicates: 0, rejected, rejectedCount };

    const appended = await this.store.appendEvents(events, this.slis, receivedAt);
    let accepted = 0;
    for (const inserted of appended.inserted) if (inserted) accepted++;
    this.onAppended?.(appended);
    return { status: 200, accepted, duplicates: events.length - accepted, rejected, rejectedCount };
  }
}

/** The first `limit` rejections of two lists that are each ascending by index, merged in index order. */
function firstByIndex(a: readonly EventRejection[], b: readonly EventRejection[], limit: number): EventRejection[] {
  const merged: EventRejection[] = [];
  let i = 0;
  let j = 0;
  while (merged.length < limit && (i < a.length || j < b.length)) {
    const next = j >= b.length || (i < a.length && a[i]!.index <= b[j]!.index) ? a[i++]! : b[j++]!;
    merged.push(next);
  }
  return merged;
}
