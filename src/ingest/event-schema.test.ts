import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VigilConfig } from '../model/config.js';
import { OUTCOMES } from '../model/config.js';
import { EVENT_FIELDS, wireEventSchema } from './event-schema.js';
import { createEventValidator } from './validate-event.js';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);

const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'UTC' },
  tiers: { standard: { name: 'standard', objective: 99.9 } },
  services: [],
  journeys: [
    { name: 'login', displayName: 'Log in', tier: 'standard', steps: [{ name: 'password', services: [], critical: false }], slos: [] },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 1024 * 1024 },
};
const validate = createEventValidator(config, () => NOW);

/** Values of the wrong kind for any field. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.constant([]),
  fc.constant({}),
  fc.anything({ maxDepth: 1 }),
);
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Date-times near the RFC 3339 shape: right and wrong parts, so both parsers see their edges. */
const nearTimestamp = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }).map((y) => pad(y, 4)),
      fc.constantFrom('1900', '2000', '2024', '2026', '12026', '26'),
    ),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.constantFrom('T', 'T', 'T', 't', ' '),
    fc.integer({ min: 0, max: 24 }),
    fc.integer({ min: 0, max: 60 }),
    fc.option(fc.integer({ min: 0, max: 61 }), { freq: 8 }),
    fc.constantFrom('', '', '.', '.5', '.250', '.123456789'),
    fc.oneof(
      fc.constantFrom('Z', 'Z', 'z', '', '+0100'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
        .map(([s, h, m]) => `${s}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  )
  .map(
    ([y, mo, d, sep, h, mi, s, frac, zone]) =>
      `${y}-${pad(mo, 2)}-${pad(d, 2)}${sep}${pad(h, 2)}:${pad(mi, 2)}${s === null ? '' : `:${pad(s, 2)}`}${frac}${zone}`,
  );
/** Mostly a right value for the field, sometimes a wrong one close to it, now and then one of the wrong kind. */
const field = <T, U>(right: fc.Arbitrary<T>, wrong: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 20, arbitrary: right }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: junk });
const identifier = field(
  fc.string({ minLength: 1, maxLength: 4 }),
  fc.oneof(fc.constant(''), fc.string({ minLength: 198, maxLength: 202 })),
);
const anyNumber = fc.double();
const attributeValue = field(
  fc.oneof(fc.string({ maxLength: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
  anyNumber,
);
const attributeKey = fc.string({ maxLength: 3 });
const eventFields = {
  id: identifier,
  journey: field(fc.constantFrom('login', 'nope'), fc.constant('')),
  step: field(fc.constantFrom('password', 'nope', ''), fc.integer()),
  outcome: field(fc.constantFrom(...OUTCOMES), fc.constantFrom('ok', 'SUCCESS', 'Success')),
  latencyMs: field(
    fc.oneof(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0)),
    fc.oneof(fc.constant(-1), anyNumber),
  ),
  timestamp: field(
    fc.oneof(nearTimestamp, fc.integer({ min: NOW - 40 * 86_400_000, max: NOW + 600_000 })),
    fc.oneof(anyNumber, nearTimestamp),
  ),
  attemptId: identifier,
  customerId: identifier,
  amount: field(fc.double({ noNaN: true, noDefaultInfinity: true }), anyNumber),
  currency: field(
    fc.constantFrom('EUR', 'GBP', 'USD'),
    fc.oneof(fc.constantFrom('eur', 'EURO', 'E1R', '', 'ÉUR'), fc.string({ maxLength: 4 })),
  ),
  attributes: field(
    fc.dictionary(attributeKey, attributeValue, { maxKeys: 3 }),
    fc.dictionary(attributeKey, attributeValue, { minKeys: 30, maxKeys: 34 }),
  ),
};
/** Journey and outcome are required, so they are mostly there; any field may be missing. */
const eventLike = fc.oneof(
  { weight: 4, arbitrary: fc.record(eventFields, { requiredKeys: ['journey', 'outcome'] }) },
  { weight: 1, arbitrary: fc.record(eventFields, { requiredKeys: [] }) },
);
/** Mostly events with few wrong fields; sometimes an unknown field; sometimes anything at all. */
const candidate = fc.oneof(
  { weight: 6, arbitrary: eventLike },
  {
    weight: 1,
    arbitrary: fc
      .tuple(eventLike, fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 1 }))
      .map(([event, key, value]) => ({ ...event, [key]: value })),
  },
  { weight: 1, arbitrary: fc.anything() },
);

/** The parsed wire event without absent fields, for comparison with the normalised JourneyEvent. */
function present(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key, value]) => value !== null && value !== undefined && key !== 'timestamp'));
}

describe('wireEventSchema and the hand-written validator', () => {
  it('agree on which values have the shape of an event, and on what they hold', () => {
    fc.assert(
      fc.property(candidate, (value) => {
        const schema = wireEventSchema.safeParse(value);
        const result = validate(value, 0);
        const shapeValid = result.ok || result.rejection.code !== 'invalid_event';
        expect(shapeValid, result.ok ? 'validator accepts' : result.rejection.message).toBe(schema.success);
        if (result.ok && schema.success) {
          const { timestamp, ...rest } = result.event;
          expect(rest).toEqual(present(schema.data));
          expect(Number.isInteger(timestamp)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('accept and refuse a good share of the generated values, so the property tests something', () => {
    const sample = fc.sample(candidate, { numRuns: 3000, seed: 42 });
    const accepted = sample.filter((value) => wireEventSchema.safeParse(value).success).length;
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2700);
  });

  it('list the same outcomes and fields', () => {
    expect(wireEventSchema.shape.outcome.options).toEqual([...OUTCOMES]);
    expect(EVENT_FIELDS).toEqual([
      'id',
      'journey',
      'step',
      'outcome',
      'latencyMs',
      'timestamp',
      'attemptId',
      'customerId',
      'amount',
      'currency',
      'attributes',
    ]);
    const unknownField = validate({ journey: 'login', outcome: 'success', extra: 1 }, 0);
    expect(unknownField).toMatchObject({
      ok: false,
      rejection: { message: `extra: unknown field; an event has only ${EVENT_FIELDS.join(', ')}` },
    });
  });
});
