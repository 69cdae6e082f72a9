/**
 * GET /api/v1/retention on a real SQLite store and a real PostgreSQL store (docs/retention.md): six customers whose
 * cohorts are counted by hand, months and ISO weeks cut in Europe/Berlin (events either side of local midnight), the
 * incomplete last period, the partial-history flag, the reading and the query's errors.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionResponse } from '../../api/retention.js';
import type { VigilConfig } from '../../model/config.js';
import { buildServer } from '../../server/app.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { normalTail } from '../../value/stats.js';
import { vigilApi } from '../api.js';
import { VigilRuntime } from '../runtime.js';
import { periodToRead, retention } from './retention.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/Berlin' },
  tiers: { critical: { name: 'critical', objective: 99.9 } },
  services: [],
  journeys: [
    {
      name: 'card-payment',
      displayName: 'Card payment',
      tier: 'critical',
      steps: [{ name: 'authorise', services: [], critical: true }],
      slos: [],
    },
    { name: 'login', displayName: 'Login', tier: 'critical', steps: [], slos: [] },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 400 },
  ingest: { maxBodyBytes: 10_000_000 },
};

const card = (customerId: string | undefined, outcome: string, timestamp: string, step?: string) => ({
  journey: 'card-payment',
  outcome,
  timestamp,
  ...(customerId !== undefined && { customerId }),
  ...(step && { step }),
});
const login = (customerId: string, timestamp: string) => ({ journey: 'login', outcome: 'success', timestamp, customerId });

// Berlin: October runs 2026-09-30T22:00Z → 2026-10-31T23:00Z (summer time ends 25 October), November to 2026-11-30T23:00Z.
const events = [
  // c1: card success in October (Saturday of ISO week 41), back on login in week 42 and in November.
  card('c1', 'success', '2026-10-10T12:00:00Z'),
  login('c1', '2026-10-13T09:00:00Z'),
  login('c1', '2026-11-05T09:00:00Z'),
  // c2: a failure at 23:30 Berlin on 30 September (September, not October); a success on Monday 12 October 00:30 Berlin (week 42).
  card('c2', 'failure', '2026-09-30T21:30:00Z'),
  card('c2', 'success', '2026-10-11T22:30:00Z'),
  // c3: a success in October; its next event is 00:30 Berlin on 1 November: November, so retained (and active in November).
  card('c3', 'success', '2026-10-12T10:00:00Z'),
  card('c3', 'success', '2026-10-31T23:30:00Z'),
  // c4: one failure in October (week 40), back in November.
  card('c4', 'failure', '2026-10-03T10:00:00Z'),
  card('c4', 'success', '2026-11-20T10:00:00Z'),
  // c5: two failures (one at a step) on Monday 5 October 00:30 Berlin (week 41, still Sunday in UTC); never back.
  card('c5', 'failure', '2026-10-04T22:30:00Z'),
  card('c5', 'failure', '2026-10-04T22:31:00Z', 'authorise'),
  // c6: five failures at 00:30 Berlin on 1 October (October); its next event is 00:30 Berlin on 1 December: not November.
  ...[0, 1, 2, 3, 4].map((i) => card('c6', 'failure', `2026-09-30T22:3${i}:00Z`)),
  login('c6', '2026-11-30T23:30:00Z'),
  // A failure without a customer is nobody's.
  card(undefined, 'failure', '2026-10-15T10:00:00Z'),
];

describe('periodToRead', () => {
  const NOV_20 = Date.parse('2026-11-20T00:00:00Z');
  const p = (label: string, complete: boolean, end: string, difference: number | null) => ({ label, complete, end, difference });
  it.each([
    [
      'the latest complete period with both cohorts',
      [p('09', true, '2026-10-01T00:00:00Z', -0.1), p('10', true, '2026-11-01T00:00:00Z', 0.02)],
      '10',
    ],
    [
      'a complete period before an incomplete one',
      [p('09', true, '2026-10-01T00:00:00Z', -0.1), p('10', false, '2026-11-01T00:00:00Z', -0.2)],
      '09',
    ],
    [
      'a complete period without both cohorts is skipped',
      [p('09', true, '2026-10-01T00:00:00Z', -0.1), p('10', true, '2026-11-01T00:00:00Z', null)],
      '09',
    ],
    [
      'no complete one: the latest whose next has begun',
      [p('10', false, '2026-11-01T00:00:00Z', -0.2), p('11', false, '2026-12-01T00:00:00Z', 0)],
      '10',
    ],
    ['a next period beginning exactly now has begun', [p('10', false, '2026-11-20T00:00:00Z', -0.2)], '10'],
    ['no next period has begun', [p('11', false, '2026-12-01T00:00:00Z', 0)], undefined],
    ['nothing with both cohorts', [p('10', false, '2026-11-01T00:00:00Z', null)], undefined],
  ])('%s', (_, periods, expected) => {
    expect(periodToRead(periods, NOV_20)?.label).toBe(expected);
  });
});

const backends: Array<{ name: string; open: () => Promise<{ store: Store; cleanup: () => Promise<void> }> }> = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-retention-'));
      return { store: await openStore(path.join(dir, 'r.db')), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
const url = process.env.VIGIL_TEST_DATABASE_URL;
if (url) {
  backends.push({
    name: 'postgres',
    open: async () => {
      const admin = new pg.Pool({ connectionString: url, max: 1 });
      const schema = `vigil_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE SCHEMA ${schema}`);
      return {
        store: await openStore(url, { schema, maxConnections: 4 }),
        cleanup: async () => {
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.end();
        },
      };
    },
  });
} else if (process.env.CI === 'true') {
  it('has a PostgreSQL database to test against', () => {
    throw new Error('CI must provide VIGIL_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  });
}

describe.each(backends)('GET /api/v1/retention on $name', ({ open }) => {
  let runtime: VigilRuntime;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const opened = await open();
    cleanup = opened.cleanup;
    runtime = await VigilRuntime.start({ config, store: opened.store, clock: () => NOW });
    expect((await runtime.ingestor.ingest(JSON.stringify(events), 'application/json')).accepted).toBe(events.length);
    app = await buildServer({ api: vigilApi(runtime) });
  });
  afterAll(async () => {
    await app.close();
    await runtime.close();
    await cleanup();
  });

  const get = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/retention?${query}` });
    return { status: res.statusCode, body: res.json() };
  };

  it('counts October by hand in Berlin: exposed c4 c5 c6 (1 of 3 back), unexposed c1 c2 c3 (2 of 3 back)', async () => {
    const { status, body } = await get('journey=card-payment&period=month&from=2026-10-15T00:00:00Z&to=2026-11-15T00:00:00Z');
    expect(status).toBe(200);
    const r = RetentionResponse.parse(body);
    expect(r).toMatchObject({ journey: 'card-payment', displayName: 'Card payment', period: 'month', timezone: 'Europe/Berlin' });
    expect(r.periods.map((p) => [p.period, p.start, p.end, p.nextEnd, p.complete])).toEqual([
      ['2026-10', '2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z', true],
      ['2026-11', '2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z', false],
    ]);
    const oct = r.periods[0]!;
    // Wilson, n 3, z² 3.841459: 1/3 → centre 0.42692 ± 0.36542; 2/3 → 0.57308 ± 0.36542.
    expect(oct.exposed).toMatchObject({ customers: 3, retained: 1, rate: 1 / 3 });
    expect(oct.exposed.low).toBeCloseTo(0.0615, 4);
    expect(oct.exposed.high).toBeCloseTo(0.7923, 4);
    expect(oct.unexposed).toMatchObject({ customers: 3, retained: 2, rate: 2 / 3 });
    expect(oct.unexposed.low).toBeCloseTo(0.2077, 4);
    expect(oct.unexposed.high).toBeCloseTo(0.9385, 4);
    expect(oct.difference).toBeCloseTo(-1 / 3, 12);
    expect(oct.relativeRisk).toBeCloseTo(0.5, 12);
    // Pooled 3/6: SE √(0.25 · (1/3 + 1/3)) = 0.408248, z = −0.816497, p = 2·P(Z > 0.816497) = 0.41422.
    expect(oct.pValue).toBeCloseTo(2 * normalTail(Math.sqrt(2 / 3)), 12);
    expect(oct.pValue).toBeCloseTo(0.41422, 5);
    expect(oct.byFailures.map((b) => [b.failures, b.customers, b.retained, b.rate])).toEqual([
      ['0', 3, 2, 2 / 3],
      ['1', 1, 1, 1],
      ['2-3', 1, 0, 0],
      ['4+', 1, 0, 0],
    ]);
    expect(oct.byFailures[1]).toMatchObject({ high: 1 });
    expect(oct.byFailures[2]).toMatchObject({ low: 0 });
    // November so far: c3 (from 00:30 on the 1st) and c4, no failures; nobody back yet, and December has not ended.
    const nov = r.periods[1]!;
    expect(nov.exposed).toEqual({ customers: 0, retained: 0, rate: null, low: null, high: null });
    expect(nov.unexposed).toMatchObject({ customers: 2, retained: 0, rate: 0 });
    expect([nov.difference, nov.relativeRisk, nov.pValue]).toEqual([null, null, null]);
    expect(r.reading).toBe(
      'Customers who met a card-payment failure in October 2026 were 33.3 points less likely to be active in November 2026, ' +
        'a difference chance alone could explain (p = 0.41).',
    );
  });

  it('cuts ISO weeks at Monday midnight in Berlin: week 41 holds c5 (exposed, gone) and c1 (unexposed, back in week 42)', async () => {
    const { body } = await get('journey=card-payment&period=week&from=2026-10-05T00:00:00Z&to=2026-10-11T21:59:59Z');
    const r = RetentionResponse.parse(body);
    expect(r.periods).toHaveLength(1);
    const w41 = r.periods[0]!;
    expect([w41.period, w41.start, w41.end, w41.nextEnd, w41.complete]).toEqual([
      '2026-W41',
      '2026-10-04T22:00:00.000Z',
      '2026-10-11T22:00:00.000Z',
      '2026-10-18T22:00:00.000Z',
      true,
    ]);
    expect(w41.exposed).toMatchObject({ customers: 1, retained: 0 });
    expect(w41.unexposed).toMatchObject({ customers: 1, retained: 1 });
    expect(w41.byFailures.map((b) => b.customers)).toEqual([1, 0, 1, 0]);
    // Pooled 1/2, SE √(0.25 · 2), z = −√2, p = 2·P(Z > √2) = 0.157299.
    expect(w41.pValue).toBeCloseTo(0.157299, 6);
    expect(w41.relativeRisk).toBe(0);
    expect(r.reading).toBe(
      'Customers who met a card-payment failure in week 41 of 2026 were 100.0 points less likely to be active in week 42 of 2026, ' +
        'a difference chance alone could explain (p = 0.16).',
    );
  });

  it('defaults to month and the last months up to now, and counts other journeys as retention', async () => {
    const { body } = await get('journey=login');
    const r = RetentionResponse.parse(body);
    expect(r.period).toBe('month');
    expect(r.to).toBe('2026-12-03T12:00:00.000Z');
    expect(r.periods.map((p) => p.period)).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    // Login in October: c1 (back in November on login); in November: c1 and c6's 1 December 00:30 is December's.
    const oct = r.periods.find((p) => p.period === '2026-10')!;
    expect(oct.unexposed).toMatchObject({ customers: 1, retained: 1 });
    expect(r.periods.find((p) => p.period === '2026-12')!.complete).toBe(false);
    expect(r.reading).toBeNull();
  });

  it('reads the latest period whose next has begun, "so far", when no period is complete yet', async () => {
    // On 25 November October is not complete (November goes on), but November has begun: the same cohorts as on 3 December
    // (the events after the 25th change none of them), read as a lower bound. November's own next period has not begun.
    const at = Date.parse('2026-11-25T12:00:00Z');
    const r = await retention(
      config,
      runtime.store.events,
      { journey: 'card-payment', period: 'month', from: Date.parse('2026-10-15T00:00:00Z'), to: at },
      at,
    );
    expect(r.periods.map((p) => [p.period, p.complete])).toEqual([
      ['2026-10', false],
      ['2026-11', false],
    ]);
    expect(r.reading).toBe(
      'Customers who met a card-payment failure in October 2026 were 33.3 points less likely to be active in November 2026 so far, ' +
        'a difference chance alone could explain (p = 0.41).',
    );
    // On 31 October 23:00 UTC (midnight in Berlin) November has not begun: nothing to read.
    const before = Date.parse('2026-10-31T22:59:00Z');
    const early = await retention(config, runtime.store.events, { journey: 'card-payment', period: 'month', to: before }, before);
    expect(early.reading).toBeNull();
  });

  it('flags periods older than the raw events kept', async () => {
    const r = await retention(
      { ...config, retention: { rawEventsDays: 40 } },
      runtime.store.events,
      { journey: 'card-payment', period: 'month', from: Date.parse('2026-10-15T00:00:00Z'), to: NOW },
      NOW,
    );
    // Kept from 2026-10-24T12:00Z: October started before, November after.
    expect(r.periods.map((p) => [p.period, p.partialHistory])).toEqual([
      ['2026-10', true],
      ['2026-11', false],
      ['2026-12', false],
    ]);
  });

  it('refuses a missing or unknown journey, an unknown period, a reversed or too long range', async () => {
    expect(await get('period=month')).toMatchObject({ status: 400, body: { error: { code: 'invalid_query' } } });
    expect(await get('journey=nope')).toMatchObject({ status: 404, body: { error: { code: 'journey_not_found' } } });
    expect(await get('journey=login&period=day')).toMatchObject({ status: 400, body: { error: { code: 'invalid_query' } } });
    expect(await get('journey=login&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z')).toMatchObject({ status: 400 });
    expect(await get('journey=login&period=week&from=2020-01-01T00:00:00Z')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_query', message: 'A call reads at most 60 periods: narrow from and to' } },
    });
  });
});
