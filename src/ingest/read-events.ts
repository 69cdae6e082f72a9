/** An ingest body read into validated events and coded rejections (docs/api.md ("Ingest")); nothing is stored here. */
import type { EventRejection } from '../api/events.js';
import type { JourneyEvent } from '../model/event.js';
import { bodyEntries } from './parse-body.js';
import type { EventValidator } from './validate-event.js';

/** Most rejections echoed back in one response; `rejectedCount` always has the true total. */
export const MAX_ECHOED_REJECTIONS = 1000;
/** Items read between two checks of the clock. */
const CHECK_EVERY = 256;
/** Longest stretch of reading before the event loop gets a turn (health probes, reads, other requests). */
const SLICE_MS = 10;

export interface ReadEvents extends BodyRejections {
  events: JourneyEvent[];
}

/** Lets the event loop run everything waiting (I/O included) before reading on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The rejections of a body read item by item: the first MAX_ECHOED_REJECTIONS, and the true total. */
export interface BodyRejections {
  /** The first MAX_ECHOED_REJECTIONS rejections, by index. */
  rejected: EventRejection[];
  rejectedCount: number;
}

/**
 * Parse a body (one object, an array or NDJSON) and hand each item to `accept`, which keeps what is valid and returns
 * null, or returns the item's rejection; malformed JSON is rejected as `invalid_json`. Reads in slices of about 10 ms
 * so a large body never blocks the server. Shared by events and signals (docs/api.md ("Ingest"), docs/signals.md).
 */
export async function readBodyItems(
  body: string,
  contentType: string | undefined,
  accept: (value: unknown, index: number) => EventRejection | null,
): Promise<BodyRejections> {
  const rejected: EventRejection[] = [];
  let rejectedCount = 0;
  let sinceCheck = 0;
  let sliceStart = performance.now();
  for (const entry of bodyEntries(body, contentType)) {
    const rejection =
      'invalid' in entry
        ? { index: entry.index, code: 'invalid_json' as const, message: entry.invalid() }
        : accept(entry.value, entry.index);
    if (rejection !== null) {
      rejectedCount++;
      if (rejected.length < MAX_ECHOED_REJECTIONS) rejected.push(rejection);
    }
    if (++sinceCheck === CHECK_EVERY) {
      sinceCheck = 0;
      if (performance.now() - sliceStart >= SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }
  return { rejected, rejectedCount };
}

/**
 * Parse a body (one object, an array or NDJSON) and validate each item, in slices of about 10 ms so a
 * large body never blocks the server. Rejections past MAX_ECHOED_REJECTIONS are only counted.
 * @example await readEvents('{"journey":"login","outcome":"success"}', 'application/json', validate, Date.now())
 */
export async function readEvents(
  body: string,
  contentType: string | undefined,
  validate: EventValidator,
  receivedAt: number,
): Promise<ReadEvents> {
  const events: JourneyEvent[] = [];
  const rejections = await readBodyItems(body, contentType, (value, index) => {
    const result = validate(value, index, receivedAt);
    if (!result.ok) return result.rejection;
    events.push(result.event);
    return null;
  });
  return { events, ...rejections };
}
