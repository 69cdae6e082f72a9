/**
 * The value endpoint over a real SQLite store and a real server: a hand-computed month of card payments, its direct
 * and abandonment figures, elasticity null for lack of history, the sentence, and the query's errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JourneyValueResponse } from '../../api/value.js';
import type { VigilConfig } from '../../model/config.js';
import { buildServer } from '../../server/app.js';
import { openStore } from '../../store/open.js';
import { vigilApi } from '../api.js';
import { VigilRuntime } from '../runtime.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const T = Date.parse('2026-11-26T08:00:00Z');
const MIN = 60_000;
const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: { critical: { name: 'critical', objective: 99.9 } },
  services: [],
  journeys: [
    {
      name: 'card-payment',
      displayName: 'Card payment',
      tier: 'critical',
      value: { currency: 'GBP', revenuePerSuccess: 2.5 },
      steps: [{ name: 'authorise', services: [], critical: true }],
      slos: [],
    },
    {
      name: 'statements',
      displayName: 'Statements',
      tier: 'critical',
      steps: [
        { name: 'open', services: [], critical: false },
        { name: 'render', services: [], critical: false },
      ],
      slos: [],
    },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 10_000_000 },
};

const at = (minutes: number) => new Date(T + minutes * MIN).toISOString();
const pay = (outcome: string, minutes: number, customerId?: string) => ({
  journey: 'card-payment',
  outcome,
  timestamp: at(minutes),
  ...(customerId ? { customerId } : {}),
});
// 4 failures: a recovers after 10 min; b retries too late (31 min); c never; one without a customer. 20 successes, 1 rejected.
const events = [
  pay('failure', 0, 'a'),
  pay('success', 10, 'a'),
  pay('failure', 0, 'b'),
  pay('success', 31, 'b'),
  pay('failure', 5, 'c'),
  pay('failure', 6),
  pay('rejected', 7, 'd'),
  ...Array.from({ length: 18 }, (_, i) => pay('success', 40 + i, `s${i}`)),
  { journey: 'statements', step: 'render', outcome: 'failure', timestamp: at(1), customerId: 'z' },
  { journey: 'statements', step: 'open', outcome: 'success', timestamp: at(1), customerId: 'z' },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-value-'));
let runtime: VigilRuntime;
let app: Awaited<ReturnType<typeof buildServer>>;
beforeAll(async () => {
  runtime = await VigilRuntime.start({ config, store: await openStore(path.join(dir, 'v.db')), clock: () => NOW });
  expect((await runtime.ingestor.ingest(JSON.stringify(events), 'application/json')).accepted).toBe(events.length);
  app = await buildServer({ api: vigilApi(runtime) });
});
afterAll(async () => {
  await app.close();
  await runtime.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /api/v1/journeys/{journey}/value', () => {
  it('values a hand-computed period: direct 4 × £2.50, abandonment 3 unrecovered, elasticity null', async () => {
    const { status, body } = await get('/api/v1/journeys/card-payment/value?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(status).toBe(200);
    const v = body as JourneyValueResponse;
    expect(v).toMatchObject({
      journey: 'card-payment',
      currency: 'GBP',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      step: null,
      attempts: 25,
      failures: 4,
      successRate: 20 / 24,
      baselineSuccessRate: null,
    });
    expect(v.methods.direct).toEqual({ failures: 4, lost: [{ amount: 10, currency: 'GBP' }] });
    expect(v.methods.abandonment).toEqual({
      lost: [{ amount: 7.5, currency: 'GBP' }],
      unrecovered: 3,
      recovered: 1,
      retryWindow: '30m',
      classified: 4,
      sampled: false,
    });
    expect(v.methods.elasticity).toBeNull();
    expect(v.reasons).toEqual({ elasticity: 'history too short: 0 days before the period, 14 needed' });
    expect(v.range).toEqual([{ currency: 'GBP', low: 7.5, high: 10 }]);
    expect(v.statement).toBe(
      'Card payment failures (16.00% of attempts) cost between £7.50 and £10 in November 2026 (direct £10, abandonment £7.50, elasticity: not enough history).',
    );
    expect(v.hours).toHaveLength(30 * 24);
    expect(v.hours[25 * 24 + 8]).toEqual({
      at: '2026-11-26T08:00:00.000Z',
      attempts: 25,
      baseline: null,
      successRate: 20 / 24,
      degraded: false,
    });
  });

  it('measures the last step of a journey that sends no whole-journey events, and says why a journey without value has none', async () => {
    const { body } = await get('/api/v1/journeys/statements/value?from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z');
    const v = body as JourneyValueResponse;
    expect(v).toMatchObject({ step: 'render', attempts: 1, failures: 1, currency: null, range: [] });
    expect(v.methods).toEqual({ direct: null, abandonment: null, elasticity: null });
    expect(v.reasons.direct).toBe('the journey has no value configured (vigil.yaml journeys[].value)');
    expect(v.statement).toBe('No value could be put on statements failures from 26 to 26 November 2026: no method had what it needs.');
  });

  it('defaults to the last 30 days, aligned to whole hours', async () => {
    const { body } = await get('/api/v1/journeys/card-payment/value');
    expect(body).toMatchObject({ from: '2026-10-27T10:00:00.000Z', to: '2026-11-26T11:00:00.000Z', failures: 4 });
  });

  it('refuses an unknown journey, a reversed or too long period', async () => {
    expect((await get('/api/v1/journeys/nope/value')).body.error.code).toBe('journey_not_found');
    expect((await get('/api/v1/journeys/card-payment/value?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z')).status).toBe(400);
    const long = await get('/api/v1/journeys/card-payment/value?from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(long.body.error).toMatchObject({ code: 'invalid_query', message: 'from and to span more than 92 days' });
  });
});
