/**
 * The retention purge as leader work over a real store, with an injected clock (docs/storage.md ("Purging old data"),
 * docs/configuration.md ("Retention")): each kind goes at its own age, nothing an open incident or a running
 * impact-tolerance clock needs goes, and /metrics counts what went.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, freshStores } from '../../test/helpers/backend-stores.js';
import { loadConfigFromString } from '../config/load.js';
import { yaml } from '../config/test-yaml.js';
import type { Alert } from '../model/alert.js';
import type { Incident } from '../model/incident.js';
import type { OutboxMessage } from '../model/notification.js';
import { SingleNodeLeadership } from './leader-work.js';
import { VigilMetrics } from './metrics.js';
import { RetentionWork } from './retention-work.js';
import { type PurgeSummary, VigilRuntime } from './runtime.js';

const stores = freshStores('retention');

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const DAY = 86_400_000;
const MIN = 60_000;
// A 7-day window: the engine loads max(7d, rawEvents 35d) + 3d of burn windows + 1d = 39 days; the store keeps 4 weeks
// of baselines more, 67 days of minute aggregates.
const CONFIG = yaml`
  version: vigil/v1
  journeys:
    - name: pay
      steps: [{ name: confirm }]
      slos: [{ name: success, objective: 99, window: 7d, sli: { kind: success } }]
  retention: { rawEvents: 35d, alerts: 30d, incidents: 90d, outbox: 7d }
`;

function alert(key: string, at: number, incidentId: string | null): Alert {
  return {
    key,
    source: 'alertmanager',
    status: 'resolved',
    name: 'HighErrorRate',
    summary: 'ledger 5xx',
    severity: 'critical',
    service: 'ledger',
    labels: {},
    annotations: {},
    startsAt: at,
    endsAt: at + MIN,
    firstReceivedAt: at,
    lastReceivedAt: at,
    flaps: 0,
    stages: [{ journey: 'pay', step: 'confirm' }],
    incidentId,
  };
}

function incident(id: string, openedAt: number, resolvedAt: number | null): Incident {
  return {
    id,
    status: resolvedAt === null ? 'open' : 'resolved',
    priority: 'P2',
    reason: 'pay confirm failing',
    title: 'pay: confirm failing',
    journeys: ['pay'],
    stages: [{ journey: 'pay', step: 'confirm' }],
    services: ['ledger'],
    alertKeys: [],
    alertCount: 0,
    lastAlertAt: openedAt,
    openedAt,
    acknowledgedAt: null,
    resolvedAt,
    paged: false,
    impact: null,
    mergedFrom: [],
    mergedInto: null,
    timeline: [{ at: openedAt, kind: 'opened', message: 'opened' }],
  };
}

function message(id: string, createdAt: number, deliveredAt: number | null): OutboxMessage {
  return {
    id,
    target: 'oncall',
    dedupKey: id,
    payload: '{}',
    createdAt,
    attempts: 1,
    nextAttemptAt: createdAt,
    deliveredAt,
    lastError: null,
  };
}

describe.each(BACKENDS)('retention as leader work on %s', (backend) => {
  async function start() {
    const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
    if (!loaded.ok) throw new Error('test configuration does not load');
    const store = await stores.open(backend);
    const logged: string[] = [];
    const runtime = await VigilRuntime.start({
      config: loaded.config,
      store,
      clock: () => NOW,
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(`warn: ${m}`) },
    });
    stores.afterTest(async () => {
      await runtime.close();
    });
    return { runtime, store, logged };
  }

  it('purges each kind past its retention, keeps what open incidents and running clocks need, and counts it', async () => {
    const { runtime, store, logged } = await start();
    const slis = runtime.registry.slis;
    const event = (id: string, at: number) => ({ id, journey: 'pay', outcome: 'success' as const, timestamp: at });
    await store.events.appendEvents(
      [event('e-70d', NOW - 70 * DAY), event('e-40d', NOW - 40 * DAY), event('e-38.5d', NOW - 38.5 * DAY), event('e-1d', NOW - DAY)],
      slis,
      NOW,
    );
    await store.alerting.saveAlerting({
      alerts: [
        alert('am:of-open', NOW - 38 * DAY, 'open-old'),
        alert('am:of-resolved', NOW - 100 * DAY, 'resolved-old'),
        alert('am:loose-old', NOW - 31 * DAY, null),
        alert('am:loose-new', NOW - 29 * DAY, null),
      ],
      incidents: [
        // Open for 38 days: its raw events stay, though older than rawEvents.
        incident('open-old', NOW - 38 * DAY, null),
        incident('resolved-old', NOW - 101 * DAY, NOW - 100 * DAY),
        incident('clock', NOW - 101 * DAY, NOW - 100 * DAY),
        incident('resolved-recent', NOW - 81 * DAY, NOW - 80 * DAY),
      ],
      outbox: [
        message('sent-old', NOW - 9 * DAY, NOW - 8 * DAY),
        message('stuck', NOW - 100 * DAY, null),
        message('sent-new', NOW - 7 * DAY, NOW - 6 * DAY),
      ],
    });
    await store.alerting.setRegulatoryFlags('resolved-old', [
      { name: 'dataLoss', value: false, setBy: 'ana', setAt: NOW - 100 * DAY, note: null },
    ]);
    // A running impact-tolerance clock since 39 days ago holds its incident, and raw events from its start.
    await store.disruptions.saveDisruptions([
      {
        id: 'pay@clock',
        journey: 'pay',
        incidentId: 'clock',
        startAt: NOW - 39 * DAY,
        endAt: null,
        pausedAt: null,
        toleranceMs: 4 * 3_600_000,
        warnedAt: null,
        breachedAt: null,
      },
    ]);

    const purged = new Promise<PurgeSummary[]>((resolve) => {
      const leadership = new SingleNodeLeadership();
      leadership.start([
        new RetentionWork({ purge: (signal) => runtime.purgeExpired(signal), log: { info: () => {}, warn: () => {} }, onPurged: resolve }),
      ]);
      stores.afterTest(() => leadership.stop());
    });
    const summaries = await purged;
    const rows = Object.fromEntries(summaries.map((s) => [s.kind, s.rows]));
    // Raw events before 39 days ago (the running clock's start, older than the open incident's and the 35 days);
    // aggregates only before 67 days; incidents resolved 100 days ago unless a clock runs; alerts: the loose one of
    // 31 days and the purged incident's; the notification delivered 8 days ago.
    expect(rows).toEqual({ events: 2, aggregates: 2, signals: 0, probes: 0, outbox: 1, incidents: 1, alerts: 2 });
    const cutoffs = Object.fromEntries(summaries.map((s) => [s.kind, s.before]));
    expect(cutoffs).toMatchObject({
      events: NOW - 39 * DAY,
      aggregates: NOW - 67 * DAY,
      incidents: NOW - 90 * DAY,
      alerts: NOW - 30 * DAY,
    });

    expect((await store.events.events({ from: 0, to: NOW })).map((e) => e.id)).toEqual(['e-38.5d', 'e-1d']);
    const minutes = (await store.events.sliMinutes(slis[0]!.key, 0, Math.floor(NOW / MIN))).map((m) => m.minute * MIN);
    expect(minutes).toEqual([NOW - 40 * DAY, NOW - 38.5 * DAY, NOW - DAY]);
    expect((await store.alerting.incidents({})).map((i) => i.id).sort()).toEqual(['clock', 'open-old', 'resolved-recent']);
    expect((await store.alerting.alerts({})).map((a) => a.key).sort()).toEqual(['am:loose-new', 'am:of-open']);
    expect(await store.alerting.regulatoryFlags(['resolved-old'])).toStrictEqual(new Map());
    expect((await store.alerting.outboxDue(NOW, 10)).map((m) => m.id)).toEqual(['stuck']);

    const metrics = new VigilMetrics(runtime, '9.9.9');
    const purgedLines = metrics
      .text(NOW)
      .split('\n')
      .filter((l) => l.startsWith('vigil_purged_rows_total{'));
    expect(purgedLines).toEqual([
      'vigil_purged_rows_total{kind="events"} 2',
      'vigil_purged_rows_total{kind="aggregates"} 2',
      'vigil_purged_rows_total{kind="signals"} 0',
      'vigil_purged_rows_total{kind="probes"} 0',
      'vigil_purged_rows_total{kind="outbox"} 1',
      'vigil_purged_rows_total{kind="incidents"} 1',
      'vigil_purged_rows_total{kind="alerts"} 2',
    ]);
    expect(logged).toContain(
      `retention: deleted 1 delivered notifications older than ${new Date(NOW - 7 * DAY).toISOString()} in 1 transaction`,
    );

    // Nothing is left to go: a second purge deletes nothing and the counters stay.
    const again = await runtime.purgeExpired();
    expect(again.every((s) => s.rows === 0)).toBe(true);
    expect(runtime.purgedRowCounts().get('alerts')).toBe(2);
  });

  it('stops between kinds once its leadership stops', async () => {
    const { runtime } = await start();
    const controller = new AbortController();
    controller.abort();
    expect(await runtime.purgeExpired(controller.signal)).toEqual([]);
  });
});
