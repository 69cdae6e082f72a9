/**
 * End to end: the real `vigil serve` process, real SQLite file, HTTP. Figures are checked against
 * hand-computed values (see the comments), and bad input against the error catalogue.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, postEvents, startVigil, tempDir, type VigilProcess } from '../helpers/vigil-process.js';

const MINUTE = 60_000;
const base = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
const at = new Date(base + 4 * MINUTE + 59_000).toISOString();
const ts = (ms: number) => new Date(ms).toISOString();

let vigil: VigilProcess;
let temp: { dir: string; cleanup: () => void };

/** 1,000 whole-journey wire transfers over 5 minutes: 990 successes (20 of them slower than 10 s), 10 failures, plus 5 rejected and 3 abandoned. */
function wireTransfers() {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 1000; i++) {
    events.push({
      id: `wt-${i}`,
      journey: 'wire-transfer',
      outcome: i < 10 ? 'failure' : 'success',
      latencyMs: i >= 10 && i < 30 ? 12_000 : 800,
      timestamp: ts(base + Math.floor(i / 200) * MINUTE + (i % 200) * 100),
      customerId: `c-${i % 97}`,
    });
  }
  for (let i = 0; i < 5; i++) events.push({ journey: 'wire-transfer', outcome: 'rejected', timestamp: ts(base + 1000 * i) });
  for (let i = 0; i < 3; i++) events.push({ journey: 'wire-transfer', outcome: 'abandoned', timestamp: ts(base + 2000 * i) });
  return events;
}

beforeAll(async () => {
  temp = tempDir();
  vigil = await startVigil(['--config', E2E_CONFIG, '--database', join(temp.dir, 'vigil.db')]);
});

afterAll(async () => {
  await vigil?.stop();
  temp?.cleanup();
});

describe('ingest and status, hand-computed', () => {
  it('accepts a JSON array and reports the counts', async () => {
    const res = await postEvents(vigil.url, wireTransfers());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1008, duplicates: 0, rejected: [], rejectedCount: 0 });
  });

  it('counts a re-sent batch as duplicates, never twice', async () => {
    const res = await postEvents(vigil.url, wireTransfers().slice(0, 1000));
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 1000 });
  });

  it('success SLO: 990 good of 1,000 at 99.9% → allowed 1, remaining −9, burn 10 everywhere', async () => {
    const { status, body } = await getJson(`${vigil.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      journey: 'wire-transfer',
      slo: 'success',
      objective: 99.9,
      window: '28d',
      budgeting: 'occurrences',
      good: 990,
      total: 1000,
      sli: 0.99,
      attainment: 0.99,
    });
    expect(body.at).toBe(at);
    expect(body.errorBudget.allowed).toBeCloseTo(1, 9);
    expect(body.errorBudget.consumed).toBe(10);
    expect(body.errorBudget.remaining).toBeCloseTo(-9, 9);
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) expect(body.burnRates[w]).toBeCloseTo(10, 9);
    // 28 d factors: 13.44, 5.6, 2.8, 0.933 — a burn of 10 fires every pair but the fast page.
    expect(body.alerts.pairs.map((p: any) => p.firing)).toEqual([false, true, true, true]);
    expect(body.alerts).toMatchObject({ page: true, ticket: true });
  });

  it('latency SLO: 20 of the successes took 12 s → 970 good of 1,000, remaining −2 at 99%', async () => {
    const { body } = await getJson(`${vigil.url}/api/v1/journeys/wire-transfer/slos/within-regulatory-limit/status?at=${at}`);
    expect(body).toMatchObject({ good: 970, total: 1000, sli: 0.97 });
    expect(body.errorBudget.remaining).toBeCloseTo(-2, 9);
  });

  it('step SLO with timeslices and minEvents: 3 slices, 2 good at a 90% slice target', async () => {
    const confirm = (minute: number, i: number, outcome: string) => ({
      journey: 'wire-transfer',
      step: 'confirm',
      outcome,
      latencyMs: 300,
      timestamp: ts(base + minute * MINUTE + i * 1000),
    });
    const events = [
      ...Array.from({ length: 10 }, (_, i) => confirm(0, i, 'success')),
      ...Array.from({ length: 10 }, (_, i) => confirm(1, i, i < 8 ? 'success' : 'failure')),
      ...Array.from({ length: 10 }, (_, i) => confirm(2, i, i < 9 ? 'success' : 'failure')),
    ];
    const ndjson = events.map((e) => JSON.stringify(e)).join('\n');
    expect((await postEvents(vigil.url, ndjson, 'application/x-ndjson')).body).toMatchObject({ accepted: 30 });
    const { body } = await getJson(`${vigil.url}/api/v1/journeys/wire-transfer/slos/confirm-step/status?at=${at}`);
    expect(body).toMatchObject({ budgeting: 'timeslices', good: 2, total: 3, sli: 0.9 });
    expect(body.attainment).toBeCloseTo(2 / 3, 12);
    expect(body.errorBudget.allowed).toBeCloseTo(0.003, 12);
    expect(body.errorBudget.remaining).toBeCloseTo(1 - 1 / 0.003, 6);
    // Burn counts events: 3 bad of 30 at 0.1% = 100; the 1-day period makes the fast-page factor 0.48.
    expect(body.burnRates['1h']).toBeCloseTo(100, 9);
    expect(body.alerts.pairs[0]).toMatchObject({ factor: 0.48, firing: true, longWindowEvents: 30 });

    const detail = await getJson(`${vigil.url}/api/v1/journeys/wire-transfer?at=${at}`);
    const step = detail.body.steps.find((s: any) => s.name === 'confirm');
    expect(step.outcomes['1h']).toMatchObject({ success: 27, failure: 3, successRate: 0.9 });
    expect(step.critical).toBe(true);
    expect(detail.body.outcomes['1h']).toMatchObject({ success: 990, failure: 10, rejected: 5, abandoned: 3 });
  });

  it('abandonedIsBad counts abandonment as bad; rejected never counts', async () => {
    const events = [
      ...Array.from({ length: 100 }, (_, i) => ({ journey: 'login', outcome: 'success', timestamp: ts(base + i * 1000) })),
      { journey: 'login', outcome: 'abandoned', timestamp: ts(base) },
      { journey: 'login', outcome: 'rejected', timestamp: ts(base) },
      { journey: 'login', outcome: 'rejected', timestamp: ts(base) },
    ];
    await postEvents(vigil.url, events);
    const { body } = await getJson(`${vigil.url}/api/v1/journeys/login/slos/success/status?at=${at}`);
    // core tier default objective 99.95: allowed 101 × 0.0005 = 0.0505
    expect(body).toMatchObject({ objective: 99.95, good: 100, total: 101 });
    expect(body.errorBudget.remaining).toBeCloseTo(1 - 1 / 0.0505, 9);
  });

  it('lists journeys with their SLO statuses and the firing SLO alerts', async () => {
    const { body } = await getJson(`${vigil.url}/api/v1/journeys?at=${at}`);
    expect(body.journeys.map((j: any) => j.name)).toEqual(['wire-transfer', 'login']);
    expect(body.journeys[0].slos).toHaveLength(3);
    const alerts = await getJson(`${vigil.url}/api/v1/alerts?at=${at}`);
    expect(alerts.body.alerts.map((a: any) => `${a.journey}/${a.slo}/${a.severity}`)).toContain('wire-transfer/success/page');
  });

  it('serves a series for charts', async () => {
    const from = new Date(base).toISOString();
    const { status, body } = await getJson(`${vigil.url}/api/v1/journeys/wire-transfer/slos/success/series?from=${from}&to=${at}&step=1m`);
    expect(status).toBe(200);
    expect(body.points).toHaveLength(5);
    expect(body.points.map((p: any) => p.stepTotal)).toEqual([200, 200, 200, 200, 200]);
    expect(body.points[4].remaining).toBeCloseTo(-9, 9);
  });
});

describe('bad input gets a coded answer and the server keeps serving', () => {
  const now = () => Date.now();
  it.each([
    ['malformed JSON', '{"journey": ', 'application/json', 400, 'invalid_json', ''],
    [
      'a wrong type',
      JSON.stringify({ journey: 'login', outcome: 'success', latencyMs: 'fast' }),
      'application/json',
      400,
      'invalid_event',
      'latencyMs',
    ],
    ['a missing outcome', JSON.stringify({ journey: 'login' }), 'application/json', 400, 'invalid_event', 'outcome'],
    [
      'an unknown journey',
      JSON.stringify({ journey: 'mortgage', outcome: 'success' }),
      'application/json',
      400,
      'unknown_journey',
      'mortgage',
    ],
    [
      'an unknown step',
      JSON.stringify({ journey: 'login', step: 'confirm', outcome: 'success' }),
      'application/json',
      400,
      'unknown_step',
      'confirm',
    ],
  ])('%s → %i %s', async (_name, body, type, status, code, mentions) => {
    const res = await postEvents(vigil.url, body, type);
    expect(res.status).toBe(status);
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected[0].code).toBe(code);
    expect(res.body.rejected[0].message).toContain(mentions);
  });

  it('rejects future and too-old timestamps by code', async () => {
    const res = await postEvents(vigil.url, [
      { journey: 'login', outcome: 'success', timestamp: ts(now() + 10 * MINUTE) },
      { journey: 'login', outcome: 'success', timestamp: ts(now() - 40 * 86_400_000) },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.rejected.map((r: any) => [r.index, r.code])).toEqual([
      [0, 'in_future'],
      [1, 'too_old'],
    ]);
  });

  it('accepts the good lines of an NDJSON body with a broken line', async () => {
    const body = [
      JSON.stringify({ journey: 'login', outcome: 'success' }),
      '{oops',
      JSON.stringify({ journey: 'login', outcome: 'failure' }),
    ].join('\n');
    const res = await postEvents(vigil.url, body, 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([expect.objectContaining({ index: 1, code: 'invalid_json' })]);
  });

  it('refuses a content type it does not read with 415', async () => {
    const res = await postEvents(vigil.url, 'journey=login', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers a body over the limit with 413 in the error shape', async () => {
    const huge = JSON.stringify(
      Array.from({ length: 5000 }, () => ({ journey: 'login', outcome: 'success', attributes: { pad: 'x'.repeat(40) } })),
    );
    const res = await postEvents(vigil.url, huge);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it.each([
    ['/api/v1/journeys/mortgage', 404, 'journey_not_found'],
    ['/api/v1/journeys/login/slos/nope/status', 404, 'slo_not_found'],
    ['/api/v1/journeys/mortgage/slos/success/status', 404, 'journey_not_found'],
    ['/api/v1/nothing-here', 404, 'route_not_found'],
    ['/api/v1/journeys/login/slos/success/status?at=yesterday', 400, 'invalid_query'],
    ['/api/v1/journeys/login/slos/success/series?step=1s', 400, 'invalid_query'],
  ])('GET %s → %i %s', async (path, status, code) => {
    const res = await getJson(`${vigil.url}${path}`);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('is still healthy and ready after all that', async () => {
    expect((await getJson(`${vigil.url}/healthz`)).status).toBe(200);
    expect((await getJson(`${vigil.url}/readyz`)).body).toMatchObject({ status: 'ready', store: 'sqlite' });
  });
});
