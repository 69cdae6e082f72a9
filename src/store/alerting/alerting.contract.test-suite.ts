/** The AlertingStore contract: alerts, incidents and the outbox; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../model/alert.js';
import type { Incident, IncidentQuery } from '../../model/incident.js';
import type { OutboxMessage } from '../../model/notification.js';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const MIN = 60_000;

function alert(key: string, over: Partial<Alert> = {}): Alert {
  return {
    key,
    source: 'alertmanager',
    status: 'firing',
    name: 'HighErrorRate',
    summary: 'payments-api 5xx above 2%',
    severity: 'critical',
    service: 'payments-api',
    labels: { alertname: 'HighErrorRate', service: 'payments-api' },
    annotations: {},
    startsAt: T0,
    endsAt: null,
    firstReceivedAt: T0,
    lastReceivedAt: T0,
    flaps: 0,
    stages: [{ journey: 'pay', step: 'confirm' }],
    incidentId: null,
    ...over,
  };
}

function incident(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    status: 'open',
    priority: 'P2',
    reason: 'pay confirm step failing for 12 customers',
    title: 'pay: confirm failing',
    journeys: ['pay'],
    stages: [{ journey: 'pay', step: 'confirm' }],
    services: ['payments-api'],
    alertKeys: [],
    alertCount: 0,
    lastAlertAt: T0,
    openedAt: T0,
    acknowledgedAt: null,
    resolvedAt: null,
    paged: false,
    impact: null,
    mergedFrom: [],
    mergedInto: null,
    timeline: [{ at: T0, kind: 'opened', message: 'opened' }],
    ...over,
  };
}

function message(id: string, over: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id,
    target: 'oncall',
    dedupKey: 'inc-1',
    payload: JSON.stringify({ event_action: 'trigger', id }),
    createdAt: T0,
    attempts: 0,
    nextAttemptAt: T0,
    deliveredAt: null,
    lastError: null,
    ...over,
  };
}

const NONE = { alerts: [], incidents: [], outbox: [] };

const NAN_IMPACT = {
  customerImpact: true,
  maxBurnRate: Number.NaN,
  customersAffected: 0,
  failuresPerHour: 0,
  valueAtRiskPerHour: [],
  tier: null,
  criticalStage: false,
  assessedAt: T0,
};

/** Registers the alerting cases for one backend. */
export function runAlertingContract(name: string, makeStore: StoreFactory): void {
  describe(`AlertingStore contract: ${name}`, () => {
    let store: Store;
    let reopen: () => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    const ids = (incidents: Incident[]) => incidents.map((i) => i.id);
    /** An incident as read back after `writes` writes of its row (docs/scale-out.md ("Incident versions")). */
    const stored = (i: Incident, writes = 1): Incident => ({ ...i, version: writes });
    const keys = (alerts: Alert[]) => alerts.map((a) => a.key);

    it('gives back exactly the objects saved, nested values, nulls and odd text included', async () => {
      const full = alert('alertmanager:fp-1', {
        severity: null,
        service: null,
        labels: { alertname: 'Latency', 'team/owner': 'paiements ☕', quote: `it's "quoted" \\ back`, empty: '' },
        annotations: { runbook: 'https://runbooks.bank/latency?x=1&y=2', description: 'line 1\nline 2\t\u0001' },
        startsAt: T0 - 1,
        endsAt: T0 + 90_061,
        lastReceivedAt: T0 + 5,
        flaps: 3,
        generatorUrl: 'http://prometheus:9090/graph?g0.expr=rate(x[5m])',
        stages: [
          { journey: 'pay', step: null },
          { journey: 'login', step: 'mfa' },
        ],
        incidentId: 'inc-1',
      });
      const bare = alert('generic:k', { source: 'generic', labels: {}, stages: [] });
      const rich = incident('inc-1', {
        status: 'acknowledged',
        priority: 'P1',
        reason: 'wire-transfer confirm step failing for 2,140 customers, €38k/h at risk',
        journeys: ['pay', 'login'],
        stages: [
          { journey: 'pay', step: null },
          { journey: 'login', step: 'mfa' },
        ],
        services: [],
        alertKeys: [full.key],
        alertCount: 1,
        acknowledgedAt: T0 + 1,
        resolvedAt: T0 + 2,
        paged: true,
        impact: {
          customerImpact: true,
          maxBurnRate: 0.1 + 0.2,
          customersAffected: 2140,
          failuresPerHour: 1e-7,
          valueAtRiskPerHour: [
            { amount: 38_123.46, currency: 'EUR' },
            { amount: 0.01, currency: 'GBP' },
          ],
          tier: 'critical',
          criticalStage: false,
          assessedAt: T0 + 3,
        },
        mergedFrom: ['inc-0', 'inc-00'],
        timeline: [
          { at: T0, kind: 'opened', message: 'opened', alertKey: full.key },
          { at: T0 + 1, kind: 'acknowledged', message: 'acknowledged by alice' },
        ],
      });
      const plain = incident('inc-2', {
        impact: { ...rich.impact!, maxBurnRate: null, tier: null, valueAtRiskPerHour: [] },
      });
      const sent = message('msg-1', { payload: '{"summary":"€ \\"x\\"\\n"}', lastError: 'HTTP 503: ☠' });
      expect(await store.alerting.saveAlerting({ alerts: [full, bare], incidents: [rich, plain], outbox: [sent] })).toEqual(
        new Map([
          ['inc-1', 1],
          ['inc-2', 1],
        ]),
      );

      expect(await store.alerting.alert(full.key)).toStrictEqual(full);
      expect(await store.alerting.alert(bare.key)).toStrictEqual(bare);
      expect(await store.alerting.alert('alertmanager:nope')).toBeNull();
      expect(await store.alerting.incident('inc-1')).toStrictEqual(stored(rich));
      expect(await store.alerting.incident('inc-2')).toStrictEqual(stored(plain));
      // The objects given are not changed: the version lives in its own column, not in the data.
      expect(rich.version).toBeUndefined();
      expect(await store.alerting.incident('inc-3')).toBeNull();
      expect(await store.alerting.outboxDue(T0, 10)).toStrictEqual([sent]);
    });

    it('refuses numbers JSON cannot hold rather than storing null in their place', async () => {
      const nan = incident('inc-1', { impact: NAN_IMPACT });
      await expect(store.alerting.saveAlerting({ alerts: [alert('a')], incidents: [nan], outbox: [] })).rejects.toThrow(
        /inc-1.*maxBurnRate is NaN/,
      );
      expect(await store.alerting.alert('a')).toBeNull();
    });

    it('upserts: an alert or incident saved again is one row with the latest data; an outbox id already stored is kept', async () => {
      await store.alerting.saveAlerting({ alerts: [alert('a')], incidents: [incident('inc-1')], outbox: [message('m1')] });
      const refired = alert('a', { status: 'resolved', endsAt: T0 + MIN, flaps: 2, lastReceivedAt: T0 + MIN, incidentId: 'inc-1' });
      const moved = incident('inc-1', { status: 'resolved', priority: 'P4', journeys: ['login'], resolvedAt: T0 + MIN, paged: true });
      await store.alerting.saveAlerting({
        alerts: [refired],
        incidents: [moved],
        outbox: [message('m1', { payload: '"changed"', target: 'other' }), message('m2')],
      });
      expect(await store.alerting.alerts({})).toStrictEqual([refired]);
      expect(await store.alerting.incidents({})).toStrictEqual([stored(moved, 2)]);
      // The filter columns follow the data.
      expect(await store.alerting.alerts({ incidentId: 'inc-1' })).toStrictEqual([refired]);
      expect(ids(await store.alerting.incidents({ journey: 'pay' }))).toEqual([]);
      expect(ids(await store.alerting.incidents({ journey: 'login', status: ['resolved'], priority: ['P4'] }))).toEqual(['inc-1']);
      expect(await store.alerting.outboxDue(T0, 10)).toStrictEqual([message('m1'), message('m2')]);

      // Inside one call, the last version of a key wins; a repeated outbox id keeps the first.
      await store.alerting.saveAlerting({
        alerts: [alert('b', { flaps: 1 }), alert('b', { flaps: 7 })],
        incidents: [incident('inc-2', { priority: 'P3' }), incident('inc-2', { priority: 'P1' })],
        outbox: [message('m3', { payload: '"first"' }), message('m3', { payload: '"second"' })],
      });
      expect((await store.alerting.alert('b'))?.flaps).toBe(7);
      expect((await store.alerting.incident('inc-2'))?.priority).toBe('P1');
      expect((await store.alerting.outboxDue(T0, 10)).find((m) => m.id === 'm3')?.payload).toBe('"first"');
      expect(await store.alerting.alertingCounts(T0, T0 + 1)).toEqual({ alertsReceived: 2, incidentsOpened: 2, incidentsPaged: 1 });
    });

    describe('incident versions (docs/scale-out.md ("Incident versions"))', () => {
      it('counts each write of an incident: a new one starts at 1, a write without a version adds one, a write with it adds one', async () => {
        expect(await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1')], outbox: [] })).toEqual(
          new Map([['inc-1', 1]]),
        );
        expect((await store.alerting.incident('inc-1'))?.version).toBe(1);
        await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1', { priority: 'P1' })], outbox: [] });
        const read = (await store.alerting.incident('inc-1'))!;
        expect(read).toStrictEqual(incident('inc-1', { priority: 'P1', version: 2 }));
        read.reason = 'changed';
        expect(await store.alerting.saveAlerting({ alerts: [], incidents: [read], outbox: [] })).toEqual(new Map([['inc-1', 3]]));
        for (const listed of [await store.alerting.incidents({}), (await store.alerting.openAlerting()).incidents]) {
          expect(listed).toStrictEqual([incident('inc-1', { priority: 'P1', reason: 'changed', version: 3 })]);
        }
      });

      it('two writers from the same version: one wins, the other gets incident_conflict and writes nothing; re-read and re-applied, both stay', async () => {
        await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1'), incident('inc-2')], outbox: [] });
        const [a, b] = [(await store.alerting.incident('inc-1'))!, (await store.alerting.incident('inc-1'))!];
        const other = (await store.alerting.incident('inc-2'))!;
        a.status = 'acknowledged';
        a.acknowledgedAt = T0 + MIN;
        b.priority = 'P1';
        other.reason = 'from the losing writer';
        const outcomes = await Promise.allSettled([
          store.alerting.saveAlerting({ alerts: [], incidents: [a], outbox: [message('from-a')] }),
          store.alerting.saveAlerting({ alerts: [alert('from-b')], incidents: [other, b], outbox: [message('from-b')] }),
        ]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        const [won, lost] = outcomes[0]!.status === 'fulfilled' ? [a, b] : [b, a];
        const refusal = (outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason;
        expect(refusal).toMatchObject({ code: 'incident_conflict', status: 409, message: expect.stringContaining('now at version 2') });
        // The winner's change is whole; nothing of the loser's call was written (its other incident, alert and message neither).
        expect(await store.alerting.incident('inc-1')).toStrictEqual(stored(won, 2));
        if (lost === b) {
          expect((await store.alerting.incident('inc-2'))?.version).toBe(1);
          expect(await store.alerting.alerts({})).toEqual([]);
          expect((await store.alerting.outboxDue(T0, 10)).map((m) => m.id)).toEqual(['from-a']);
        } else {
          expect((await store.alerting.outboxDue(T0, 10)).map((m) => m.id)).toEqual(['from-b']);
        }
        // The loser re-reads, re-applies its change and writes from version 2: both changes are kept.
        const again = (await store.alerting.incident('inc-1'))!;
        if (lost === b) again.priority = 'P1';
        else Object.assign(again, { status: 'acknowledged', acknowledgedAt: T0 + MIN });
        await store.alerting.saveAlerting({ alerts: [], incidents: [again], outbox: [] });
        expect(await store.alerting.incident('inc-1')).toStrictEqual(
          incident('inc-1', { status: 'acknowledged', acknowledgedAt: T0 + MIN, priority: 'P1', version: 3 }),
        );
        // A stale writer is refused whatever it carries, and so is a version for an incident no longer stored.
        await expect(store.alerting.saveAlerting({ alerts: [], incidents: [{ ...again, version: 2 }], outbox: [] })).rejects.toMatchObject({
          code: 'incident_conflict',
          message: expect.stringContaining('from version 2, it is now at version 3'),
        });
        await expect(
          store.alerting.saveAlerting({ alerts: [], incidents: [incident('gone', { version: 4 })], outbox: [] }),
        ).rejects.toMatchObject({ code: 'incident_conflict', message: expect.stringContaining('no longer stored') });
        expect(await store.alerting.incident('gone')).toBeNull();
      });

      it('moves the version on with a public text or person flags: a stale version writes nothing, the current one adds one', async () => {
        await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1'), incident('inc-2')], outbox: [] });
        const read = (await store.alerting.incident('inc-1'))!;
        const text = (words: string, setAt: number) => ({ text: words, setBy: 'comms', setAt });
        const flag = (value: boolean, setAt: number) => ({ name: 'dataLoss' as const, value, setBy: 'alice', setAt, note: null });
        // Without a version: written whatever the row's, and the version moves on.
        expect(await store.alerting.setPublicText('inc-1', text('first words', T0), undefined)).toBe(2);
        expect(await store.alerting.setRegulatoryFlags('inc-1', [flag(true, T0)])).toBe(3);
        // From the current version: written, one more.
        expect(await store.alerting.setPublicText('inc-1', text('second words', T0 + MIN), 3)).toBe(4);
        expect(await store.alerting.setRegulatoryFlags('inc-1', [flag(false, T0 + MIN)], 4)).toBe(5);
        // From a stale version: refused, nothing written (neither the side rows nor the version).
        await expect(store.alerting.setPublicText('inc-1', text('stale words', T0 + 2 * MIN), 4)).rejects.toMatchObject({
          code: 'incident_conflict',
          status: 409,
          message: expect.stringContaining('from version 4, it is now at version 5'),
        });
        await expect(store.alerting.setRegulatoryFlags('inc-1', [flag(true, T0 + 2 * MIN)], 1)).rejects.toMatchObject({
          code: 'incident_conflict',
          message: expect.stringContaining('from version 1, it is now at version 5'),
        });
        expect((await store.alerting.incident('inc-1'))?.version).toBe(5);
        expect((await store.alerting.publicTexts(['inc-1'])).get('inc-1')).toStrictEqual(text('second words', T0 + MIN));
        expect((await store.alerting.regulatoryFlags(['inc-1'])).get('inc-1')).toStrictEqual([flag(false, T0 + MIN)]);
        // The other incident's version did not move.
        expect((await store.alerting.incident('inc-2'))?.version).toBe(1);
        // A save of the incident from the version read before those writes is refused: they are not overwritten unseen.
        read.reason = 'from before the public text';
        await expect(store.alerting.saveAlerting({ alerts: [], incidents: [read], outbox: [] })).rejects.toMatchObject({
          code: 'incident_conflict',
          message: expect.stringContaining('from version 1, it is now at version 5'),
        });
        expect((await store.alerting.incident('inc-1'))?.reason).toBe(incident('inc-1').reason);
        // An unknown incident: incident_not_found, with or without a version, and nothing written beside it.
        for (const expected of [undefined, 1]) {
          await expect(store.alerting.setPublicText('inc-none', text('words', T0), expected)).rejects.toMatchObject({
            code: 'incident_not_found',
            status: 404,
          });
          await expect(store.alerting.setRegulatoryFlags('inc-none', [flag(true, T0)], expected)).rejects.toMatchObject({
            code: 'incident_not_found',
          });
        }
        expect(await store.alerting.publicTexts(['inc-none'])).toStrictEqual(new Map());
        expect(await store.alerting.regulatoryFlags(['inc-none'])).toStrictEqual(new Map());
      });

      it('two public-text writers from the same version: one lands, the other gets incident_conflict and its text is not kept', async () => {
        await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1')], outbox: [] });
        const outcomes = await Promise.allSettled([
          store.alerting.setPublicText('inc-1', { text: 'from a', setBy: 'a', setAt: T0 }, 1),
          store.alerting.setPublicText('inc-1', { text: 'from b', setBy: 'b', setAt: T0 }, 1),
        ]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        const won = outcomes[0]!.status === 'fulfilled' ? 'from a' : 'from b';
        expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
          code: 'incident_conflict',
        });
        expect((outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<number>).value).toBe(2);
        expect((await store.alerting.publicTexts(['inc-1'])).get('inc-1')?.text).toBe(won);
        expect((await store.alerting.incident('inc-1'))?.version).toBe(2);
      });
    });

    const failures: [string, (good: OutboxMessage) => Parameters<Store['alerting']['saveAlerting']>[0]['outbox'], Partial<Incident>][] = [
      ['an outbox message without a payload (NOT NULL)', (good) => [good, { ...message('bad'), payload: null as unknown as string }], {}],
      ['an incident whose status the schema does not allow (CHECK)', (good) => [good], { status: 'exploded' as Incident['status'] }],
    ];
    for (const [what, outbox, badIncident] of failures) {
      it(`writes nothing of a saveAlerting that fails half-way: ${what}`, async () => {
        const before = { alerts: [alert('a', { summary: 'before' })], incidents: [incident('inc-1')], outbox: [message('m0')] };
        await store.alerting.saveAlerting(before);
        const changes = {
          alerts: [alert('a', { summary: 'after', incidentId: 'inc-2' }), alert('b', { incidentId: 'inc-2' })],
          incidents: [
            incident('inc-1', { status: 'resolved', resolvedAt: T0 + 1 }),
            incident('inc-2', { openedAt: T0 + 1, ...badIncident }),
          ],
          outbox: outbox(message('m1')),
        };
        await expect(store.alerting.saveAlerting(changes)).rejects.toThrow();

        expect(await store.alerting.alerts({})).toStrictEqual(before.alerts);
        expect(await store.alerting.incidents({})).toStrictEqual(before.incidents.map((i) => stored(i)));
        expect(await store.alerting.outboxDue(T0, 10)).toStrictEqual(before.outbox);
        expect(await store.alerting.alertingCounts(0, T0 + MIN)).toEqual({ alertsReceived: 1, incidentsOpened: 1, incidentsPaged: 0 });

        // The store stays usable, and the same changes made valid go through.
        await store.alerting.saveAlerting({
          ...changes,
          incidents: [changes.incidents[0]!, incident('inc-2', { openedAt: T0 + 1 })],
          outbox: [message('m1')],
        });
        expect(keys(await store.alerting.alerts({ incidentId: 'inc-2' }))).toEqual(['a', 'b']);
        expect((await store.alerting.outboxDue(T0, 10)).map((m) => m.id)).toEqual(['m0', 'm1']);
      });
    }

    it('accepts an empty change set', async () => {
      await store.alerting.saveAlerting(NONE);
      expect(await store.alerting.openAlerting()).toEqual({ incidents: [], alerts: [] });
    });

    it('finds alerts by incident and by keys, ordered by startsAt', async () => {
      await store.alerting.saveAlerting({
        alerts: [
          alert('late', { startsAt: T0 + 2 * MIN, incidentId: 'inc-1' }),
          alert('early', { startsAt: T0 - MIN, incidentId: 'inc-1' }),
          alert('tie-b', { startsAt: T0, incidentId: 'inc-1' }),
          alert('tie-a', { startsAt: T0, incidentId: 'inc-1' }),
          alert('other', { startsAt: T0 - 5 * MIN, incidentId: 'inc-2' }),
          alert('loose', { startsAt: T0 + MIN }),
        ],
        incidents: [],
        outbox: [],
      });
      expect(keys(await store.alerting.alerts({ incidentId: 'inc-1' }))).toEqual(['early', 'tie-a', 'tie-b', 'late']);
      expect(keys(await store.alerting.alerts({ incidentId: 'inc-9' }))).toEqual([]);
      expect(keys(await store.alerting.alerts({ keys: ['loose', 'other', 'missing', 'late'] }))).toEqual(['other', 'loose', 'late']);
      expect(keys(await store.alerting.alerts({ keys: [] }))).toEqual([]);
      // Both filters: alerts that pass both.
      expect(keys(await store.alerting.alerts({ incidentId: 'inc-1', keys: ['late', 'other'] }))).toEqual(['late']);
      expect(keys(await store.alerting.alerts({}))).toEqual(['other', 'early', 'tie-a', 'tie-b', 'loose', 'late']);
    });

    it('openAlerting returns the unresolved incidents and the alerts firing or belonging to them', async () => {
      await store.alerting.saveAlerting({
        alerts: [
          alert('firing-loose', { startsAt: T0 + 3 }),
          alert('resolved-loose', { status: 'resolved', endsAt: T0 + 9 }),
          alert('resolved-of-open', { status: 'resolved', endsAt: T0 + 9, incidentId: 'open', startsAt: T0 + 1 }),
          alert('resolved-of-acked', { status: 'resolved', endsAt: T0 + 9, incidentId: 'acked', startsAt: T0 + 2 }),
          alert('resolved-of-closed', { status: 'resolved', endsAt: T0 + 9, incidentId: 'closed' }),
          alert('firing-of-closed', { incidentId: 'closed', startsAt: T0 + 4 }),
        ],
        incidents: [
          incident('open', { openedAt: T0 + 1 }),
          incident('acked', { status: 'acknowledged', acknowledgedAt: T0 + 5 }),
          incident('closed', { status: 'resolved', resolvedAt: T0 + 9 }),
        ],
        outbox: [],
      });
      const state = await store.alerting.openAlerting();
      expect(ids(state.incidents).sort()).toEqual(['acked', 'open']);
      expect(state.incidents.find((i) => i.id === 'acked')).toStrictEqual(
        incident('acked', { status: 'acknowledged', acknowledgedAt: T0 + 5, version: 1 }),
      );
      expect(keys(state.alerts)).toEqual(['resolved-of-open', 'resolved-of-acked', 'firing-loose', 'firing-of-closed']);
    });

    it('filters incidents by status, journey and priority, newest opened first', async () => {
      await store.alerting.saveAlerting({
        alerts: [],
        incidents: [
          incident('a', { openedAt: T0, journeys: ['pay', 'login'], priority: 'P1' }),
          incident('b', { openedAt: T0 + 2 * MIN, journeys: ['login'], status: 'acknowledged', priority: 'P3' }),
          incident('c', { openedAt: T0 + MIN, journeys: ['pay'], status: 'resolved', resolvedAt: T0 + 3 * MIN, priority: 'P1' }),
          incident('d', { openedAt: T0 + MIN, journeys: [], priority: 'P4' }),
          incident('e', { openedAt: T0 + MIN, journeys: ['payments'], priority: 'P2' }),
        ],
        outbox: [],
      });
      expect(ids(await store.alerting.incidents({}))).toEqual(['b', 'e', 'd', 'c', 'a']);
      expect(ids(await store.alerting.incidents({ status: ['open'] }))).toEqual(['e', 'd', 'a']);
      expect(ids(await store.alerting.incidents({ status: ['acknowledged', 'resolved'] }))).toEqual(['b', 'c']);
      expect(ids(await store.alerting.incidents({ status: [] }))).toEqual([]);
      // A journey matches whole names only: 'pay' is not 'payments'.
      expect(ids(await store.alerting.incidents({ journey: 'pay' }))).toEqual(['c', 'a']);
      expect(ids(await store.alerting.incidents({ journey: 'login' }))).toEqual(['b', 'a']);
      expect(ids(await store.alerting.incidents({ journey: 'nowhere' }))).toEqual([]);
      expect(ids(await store.alerting.incidents({ priority: ['P1', 'P4'] }))).toEqual(['d', 'c', 'a']);
      expect(ids(await store.alerting.incidents({ priority: ['P1'], journey: 'pay', status: ['open'] }))).toEqual(['a']);
      expect(ids(await store.alerting.incidents({ limit: 2 }))).toEqual(['b', 'e']);
      expect(ids(await store.alerting.incidents({ limit: 0 }))).toEqual([]);
      await expect(store.alerting.incidents({ limit: -1 })).rejects.toThrow(RangeError);
    });

    it('filters incidents open at any time in [from, to)', async () => {
      await store.alerting.saveAlerting({
        alerts: [],
        incidents: [
          incident('before', { openedAt: T0 - 10 * MIN, status: 'resolved', resolvedAt: T0 }),
          incident('across', { openedAt: T0 - 10 * MIN, status: 'resolved', resolvedAt: T0 + 1 }),
          incident('still-open', { openedAt: T0 - 10 * MIN }),
          incident('inside', { openedAt: T0 + MIN, status: 'resolved', resolvedAt: T0 + 2 * MIN }),
          incident('instant', { openedAt: T0 + 3 * MIN, status: 'resolved', resolvedAt: T0 + 3 * MIN }),
          incident('at-to', { openedAt: T0 + 10 * MIN }),
          incident('just-in', { openedAt: T0 + 10 * MIN - 1 }),
        ],
        outbox: [],
      });
      const open = async (q: IncidentQuery) => ids(await store.alerting.incidents(q)).sort();
      expect(await open({ from: T0, to: T0 + 10 * MIN })).toEqual(['across', 'inside', 'instant', 'just-in', 'still-open']);
      expect(await open({ from: T0 + 10 * MIN })).toEqual(['at-to', 'just-in', 'still-open']);
      expect(await open({ to: T0 - 10 * MIN })).toEqual([]);
      expect(await open({ to: T0 - 10 * MIN + 1 })).toEqual(['across', 'before', 'still-open']);
      expect(await open({ from: T0 + 3 * MIN, to: T0 + 3 * MIN + 1 })).toEqual(['instant', 'still-open']);
    });

    it('filters incidents by text over title, reason and services, case-insensitive, with no wildcard characters', async () => {
      await store.alerting.saveAlerting({
        alerts: [],
        incidents: [
          incident('t', { openedAt: T0, title: 'Core LEDGER down', reason: 'r', services: ['x'] }),
          incident('r', { openedAt: T0 + MIN, title: 't', reason: 'ledger timeouts for 40 customers', services: ['x'] }),
          incident('s', { openedAt: T0 + 2 * MIN, title: 't', reason: 'r', services: ['fraud-check', 'core-ledger-api'] }),
          incident('n', { openedAt: T0 + 3 * MIN, title: 'login slow', reason: '100% of 5_xx', services: ['auth'] }),
        ],
        outbox: [],
      });
      expect(ids(await store.alerting.incidents({ text: 'Ledger' }))).toEqual(['s', 'r', 't']);
      expect(ids(await store.alerting.incidents({ text: 'fraud-check' }))).toEqual(['s']);
      expect(ids(await store.alerting.incidents({ text: '%' }))).toEqual(['n']);
      expect(ids(await store.alerting.incidents({ text: '5_x' }))).toEqual(['n']);
      expect(ids(await store.alerting.incidents({ text: '_' }))).toEqual(['n']);
      expect(ids(await store.alerting.incidents({ text: 'nowhere' }))).toEqual([]);
      expect(ids(await store.alerting.incidents({ text: 'ledger', status: ['open'], limit: 2 }))).toEqual(['s', 'r']);
      expect(await store.alerting.incidentCount({ text: 'LEDGER' })).toBe(3);
      expect(await store.alerting.incidentCount({ text: 'ledger', journey: 'nowhere' })).toBe(0);
      expect(await store.alerting.incidentCount({})).toBe(4);
    });

    it('pages incidents with a cursor: every match once, in order, the count beside', async () => {
      // Ties on openedAt are ordered by id, so a cursor in the middle of a tie neither repeats nor skips.
      const many = Array.from({ length: 23 }, (_, i) =>
        incident(`p-${String(i).padStart(2, '0')}`, { openedAt: T0 + Math.floor(i / 3) * MIN, priority: i % 2 === 0 ? 'P1' : 'P3' }),
      );
      await store.alerting.saveAlerting({ alerts: [], incidents: many, outbox: [] });
      const seen: string[] = [];
      let after: IncidentQuery['after'];
      for (let page = 0; page < 10; page += 1) {
        const got = await store.alerting.incidents({ priority: ['P1'], limit: 5, ...(after && { after }) });
        seen.push(...ids(got));
        if (got.length < 5) break;
        const last = got.at(-1)!;
        after = { openedAt: last.openedAt, id: last.id };
      }
      const expected = ids(many.filter((i) => i.priority === 'P1')).reverse();
      expect(seen).toEqual(expected);
      expect(await store.alerting.incidentCount({ priority: ['P1'], limit: 5, after: { openedAt: T0, id: 'p-00' } })).toBe(12);
      expect(ids(await store.alerting.incidents({ after: { openedAt: T0 + 2 * MIN, id: 'p-07' }, limit: 3 }))).toEqual([
        'p-06',
        'p-05',
        'p-04',
      ]);
      expect(await store.alerting.incidents({ after: { openedAt: T0, id: 'p-00' } })).toEqual([]);
    });

    it('returns at most 100 incidents unless told otherwise', async () => {
      const many = Array.from({ length: 105 }, (_, i) => incident(`inc-${String(i).padStart(3, '0')}`, { openedAt: T0 + i }));
      await store.alerting.saveAlerting({ alerts: [], incidents: many, outbox: [] });
      const page = await store.alerting.incidents({});
      expect(page).toHaveLength(100);
      expect(page[0]!.id).toBe('inc-104');
      expect(page[99]!.id).toBe('inc-005');
      expect(await store.alerting.incidents({ limit: 200 })).toHaveLength(105);
    });

    it('counts alerts first received, incidents opened and paged in [from, to), merged incidents aside', async () => {
      await store.alerting.saveAlerting({
        alerts: [
          alert('at-from', { firstReceivedAt: T0, startsAt: T0 - 60 * MIN }),
          alert('inside', { firstReceivedAt: T0 + MIN, lastReceivedAt: T0 + 20 * MIN }),
          alert('at-to', { firstReceivedAt: T0 + 10 * MIN }),
          alert('before', { firstReceivedAt: T0 - 1, lastReceivedAt: T0 + MIN }),
        ],
        incidents: [
          incident('opened-at-from', { openedAt: T0, paged: true }),
          incident('quiet', { openedAt: T0 + 5 * MIN, priority: 'P4' }),
          incident('merged', {
            openedAt: T0 + 6 * MIN,
            paged: true,
            status: 'resolved',
            resolvedAt: T0 + 7 * MIN,
            mergedInto: 'opened-at-from',
          }),
          incident('opened-at-to', { openedAt: T0 + 10 * MIN, paged: true }),
          incident('earlier', { openedAt: T0 - 1, paged: true }),
        ],
        outbox: [],
      });
      expect(await store.alerting.alertingCounts(T0, T0 + 10 * MIN)).toEqual({ alertsReceived: 2, incidentsOpened: 2, incidentsPaged: 1 });
      expect(await store.alerting.alertingCounts(T0 - 1, T0 + 10 * MIN + 1)).toEqual({
        alertsReceived: 4,
        incidentsOpened: 4,
        incidentsPaged: 3,
      });
      expect(await store.alerting.alertingCounts(T0 + 20 * MIN, T0 + 30 * MIN)).toEqual({
        alertsReceived: 0,
        incidentsOpened: 0,
        incidentsPaged: 0,
      });
      expect(await store.alerting.alertingCounts(T0, T0)).toEqual({ alertsReceived: 0, incidentsOpened: 0, incidentsPaged: 0 });
    });

    it('counts technical alerts first received in [from, to) by service, leaving out SLO alerts and alerts naming none', async () => {
      await store.alerting.saveAlerting({
        alerts: [
          alert('a1', { firstReceivedAt: T0 }),
          alert('a2', { firstReceivedAt: T0 + MIN, service: 'ledger' }),
          alert('a3', { firstReceivedAt: T0 + 2 * MIN, service: 'ledger', source: 'generic' }),
          alert('slo', { firstReceivedAt: T0 + MIN, source: 'slo', service: 'ledger' }),
          alert('none', { firstReceivedAt: T0 + MIN, service: null }),
          alert('at-to', { firstReceivedAt: T0 + 10 * MIN, service: 'ledger' }),
          alert('before', { firstReceivedAt: T0 - 1 }),
        ],
        incidents: [],
        outbox: [],
      });
      expect(await store.alerting.technicalAlertCounts(T0, T0 + 10 * MIN)).toEqual([
        { service: 'ledger', alerts: 2 },
        { service: 'payments-api', alerts: 1 },
      ]);
      expect(await store.alerting.technicalAlertCounts(T0 + 20 * MIN, T0 + 30 * MIN)).toEqual([]);
    });

    it('hands out due outbox messages oldest first, in saved order within a millisecond, and records attempts', async () => {
      await store.alerting.saveAlerting({
        ...NONE,
        outbox: [
          message('z-trigger', { createdAt: T0 + 5 }),
          message('a-resolve', { createdAt: T0 + 5 }),
          message('old', { createdAt: T0 - MIN }),
        ],
      });
      await store.alerting.saveAlerting({
        ...NONE,
        outbox: [
          message('later', { createdAt: T0 + 6, nextAttemptAt: T0 + MIN }),
          message('done', { createdAt: T0 - 2 * MIN, deliveredAt: T0 - MIN, attempts: 1 }),
          message('due-at-now', { createdAt: T0 + 7, nextAttemptAt: T0 + MIN - 1 }),
        ],
      });
      const due = async (now: number, limit = 10) => (await store.alerting.outboxDue(now, limit)).map((m) => m.id);
      expect(await due(T0)).toEqual(['old', 'z-trigger', 'a-resolve']);
      expect(await due(T0 + MIN - 1)).toEqual(['old', 'z-trigger', 'a-resolve', 'due-at-now']);
      expect(await due(T0 + MIN, 2)).toEqual(['old', 'z-trigger']);
      expect(await due(T0 + MIN, 0)).toEqual([]);

      // A failed attempt: retried later, with its error; only the delivery fields change.
      const failed = { ...message('old', { createdAt: T0 - MIN }), attempts: 1, nextAttemptAt: T0 + 30_000, lastError: 'HTTP 502' };
      await store.alerting.updateOutbox({ ...failed, payload: 'ignored', target: 'ignored' });
      expect(await due(T0)).toEqual(['z-trigger', 'a-resolve']);
      expect((await store.alerting.outboxDue(T0 + 30_000, 10))[0]).toStrictEqual(failed);
      // Delivered: never due again.
      await store.alerting.updateOutbox({ ...failed, attempts: 2, deliveredAt: T0 + 31_000, lastError: null });
      await store.alerting.updateOutbox({ ...message('z-trigger', { createdAt: T0 + 5 }), attempts: 1, deliveredAt: T0 + 1 });
      expect(await due(T0 + 10 * MIN)).toEqual(['a-resolve', 'later', 'due-at-now']);
      await expect(store.alerting.updateOutbox(message('never-saved'))).rejects.toThrow(/never-saved/);
    });

    it('hands out claims on outbox messages: one holder at a time until its claim ends (docs/scale-out.md ("Notifications once"))', async () => {
      await store.alerting.saveAlerting({
        ...NONE,
        outbox: [message('c1'), message('c2', { createdAt: T0 + 1 }), message('c3', { createdAt: T0 + 2, deliveredAt: T0, attempts: 1 })],
      });
      const claim = async (ids: string[], who: string, until: number, now: number) =>
        [...(await store.alerting.claimOutbox(ids, who, until, now))].sort();
      // [claimant, ids asked, until, now, ids held after]: hand-computed, in order.
      const steps: [string, string[], number, number, string[]][] = [
        ['node-a', ['c1'], T0 + 60_000, T0, ['c1']],
        // Another node is refused c1 while a's claim runs, and gets c2; a delivered message is nobody's.
        ['node-b', ['c1', 'c2', 'c3'], T0 + 60_000, T0 + 1_000, ['c2']],
        // The holder renews its own claim.
        ['node-a', ['c1'], T0 + 120_000, T0 + 2_000, ['c1']],
        // Renewed until T0 + 120 s: still a's at T0 + 90 s.
        ['node-b', ['c1'], T0 + 150_000, T0 + 90_000, []],
        // Once the claim ended, another node may take it.
        ['node-b', ['c1'], T0 + 180_000, T0 + 120_000, ['c1']],
        ['node-a', [], T0, T0, []],
        ['node-a', ['never-saved'], T0 + 60_000, T0, []],
      ];
      for (const [who, ids, until, now, held] of steps) expect(await claim(ids, who, until, now)).toEqual(held);
      // Claims do not change what is due.
      expect((await store.alerting.outboxDue(T0, 10)).map((m) => m.id)).toEqual(['c1', 'c2']);
    });

    it('keeps alerts, incidents and the outbox when the database is closed and reopened', async () => {
      const alerts = [
        alert('a', { incidentId: 'inc-1', labels: { x: 'ü' } }),
        alert('b', { status: 'resolved', endsAt: T0 + 1, startsAt: T0 + 1 }),
      ];
      const incidents = [
        incident('inc-1', { alertKeys: ['a'], paged: true }),
        incident('inc-0', { status: 'resolved', resolvedAt: T0, openedAt: T0 - MIN }),
      ];
      const outbox = [message('m1'), message('m2', { createdAt: T0 + 1 })];
      await store.alerting.saveAlerting({ alerts, incidents, outbox });
      await store.alerting.updateOutbox({ ...outbox[0]!, attempts: 1, nextAttemptAt: T0 + 5_000, lastError: 'timeout' });
      await store.close();

      const again = await reopen();
      expect(await again.alerting.alerts({})).toStrictEqual(alerts);
      expect(await again.alerting.incidents({})).toStrictEqual(incidents.map((i) => stored(i)));
      expect(await again.alerting.openAlerting()).toStrictEqual({ incidents: [stored(incidents[0]!)], alerts: [alerts[0]] });
      expect(await again.alerting.outboxDue(T0 + 5_000, 10)).toStrictEqual([
        { ...outbox[0]!, attempts: 1, nextAttemptAt: T0 + 5_000, lastError: 'timeout' },
        outbox[1],
      ]);
      expect(await again.alerting.alertingCounts(T0 - MIN, T0 + MIN)).toEqual({ alertsReceived: 2, incidentsOpened: 2, incidentsPaged: 1 });
    });

    it('keeps public texts apart from the incident: set, replaced, read back by id after a reopen, untouched by incident upserts', async () => {
      await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1'), incident('inc-2')], outbox: [] });
      const hostile = `<script>alert("x")</script> & 'quotes' ☕\nline 2`;
      await store.alerting.setPublicText('inc-1', { text: 'first words', setBy: 'ops', setAt: T0 });
      await store.alerting.setPublicText('inc-1', { text: hostile, setBy: null, setAt: T0 + MIN });
      await store.alerting.setPublicText('inc-2', { text: 'Card payments were slow.', setBy: 'comms', setAt: T0 + 2 * MIN });
      // The incident manager upserts the whole incident later: the public text stays.
      await store.alerting.saveAlerting({
        alerts: [],
        incidents: [incident('inc-1', { status: 'resolved', resolvedAt: T0 + MIN })],
        outbox: [],
      });
      await store.close();

      const again = await reopen();
      const texts = await again.alerting.publicTexts(['inc-1', 'inc-2', 'inc-none']);
      expect([...texts.entries()].sort(([a], [b]) => a.localeCompare(b))).toStrictEqual([
        ['inc-1', { text: hostile, setBy: null, setAt: T0 + MIN }],
        ['inc-2', { text: 'Card payments were slow.', setBy: 'comms', setAt: T0 + 2 * MIN }],
      ]);
      expect(await again.alerting.publicTexts([])).toStrictEqual(new Map());
      expect((await again.alerting.incident('inc-1'))?.status).toBe('resolved');
    });

    it('keeps DORA person flags (docs/dora.md ("Person flags")): each as last set, cleared as null, apart from incident upserts', async () => {
      await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1'), incident('inc-2')], outbox: [] });
      const by = (setBy: string | null, setAt: number, note: string | null = null) => ({ setBy, setAt, note });
      await store.alerting.setRegulatoryFlags('inc-1', [
        { name: 'dataLoss', value: true, ...by('alice', T0) },
        { name: 'otherCosts', value: { amount: 40_000.5, currency: 'EUR' }, ...by('alice', T0, 'legal fees') },
        { name: 'cause', value: "ledger 'disk' ☕", ...by('alice', T0) },
      ]);
      await store.alerting.setRegulatoryFlags('inc-1', [
        { name: 'dataLoss', value: null, ...by('bob', T0 + MIN, 'restored from backup: no loss') },
        { name: 'initialSubmittedAt', value: T0 + 2 * MIN, ...by(null, T0 + 2 * MIN) },
      ]);
      await store.alerting.setRegulatoryFlags('inc-2', [{ name: 'geographical', value: false, ...by('carol', T0) }]);
      await store.alerting.setRegulatoryFlags('inc-2', []);
      await store.alerting.saveAlerting({
        alerts: [],
        incidents: [incident('inc-1', { status: 'resolved', resolvedAt: T0 + MIN })],
        outbox: [],
      });
      await store.close();

      const again = await reopen();
      const flags = await again.alerting.regulatoryFlags(['inc-1', 'inc-2', 'inc-none']);
      expect([...flags.keys()].sort()).toEqual(['inc-1', 'inc-2']);
      expect(flags.get('inc-1')).toStrictEqual([
        { name: 'cause', value: "ledger 'disk' ☕", ...by('alice', T0) },
        { name: 'dataLoss', value: null, ...by('bob', T0 + MIN, 'restored from backup: no loss') },
        { name: 'initialSubmittedAt', value: T0 + 2 * MIN, ...by(null, T0 + 2 * MIN) },
        { name: 'otherCosts', value: { amount: 40_000.5, currency: 'EUR' }, ...by('alice', T0, 'legal fees') },
      ]);
      expect(flags.get('inc-2')).toStrictEqual([{ name: 'geographical', value: false, ...by('carol', T0) }]);
      expect(await again.alerting.regulatoryFlags([])).toStrictEqual(new Map());
    });

    it('records the first classification of an incident and never moves it (docs/dora.md ("What Vigil keeps"))', async () => {
      const first = { incidentId: 'inc-1', classifiedAt: T0, basis: 'thresholds' as const, reason: 'Major: two thresholds' };
      await store.alerting.saveAlerting({ alerts: [], incidents: [incident('inc-1')], outbox: [], classifications: [first] });
      // A later save, or a direct classify, with another time keeps the first.
      await store.alerting.saveAlerting({
        alerts: [],
        incidents: [incident('inc-1', { priority: 'P1' })],
        outbox: [],
        classifications: [{ ...first, classifiedAt: T0 + MIN, reason: 'later' }],
      });
      expect(await store.alerting.classify({ ...first, classifiedAt: T0 + 2 * MIN, basis: 'recurring' })).toStrictEqual(first);
      const second = { incidentId: 'inc-2', classifiedAt: T0 + 3 * MIN, basis: 'recurring' as const, reason: 'Major (recurring)' };
      expect(await store.alerting.classify(second)).toStrictEqual(second);
      // Only classifications, in a save of its own, are written too.
      const third = { incidentId: 'inc-3', classifiedAt: T0 + 4 * MIN, basis: 'thresholds' as const, reason: 'Major: data losses' };
      await store.alerting.saveAlerting({ alerts: [], incidents: [], outbox: [], classifications: [third] });
      await store.close();

      const again = await reopen();
      const found = await again.alerting.classifications(['inc-1', 'inc-2', 'inc-3', 'inc-none']);
      expect([...found.entries()].sort(([a], [b]) => a.localeCompare(b))).toStrictEqual([
        ['inc-1', first],
        ['inc-2', second],
        ['inc-3', third],
      ]);
      expect((await again.alerting.incident('inc-1'))?.priority).toBe('P1');
      expect(await again.alerting.classifications([])).toStrictEqual(new Map());
    });

    describe('retention (docs/storage.md ("Purging old data"))', () => {
      const DAY = 86_400_000;
      const OLD = T0 - 500 * DAY;
      const CUT = T0 - 400 * DAY;
      const resolved = (id: string, over: Partial<Incident> = {}) =>
        incident(id, { status: 'resolved', openedAt: OLD, resolvedAt: OLD + MIN, lastAlertAt: OLD, ...over });
      const oldAlert = (key: string, over: Partial<Alert> = {}) =>
        alert(key, { status: 'resolved', startsAt: OLD, endsAt: OLD + MIN, firstReceivedAt: OLD, lastReceivedAt: OLD, ...over });

      it('purges delivered messages delivered before the cut-off in batches, never an undelivered one', async () => {
        const delivered = Array.from({ length: 12_000 }, (_, i) =>
          message(`old-${String(i).padStart(5, '0')}`, { createdAt: OLD, deliveredAt: OLD + i, attempts: 1 }),
        );
        const kept = [
          message('undelivered-old', { createdAt: OLD, nextAttemptAt: OLD, attempts: 9, lastError: 'HTTP 503' }),
          message('delivered-recent', { createdAt: OLD, deliveredAt: CUT, attempts: 1 }),
          message('undelivered-new', { createdAt: T0 }),
        ];
        await store.alerting.saveAlerting({ alerts: [], incidents: [], outbox: [...delivered, ...kept] });
        // 12,000 rows in batches of 5,000: 5,000 + 5,000 + 2,000, three transactions.
        expect(await store.alerting.purgeOutbox(CUT, 5_000)).toEqual({ rows: 12_000, batches: 3 });
        expect((await store.alerting.outboxDue(T0, 100)).map((m) => m.id)).toEqual(['undelivered-old', 'undelivered-new']);
        // The delivered message delivered at the cut-off itself stays; a later purge past it takes it.
        expect(await store.alerting.purgeOutbox(CUT)).toEqual({ rows: 0, batches: 1 });
        expect(await store.alerting.purgeOutbox(CUT + 1)).toEqual({ rows: 1, batches: 1 });
        expect((await store.alerting.outboxDue(T0, 100)).map((m) => m.id)).toEqual(['undelivered-old', 'undelivered-new']);
      });

      it('purges resolved alerts received before the cut-off that belong to no incident, in batches', async () => {
        const loose = Array.from({ length: 12 }, (_, i) => oldAlert(`am:loose-${String(i).padStart(2, '0')}`));
        const kept = [
          oldAlert('am:firing', { status: 'firing', endsAt: null }),
          oldAlert('am:flapped-lately', { lastReceivedAt: T0 - DAY, flaps: 3 }),
          oldAlert('am:recent', { firstReceivedAt: CUT, lastReceivedAt: CUT }),
          oldAlert('am:of-open', { incidentId: 'open' }),
          oldAlert('am:of-old-resolved', { incidentId: 'old-resolved' }),
        ];
        const incidents = [incident('open', { openedAt: OLD }), resolved('old-resolved')];
        await store.alerting.saveAlerting({ alerts: [...loose, ...kept], incidents, outbox: [] });
        expect(await store.alerting.purgeAlerts(CUT, 5)).toEqual({ rows: 12, batches: 3 });
        expect(keys(await store.alerting.alerts({})).sort()).toEqual(keys(kept).sort());
        // Alerts whose incident is gone (purged earlier) are loose: they go by their own age.
        await store.alerting.saveAlerting({
          alerts: [oldAlert('am:orphan', { incidentId: 'purged-long-ago' })],
          incidents: [],
          outbox: [],
        });
        expect(await store.alerting.purgeAlerts(CUT)).toEqual({ rows: 1, batches: 1 });
        expect(await store.alerting.alert('am:orphan')).toBeNull();
      });

      it('purges whole incidents resolved before the cut-off: alerts, public text, flags and classification with them', async () => {
        const gone = resolved('gone', { alertKeys: ['am:a', 'am:b'], alertCount: 2 });
        await store.alerting.saveAlerting({
          alerts: [
            oldAlert('am:a', { incidentId: 'gone' }),
            oldAlert('am:b', { incidentId: 'gone', firstReceivedAt: T0, lastReceivedAt: T0 }),
          ],
          incidents: [gone, resolved('recent', { resolvedAt: CUT })],
          outbox: [],
          classifications: [{ incidentId: 'gone', classifiedAt: OLD, basis: 'thresholds', reason: 'Major: two thresholds' }],
        });
        await store.alerting.setPublicText('gone', { text: 'Card payments were failing.', setBy: 'ana', setAt: OLD });
        await store.alerting.setRegulatoryFlags('gone', [{ name: 'dataLoss', value: false, setBy: 'ana', setAt: OLD, note: null }]);

        expect(await store.alerting.purgeIncidents(CUT)).toEqual({ rows: 1, batches: 1, alerts: 2 });
        expect(await store.alerting.incident('gone')).toBeNull();
        expect(await store.alerting.alerts({ incidentId: 'gone' })).toEqual([]);
        expect(await store.alerting.publicTexts(['gone'])).toStrictEqual(new Map());
        expect(await store.alerting.regulatoryFlags(['gone'])).toStrictEqual(new Map());
        expect(await store.alerting.classifications(['gone'])).toStrictEqual(new Map());
        // Resolved exactly at the cut-off: kept.
        expect((await store.alerting.incident('recent'))?.status).toBe('resolved');
      });

      it('keeps open incidents, those named, those with a firing alert, and every incident merged with one kept', async () => {
        await store.alerting.saveAlerting({
          alerts: [oldAlert('am:still-firing', { status: 'firing', endsAt: null, incidentId: 'with-firing' })],
          incidents: [
            incident('open', { openedAt: OLD }),
            incident('acked', { status: 'acknowledged', openedAt: OLD, acknowledgedAt: OLD + MIN }),
            resolved('clock-running'),
            resolved('with-firing'),
            // Merged into an open incident: kept with it.
            resolved('into-open', { mergedInto: 'open' }),
            // A chain into a recent incident: both links kept.
            resolved('chain-1', { mergedInto: 'chain-2' }),
            resolved('chain-2', { mergedInto: 'recent', mergedFrom: ['chain-1'] }),
            resolved('recent', { resolvedAt: T0, mergedFrom: ['chain-2'] }),
            // An old root whose merged incident is held by a running clock: the root stays too.
            resolved('root', { mergedFrom: ['member'] }),
            resolved('member', { mergedInto: 'root' }),
            // An old merge with nothing holding it: purged whole.
            resolved('old-root', { mergedFrom: ['old-member'] }),
            resolved('old-member', { mergedInto: 'old-root' }),
          ],
          outbox: [],
        });
        const purged = await store.alerting.purgeIncidents(CUT, { keep: ['clock-running', 'member'] });
        expect(purged).toEqual({ rows: 2, batches: 1, alerts: 0 });
        const left = ids(await store.alerting.incidents({ limit: 1_000 })).sort();
        expect(left).toEqual([
          'acked',
          'chain-1',
          'chain-2',
          'clock-running',
          'into-open',
          'member',
          'open',
          'recent',
          'root',
          'with-firing',
        ]);
      });

      it('purges incidents at most a batch per transaction', async () => {
        const old = Array.from({ length: 7 }, (_, i) => resolved(`old-${i}`, { resolvedAt: OLD + i * MIN }));
        await store.alerting.saveAlerting({ alerts: [], incidents: [...old, incident('open')], outbox: [] });
        expect(await store.alerting.purgeIncidents(CUT, { batch: 3 })).toEqual({ rows: 7, batches: 3, alerts: 0 });
        expect(ids(await store.alerting.incidents({}))).toEqual(['open']);
        await expect(store.alerting.purgeIncidents(CUT, { batch: 0 })).rejects.toThrow(RangeError);
      });
    });
  });
}
