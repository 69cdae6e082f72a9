import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sliDefinitions } from '../engine/sli.js';
import type { VigilConfig } from '../model/config.js';
import { openStore } from '../store/open.js';
import type { AppendResult, Store } from '../store/store.js';
import { AppendEvents } from './append-events.js';
import { EventIngestor, MAX_ECHOED_REJECTIONS } from './ingest-events.js';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const NDJSON = 'application/x-ndjson';
const JSON_TYPE = 'application/json';

const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'UTC' },
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
      slos: [
        {
          name: 'success',
          objective: 99.95,
          window: { kind: 'rolling', minutes: 40_320, text: '28d' },
          budgeting: 'occurrences',
          timeSliceTarget: 99.95,
          sli: { kind: 'success', abandonedIsBad: false },
          alerting: { minEvents: 0 },
        },
        {
          name: 'confirm-step',
          objective: 99.99,
          window: { kind: 'rolling', minutes: 40_320, text: '28d' },
          budgeting: 'occurrences',
          timeSliceTarget: 99.99,
          sli: { kind: 'success', step: 'confirm', abandonedIsBad: false },
          alerting: { minEvents: 0 },
        },
      ],
    },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 1024 * 1024 },
};
const [journeySli, confirmSli] = sliDefinitions(config.journeys);

const event = (fields: Record<string, unknown> = {}) => ({ journey: 'wire-transfer', outcome: 'success', ...fields });
const ndjson = (...lines: unknown[]) => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');

let dir: string;
let store: Store;
let appended: AppendResult[];
let ingestor: EventIngestor;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ingest-'));
  store = await openStore(path.join(dir, 'vigil.db'));
  appended = [];
  const append = new AppendEvents({ store: store.events, slis: sliDefinitions(config.journeys) });
  append.onAppended((result) => appended.push(result));
  ingestor = new EventIngestor({ config, append, clock: () => NOW });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('EventIngestor', () => {
  it('stores a single event object and reports it accepted', async () => {
    const result = await ingestor.ingest(JSON.stringify(event({ id: 'e1', latencyMs: 840 })), JSON_TYPE);
    expect(result).toEqual({ status: 200, accepted: 1, duplicates: 0, rejected: [], rejectedCount: 0 });
    const stored = await store.events.events({ from: 0, to: NOW + 1 });
    expect(stored).toMatchObject([
      { id: 'e1', journey: 'wire-transfer', outcome: 'success', latencyMs: 840, timestamp: NOW, receivedAt: NOW },
    ]);
  });

  it('stamps events without a timestamp with the one receipt time of their request', async () => {
    let now = NOW;
    const ticking = new EventIngestor({ config, append: new AppendEvents({ store: store.events, slis: [] }), clock: () => now++ });
    await ticking.ingest(ndjson(event(), event(), event()), NDJSON);
    const stored = await store.events.events({ from: 0, to: NOW + 1000 });
    expect(stored.map((e) => [e.timestamp, e.receivedAt])).toEqual([
      [NOW, NOW],
      [NOW, NOW],
      [NOW, NOW],
    ]);
  });

  it('accepts the valid items of a JSON array and rejects the others by index', async () => {
    const body = JSON.stringify([
      event(),
      'nope',
      event({ journey: 'mortgage' }),
      event({ step: 'confirm', outcome: 'failure' }),
      event({ latencyMs: 'fast' }),
    ]);
    const result = await ingestor.ingest(body, JSON_TYPE);
    expect(result.status).toBe(200);
    expect(result.accepted).toBe(2);
    expect(result.rejectedCount).toBe(3);
    expect(result.rejected.map(({ index, code }) => ({ index, code }))).toEqual([
      { index: 1, code: 'invalid_event' },
      { index: 2, code: 'unknown_journey' },
      { index: 4, code: 'invalid_event' },
    ]);
    expect(result.rejected[2]!.message).toBe('latencyMs: expected a number ≥ 0, got "fast"');
    expect(await store.events.countEvents()).toBe(2);
  });

  it('keeps the lines around a bad NDJSON line, and sorts parse and validation rejections together', async () => {
    const body = ndjson(
      event({ id: 'a' }),
      event({ step: 'nope' }),
      '{"journey": "wire-transfer",',
      event({ id: 'b' }),
      event({ outcome: 'ok' }),
    );
    const result = await ingestor.ingest(body, NDJSON);
    expect(result).toMatchObject({ status: 200, accepted: 2, duplicates: 0, rejectedCount: 3 });
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'unknown_step'],
      [2, 'invalid_json'],
      [4, 'invalid_event'],
    ]);
    expect((await store.events.events({ from: 0, to: NOW + 1 })).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('counts the same id twice as one accepted and one duplicate, within a batch and across batches', async () => {
    const first = await ingestor.ingest(ndjson(event({ id: 'same' }), event({ id: 'same' })), NDJSON);
    expect(first).toMatchObject({ status: 200, accepted: 1, duplicates: 1, rejectedCount: 0 });
    const again = await ingestor.ingest(JSON.stringify(event({ id: 'same' })), JSON_TYPE);
    expect(again).toEqual({ status: 200, accepted: 0, duplicates: 1, rejected: [], rejectedCount: 0 });
    expect(await store.events.countEvents()).toBe(1);
    const minute = Math.floor(NOW / 60_000);
    expect(await store.events.sliMinutes(journeySli!.key, minute, minute + 1)).toEqual([
      { key: journeySli!.key, minute, good: 1, total: 1 },
    ]);
  });

  it('adds the accepted events to every configured SLI, and hands the append result to onAppended', async () => {
    const body = ndjson(event(), event({ outcome: 'failure' }), event({ step: 'confirm' }), event({ outcome: 'rejected' }));
    await ingestor.ingest(body, NDJSON);
    const minute = Math.floor(NOW / 60_000);
    expect(await store.events.sliMinutes(journeySli!.key, minute, minute + 1)).toMatchObject([{ good: 1, total: 2 }]);
    expect(await store.events.sliMinutes(confirmSli!.key, minute, minute + 1)).toMatchObject([{ good: 1, total: 1 }]);
    expect(appended).toHaveLength(1);
    expect(appended[0]!.inserted).toEqual([true, true, true, true]);
    expect(appended[0]!.sliDeltas).toEqual(expect.arrayContaining([{ key: journeySli!.key, minute, good: 1, total: 2 }]));
  });

  it('tells append listeners only after the events are readable from the store', async () => {
    const seen: number[] = [];
    const append = new AppendEvents({ store: store.events, slis: sliDefinitions(config.journeys) });
    append.onAppended(() => void store.events.countEvents().then((n) => seen.push(n)));
    const watching = new EventIngestor({ config, append, clock: () => NOW });
    await watching.ingest(ndjson(event(), event()), NDJSON);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([2]);
  });

  it.each([
    ['an empty body', '', JSON_TYPE],
    ['an empty array', '[]', JSON_TYPE],
    ['an empty NDJSON body', '\n\n', NDJSON],
  ])('answers 400 with no rejections to %s, and stores nothing', async (_, body, contentType) => {
    expect(await ingestor.ingest(body, contentType)).toEqual({ status: 400, accepted: 0, duplicates: 0, rejected: [], rejectedCount: 0 });
    expect(appended).toEqual([]);
    expect(await store.events.countEvents()).toBe(0);
  });

  it('answers 400 with the same shape when no event is valid', async () => {
    const result = await ingestor.ingest(ndjson(event({ journey: 'nope' }), 'oops'), NDJSON);
    expect(result).toMatchObject({ status: 400, accepted: 0, duplicates: 0, rejectedCount: 2 });
    expect(result.rejected.map((r) => r.code)).toEqual(['unknown_journey', 'invalid_json']);
    expect(appended).toEqual([]);
  });

  it('answers 400 to a JSON body that does not parse', async () => {
    const result = await ingestor.ingest('{"journey":', JSON_TYPE);
    expect(result).toMatchObject({ status: 400, accepted: 0, rejectedCount: 1, rejected: [{ index: 0, code: 'invalid_json' }] });
  });

  it('answers 200 when every valid event is a duplicate', async () => {
    await ingestor.ingest(JSON.stringify(event({ id: 'x' })), JSON_TYPE);
    expect(await ingestor.ingest(JSON.stringify([event({ id: 'x' }), 'bad']), JSON_TYPE)).toMatchObject({
      status: 200,
      accepted: 0,
      duplicates: 1,
      rejectedCount: 1,
    });
  });

  it(`echoes at most ${MAX_ECHOED_REJECTIONS} rejections, the first by index, and counts them all`, async () => {
    const lines = Array.from({ length: 2500 }, (_, i) => (i % 2 === 0 ? 'not json' : event({ journey: 'nope' })));
    const result = await ingestor.ingest(ndjson(...lines, event()), NDJSON);
    expect(result).toMatchObject({ status: 200, accepted: 1, rejectedCount: 2500 });
    expect(result.rejected).toHaveLength(MAX_ECHOED_REJECTIONS);
    expect(result.rejected.map((r) => r.index)).toEqual(Array.from({ length: MAX_ECHOED_REJECTIONS }, (_, i) => i));
    expect(result.rejected[999]!.code).toBe('unknown_journey');
  });

  it('stores nothing and rejects when the store fails', async () => {
    await store.close();
    await expect(ingestor.ingest(JSON.stringify(event()), JSON_TYPE)).rejects.toThrow();
    expect(appended).toEqual([]);
  });
});
