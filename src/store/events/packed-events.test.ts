/** Events packed for the SQLite writer thread come back field for field, absent fields absent, whatever their text. */
import { describe, expect, it } from 'vitest';
import type { JourneyEvent } from '../../model/event.js';
import { packEvents, unpackEvents } from './packed-events.js';

const T = Date.UTC(2026, 10, 26, 10, 0, 0);

describe('packEvents / unpackEvents', () => {
  const cases: Array<{ name: string; event: JourneyEvent; expected: Record<string, unknown> }> = [
    {
      name: 'only the required fields',
      event: { journey: 'pay', outcome: 'success', timestamp: T },
      expected: { journey: 'pay', outcome: 'success', timestamp: T, attributesJson: null },
    },
    {
      name: 'every field, attributes as the JSON text stored',
      event: {
        id: 'e-1',
        journey: 'pay',
        step: 'confirm',
        outcome: 'failure',
        latencyMs: 12.5,
        timestamp: T,
        attemptId: 'a-1',
        customerId: 'c-1',
        amount: 0.1,
        currency: 'EUR',
        attributes: { channel: 'web', n: [1, 2] },
      },
      expected: {
        id: 'e-1',
        journey: 'pay',
        step: 'confirm',
        outcome: 'failure',
        latencyMs: 12.5,
        timestamp: T,
        attemptId: 'a-1',
        customerId: 'c-1',
        amount: 0.1,
        currency: 'EUR',
        attributesJson: '{"channel":"web","n":[1,2]}',
      },
    },
    {
      name: 'empty strings and zeros stay, distinct from absent',
      event: { id: '', journey: 'j', step: '', outcome: 'rejected', latencyMs: 0, timestamp: 0, customerId: '', amount: 0, attributes: {} },
      expected: {
        id: '',
        journey: 'j',
        step: '',
        outcome: 'rejected',
        latencyMs: 0,
        timestamp: 0,
        customerId: '',
        amount: 0,
        attributesJson: '{}',
      },
    },
    {
      name: 'text with NUL, a lone surrogate, emoji and a negative amount',
      event: { id: 'a\u0000b', journey: 'ü\ud800', outcome: 'abandoned', timestamp: -5, attemptId: '😀😀', amount: -12.34 },
      expected: {
        id: 'a\u0000b',
        journey: 'ü\ud800',
        outcome: 'abandoned',
        timestamp: -5,
        attemptId: '😀😀',
        amount: -12.34,
        attributesJson: null,
      },
    },
  ];

  it.each(cases)('$name', ({ event, expected }) => {
    expect(unpackEvents(packEvents([event]))).toStrictEqual([expected]);
  });

  it('keeps each event of a batch in its place (all the cases at once, in both orders)', () => {
    const events = cases.map((c) => c.event);
    expect(unpackEvents(packEvents(events))).toStrictEqual(cases.map((c) => c.expected));
    expect(unpackEvents(packEvents([...events].reverse()))).toStrictEqual(cases.map((c) => c.expected).reverse());
    expect(unpackEvents(packEvents([]))).toStrictEqual([]);
  });
});
