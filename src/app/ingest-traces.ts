/**
 * The trace ingest use case (docs/opentelemetry.md): an OTLP/HTTP body → spans → journey events, checked by the
 * same validator as `POST /api/v1/events` and stored through the one append path, so a span becomes exactly the
 * event a client could have posted. Spans of no journey are counted, not stored.
 */
import { DEFAULT_OTEL, type VigilConfig } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import { createEventValidator, type EventValidator } from '../ingest/validate-event.js';
import { type OtlpEncoding, readTraceSpans } from '../ingest/otlp/read-traces.js';
import { createSpanMapper, type SpanOutcome } from '../ingest/otlp/span-events.js';
import type { OtlpSpan } from '../ingest/otlp/traces.js';
import type { EventWriter } from './append-events.js';

/** Most rejections kept (for the answer's error message); `rejectedCount` has the true total. */
export const MAX_KEPT_SPAN_REJECTIONS = 10;

export interface SpanRejection {
  spanId: string;
  name: string;
  code: string;
  message: string;
}

/** What one export did; spans = accepted + duplicates + rejectedCount + unmatched. */
export interface TraceIngestResult {
  spans: number;
  /** Events stored by this export. */
  accepted: number;
  /** Events whose span was stored before (a redelivery), or repeated in the export. */
  duplicates: number;
  /** Spans that map to no journey (or are a step-less child span): not stored, not refused. */
  unmatched: number;
  /** The first MAX_KEPT_SPAN_REJECTIONS refused spans. */
  rejected: SpanRejection[];
  rejectedCount: number;
}

/** The body is not an export request at all: nothing of it was stored. */
export type TraceIngestFailure = { ok: false; code: 'invalid_json' | 'invalid_otlp'; message: string };

export interface TraceIngestorOptions {
  config: VigilConfig;
  append: EventWriter;
  /** Epoch milliseconds; the server's now (receipt time and the time limits of events). */
  clock: () => number;
}

/**
 * Turns OTLP trace exports into stored events.
 * @example
 * const traces = new TraceIngestor({ config, append, clock: Date.now });
 * const result = await traces.ingest(bytes, 'protobuf'); // { ok: true, spans: 4, accepted: 3, unmatched: 1, … }
 */
export class TraceIngestor {
  private readonly appendPath: EventWriter;
  private readonly clock: () => number;
  private readonly validate: EventValidator;
  private readonly map: (span: OtlpSpan) => SpanOutcome;

  constructor(options: TraceIngestorOptions) {
    this.appendPath = options.append;
    this.clock = options.clock;
    this.validate = createEventValidator(options.config, options.clock);
    this.map = createSpanMapper(options.config.otel ?? DEFAULT_OTEL);
  }

  /**
   * Decode, map, validate and store one export. Valid events are stored in one append even when other spans are
   * refused; the promise resolves once they are durable, and rejects (storing nothing) when the store fails.
   */
  async ingest(body: Uint8Array, encoding: OtlpEncoding): Promise<({ ok: true } & TraceIngestResult) | TraceIngestFailure> {
    const receivedAt = this.clock();
    const events: JourneyEvent[] = [];
    const rejected: SpanRejection[] = [];
    let rejectedCount = 0;
    let unmatched = 0;
    const refuse = (span: OtlpSpan, code: string, message: string) => {
      rejectedCount++;
      if (rejected.length < MAX_KEPT_SPAN_REJECTIONS) rejected.push({ spanId: span.spanId, name: span.name, code, message });
    };
    const read = await readTraceSpans(body, encoding, (span) => {
      const mapped = this.map(span);
      if (mapped.kind === 'unmatched') unmatched++;
      else if (mapped.kind === 'rejected') refuse(span, mapped.code, mapped.message);
      else {
        const checked = this.validate(mapped.value, events.length, receivedAt);
        if (checked.ok) events.push(checked.event);
        else refuse(span, checked.rejection.code, checked.rejection.message);
      }
    });
    if (!read.ok) return read;
    let accepted = 0;
    if (events.length > 0) {
      const appended = await this.appendPath.append(events, receivedAt);
      for (const inserted of appended.inserted) if (inserted) accepted++;
    }
    return { ok: true, spans: read.spans, accepted, duplicates: events.length - accepted, unmatched, rejected, rejectedCount };
  }
}
