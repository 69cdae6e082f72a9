/**
 * Impact tolerances end to end on SQLite and PostgreSQL (docs/impact-tolerances.md): whole-journey events fail, the SLO
 * alert opens an incident, the watch clocks the disruption after each alerting tick, warns at half the tolerance, records
 * the breach, and ends it at restoration; GET /api/v1/regulation/tolerances and the journey answers, over a real HTTP
 * server, show it, every answer checked against its wire schema. The year is the calendar year in defaults.timezone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { JourneyDetail, JourneysResponse } from '../../api/journeys.js';
import { TolerancesResponse } from '../../api/tolerances.js';
import { vigilApi } from '../../app/api.js';
import { IncidentManager } from '../../app/incident-manager.js';
import { VigilRuntime } from '../../app/runtime.js';
import { ToleranceWatch } from '../../app/tolerance-watch.js';
import { loadConfigFromString } from '../../config/load.js';
import type { JourneyEvent } from '../../model/event.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { buildServer } from '../app.js';

const MIN = 60_000;
/** 09:00 in Berlin (UTC+1 in November). */
const T0 = Date.parse('2026-11-26T08:00:00Z');
const url = process.env.VIGIL_TEST_DATABASE_URL;
const silent = { info: () => {}, warn: () => {} };

const CONFIG = `version: vigil/v1
defaults: { timezone: Europe/Berlin }
journeys:
  - name: sepa-instant
    displayName: SEPA Instant
    tier: critical
    regulation: { importantBusinessService: true, impactTolerance: 1h }
    steps: [{ name: pay, services: [sepa-gateway] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
  - name: login
    displayName: Log in
    steps: [{ name: auth, services: [auth-api] }]
    slos: [{ name: success, objective: 99, window: 28d, sli: { kind: success } }]
notifications:
  targets: [{ name: itsm, type: webhook, url: "http://127.0.0.1:9/vigil", minPriority: P4 }]
`;

/** The webhook events waiting in the outbox, oldest first (no worker delivers them here). */
async function outboxEvents(store: Store, now: number): Promise<string[]> {
  return (await store.alerting.outboxDue(now + 1, 100)).map((m) => (JSON.parse(m.payload) as { event: string }).event);
}

/**
 * Ten whole-journey attempts a minute on SEPA Instant from T0: all succeed for 10 minutes, then from minute 10 to 89 two
 * in ten succeed (20%, below the default 50%), then all succeed again from minute 90.
 */
function sepaEvents(fromMinute: number, toMinute: number): JourneyEvent[] {
  const out: JourneyEvent[] = [];
  for (let m = fromMinute; m < toMinute; m++) {
    const failing = m >= 10 && m < 90;
    for (let i = 0; i < 10; i++) {
      out.push({
        id: `sepa-${m}-${i}`,
        journey: 'sepa-instant',
        outcome: failing && i >= 2 ? 'failure' : 'success',
        timestamp: T0 + m * MIN + i * 5_000,
      });
    }
  }
  return out;
}

type Backend = [string, () => Promise<{ store: Store; cleanup: () => Promise<void> }>];
const backends: Backend[] = [
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-tolerance-'));
      const store = await openStore(join(dir, 'v.db'));
      return {
        store,
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];
let admin: pg.Pool | undefined;
if (url) {
  admin = new pg.Pool({ connectionString: url, max: 2 });
  backends.push([
    'postgres',
    async () => {
      const schema = `vigil_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin!.query(`CREATE SCHEMA ${schema}`);
      const store = await openStore(url, { schema, maxConnections: 4 });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await admin!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        },
      };
    },
  ]);
} else if (process.env.CI === 'true') {
  it('has a PostgreSQL database to test against', () => {
    throw new Error('CI must provide VIGIL_TEST_DATABASE_URL');
  });
}
afterAll(async () => {
  await admin?.end();
});

describe.each(backends)('impact tolerances over a real server: %s', (_name, open) => {
  it('clocks the disruption from its first minute below 50%, warns at half, records the breach, ends at restoration', async () => {
    const { store, cleanup } = await open();
    const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
    if (!loaded.ok) throw new Error(`test configuration does not load: ${JSON.stringify(loaded.errors)}`);
    let now = T0;
    const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => now });
    const manager = await IncidentManager.start(runtime, silent);
    const watch = new ToleranceWatch({
      config: () => runtime.config,
      registry: () => runtime.registry,
      alerting: store.alerting,
      disruptions: store.disruptions,
      notes: manager,
      log: silent,
    });
    const app = await buildServer({ api: vigilApi(runtime, manager) });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      return { status: response.status, body: (await response.json()) as unknown };
    };
    /** Events up to `minute` (exclusive), then an alerting tick and a scan at `minute` + 30 s. */
    let sent = 0;
    const advance = async (minute: number) => {
      now = T0 + minute * MIN + 30_000;
      await runtime.append.append(sepaEvents(sent, minute + 1), now);
      sent = minute + 1;
      await manager.tick(now);
      await watch.scan(now);
    };
    const year = async () => TolerancesResponse.parse((await get('/api/v1/regulation/tolerances?year=2026')).body);
    try {
      await advance(9);
      expect((await year()).services[0]).toMatchObject({ journey: 'sepa-instant', tolerance: '1h', disruptions: [], anyBreached: false });

      // 20 minutes below 50% (from 09:10 Berlin): the SLO alert has opened an incident, the clock runs.
      await advance(29);
      const incidents = await manager.listIncidents({ journey: 'sepa-instant' });
      expect(incidents).toHaveLength(1);
      const incidentId = incidents[0]!.id;
      const running = (await year()).services[0]!;
      expect(running.disruptions).toEqual([
        {
          id: 'sepa-instant@2026-11-26T08:10:00.000Z',
          journey: 'sepa-instant',
          incidentId,
          start: '2026-11-26T08:10:00.000Z',
          end: null,
          running: true,
          // 08:10:00 to 08:29:30.
          durationSeconds: 19 * 60 + 30,
          toleranceSeconds: 3600,
          level: 'ok',
          warnedAt: null,
          breachedAt: null,
          breached: false,
        },
      ]);
      const journey = JourneyDetail.parse((await get('/api/v1/journeys/sepa-instant')).body);
      expect(journey.impactTolerance).toEqual({ tolerance: '1h', toleranceSeconds: 3600, clock: running.disruptions[0] });
      const list = JourneysResponse.parse((await get('/api/v1/journeys')).body);
      expect(list.journeys.find((j) => j.name === 'sepa-instant')?.impactTolerance?.clock?.level).toBe('ok');
      expect(list.journeys.find((j) => j.name === 'login')?.impactTolerance).toBeUndefined();

      // 30 min 30 s in: past half the hour, a warning on the incident's timeline, once.
      await advance(40);
      await watch.scan(now);
      const warned = (await year()).services[0]!.disruptions[0]!;
      expect(warned).toMatchObject({
        level: 'warning',
        warnedAt: '2026-11-26T08:40:00.000Z',
        breachedAt: null,
        durationSeconds: 30 * 60 + 30,
      });
      const afterWarning = (await manager.incident(incidentId))!.incident.timeline.filter((t) => t.kind.startsWith('tolerance_'));
      // The warning reached the incident's targets through the outbox, in the transaction of its timeline entry.
      expect((await outboxEvents(store, now)).filter((e) => e.startsWith('incident.tolerance'))).toEqual(['incident.tolerance_warning']);
      expect(afterWarning.map((t) => [t.kind, t.message])).toEqual([
        [
          'tolerance_warning',
          'SEPA Instant disrupted for half its 1 h impact tolerance (since 26 Nov 2026, 09:10 (Europe/Berlin)); ' +
            'it breaches at 26 Nov 2026, 10:10 (Europe/Berlin) unless restored',
        ],
      ]);

      // 61 min 30 s in: breached.
      await advance(71);
      const breached = (await year()).services[0]!;
      expect(breached.disruptions[0]).toMatchObject({ level: 'breached', breached: true, breachedAt: '2026-11-26T09:10:00.000Z' });
      expect(breached.anyBreached).toBe(true);
      const timeline = (await manager.incident(incidentId))!.incident.timeline.filter((t) => t.kind.startsWith('tolerance_'));
      expect(timeline.map((t) => t.kind)).toEqual(['tolerance_warning', 'tolerance_breached']);
      expect((await outboxEvents(store, now)).filter((e) => e.startsWith('incident.tolerance'))).toEqual([
        'incident.tolerance_warning',
        'incident.tolerance_breached',
      ]);
      expect(timeline[1]!.message).toBe(
        'Impact tolerance breached: SEPA Instant disrupted longer than its 1 h tolerance (since 26 Nov 2026, 09:10 (Europe/Berlin))',
      );

      // Success again from minute 90: four up minutes stop the clock at 09:30 UTC, the fifth restores the service there.
      await advance(93);
      const recovering = (await year()).services[0]!.disruptions[0]!;
      expect(recovering).toMatchObject({ running: true, end: null, durationSeconds: 80 * 60 });
      await advance(95);
      const ended = (await year()).services[0]!;
      expect(ended.disruptions).toHaveLength(1);
      expect(ended.disruptions[0]).toMatchObject({
        end: '2026-11-26T09:30:00.000Z',
        running: false,
        durationSeconds: 80 * 60,
        level: 'breached',
        breached: true,
      });
      expect(ended.longest).toEqual(ended.disruptions[0]);
      expect(JourneyDetail.parse((await get('/api/v1/journeys/sepa-instant')).body).impactTolerance?.clock).toBeNull();

      // A restart reads the same year back from the store; another year has none.
      const reopened = vigilApi(runtime, manager).tolerances;
      expect((await reopened.year(2026, now)).services[0]!.disruptions).toEqual(ended.disruptions);
      expect((await year()).services[0]!.disruptions.length).toBe(1);
      expect(TolerancesResponse.parse((await get('/api/v1/regulation/tolerances?year=2025')).body).services[0]!.disruptions).toEqual([]);
      // The breach is still one entry after more scans.
      await watch.scan(now);
      expect((await manager.incident(incidentId))!.incident.timeline.filter((t) => t.kind === 'tolerance_breached')).toHaveLength(1);
      expect((await outboxEvents(store, now)).filter((e) => e.startsWith('incident.tolerance'))).toHaveLength(2);
    } finally {
      await app.close();
      await manager.stop();
      await runtime.close();
      await cleanup();
    }
  });

  it('lists a year by its start in defaults.timezone, the longest and any breach; refuses a malformed year', async () => {
    const { store, cleanup } = await open();
    const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
    if (!loaded.ok) throw new Error('test configuration does not load');
    const now = Date.parse('2027-01-05T12:00:00Z');
    const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => now });
    const app = await buildServer({ api: vigilApi(runtime) });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const record = (id: string, start: string, minutes: number | null, breached: boolean, journey = 'sepa-instant') => ({
      id,
      journey,
      incidentId: `inc-${id}`,
      startAt: Date.parse(start),
      endAt: minutes === null ? null : Date.parse(start) + minutes * MIN,
      pausedAt: null,
      toleranceMs: 60 * MIN,
      warnedAt: minutes === null || minutes >= 30 ? Date.parse(start) + 30 * MIN : null,
      breachedAt: breached ? Date.parse(start) + 60 * MIN : null,
    });
    try {
      await store.disruptions.saveDisruptions([
        // 23:30 UTC on 31 December is 00:30 on 1 January in Berlin: a disruption of 2027, not 2026.
        record('new-year', '2026-12-31T23:30:00Z', 20, false),
        // 22:59 UTC is still 23:59 on 31 December in Berlin.
        record('old-year', '2026-12-31T22:59:00Z', 75, true),
        record('spring', '2026-03-01T10:00:00Z', 40, false),
        // A journey no longer an important business service keeps its record.
        record('gone', '2026-06-01T10:00:00Z', 10, false, 'retired-service'),
        // Running since 11:00 UTC on 5 January 2027: 60 minutes at now, not past the tolerance.
        record('running', '2027-01-05T11:00:00Z', null, false),
      ]);
      const answer = async (query: string) => {
        const response = await fetch(`${base}/api/v1/regulation/tolerances${query}`);
        return { status: response.status, body: (await response.json()) as unknown };
      };
      const y2026 = TolerancesResponse.parse((await answer('?year=2026')).body);
      expect(y2026).toMatchObject({
        year: 2026,
        timezone: 'Europe/Berlin',
        from: '2025-12-31T23:00:00.000Z',
        to: '2026-12-31T23:00:00.000Z',
      });
      expect(
        y2026.services.map((s) => [s.journey, s.configured, s.disruptions.map((d) => d.id), s.longest?.id ?? null, s.anyBreached]),
      ).toEqual([
        ['sepa-instant', true, ['spring', 'old-year'], 'old-year', true],
        ['retired-service', false, ['gone'], 'gone', false],
      ]);
      expect(y2026.services[1]).toMatchObject({ displayName: 'retired-service', tolerance: null, toleranceSeconds: null });
      // Without a year: the current one in Berlin, 2027.
      const current = TolerancesResponse.parse((await answer('')).body);
      expect(current.year).toBe(2027);
      expect(current.services).toHaveLength(1);
      expect(current.services[0]!.disruptions.map((d) => [d.id, d.durationSeconds, d.level, d.running])).toEqual([
        ['new-year', 20 * 60, 'ok', false],
        ['running', 60 * 60, 'warning', true],
      ]);
      expect(current.services[0]!.longest?.id).toBe('running');
      expect(current.services[0]!.anyBreached).toBe(false);
      for (const bad of ['?year=26', '?year=1969', '?year=twenty', '?year=2026.0']) {
        const refused = await answer(bad);
        expect(refused.status, bad).toBe(400);
        expect(refused.body).toMatchObject({ error: { code: 'invalid_query' } });
      }
    } finally {
      await app.close();
      await runtime.close();
      await cleanup();
    }
  });
});
