import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../errors/catalogue.js';
import type { VigilConfig } from '../model/config.js';
import { createEventValidator, MAX_FUTURE_MS } from './validate-event.js';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const DAY = 86_400_000;

const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: { critical: { name: 'critical', objective: 99.99 } },
  services: [],
  journeys: [
    {
      name: 'wire-transfer',
      displayName: 'Wire transfer',
      tier: 'critical',
      steps: [
        { name: 'login', services: ['auth-gateway'], critical: false },
        { name: 'confirm', services: ['payments-api'], critical: true },
      ],
      slos: [],
    },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 1024 * 1024 },
};

const validate = createEventValidator(config, () => NOW);
const base = { journey: 'wire-transfer', outcome: 'success' };
const attributes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

describe('createEventValidator: accepted events', () => {
  it('normalises the docs/api.md ("The event") example', () => {
    const example = {
      id: 'evt-7f3a',
      journey: 'wire-transfer',
      step: 'confirm',
      outcome: 'success',
      latencyMs: 840,
      timestamp: '2026-11-26T10:00:00.250Z',
      attemptId: 'att-91',
      customerId: 'c-42',
      amount: 1200.5,
      currency: 'EUR',
      attributes: { channel: 'mobile' },
    };
    expect(validate(example, 0)).toEqual({ ok: true, event: { ...example, timestamp: NOW + 250 } });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a minimal event, timestamped at receipt', {}, { timestamp: NOW }],
    ['every outcome', { outcome: 'abandoned' }, { outcome: 'abandoned', timestamp: NOW }],
    ['a step', { step: 'login' }, { step: 'login', timestamp: NOW }],
    ['an offset timestamp, in UTC', { timestamp: '2026-11-26T11:00:00+01:00' }, { timestamp: NOW }],
    ['epoch milliseconds, truncated', { timestamp: NOW - 1000.7 }, { timestamp: NOW - 1001 }],
    ['latencyMs 0', { latencyMs: 0 }, { latencyMs: 0, timestamp: NOW }],
    ['a negative amount (a refund)', { amount: -20 }, { amount: -20, timestamp: NOW }],
    ['an id of 200 characters', { id: 'x'.repeat(200) }, { id: 'x'.repeat(200), timestamp: NOW }],
    ['32 attributes', { attributes: attributes(32) }, { attributes: attributes(32), timestamp: NOW }],
    [
      'attribute values of every kind',
      { attributes: { a: 's', b: 1.5, c: false, d: null } },
      { attributes: { a: 's', b: 1.5, c: false, d: null }, timestamp: NOW },
    ],
    [
      'null optional fields, as absent',
      {
        id: null,
        step: null,
        latencyMs: null,
        timestamp: null,
        attemptId: null,
        customerId: null,
        amount: null,
        currency: null,
        attributes: null,
      },
      { timestamp: NOW },
    ],
  ])('accepts %s', (_, fields, expected) => {
    const result = validate({ ...base, ...fields }, 0);
    expect(result).toStrictEqual({ ok: true, event: { ...base, ...expected } });
  });
});

describe('createEventValidator: rejections', () => {
  it.each<[unknown, string, string | RegExp]>([
    ['just a string', 'invalid_event', 'event: expected a JSON object, got "just a string"'],
    [[base], 'invalid_event', 'event: expected a JSON object, got an array'],
    [null, 'invalid_event', 'event: expected a JSON object, got null'],
    [42, 'invalid_event', 'event: expected a JSON object, got 42'],
    [{ outcome: 'success' }, 'invalid_event', 'journey: required; expected a non-empty string'],
    [{ ...base, journey: '' }, 'invalid_event', 'journey: expected a non-empty string, got ""'],
    [{ ...base, journey: 7 }, 'invalid_event', 'journey: expected a non-empty string, got 7'],
    [{ ...base, step: 3 }, 'invalid_event', 'step: expected a string, got 3'],
    [{ journey: 'wire-transfer' }, 'invalid_event', 'outcome: required; expected one of success, failure, rejected, abandoned'],
    [{ ...base, outcome: 'ok' }, 'invalid_event', 'outcome: expected one of success, failure, rejected, abandoned, got "ok"'],
    [{ ...base, latencyMs: 'fast' }, 'invalid_event', 'latencyMs: expected a number ≥ 0, got "fast"'],
    [{ ...base, latencyMs: -1 }, 'invalid_event', 'latencyMs: expected a number ≥ 0, got -1'],
    [
      { ...base, timestamp: '2026-11-26T10:00:00' },
      'invalid_event',
      /^timestamp: expected an RFC 3339 date-time with seconds and a time zone .* got "2026-11-26T10:00:00"$/,
    ],
    [{ ...base, timestamp: '2026-02-29T10:00:00Z' }, 'invalid_event', /^timestamp: expected an RFC 3339/],
    [{ ...base, timestamp: true }, 'invalid_event', /^timestamp: expected .* got true$/],
    [{ ...base, timestamp: {} }, 'invalid_event', /^timestamp: expected .* got an object$/],
    [{ ...base, id: '' }, 'invalid_event', 'id: expected a non-empty string of at most 200 characters, got ""'],
    [
      { ...base, id: 'x'.repeat(201) },
      'invalid_event',
      'id: expected a non-empty string of at most 200 characters, got a string of 201 characters',
    ],
    [{ ...base, id: 17 }, 'invalid_event', /^id: expected/],
    [{ ...base, attemptId: [] }, 'invalid_event', /^attemptId: expected .* got an array$/],
    [{ ...base, customerId: '' }, 'invalid_event', /^customerId: expected/],
    [{ ...base, amount: '12.50' }, 'invalid_event', 'amount: expected a number, got "12.50"'],
    [{ ...base, currency: 'eur' }, 'invalid_event', 'currency: expected an ISO 4217 code of 3 uppercase letters, got "eur"'],
    [{ ...base, currency: 'EURO' }, 'invalid_event', /^currency: expected/],
    [{ ...base, attributes: ['mobile'] }, 'invalid_event', /^attributes: expected an object of at most 32 keys .* got an array$/],
    [{ ...base, attributes: 'mobile' }, 'invalid_event', /^attributes: expected an object/],
    [{ ...base, attributes: attributes(33) }, 'invalid_event', 'attributes: expected at most 32 keys, got 33'],
    [
      { ...base, attributes: { channel: { app: 'ios' } } },
      'invalid_event',
      'attributes.channel: expected a string, number, boolean or null, got an object',
    ],
    [
      { ...base, attributes: { 'user agent': [] } },
      'invalid_event',
      'attributes["user agent"]: expected a string, number, boolean or null, got an array',
    ],
    [{ ...base, latency: 12 }, 'invalid_event', /^latency: unknown field; an event has only id, journey, step, /],
    [{ ...base, 'x-trace': 'a' }, 'invalid_event', /^"x-trace": unknown field/],
    [{ ...base, journey: 'wire' }, 'unknown_journey', 'journey: "wire" is not configured (configured journeys: wire-transfer)'],
    [{ ...base, step: 'confrim' }, 'unknown_step', 'step: "confrim" is not a step of journey "wire-transfer" (its steps: login, confirm)'],
    [{ ...base, step: '' }, 'unknown_step', /^step: "" is not a step/],
    [
      { ...base, timestamp: NOW - 35 * DAY - 1 },
      'too_old',
      /^timestamp: 2026-10-22T09:59:59\.999Z is older than the raw-event retention of 35 days/,
    ],
    [{ ...base, timestamp: Math.floor(NOW / 1000) }, 'too_old', /\(epoch seconds\? numeric timestamps are epoch milliseconds\)$/],
    [
      { ...base, timestamp: NOW + MAX_FUTURE_MS + 1 },
      'in_future',
      'timestamp: 2026-11-26T10:05:00.001Z is more than 5 minutes ahead of the server clock (2026-11-26T10:00:00.000Z)',
    ],
    [{ ...base, timestamp: '2026-11-26T10:05:00.001Z' }, 'in_future', /^timestamp: .* ahead of the server clock/],
    [{ ...base, timestamp: 1e300 }, 'in_future', /^timestamp: 1e\+300 is more than 5 minutes ahead/],
  ])('%j → %s', (value, code, message) => {
    const result = validate(value, 9);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.index).toBe(9);
    expect(result.rejection.code).toBe(code);
    expect(code in ERROR_CATALOGUE).toBe(true);
    if (typeof message === 'string') expect(result.rejection.message).toBe(message);
    else expect(result.rejection.message).toMatch(message);
  });

  it('reports shape errors before configuration errors', () => {
    const result = validate({ journey: 'nope', step: 'nope', outcome: 'success', latencyMs: -5 }, 0);
    expect(result).toMatchObject({ ok: false, rejection: { code: 'invalid_event', message: 'latencyMs: expected a number ≥ 0, got -5' } });
  });

  it('shortens long values in messages', () => {
    const result = validate({ ...base, journey: 'j'.repeat(150) }, 0);
    expect(result).toMatchObject({
      ok: false,
      rejection: {
        code: 'unknown_journey',
        message: `journey: "${'j'.repeat(40)}…" is not configured (configured journeys: wire-transfer)`,
      },
    });
  });
});

describe('createEventValidator: time limits at the exact edges', () => {
  it.each<[string, unknown, boolean]>([
    ['5 minutes ahead', NOW + MAX_FUTURE_MS, true],
    ['5 minutes and 1 ms ahead', NOW + MAX_FUTURE_MS + 1, false],
    ['5 minutes ahead, as text', '2026-11-26T10:05:00.000Z', true],
    ['5 minutes ahead, as text with an offset', '2026-11-26T11:05:00+01:00', true],
    ['exactly at the retention edge', NOW - 35 * DAY, true],
    ['1 ms past the retention edge', NOW - 35 * DAY - 1, false],
    ['the retention edge as text', '2026-10-22T10:00:00Z', true],
    ['1 ms past the retention edge as text', '2026-10-22T09:59:59.999Z', false],
  ])('%s: accepted = %s', (_, timestamp, accepted) => {
    expect(validate({ ...base, timestamp }, 0).ok).toBe(accepted);
  });

  it('reads the clock at each validation, so a long-lived validator follows time', () => {
    let now = NOW;
    const live = createEventValidator(config, () => now);
    const event = { ...base, timestamp: NOW + MAX_FUTURE_MS + 60_000 };
    expect(live(event, 0).ok).toBe(false);
    now += 60_000;
    expect(live(event, 0).ok).toBe(true);
  });

  it('follows the configured retention', () => {
    const short = createEventValidator({ ...config, retention: { rawEventsDays: 1 } }, () => NOW);
    expect(short({ ...base, timestamp: NOW - DAY }, 0).ok).toBe(true);
    expect(short({ ...base, timestamp: NOW - DAY - 1 }, 0)).toMatchObject({
      ok: false,
      rejection: { code: 'too_old', message: expect.stringContaining('retention of 1 day (') },
    });
  });
});
