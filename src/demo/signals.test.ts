/**
 * The demo's customer signals (docs/signals.md ("In the demo")), posted through the real signal ingest into a real store
 * and read through the real spike rule: a few complaints an hour mapped by bank.yaml's keywords, and the blank statements'
 * spike, which is the only spike — before the demo starts, nothing spikes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SignalIngestor } from '../app/ingest-signals.js';
import { SignalViews } from '../app/read-models/signal-views.js';
import { createSignalValidator } from '../ingest/validate-signal.js';
import type { VigilConfig } from '../model/config.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { loadBankConfig } from './bank.js';
import { BLANK_STATEMENT_COMPLAINTS, blankStatementsEpisode, type ScriptedIncident } from './scenario.js';
import { type DemoSignal, demoSignals, EVERYDAY_COMPLAINTS } from './signals.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STARTED = Date.UTC(2026, 10, 26, 10, 17);
const HISTORY = 28 * DAY + HOUR;

let config: VigilConfig;
let incidents: ScriptedIncident[];
const signals = (fromMs: number, toMs: number, seed = 7): DemoSignal[] =>
  demoSignals({ journeys: config.journeys.map((j) => j.name), timeZone: config.defaults.timezone, seed, incidents, fromMs, toMs });

beforeAll(async () => {
  config = await loadBankConfig();
  incidents = [blankStatementsEpisode(STARTED)];
});

describe('the demo’s signals', () => {
  it('are the same however the range is cut, with unique ids, and change with the seed', () => {
    const a = STARTED - 3 * DAY;
    const b = STARTED - 2 * DAY + 17 * MINUTE + 3_000;
    const whole = signals(a, STARTED + HOUR);
    expect(whole.length).toBeGreaterThan(100);
    expect([...signals(a, b), ...signals(b, STARTED + HOUR)]).toEqual(whole);
    expect(new Set(whole.map((s) => s.id)).size).toBe(whole.length);
    expect(signals(a, STARTED + HOUR, 8).map((s) => s.id)).not.toEqual(whole.map((s) => s.id));
  });

  it('map by bank.yaml’s keywords to the journey they are about, or to none', () => {
    const validate = createSignalValidator(config);
    const mapped = (text: string) => {
      const result = validate({ id: 'x', source: 'app-store', at: STARTED, text }, 0, STARTED);
      if (!result.ok) throw new Error(result.rejection.message);
      return result.signal.journey;
    };
    for (const [topic, texts] of Object.entries(EVERYDAY_COMPLAINTS))
      for (const text of texts) expect(mapped(text), text).toBe(topic === 'none' ? null : topic);
    for (const text of BLANK_STATEMENT_COMPLAINTS) expect(mapped(text), text).toBe('statements');
  });

  it('come a few an hour, busier by day, from four sources; the call centre tallies by journey', () => {
    const month = signals(STARTED - 28 * DAY, STARTED - DAY);
    const complaints = month.reduce((n, s) => n + (s.count ?? 1), 0);
    expect(complaints / (27 * 24)).toBeGreaterThan(1.5);
    expect(complaints / (27 * 24)).toBeLessThan(5);
    expect(new Set(month.map((s) => s.source))).toEqual(new Set(['app-store', 'social', 'chat', 'call-centre']));
    for (const s of month) {
      if (s.source === 'call-centre') expect(s).toMatchObject({ journey: expect.any(String), count: expect.any(Number) });
      else expect(s.journey).toBeUndefined();
    }
    const hourOf = (s: DemoSignal) => new Date(s.at).getUTCHours();
    const noon = month.filter((s) => hourOf(s) === 12).length;
    const night = month.filter((s) => hourOf(s) === 3).length;
    expect(noon).toBeGreaterThan(3 * night);
  });
  it('never hold minSpike for one journey in any hour of the four weeks: any hour lies within two whole UTC hours', () => {
    const validate = createSignalValidator(config);
    const byHour = new Map<string, number>();
    for (const s of signals(STARTED - HISTORY, STARTED - 45 * MINUTE)) {
      const result = validate(s, 0, STARTED);
      if (!result.ok) throw new Error(result.rejection.message);
      const key = `${result.signal.journey}|${Math.floor(result.signal.at / HOUR)}`;
      byHour.set(key, (byHour.get(key) ?? 0) + result.signal.count);
    }
    let busiest = 0;
    for (const [key, count] of byHour) {
      const [journey, hour] = key.split('|');
      busiest = Math.max(busiest, count + (byHour.get(`${journey}|${Number(hour) + 1}`) ?? 0));
    }
    expect(busiest).toBeGreaterThan(2);
    expect(busiest).toBeLessThan(config.signals!.minSpike);
  });
});

describe('posted through the signal ingest: the blank statements are the only spike', () => {
  let store: Store;
  let views: SignalViews;
  const journeys = () => config.journeys.map((j) => ({ name: j.name, slos: [], steps: [] }));
  const spiking = async (at: number) =>
    [...(await views.statuses(journeys(), at))].filter(([, status]) => status.spiking).map(([journey]) => journey);

  beforeAll(async () => {
    store = await openStore(':memory:');
    views = new SignalViews(
      () => config,
      store.signals,
      () => [],
    );
    // The demo's start-up posts four weeks and an hour; live, the rest comes as the clock passes (here at once).
    const ingest = new SignalIngestor(
      () => config,
      store.signals,
      () => STARTED + 4 * HOUR,
    );
    for (const range of [
      [STARTED - HISTORY, STARTED],
      [STARTED, STARTED + 4 * HOUR],
    ] as const) {
      const body = JSON.stringify(signals(range[0], range[1]));
      const result = await ingest.ingest(body, 'application/json');
      expect(result).toMatchObject({ status: 200, rejectedCount: 0, duplicates: 0 });
      // Posting it again (a reused demo database catching up) stores nothing twice.
      expect(await ingest.ingest(body, 'application/json')).toMatchObject({ accepted: 0, duplicates: result.accepted });
    }
  }, 60_000);

  it('spikes statements when the demo starts, 45 minutes in, far above 3 × the same hour of the last 4 weeks', async () => {
    const status = (await views.statuses(journeys(), STARTED)).get('statements')!;
    expect(status.lastHour).toBeGreaterThanOrEqual(20);
    expect(status.lastHour).toBeGreaterThan(3 * status.baseline + 10);
    expect(await spiking(STARTED)).toEqual(['statements']);
  });

  it('keeps spiking while the complaints go on live, then stops', async () => {
    for (const minutes of [-15, 15, 60, 120]) expect(await spiking(STARTED + minutes * MINUTE), `${minutes} min`).toEqual(['statements']);
    expect(await spiking(STARTED + (135 + 60) * MINUTE)).toEqual([]);
  });

  it('never spikes in the week before: no false blind spot', async () => {
    for (let at = STARTED - 7 * DAY; at < STARTED - 45 * MINUTE; at += 10 * MINUTE)
      expect(await spiking(at), new Date(at).toISOString()).toEqual([]);
  });
});
