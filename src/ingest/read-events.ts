/** An ingest body read into validated events and coded rejections (docs/api.md ("Ingest")); nothing is stored here. */
import type { EventRejection } from '../api/events.js';
import type { JourneyEvent } from '../model/event.js';
import { parseEventsBody } from './parse-body.js';
import type { EventValidator } from './validate-event.js';

/** Most rejections echoed back in one response; `rejectedCount` always has the true total. */
export const MAX_ECHOED_REJECTIONS = 1000;

export interface ReadEvents {
  events: JourneyEvent[];
  /** The first MAX_ECHOED_REJECTIONS rejections, by index. */
  rejected: EventRejection[];
  rejectedCount: number;
}

/**
 * Parse a body (one object, an array or NDJSON) and validate each item.
 * @example readEvents('{"journey":"login","outcome":"success"}', 'application/json', validate, Date.now())
 */
export function readEvents(body: string, contentType: string | undefined, validate: EventValidator, receivedAt: number): ReadEvents {
  const parsed = parseEventsBody(body, contentType);
  const events: JourneyEvent[] = [];
  const invalid: EventRejection[] = [];
  for (const item of parsed.items) {
    const result = validate(item.value, item.index, receivedAt);
    if (result.ok) events.push(result.event);
    else invalid.push(result.rejection);
  }
  return {
    events,
    rejected: firstByIndex(parsed.rejections, invalid, MAX_ECHOED_REJECTIONS),
    rejectedCount: parsed.rejections.length + invalid.length,
  };
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
