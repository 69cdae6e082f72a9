/** POST and GET /api/v1/corrections (docs/api.md ("Corrections")) and the series annotations, through the HTTP layer. */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vigilApi } from '../../app/api.js';
import { IncidentManager } from '../../app/incident-manager.js';
import { VigilRuntime } from '../../app/runtime.js';
import { loadConfigFromString } from '../../config/load.js';
import { yaml } from '../../config/test-yaml.js';
import { openStore } from '../../store/open.js';
import { buildServer } from '../app.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const loaded = loadConfigFromString(
  yaml`
    version: vigil/v1
    defaults: { timezone: Europe/London }
    journeys:
      - name: wire-transfer
        steps: [{ name: submit }]
        slos: [{ name: success, objective: 90, window: 1d, sli: { kind: success } }]
      - name: statements
        steps: [{ name: list }]
        slos: [{ name: success, objective: 90, window: 1d, sli: { kind: success } }]
    corrections:
      - { name: sunday-batch, journeys: [statements], every: "Sun 02:00-04:00" }
  `,
  'vigil.yaml',
);
if (!loaded.ok) throw new Error('config does not load');
const config = loaded.config;

let app: FastifyInstance;
let runtime: VigilRuntime;

beforeEach(async () => {
  runtime = await VigilRuntime.start({ config, store: await openStore(':memory:'), clock: () => NOW });
  const events = [
    { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:10:00Z' },
    { journey: 'wire-transfer', outcome: 'failure', timestamp: '2026-11-26T09:20:00Z' },
    { journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T09:40:00Z' },
    { journey: 'wire-transfer', outcome: 'success', timestamp: '2026-11-26T09:50:00Z' },
  ];
  await runtime.ingestor.ingest(JSON.stringify(events), 'application/json');
  // With the incident manager, as `vigil serve` runs: adding a correction switches registries between alerting steps.
  const silent = { info: () => {}, warn: () => {} };
  app = await buildServer({ api: vigilApi(runtime, await IncidentManager.start(runtime, silent)) });
});
afterEach(async () => {
  await app.close();
  await runtime.close();
});

const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/v1/corrections', payload: payload as object });
const status = async () => (await app.inject({ url: '/api/v1/journeys/wire-transfer/slos/success/status' })).json();

describe('/api/v1/corrections', () => {
  it('adds a one-off correction: the figures are recomputed over history, the list names its source', async () => {
    expect(await status()).toMatchObject({ good: 2, total: 4 });
    const body = {
      name: 'ledger-upgrade',
      journeys: ['wire-transfer'],
      from: '2026-11-26T09:00:00Z',
      to: '2026-11-26T09:30:00Z',
      reason: 'Announced core-ledger upgrade',
    };
    const res = await post(body);
    expect(res.statusCode).toBe(201);
    const added = res.json();
    const answered = { ...body, from: '2026-11-26T09:00:00.000Z', to: '2026-11-26T09:30:00.000Z', source: 'api' };
    expect(added.correction).toEqual(answered);
    expect(added.recomputed).toEqual([expect.stringMatching(/^wire-transfer\|\*\|success\|abandoned:ok\|corrections:/)]);
    expect(await status()).toMatchObject({ good: 2, total: 2 });
    const list = await app.inject({ url: '/api/v1/corrections' });
    expect(list.json()).toEqual({
      corrections: [{ name: 'sunday-batch', journeys: ['statements'], source: 'config', every: 'Sun 02:00-04:00', reason: null }, answered],
    });
    const again = await post({ ...body, journeys: ['statements'] });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('correction_exists');
    expect((await post({ ...body, name: 'sunday-batch' })).json().error.code).toBe('correction_exists');
  });

  it.each([
    ['an unknown journey', { journeys: ['wires'] }, "journeys: 'wires' is not a configured journey"],
    ['to before from', { to: '2026-11-26T08:00:00Z' }, 'is not after from'],
    ['a time without a zone', { from: '2026-11-26T09:00:00' }, 'from:'],
    ['an unknown field', { every: 'Sun 02:00-04:00' }, 'every'],
    ['a bad name', { name: 'Ledger Upgrade' }, 'name:'],
    ['no journeys', { journeys: [] }, 'journeys:'],
  ])('refuses %s with 400 invalid_correction, changing nothing', async (_name, change, fragment) => {
    const res = await post({ name: 'x', journeys: ['wire-transfer'], from: '2026-11-26T09:00:00Z', to: '2026-11-26T09:30:00Z', ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_correction', message: expect.stringContaining(fragment) });
    expect((await app.inject({ url: '/api/v1/corrections' })).json().corrections).toHaveLength(1);
    expect(await status()).toMatchObject({ good: 2, total: 4 });
  });
});

describe('series annotations', () => {
  it('every occurrence meeting the range, oldest first, weekly ones once per week in the configured time zone', async () => {
    await post({ name: 'upgrade', journeys: ['statements'], from: '2026-11-20T09:00:00Z', to: '2026-11-20T09:30:00Z' });
    const url = '/api/v1/journeys/statements/slos/success/series?from=2026-11-14T00:00:00Z&to=2026-11-26T10:00:00Z&step=1h';
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.json().corrections).toEqual([
      { name: 'sunday-batch', from: '2026-11-15T02:00:00.000Z', to: '2026-11-15T04:00:00.000Z', reason: null },
      { name: 'upgrade', from: '2026-11-20T09:00:00.000Z', to: '2026-11-20T09:30:00.000Z', reason: null },
      { name: 'sunday-batch', from: '2026-11-22T02:00:00.000Z', to: '2026-11-22T04:00:00.000Z', reason: null },
    ]);
    const other = await app.inject({ url: url.replace('statements', 'wire-transfer') });
    expect(other.json().corrections).toEqual([]);
  });
});
