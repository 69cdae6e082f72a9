/**
 * DORA classification at run time over SQLite and PostgreSQL (docs/dora.md ("When it is classified", "Notifications",
 * "Recurring incidents")): the incident manager classifies a P1 once and its notification carries the clock line, an
 * incident that grows becomes major later and is notified as such, a person's flag classifies a resolved incident, and
 * earlier incidents of the same cause make a recurring one major.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, freshStores } from '../../test/helpers/backend-stores.js';
import { loadConfigFromString } from '../config/load.js';
import type { IncomingAlert } from '../model/alert.js';
import type { Incident } from '../model/incident.js';
import { IncidentManager } from './incident-manager.js';
import { VigilRuntime } from './runtime.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** 10:32 in London (GMT in December): the initial notification is due by 14:32. */
const NOW = Date.parse('2026-12-03T10:32:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** One reference day, downtime over 10 minutes: two thresholds are easy to reach and to miss. */
const CONFIG = `version: vigil/v1
defaults: { timezone: Europe/London }
regulation:
  dora: { referenceDays: 1, downtime: 10m, recurringWithin: 30d }
journeys:
  - name: sepa-instant
    tier: critical
    value: { currency: EUR, revenuePerSuccess: 100 }
    steps: [{ name: pay, services: [sepa-api], critical: true }]
    slos: [{ name: pay, objective: 99.9, window: 28d, sli: { kind: success, step: pay } }]
  - name: statements
    tier: standard
    steps: [{ name: view, services: [docs-api] }]
notifications:
  targets:
    - { name: oncall, type: webhook, url: "https://itsm.example/hook" }
    - { name: chat, type: slack, url: "https://hooks.slack.example/x" }
`;

const stores = freshStores('dora');

async function start(backend: 'sqlite' | 'postgres', clock: { now: number }) {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error('test configuration does not load');
  const store = await stores.open(backend);
  const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => clock.now });
  const manager = await IncidentManager.start(runtime, { info: () => {}, warn: () => {} });
  stores.afterTest(async () => {
    await manager.stop();
    await runtime.close();
  });
  /** Events of sepa-instant's pay step: `count` of `outcome`, one a minute from `from`, by `customers` customers. */
  const events = async (prefix: string, outcome: 'success' | 'failure', from: number, count: number, customers: number) => {
    const body = Array.from({ length: count }, (_, i) => ({
      id: `${prefix}${i}`,
      journey: 'sepa-instant',
      step: 'pay',
      outcome,
      timestamp: iso(from + i * MIN),
      customerId: `${prefix}c${i % customers}`,
    }));
    const result = await runtime.ingestor.ingest(JSON.stringify(body), 'application/json');
    expect(result).toMatchObject({ status: 200, accepted: count });
  };
  const alert = (key: string, service: string, startsAt: number, status: 'firing' | 'resolved' = 'firing'): IncomingAlert => ({
    source: 'generic',
    sourceKey: `prometheus/${key}`,
    status,
    name: key,
    summary: `${service} failing`,
    severity: 'critical',
    service,
    labels: {},
    annotations: {},
    startsAt,
    endsAt: status === 'resolved' ? startsAt + 30 * MIN : null,
  });
  const payloads = async () =>
    (await store.alerting.outboxDue(Number.MAX_SAFE_INTEGER, 100)).map((m) => ({ target: m.target, body: JSON.parse(m.payload) }));
  return { runtime, manager, store, events, alert, payloads };
}

describe.each(BACKENDS)('DORA at run time on %s', (backend) => {
  it("classifies a P1 as it opens, once; its notification says 'DORA: major — initial notification due by 14:32'", async () => {
    const clock = { now: NOW };
    const s = await start(backend, clock);
    // Reference day: 10 customers; then 20 minutes of failures by 4 customers (40% of a day's, downtime 20 min > 10 min).
    await s.events('r', 'success', NOW - DAY, 10, 10);
    await s.events('f', 'failure', NOW - 22 * MIN, 20, 4);
    const summary = await s.manager.receiveAlerts([s.alert('SepaDown', 'sepa-api', NOW - 20 * MIN)], NOW);
    const id = summary.incidents[0]!;
    const classified = await s.store.alerting.classifications([id]);
    expect(classified.get(id)).toMatchObject({ incidentId: id, classifiedAt: NOW, basis: 'thresholds' });

    const messages = await s.payloads();
    expect(messages.map((m) => [m.target, m.body.event ?? m.body.text?.slice(0, 2)])).toEqual([
      ['oncall', 'incident.opened'],
      ['chat', ':r'],
    ]);
    const webhook = messages[0]!.body;
    expect(webhook.incident.priority).toBe('P1');
    expect(webhook.dora).toBe('DORA: major — initial notification due by 14:32');
    expect(webhook.summary.endsWith(' · DORA: major — initial notification due by 14:32')).toBe(true);
    const slack = messages[1]!.body;
    expect(slack.text).toContain('DORA: major — initial notification due by 14:32');
    expect(slack.blocks[2].fields.at(-1).text).toBe('*DORA*\nDORA: major — initial notification due by 14:32');

    // Later measurements never move the classification, and it is not notified again.
    clock.now = NOW + 10 * MIN;
    await s.manager.tick(clock.now);
    expect((await s.store.alerting.classifications([id])).get(id)?.classifiedAt).toBe(NOW);
    const incident = (await s.store.alerting.incident(id))!;
    expect(incident.timeline.filter((t) => t.kind === 'classified')).toHaveLength(1);
    expect((await s.payloads()).length).toBe(2);
  });

  it('an incident that grows becomes major later and is notified as classified; a non-critical one never is', async () => {
    const clock = { now: NOW };
    const s = await start(backend, clock);
    await s.events('r', 'success', NOW - DAY, 10, 10);
    // Five failures by one customer: 10% of a day's customers (not over), downtime 5 min.
    await s.events('a', 'failure', NOW - 6 * MIN, 5, 1);
    const id = (await s.manager.receiveAlerts([s.alert('SepaDown', 'sepa-api', NOW - 5 * MIN)], NOW)).incidents[0]!;
    const other = (await s.manager.receiveAlerts([s.alert('DocsDown', 'docs-api', NOW - 5 * MIN)], NOW)).incidents[0]!;
    expect((await s.store.alerting.classifications([id, other])).size).toBe(0);
    const before = (await s.payloads()).length;

    // Ten minutes later: 15 failed minutes by 3 customers.
    clock.now = NOW + 10 * MIN;
    await s.events('b', 'failure', NOW - MIN, 10, 3);
    await s.manager.tick(clock.now);
    expect((await s.store.alerting.classifications([id, other])).get(id)?.classifiedAt).toBe(clock.now);
    expect((await s.store.alerting.classifications([other])).size).toBe(0);
    const after = (await s.payloads()).slice(before);
    const webhook = after.find((m) => m.target === 'oncall')!.body;
    expect(webhook.event).toBe('incident.classified');
    expect(webhook.summary).toMatch(/^P\d incident classified major under DORA: .* · DORA: major — initial notification due by 14:42$/);
  });

  it("a person's data-loss flag classifies a resolved incident at the flag's time, with a timeline entry and no notification", async () => {
    const clock = { now: NOW };
    const s = await start(backend, clock);
    const resolved: Incident = {
      id: 'inc-done',
      status: 'resolved',
      priority: 'P3',
      reason: 'sepa-instant pay failing',
      title: 'SEPA down',
      journeys: ['sepa-instant'],
      stages: [{ journey: 'sepa-instant', step: 'pay' }],
      services: ['sepa-api'],
      alertKeys: [],
      alertCount: 1,
      lastAlertAt: NOW - 3 * DAY,
      openedAt: NOW - 3 * DAY,
      acknowledgedAt: null,
      resolvedAt: NOW - 3 * DAY + 40 * MIN,
      paged: false,
      impact: null,
      mergedFrom: [],
      mergedInto: null,
      timeline: [{ at: NOW - 3 * DAY, kind: 'opened', message: 'opened' }],
    };
    await s.store.alerting.saveAlerting({ alerts: [], incidents: [resolved], outbox: [] });
    // Made from the version read (If-Match): the flags move it to 2, the classification they cause to 3, from 2.
    const answer = await s.manager.setRegulatoryFlags('inc-done', { dataLoss: true, note: 'IBANs in a public log' }, () => 'alice', NOW, 1);
    expect(answer.decision).toMatchObject({ major: true, basis: 'thresholds', thresholdsMet: ['dataLosses'] });
    expect(answer.classification?.classifiedAt).toBe(iso(NOW));
    expect(answer.version).toBe(3);
    const stored = (await s.store.alerting.incident('inc-done'))!;
    expect(stored.timeline.at(-1)).toMatchObject({ at: NOW, kind: 'classified' });
    expect(stored.version).toBe(3);
    // From a version it no longer has: refused, the flag as it was.
    await expect(s.manager.setRegulatoryFlags('inc-done', { dataLoss: false }, () => 'eve', NOW, 2)).rejects.toMatchObject({
      code: 'incident_conflict',
      details: { version: 3 },
    });
    expect((await s.store.alerting.regulatoryFlags(['inc-done'])).get('inc-done')).toMatchObject([{ name: 'dataLoss', value: true }]);
    expect(await s.payloads()).toEqual([]);
    // Clearing the flag changes the decision, never the classification.
    const cleared = await s.manager.setRegulatoryFlags('inc-done', { dataLoss: null }, () => 'bob', NOW + MIN);
    expect(cleared.decision.major).toBe(false);
    expect(cleared.classification?.classifiedAt).toBe(iso(NOW));
    expect(cleared.flags).toEqual([{ name: 'dataLoss', value: null, setBy: 'bob', setAt: iso(NOW + MIN), note: null }]);
    expect(cleared.version).toBe(4);
  });

  it('recurring (Art. 8(2)): earlier incidents of the same cause, not major alone, make this one major together', async () => {
    const clock = { now: NOW };
    const s = await start(backend, clock);
    await s.events('r', 'success', NOW - DAY, 10, 10);
    // Three outages of 8 failed minutes by 2 customers each: alone 20% of 10 customers (met) but 8 min of downtime (not
    // over 10); together 24 minutes of downtime, over 10.
    const starts = [NOW - 10 * DAY, NOW - 5 * DAY];
    const earlier: Incident[] = starts.map((at, n) => ({
      id: `inc-e${n}`,
      status: 'resolved',
      priority: 'P2',
      reason: 'sepa-instant pay failing',
      title: 'SEPA down',
      journeys: ['sepa-instant'],
      stages: [{ journey: 'sepa-instant', step: 'pay' }],
      services: ['sepa-api'],
      alertKeys: [],
      alertCount: 1,
      lastAlertAt: at,
      openedAt: at,
      acknowledgedAt: null,
      resolvedAt: at + 8 * MIN,
      paged: true,
      impact: null,
      mergedFrom: [],
      mergedInto: null,
      timeline: [],
    }));
    // A third of another cause (a person said so) does not count.
    const otherCause: Incident = {
      ...earlier[0]!,
      id: 'inc-other',
      openedAt: NOW - 7 * DAY,
      lastAlertAt: NOW - 7 * DAY,
      resolvedAt: NOW - 7 * DAY + 8 * MIN,
    };
    await s.store.alerting.saveAlerting({ alerts: [], incidents: [...earlier, otherCause], outbox: [] });
    await s.store.alerting.setRegulatoryFlags('inc-other', [{ name: 'cause', value: 'network', setBy: 'carol', setAt: NOW, note: null }]);
    for (const [n, at] of [...starts, NOW - 7 * DAY].entries()) await s.events(`e${n}-`, 'failure', at, 8, 2);
    await s.events('now-', 'failure', NOW - 9 * MIN, 8, 2);
    const id = (await s.manager.receiveAlerts([s.alert('SepaDown', 'sepa-api', NOW - 8 * MIN)], NOW)).incidents[0]!;

    const answer = await s.manager.regulatory!(id, NOW);
    expect(answer.cause).toBe('sepa-instant/sepa-api');
    expect(answer.recurring).toMatchObject({
      cause: 'sepa-instant/sepa-api',
      incidents: [
        { id: 'inc-e0', openedAt: iso(starts[0]!) },
        { id: 'inc-e1', openedAt: iso(starts[1]!) },
      ],
      decision: { major: true, thresholdsMet: ['clientsAndTransactions', 'durationAndDowntime'] },
    });
    expect(answer.decision).toMatchObject({ major: true, basis: 'recurring' });
    expect(answer.decision.reason).toMatch(
      /^Major \(recurring, Art\. 8\(2\)\): not major on its own, but with 2 earlier incidents of the same cause \(sepa-instant\/sepa-api: inc-e0 and inc-e1\)/,
    );
    expect(answer.report.recurring).toBe(true);
    // The manager recorded it with its basis.
    expect((await s.store.alerting.classifications([id])).get(id)).toMatchObject({ classifiedAt: NOW, basis: 'recurring' });
  });
});
