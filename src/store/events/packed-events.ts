/**
 * Events as they cross to the SQLite writer thread (docs/storage.md ("Durability")): one string holding every text
 * field end to end and one Float64Array of lengths and numbers, instead of an array of objects. Copying a thousand
 * objects to another thread (structured clone) costs the writer more than inserting them; a string and a typed array
 * cost almost nothing, and cutting the fields back out is cheap. The attributes travel as the JSON text SQLite stores.
 */
import type { JourneyEvent } from '../../model/event.js';

/** An event ready for the SQLite insert: its attributes already as JSON text (null: none) when `attributesJson` is set. */
export type EventToStore = JourneyEvent & { attributesJson?: string | null };

export interface PackedEvents {
  count: number;
  text: string;
  /** Per event: the lengths of its 8 text fields (-1: absent), then latencyMs and amount (NaN: absent), then timestamp. */
  numbers: Float64Array;
}

const PER_EVENT = 11;

/**
 * @example unpackEvents(packEvents([{ journey: 'pay', outcome: 'success', timestamp: 0 }]))
 *   // [{ journey: 'pay', outcome: 'success', timestamp: 0, attributesJson: null }]
 */
export function packEvents(events: readonly JourneyEvent[]): PackedEvents {
  const numbers = new Float64Array(events.length * PER_EVENT);
  const parts: string[] = [];
  let at = 0;
  const text = (value: string | undefined): void => {
    if (value === undefined) numbers[at++] = -1;
    else {
      numbers[at++] = value.length;
      parts.push(value);
    }
  };
  for (const e of events) {
    text(e.id);
    text(e.journey);
    text(e.step);
    text(e.outcome);
    text(e.attemptId);
    text(e.customerId);
    text(e.currency);
    text(e.attributes === undefined ? undefined : JSON.stringify(e.attributes));
    numbers[at++] = e.latencyMs ?? Number.NaN;
    numbers[at++] = e.amount ?? Number.NaN;
    numbers[at++] = e.timestamp;
  }
  return { count: events.length, text: parts.join(''), numbers };
}

export function unpackEvents(packed: PackedEvents): EventToStore[] {
  const { text: all, numbers } = packed;
  const events = new Array<EventToStore>(packed.count);
  let at = 0;
  let offset = 0;
  const text = (): string | undefined => {
    const length = numbers[at++]!;
    if (length < 0) return undefined;
    const value = all.slice(offset, offset + length);
    offset += length;
    return value;
  };
  for (let i = 0; i < packed.count; i++) {
    const id = text();
    const journey = text()!;
    const step = text();
    const outcome = text() as JourneyEvent['outcome'];
    const attemptId = text();
    const customerId = text();
    const currency = text();
    const attributesJson = text() ?? null;
    const latencyMs = numbers[at++]!;
    const amount = numbers[at++]!;
    const event: EventToStore = { journey, outcome, timestamp: numbers[at++]!, attributesJson };
    if (id !== undefined) event.id = id;
    if (step !== undefined) event.step = step;
    if (!Number.isNaN(latencyMs)) event.latencyMs = latencyMs;
    if (attemptId !== undefined) event.attemptId = attemptId;
    if (customerId !== undefined) event.customerId = customerId;
    if (!Number.isNaN(amount)) event.amount = amount;
    if (currency !== undefined) event.currency = currency;
    events[i] = event;
  }
  return events;
}
