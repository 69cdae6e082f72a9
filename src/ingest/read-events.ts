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

export interface ReadEvents {
  events: JourneyEvent[];
  /** The first MAX_ECHOED_REJECTIONS rejections, by index. */
  rejected: EventRejection[];
  rejectedCount: number;
}

/** Lets the event loop run everything waiting (I/O included) before reading on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  const rejected: EventRejection[] = [];
  let rejectedCount = 0;
  let sinceCheck = 0;
  let sliceStart = performance.now();
  for (const entry of bodyEntries(body, contentType)) {
    if ('invalid' in entry) {
      rejectedCount++;
      if (rejected.length < MAX_ECHOED_REJECTIONS) rejected.push({ index: entry.index, code: 'invalid_json', message: entry.invalid() });
    } else {
      const result = validate(entry.value, entry.index, receivedAt);
      if (result.ok) events.push(result.event);
      else {
        rejectedCount++;
        if (rejected.length < MAX_ECHOED_REJECTIONS) rejected.push(result.rejection);
      }
    }
    if (++sinceCheck === CHECK_EVERY) {
      sinceCheck = 0;
      if (performance.now() - sliceStart >= SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }
  return { events, rejected, rejectedCount };
}
