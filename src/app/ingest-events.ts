/** The event ingest use case (docs/api.md ("Ingest")): body → validated events → the one append path. */
import type { IngestResponse } from '../api/events.js';
import { readEvents } from '../ingest/read-events.js';
import { createEventValidator, type EventValidator } from '../ingest/validate-event.js';
import type { VigilConfig } from '../model/config.js';
import type { EventWriter } from './append-events.js';

export { MAX_ECHOED_REJECTIONS } from '../ingest/read-events.js';

/**
 * What an ingest answers. `status` is the HTTP status (200 when at least one event was valid,
 * duplicates included; 400 otherwise) and is not part of the response body; the rest is.
 */
export interface IngestResult extends IngestResponse {
  status: 200 | 400;
}

export interface EventIngestorOptions {
  config: VigilConfig;
  /** The append path the valid events go through. */
  append: EventWriter;
  /** Epoch milliseconds; the server's notion of now (receipt time, default timestamps, time limits). */
  clock: () => number;
}

/**
 * Turns ingest bodies into stored events.
 * @example
 * const ingestor = new EventIngestor({ config, append, clock: Date.now });
 * const { status, ...body } = await ingestor.ingest(rawBody, request.headers['content-type']);
 * reply.code(status).send(body);
 */
export class EventIngestor {
  private readonly appendPath: EventWriter;
  private readonly clock: () => number;
  private readonly validate: EventValidator;

  constructor(options: EventIngestorOptions) {
    this.appendPath = options.append;
    this.clock = options.clock;
    this.validate = createEventValidator(options.config, options.clock);
  }

  /**
   * Parse, validate and store one body. Valid events are stored in one append even when others are
   * rejected; the promise resolves once they are durable, and rejects (storing nothing) when the
   * store fails.
   */
  async ingest(body: string, contentType: string | undefined): Promise<IngestResult> {
    const receivedAt = this.clock();
    const { events, rejected, rejectedCount } = await readEvents(body, contentType, this.validate, receivedAt);
    if (events.length === 0) return { status: 400, accepted: 0, duplicates: 0, rejected, rejectedCount };
    const appended = await this.appendPath.append(events, receivedAt);
    let accepted = 0;
    for (const inserted of appended.inserted) if (inserted) accepted++;
    return { status: 200, accepted, duplicates: events.length - accepted, rejected, rejectedCount };
  }
}
