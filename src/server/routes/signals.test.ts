/**
 * Customer signals over HTTP (docs/signals.md, docs/api.md ("Customer signals")) against the real server, runtime,
 * incident manager and a SQLite store, every answer checked against its wire schema: posting (object, array,
 * NDJSON; partial acceptance; idempotency), listing with filters and cursor, and each journey's spike and blind spot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JourneyDetail, JourneysResponse } from '../../api/journeys.js';
import { SignalsIngestResponse, SignalsResponse } from '../../api/signals.js';
import { vigilApi } from '../../app/api.js';
import { IncidentManager } from '../../app/incident-manager.js';
import { VigilRuntime } from '../../app/runtime.js';
import { loadConfigFromString } from '../../config/load.js';
import { openStore } from '../../store/open.js';
import { buildServer } from '../app.js';
import { sampleAlert, sampleIncident } from '../../../test/helpers/incident-server.js';

const NOW = Date.parse('2026-11-27T14:30:00Z');
const HOUR = 3_600_000;
const WEEK = 168 * HOUR;

const CONFIG = `version: vigil/v1
journeys:
  - name: statements
    displayName: Statements
    steps: [{ name: view, services: [docs-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: card-payment
    displayName: Card payment
    steps: [{ name: pay, services: [cards-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: login
    steps: [{ name: auth, services: [auth-api] }]
signals:
  keywords:
    statements: [statement, pdf, download]
    card-payment: [card declined, card]
`;

let app: FastifyInstance;
let close: () => Promise<void>;

beforeAll(async () => {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error('test configuration does not load');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-signals-'));
  const store = await openStore(join(dir, 'v.db'));
  const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  // cards-api has a firing technical alert: a spike on card-payment is seen by the infrastructure, not a blind spot.
  const incident = sampleIncident('inc-1', { openedAt: NOW - 600_000, services: ['cards-api'] });
  await store.alerting.saveAlerting({
    incidents: [incident],
    alerts: [sampleAlert(incident, { key: 'generic:cards', service: 'cards-api', lastReceivedAt: NOW - 10_000 })],
    outbox: [],
  });
  const manager = await IncidentManager.start(runtime, { info: () => {}, warn: () => {} });
  app = await buildServer({ api: vigilApi(runtime, manager) });
  close = async () => {
    await app.close();
    await manager.stop();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  };
});
afterAll(async () => close?.());

const post = (payload: string, type = 'application/json') =>
  app.inject({ method: 'POST', url: '/api/v1/signals', headers: { 'content-type': type }, payload });
const iso = (ms: number) => new Date(ms).toISOString();

describe('POST /api/v1/signals', () => {
  it('stores the valid items of an array, maps them by journey or keyword, and names each bad one by index and code', async () => {
    const body = [
      { id: 'a-1', source: 'app-store', at: iso(NOW - 60_000), text: 'The PDF statement will not download' },
      { id: 'a-2', source: 'social', at: iso(NOW - 120_000), journey: 'card-payment', count: 3 },
      { id: 'a-3', source: 'chat', at: NOW - 180_000, text: 'Where is my parcel?' },
      { id: 'a-4', source: 'app store', at: iso(NOW) },
      { id: 'a-5', source: 'chat', at: iso(NOW), journey: 'mortgage' },
      { id: 'a-6', source: 'chat', at: iso(NOW), count: 0 },
      { id: 'a-7', source: 'chat', at: iso(NOW + 6 * 60_000) },
      { id: 'a-8', source: 'chat', at: iso(NOW - 401 * 24 * HOUR) },
      { id: 'a-9', source: 'chat', at: iso(NOW), mood: 'angry' },
      'complaint',
      { source: 'chat', at: iso(NOW) },
    ];
    const res = await post(JSON.stringify(body));
    expect(res.statusCode).toBe(200);
    const answer = SignalsIngestResponse.parse(res.json());
    expect(answer).toMatchObject({ accepted: 3, duplicates: 0, unmatched: 1, rejectedCount: 8 });
    expect(answer.rejected.map((r) => [r.index, r.code])).toEqual([
      [3, 'invalid_signal'],
      [4, 'unknown_journey'],
      [5, 'invalid_signal'],
      [6, 'in_future'],
      [7, 'too_old'],
      [8, 'invalid_signal'],
      [9, 'invalid_signal'],
      [10, 'invalid_signal'],
    ]);
    expect(answer.rejected[0]!.message).toMatch(/^source: /);
    expect(answer.rejected[5]!.message).toMatch(/"mood": unknown field/);
    expect(answer.rejected[7]!.message).toMatch(/^id: required/);

    const listed = SignalsResponse.parse((await app.inject({ url: '/api/v1/signals' })).json());
    expect(listed.signals.map((s) => [s.id, s.journey, s.keyword, s.count])).toEqual([
      ['a-1', 'statements', 'statement', 1],
      ['a-2', 'card-payment', null, 3],
      ['a-3', null, null, 1],
    ]);
    expect(listed.signals[2]!.at).toBe(iso(NOW - 180_000));
    expect(listed.signals[0]!.receivedAt).toBe(iso(NOW));
  });

  it('is idempotent by id: a re-post counts as duplicates and changes nothing', async () => {
    const again = await post(JSON.stringify({ id: 'a-1', source: 'app-store', at: iso(NOW - 60_000), text: 'card declined' }));
    expect(SignalsIngestResponse.parse(again.json())).toEqual({ accepted: 0, duplicates: 1, unmatched: 0, rejected: [], rejectedCount: 0 });
    const listed = SignalsResponse.parse((await app.inject({ url: '/api/v1/signals?journey=statements' })).json());
    expect(listed.signals.map((s) => [s.id, s.text])).toEqual([['a-1', 'The PDF statement will not download']]);
  });

  it('reads NDJSON line by line: a bad line is one rejection; a body with no valid signal is a 400 with the same summary', async () => {
    const ndjson = `{"id":"n-1","source":"call-centre","at":"${iso(NOW - 1000)}","text":"login broken"}\nnot json\n\n{"id":"n-2","source":"x"}\n`;
    const res = await post(ndjson, 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    const answer = SignalsIngestResponse.parse(res.json());
    expect(answer).toMatchObject({ accepted: 1, unmatched: 1, rejectedCount: 2 });
    expect(answer.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'invalid_json'],
      [2, 'invalid_signal'],
    ]);
    const none = await post('[{"id":"z"}]');
    expect(none.statusCode).toBe(400);
    expect(SignalsIngestResponse.parse(none.json())).toMatchObject({ accepted: 0, rejectedCount: 1 });
    const plain = await post('{}', 'text/plain');
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error.code).toBe('unsupported_media_type');
  });
});

describe('GET /api/v1/signals', () => {
  it('filters by journey, unmatched and range, and pages newest first with a cursor', async () => {
    const unmatched = SignalsResponse.parse((await app.inject({ url: '/api/v1/signals?unmatched=true' })).json());
    expect(unmatched.signals.map((s) => s.id)).toEqual(['n-1', 'a-3']);
    const ranged = SignalsResponse.parse(
      (await app.inject({ url: `/api/v1/signals?from=${iso(NOW - 150_000)}&to=${iso(NOW - 60_000)}` })).json(),
    );
    expect(ranged.signals.map((s) => s.id)).toEqual(['a-2']);
    const seen: string[] = [];
    let url = '/api/v1/signals?limit=2';
    for (let page = 0; page < 5; page++) {
      const body = SignalsResponse.parse((await app.inject({ url })).json());
      seen.push(...body.signals.map((s) => s.id));
      if (body.next === null) break;
      url = `/api/v1/signals?limit=2&cursor=${body.next}`;
    }
    expect(seen).toEqual(['n-1', 'a-1', 'a-2', 'a-3']);
  });

  it.each([
    ['cursor=bm9wZQ', /cursor: "bm9wZQ" is not a cursor/],
    ['limit=0', /limit: expected a whole number from 1 to 1000/],
    ['unmatched=yes', /unmatched: expected true or false/],
    ['unmatched=true&journey=login', /journey or unmatched=true, not both/],
    [`from=${iso(NOW)}&to=${iso(NOW - 1)}`, /is after to/],
  ])('refuses %s with invalid_query', async (query, message) => {
    const res = await app.inject({ url: `/api/v1/signals?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_query');
    expect(res.json().error.message).toMatch(message);
  });
});

describe('spikes and blind spots on the journeys', () => {
  it('compares the last hour with the same hour of the week over 4 weeks, and flags a blind spot only where nothing else shows it', async () => {
    const signals = [
      // statements: 11 more in the last hour (12 with a-1), 4 + 4 + 4 + 0 in the same hour 1–4 weeks back → baseline 3, 12 ≥ 9 and ≥ 10.
      { id: 's-now', source: 'app-store', at: iso(NOW - 30 * 60_000), text: 'pdf', count: 11 },
      { id: 's-w1', source: 'app-store', at: iso(NOW - WEEK - 10 * 60_000), journey: 'statements', count: 4 },
      { id: 's-w2', source: 'app-store', at: iso(NOW - 2 * WEEK - 59 * 60_000), journey: 'statements', count: 4 },
      { id: 's-w3', source: 'app-store', at: iso(NOW - 3 * WEEK - 1), journey: 'statements', count: 4 },
      // Just outside the same hour, 4 weeks back: not in the baseline.
      { id: 's-w4', source: 'app-store', at: iso(NOW - 4 * WEEK - HOUR - 1), journey: 'statements', count: 50 },
      // card-payment: 3 + 9 = 12 in the last hour, no history → spiking, but cards-api has a firing alert.
      { id: 'c-now', source: 'social', at: iso(NOW - 5 * 60_000), text: 'card declined twice', count: 9 },
      // login: 8 in the last hour (n-1 said "login" but login has no keywords), no history: under minSpike 10.
      { id: 'l-now', source: 'chat', at: iso(NOW - 5 * 60_000), journey: 'login', count: 8 },
    ];
    const res = await post(JSON.stringify(signals));
    expect(SignalsIngestResponse.parse(res.json())).toMatchObject({ accepted: 7, rejectedCount: 0 });

    const list = JourneysResponse.parse((await app.inject({ url: '/api/v1/journeys' })).json());
    const by = Object.fromEntries(list.journeys.map((j) => [j.name, j.signals]));
    expect(by['statements']).toEqual({ lastHour: 12, baseline: 3, minSpike: 10, spiking: true, blindSpot: true });
    expect(by['card-payment']).toEqual({ lastHour: 12, baseline: 0, minSpike: 10, spiking: true, blindSpot: false });
    expect(by['login']).toEqual({ lastHour: 8, baseline: 0, minSpike: 10, spiking: false, blindSpot: false });

    const detail = JourneyDetail.parse((await app.inject({ url: '/api/v1/journeys/statements' })).json());
    expect(detail.signals).toEqual(by['statements']);
    // An hour later the spike has left the window; the baseline is that of the new hour.
    const later = JourneysResponse.parse((await app.inject({ url: `/api/v1/journeys?at=${iso(NOW + HOUR)}` })).json());
    expect(later.journeys.find((j) => j.name === 'statements')!.signals).toMatchObject({ lastHour: 0, spiking: false, blindSpot: false });
  });
});
