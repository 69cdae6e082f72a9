import { money } from '../model/money.js';
import { describe, expect, it } from 'vitest';
import type { IncomingAlert } from '../model/alert.js';
import type { Incident } from '../model/incident.js';
import { Correlator } from './correlate.js';
import { MAX_INCIDENT_ALERT_KEYS } from './incident-track.js';
import { buildJourneyMap } from './journey-map.js';
import { firing, impact, MIN, resolvedAt, sequentialIds, stormConfig, T0 } from './test-kit.test-suite.js';

const config = stormConfig();
const journeyMap = buildJourneyMap(config);
const correlator = (windowMinutes = 10) =>
  new Correlator({ journeyMap, alerting: { ...config.alerting, correlationWindowMinutes: windowMinutes }, newId: sequentialIds() });
const receiveAll = (c: Correlator, alerts: IncomingAlert[]) => alerts.map((a) => c.receive(a, (a.startsAt ?? T0) + 1000));
/** Open incidents as sorted lists of alert names@service, for readable grouping assertions. */
const groups = (c: Correlator) =>
  c
    .openIncidents()
    .map((i) => i.alertKeys.map((k) => k.replace('alertmanager:', '')).sort())
    .sort((a, b) => a[0]!.localeCompare(b[0]!));

describe('Correlator: opening and joining', () => {
  it('opens an incident for a firing alert, maps it to its stages, and names it', () => {
    const c = correlator();
    const result = c.receive(firing('card-issuer-proxy', 0), T0 + 2000);
    expect(result.isNew).toBe(true);
    expect(result.opened).toBe('inc-1');
    expect(result.alert).toMatchObject({
      key: 'alertmanager:HighErrorRate@card-issuer-proxy',
      service: 'card-issuer-proxy',
      startsAt: T0,
      firstReceivedAt: T0 + 2000,
      flaps: 0,
      incidentId: 'inc-1',
    });
    expect(result.alert.stages).toEqual([{ journey: 'card-payment', step: 'authorise' }]);
    const [incident] = result.incidents;
    expect(incident).toMatchObject({
      id: 'inc-1',
      status: 'open',
      priority: 'P4',
      paged: false,
      openedAt: T0,
      lastAlertAt: T0,
      journeys: ['card-payment'],
      services: ['card-issuer-proxy'],
      title: 'card-payment · authorise: 1 alert on card-issuer-proxy',
      reason: 'customer impact not assessed yet: card-issuer-proxy alerts on card-payment',
    });
    expect(incident?.timeline).toEqual([
      {
        at: T0,
        kind: 'opened',
        message: 'opened by HighErrorRate on card-issuer-proxy',
        alertKey: 'alertmanager:HighErrorRate@card-issuer-proxy',
      },
    ]);
  });

  it('uses the receipt time when the alert has no startsAt', () => {
    const c = correlator();
    const { alert } = c.receive(firing('card-issuer-proxy', 0, { startsAt: null }), T0 + 42_000);
    expect(alert.startsAt).toBe(T0 + 42_000);
    expect(c.incident('inc-1')?.openedAt).toBe(T0 + 42_000);
  });

  it('joins alerts on other services of the same stage, and keeps unrelated stages apart', () => {
    const c = correlator();
    receiveAll(c, [
      firing('card-issuer-proxy', 0),
      firing('sms-provider', 1),
      firing('card-gateway', 2), // screen and authorise: shares authorise
      firing('kyc-service', 3),
      firing('card-issuer-proxy', 4, { name: 'PodCrashLooping' }),
    ]);
    expect(groups(c)).toEqual([
      ['HighErrorRate@card-gateway', 'HighErrorRate@card-issuer-proxy', 'PodCrashLooping@card-issuer-proxy'],
      ['HighErrorRate@kyc-service'],
      ['HighErrorRate@sms-provider'],
    ]);
    const card = c.incident('inc-1')!;
    expect(card.title).toBe('card-payment · authorise +1 stage: 3 alerts on card-issuer-proxy, card-gateway');
    expect(card.stages).toEqual([
      { journey: 'card-payment', step: 'authorise' },
      { journey: 'card-payment', step: 'screen' },
    ]);
    expect(card.timeline.map((e) => e.kind)).toEqual(['opened', 'alert_added', 'alert_added']);
  });

  it('leads the title with the first alert’s most important stage; later warnings never rename it', () => {
    const warnings = correlator();
    receiveAll(warnings, [firing('core-ledger', 0), firing('sepa-gateway', 1), firing('sepa-gateway', 2, { name: 'Slow' })]);
    expect(warnings.incident('inc-1')?.title).toBe('card-payment · authorise +1 stage: 3 alerts on core-ledger, sepa-gateway');
    // Urgent alerts on another stage, touching it more often, do take the lead.
    const c = correlator();
    receiveAll(c, [
      firing('core-ledger', 0),
      firing('sepa-gateway', 1, { severity: 'critical' }),
      firing('sepa-gateway', 2, { name: 'Slow', severity: 'critical' }),
    ]);
    expect(c.incident('inc-1')?.title).toBe('sepa-instant · confirm +1 stage: 3 alerts on core-ledger, sepa-gateway');
    // …and a later warning on the first stage does not take it back.
    c.receive(firing('card-issuer-proxy', 3), T0 + 3 * MIN);
    expect(c.incident('inc-1')?.title).toMatch(/^sepa-instant · confirm \+1 stage: 4 alerts/);
    const tie = correlator();
    tie.receive(firing('core-ledger', 0), T0);
    expect(tie.incident('inc-1')?.title).toBe('card-payment · authorise +1 stage: 1 alert on core-ledger');
  });

  it('measures the window from the incident’s newest alert, so a steady trickle stays one incident', () => {
    const c = correlator();
    receiveAll(
      c,
      [0, 8, 16, 24, 33].map((m, i) => firing('sms-provider', m, { name: `A${i}` })),
    );
    expect(c.openIncidents()).toHaveLength(1);
    expect(c.incident('inc-1')).toMatchObject({ openedAt: T0, lastAlertAt: T0 + 33 * MIN });
  });
});

describe('Correlator: window edges (both ends inclusive)', () => {
  const at = (ms: number, name: string) => firing('sms-provider', 0, { name, startsAt: T0 + ms });
  it.each([
    ['exactly the window after the newest alert joins', 10 * MIN, 1],
    ['one millisecond more opens a new incident', 10 * MIN + 1, 2],
    ['exactly the window before the earliest alert joins (late replay)', -10 * MIN, 1],
    ['one millisecond earlier opens a new incident', -10 * MIN - 1, 2],
    ['inside the span joins', 0, 1],
  ])('%s', (_name, offset, incidents) => {
    const c = correlator();
    c.receive(at(0, 'First'), T0);
    c.receive(at(offset, 'Second'), T0 + 20 * MIN);
    expect(c.openIncidents()).toHaveLength(incidents);
  });

  it('follows the configured window', () => {
    const c = correlator(2);
    receiveAll(c, [
      firing('sms-provider', 0, { name: 'A' }),
      firing('sms-provider', 2, { name: 'B' }),
      firing('sms-provider', 5, { name: 'C' }),
    ]);
    expect(groups(c)).toEqual([['A@sms-provider', 'B@sms-provider'], ['C@sms-provider']]);
  });
});

describe('Correlator: merging', () => {
  it('an alert on a shared service merges the incidents of both journeys into the oldest', () => {
    const c = correlator();
    receiveAll(c, [firing('card-issuer-proxy', 0), firing('sepa-gateway', 1)]);
    const result = c.receive(firing('core-ledger', 2), T0 + 2 * MIN + 1000);
    expect(result.incidents.map((i) => i.id).sort()).toEqual(['inc-1', 'inc-2']);
    const survivor = c.incident('inc-1')!;
    const merged = c.incident('inc-2')!;
    expect(survivor).toMatchObject({ status: 'open', mergedFrom: ['inc-2'], journeys: ['card-payment', 'sepa-instant'] });
    expect(survivor.alertKeys).toHaveLength(3);
    expect(merged).toMatchObject({ status: 'resolved', mergedInto: 'inc-1', resolvedAt: T0 + 2 * MIN });
    expect(merged.timeline.at(-1)).toMatchObject({ kind: 'merged', message: 'merged into inc-1' });
    expect(survivor.timeline.at(-1)).toMatchObject({ kind: 'merged', message: expect.stringContaining('merged inc-2') });
    expect(c.alert('alertmanager:HighErrorRate@sepa-gateway')?.incidentId).toBe('inc-1');
    expect(result.alert.incidentId).toBe('inc-1');
  });

  it('merges into the incident with the earliest alert even when it was opened later (out-of-order)', () => {
    const c = correlator();
    c.receive(firing('sepa-gateway', 5), T0 + 5 * MIN);
    c.receive(firing('card-issuer-proxy', 1), T0 + 6 * MIN);
    c.receive(firing('core-ledger', 3), T0 + 7 * MIN);
    expect(c.openIncidents().map((i) => i.id)).toEqual(['inc-2']);
    expect(c.incident('inc-1')?.mergedInto).toBe('inc-2');
  });

  it('keeps merging while a grown incident reaches further ones (span grew)', () => {
    // fraud-check (screen) at 0 and card-issuer-proxy (authorise) at 9 share nothing. card-gateway (screen
    // and authorise) arrives late with time -5: too far from the authorise incident itself (14 min), but
    // it joins the screen incident, which then shares authorise and lies 9 minutes from it.
    const c = correlator();
    c.receive(firing('fraud-check', 0), T0);
    c.receive(firing('card-issuer-proxy', 9), T0 + 9 * MIN);
    expect(c.openIncidents()).toHaveLength(2);
    const result = c.receive(firing('card-gateway', -5), T0 + 10 * MIN);
    expect(c.openIncidents().map((i) => i.alertKeys.length)).toEqual([3]);
    expect(result.incidents.map((i) => i.id).sort()).toEqual(['inc-1', 'inc-2']);
  });

  it('keeps merging while a grown incident reaches further ones (new stage inside the span)', () => {
    const c = correlator();
    receiveAll(c, [firing('fraud-check', 0), firing('fraud-check', 4, { name: 'Slow' }), firing('card-issuer-proxy', 13)]);
    expect(c.openIncidents()).toHaveLength(2);
    c.receive(firing('card-gateway', 2), T0 + 14 * MIN);
    expect(c.openIncidents()).toHaveLength(1);
  });

  it('a whole-journey SLO alert merges the incidents on that journey’s steps', () => {
    const c = correlator();
    receiveAll(c, [firing('card-issuer-proxy', 0), firing('fraud-check', 1), firing('sms-provider', 1)]);
    expect(c.openIncidents()).toHaveLength(3);
    c.receive(
      firing(null, 2, {
        source: 'slo',
        sourceKey: 'card-payment/success/page',
        name: 'card-payment success burn',
        labels: {},
        stages: [{ journey: 'card-payment', step: null }],
      }),
      T0 + 2 * MIN,
    );
    expect(groups(c)).toEqual([
      ['HighErrorRate@card-issuer-proxy', 'HighErrorRate@fraud-check', 'slo:card-payment/success/page'],
      ['HighErrorRate@sms-provider'],
    ]);
  });

  it('a step SLO alert joins the technical alerts of that step', () => {
    const c = correlator();
    c.receive(firing('sms-provider', 0), T0);
    const { alert } = c.receive(
      firing(null, 3, {
        source: 'slo',
        sourceKey: 'login/mfa',
        name: 'login mfa burn',
        labels: {},
        stages: [{ journey: 'login', step: 'mfa' }],
      }),
      T0 + 3 * MIN,
    );
    expect(alert.incidentId).toBe('inc-1');
    expect(c.incident('inc-1')?.services).toEqual(['sms-provider']);
  });
});

describe('Correlator: re-sent, flapping and resolved alerts', () => {
  it('a re-sent alert updates the stored one and is never new', () => {
    const c = correlator();
    const first = c.receive(firing('sms-provider', 0), T0 + 1000);
    const again = c.receive(firing('sms-provider', 0, { summary: 'still failing', severity: 'critical' }), T0 + 5 * MIN);
    expect(again.isNew).toBe(false);
    expect(again.opened).toBeNull();
    expect(again.incidents).toEqual([]);
    expect(again.alert).toBe(first.alert);
    expect(again.alert).toMatchObject({
      summary: 'still failing',
      severity: 'critical',
      firstReceivedAt: T0 + 1000,
      lastReceivedAt: T0 + 5 * MIN,
      flaps: 0,
    });
    expect(c.incident('inc-1')?.alertKeys).toHaveLength(1);
    expect(c.alerts()).toHaveLength(1);
  });

  it('a flapping alert stays one alert in one incident, counting its flaps', () => {
    const c = correlator();
    const alert = firing('sms-provider', 0);
    c.receive(alert, T0);
    c.receive(resolvedAt(alert, 2), T0 + 2 * MIN);
    expect(c.alert('alertmanager:HighErrorRate@sms-provider')).toMatchObject({ status: 'resolved', endsAt: T0 + 2 * MIN });
    const refired = c.receive(firing('sms-provider', 3), T0 + 3 * MIN);
    c.receive(resolvedAt(alert, 4), T0 + 4 * MIN);
    c.receive(firing('sms-provider', 5), T0 + 5 * MIN);
    expect(refired.isNew).toBe(false);
    expect(c.alert('alertmanager:HighErrorRate@sms-provider')).toMatchObject({
      status: 'firing',
      flaps: 2,
      startsAt: T0 + 5 * MIN,
      endsAt: null,
      incidentId: 'inc-1',
    });
    expect(c.incidents()).toHaveLength(1);
    expect(c.incident('inc-1')?.alertKeys).toHaveLength(1);
    expect(c.incident('inc-1')?.timeline.map((e) => e.kind)).toEqual([
      'opened',
      'alert_resolved',
      'alert_refired',
      'alert_resolved',
      'alert_refired',
    ]);
    expect(c.incident('inc-1')?.lastAlertAt).toBe(T0 + 5 * MIN);
  });

  it('a resolved message for an unknown key stores the alert as resolved without an incident', () => {
    const c = correlator();
    const result = c.receive(resolvedAt(firing('sms-provider', 0), 3), T0 + 3 * MIN);
    expect(result).toMatchObject({ isNew: true, opened: null, incidents: [] });
    expect(result.alert).toMatchObject({ status: 'resolved', startsAt: T0, endsAt: T0 + 3 * MIN, incidentId: null });
    expect(c.incidents()).toEqual([]);
  });

  it('its late firing message still puts it in an incident, as the live stream would have, without a flap', () => {
    const c = correlator();
    c.receive(resolvedAt(firing('sms-provider', 0), 3), T0 + 3 * MIN);
    const late = c.receive(firing('sms-provider', 0), T0 + 4 * MIN);
    expect(late.alert).toMatchObject({ status: 'resolved', flaps: 0, incidentId: 'inc-1' });
    expect(late.opened).toBe('inc-1');
  });

  it('ignores a resolve that belongs to an earlier episode', () => {
    const c = correlator();
    c.receive(firing('sms-provider', 10), T0 + 10 * MIN);
    c.receive(resolvedAt(firing('sms-provider', 0), 5), T0 + 11 * MIN);
    expect(c.alert('alertmanager:HighErrorRate@sms-provider')?.status).toBe('firing');
  });

  it('a refire soon after its incident settled reopens it; a refire much later opens a new incident', () => {
    const c = correlator();
    const alert = firing('sms-provider', 0);
    c.receive(alert, T0);
    c.receive(resolvedAt(alert, 1), T0 + MIN);
    expect(c.settle(T0 + 2 * MIN, () => true).map((i) => i.id)).toEqual(['inc-1']);
    const soon = c.receive(firing('sms-provider', 6), T0 + 6 * MIN);
    expect(soon.alert.incidentId).toBe('inc-1');
    expect(c.incident('inc-1')).toMatchObject({ status: 'open', resolvedAt: null });
    expect(c.incident('inc-1')?.timeline.map((e) => e.kind)).toContain('reopened');
    c.receive(resolvedAt(alert, 7), T0 + 7 * MIN);
    c.settle(T0 + 8 * MIN, () => true);
    const later = c.receive(firing('sms-provider', 60), T0 + 60 * MIN);
    expect(later.opened).toBe('inc-2');
    expect(later.alert).toMatchObject({ incidentId: 'inc-2', flaps: 2 });
  });
});

describe('Correlator: noise', () => {
  it('alerts no journey depends on group by service into lowest-priority incidents that are not paged', () => {
    const c = correlator();
    receiveAll(c, [
      firing('hr-portal', 0, { name: 'DiskFull' }),
      firing('hr-portal', 1, { name: 'CertExpiry' }),
      firing('batch-reporting', 1),
      firing(null, 2, { name: 'NodeClockSkew', sourceKey: 'skew-1', labels: { alertname: 'NodeClockSkew', instance: 'n1' } }),
      firing(null, 3, { name: 'NodeClockSkew', sourceKey: 'skew-2', labels: { alertname: 'NodeClockSkew', instance: 'n2' } }),
      firing(null, 3, { name: 'Watchdog', labels: { alertname: 'Watchdog' } }),
    ]);
    const incidents = c.openIncidents();
    expect(incidents.map((i) => [i.title, i.priority, i.paged, i.reason])).toEqual([
      ['2 alerts on hr-portal (no journey)', 'P4', false, 'no journey depends on hr-portal'],
      ['1 alert on batch-reporting (no journey)', 'P4', false, 'no journey depends on batch-reporting'],
      ['2 alerts NodeClockSkew with no service', 'P4', false, 'no journey depends on these alerts: none names a service'],
      ['1 alert Watchdog with no service', 'P4', false, 'no journey depends on these alerts: none names a service'],
    ]);
    expect(incidents.every((i) => i.journeys.length === 0 && i.stages.length === 0)).toBe(true);
  });

  it('noise never joins a journey incident running at the same time', () => {
    const c = correlator();
    receiveAll(c, [firing('sms-provider', 0), firing('hr-portal', 0), firing(null, 1, { name: 'X', labels: {} })]);
    expect(c.openIncidents()).toHaveLength(3);
  });
});

describe('Correlator: lifecycle', () => {
  it('settles only incidents whose alerts all resolved and whose journeys recovered', () => {
    const c = correlator();
    const sms = firing('sms-provider', 0);
    const kyc = firing('kyc-service', 0);
    receiveAll(c, [sms, kyc, firing('pdf-renderer', 0)]);
    c.receive(resolvedAt(sms, 5), T0 + 5 * MIN);
    c.receive(resolvedAt(kyc, 5), T0 + 5 * MIN);
    const asked: string[] = [];
    const settled = c.settle(T0 + 6 * MIN, (incident) => {
      asked.push(incident.id);
      return incident.journeys.includes('login');
    });
    expect(asked.sort()).toEqual(['inc-1', 'inc-2']);
    expect(settled.map((i) => i.id)).toEqual(['inc-1']);
    expect(c.incident('inc-1')).toMatchObject({ status: 'resolved', resolvedAt: T0 + 6 * MIN });
    expect(c.incident('inc-1')?.timeline.at(-1)).toMatchObject({
      kind: 'resolved',
      message: 'all alerts resolved and the journeys recovered',
    });
    expect(c.openIncidents().map((i) => i.id)).toEqual(['inc-2', 'inc-3']);
    // A new alert on the settled stage opens a new incident.
    expect(c.receive(firing('sms-provider', 7, { name: 'Other' }), T0 + 7 * MIN).opened).toBe('inc-4');
  });

  it('acknowledges and resolves by hand, reporting invalid transitions as results', () => {
    const c = correlator();
    receiveAll(c, [firing('sms-provider', 0), firing('sepa-gateway', 0), firing('card-issuer-proxy', 1), firing('core-ledger', 2)]);
    expect(c.acknowledge('inc-1', T0 + 3 * MIN, 'alice')).toMatchObject({
      ok: true,
      incident: { status: 'acknowledged', acknowledgedAt: T0 + 3 * MIN },
    });
    expect(c.incident('inc-1')?.timeline.at(-1)).toMatchObject({ kind: 'acknowledged', message: 'acknowledged by alice' });
    expect(c.acknowledge('inc-1', T0 + 4 * MIN)).toEqual({
      ok: false,
      code: 'invalid_transition',
      message: 'cannot acknowledge incident inc-1: it is acknowledged',
    });
    expect(c.resolve('inc-1', T0 + 5 * MIN)).toMatchObject({ ok: true, incident: { status: 'resolved', resolvedAt: T0 + 5 * MIN } });
    expect(c.resolve('inc-1', T0 + 6 * MIN)).toMatchObject({ ok: false, code: 'invalid_transition' });
    expect(c.acknowledge('inc-3', T0)).toEqual({
      ok: false,
      code: 'invalid_transition',
      message: 'cannot acknowledge incident inc-3: it is merged into inc-2',
    });
    expect(c.acknowledge('nope', T0)).toEqual({ ok: false, code: 'incident_not_found', message: "No incident has the id 'nope'" });
    expect(c.resolve('nope', T0)).toMatchObject({ ok: false, code: 'incident_not_found' });
    // An acknowledged incident still takes alerts.
    c.acknowledge('inc-2', T0 + 3 * MIN);
    expect(c.receive(firing('sepa-gateway', 4, { name: 'Slow' }), T0 + 4 * MIN).alert.incidentId).toBe('inc-2');
  });

  it('assess sets impact and re-derives priority, with a timeline entry when it changes', () => {
    const c = correlator();
    c.receive(firing('sms-provider', 0, { severity: 'critical' }), T0);
    const result = c.assess(
      'inc-1',
      impact({ tier: 'core', maxBurnRate: 15, customersAffected: 240, valueAtRiskPerHour: [], criticalStage: true }),
      T0 + MIN,
    );
    expect(result.ok && result.incident).toMatchObject({
      priority: 'P1',
      paged: true,
      reason: 'login mfa step failing for 240 customers (core tier, burn 15× the sustainable rate)',
    });
    expect(c.incident('inc-1')?.timeline.at(-1)).toMatchObject({
      kind: 'priority_changed',
      message: expect.stringMatching(/^P4 → P1: login mfa step/),
    });
    // An incident keeps its peak: impact that fades neither lowers the priority nor replaces the impact behind it.
    c.assess('inc-1', impact({ customerImpact: false }), T0 + 2 * MIN);
    expect(c.incident('inc-1')).toMatchObject({
      priority: 'P1',
      paged: true,
      reason: 'login mfa step failing for 240 customers (core tier, burn 15× the sustainable rate)',
      impact: { customersAffected: 240 },
    });
    expect(c.assess('nope', null, T0)).toMatchObject({ ok: false, code: 'incident_not_found' });
  });

  it('keeps the reason of its largest impact when a later one is smaller at the same priority', () => {
    const c = correlator();
    c.receive(firing('sms-provider', 0, { severity: 'critical' }), T0);
    const big = { tier: 'critical', customersAffected: 50_000, valueAtRiskPerHour: [money(20_000, 'EUR')], criticalStage: true };
    c.assess('inc-1', impact({ ...big, maxBurnRate: 31 }), T0 + MIN);
    expect(c.incident('inc-1')).toMatchObject({ priority: 'P1', reason: expect.stringContaining('burn 31×') });
    // The same customers, with the burn read after the outage ended: still P1, and the reason keeps the 31× burn.
    c.assess('inc-1', impact({ ...big, maxBurnRate: 0 }), T0 + 90 * MIN);
    expect(c.incident('inc-1')).toMatchObject({ priority: 'P1', reason: expect.stringContaining('burn 31×') });
  });
});

describe('Correlator: bounded alert key list', () => {
  /** `count` alerts on one service at `minute`, each its own alert name. */
  const many = (service: string, minute: number, count: number) =>
    Array.from({ length: count }, (_, n) => firing(service, minute, { name: `A${n}` }));

  it('lists the first 200 alert keys and counts every alert', () => {
    const c = correlator();
    receiveAll(c, many('card-issuer-proxy', 0, 250));
    const [incident] = c.openIncidents();
    expect(incident!.alertCount).toBe(250);
    expect(incident!.alertKeys).toEqual(Array.from({ length: MAX_INCIDENT_ALERT_KEYS }, (_, n) => `alertmanager:A${n}@card-issuer-proxy`));
    expect(incident!.title).toBe('card-payment · authorise: 250 alerts on card-issuer-proxy');
    // A re-sent alert is no new member.
    c.receive(firing('card-issuer-proxy', 0, { name: 'A3' }), T0 + 5 * MIN);
    expect(incident!.alertCount).toBe(250);
  });

  it('a merge moves every member, listed or not, also after resuming from the store, and reports them as moved', () => {
    const live = correlator();
    receiveAll(live, [firing('card-issuer-proxy', 0), ...many('sepa-gateway', 1, 250)]);
    const stored = structuredClone({ incidents: live.incidents(), alerts: live.alerts() });
    expect(stored.incidents.map((i) => [i.id, i.alertCount, i.alertKeys.length])).toEqual([
      ['inc-1', 1, 1],
      ['inc-2', 250, 200],
    ]);
    let n = 10;
    const resumed = new Correlator({ journeyMap, alerting: config.alerting, newId: () => `inc-${++n}`, ...stored });
    // core-ledger serves both journeys: inc-2 (sepa-instant) merges into the older inc-1.
    const result = resumed.receive(firing('core-ledger', 2), T0 + 2 * MIN + 1000);
    expect(result.moved).toHaveLength(250);
    expect(new Set(result.moved)).toEqual(new Set(many('sepa-gateway', 1, 250).map((a) => `alertmanager:${a.sourceKey}`)));
    expect(resumed.alerts().filter((a) => a.incidentId === 'inc-2')).toEqual([]);
    const survivor = resumed.incident('inc-1')!;
    expect(survivor.alertCount).toBe(252);
    expect(survivor.alertKeys).toHaveLength(MAX_INCIDENT_ALERT_KEYS);
    expect(survivor.alertKeys.slice(0, 2)).toEqual([
      'alertmanager:HighErrorRate@card-issuer-proxy',
      'alertmanager:HighErrorRate@core-ledger',
    ]);
    // The merged-away incident keeps what it had, for the record.
    expect(resumed.incident('inc-2')).toMatchObject({ alertCount: 250, mergedInto: 'inc-1' });
    expect(resumed.incident('inc-2')!.alertKeys).toHaveLength(200);
  });
});

describe('Correlator: stored state', () => {
  it('resumes from stored incidents and alerts exactly where it left off', () => {
    const live = correlator();
    const storm = [firing('card-issuer-proxy', 0), firing('sms-provider', 1), firing('card-gateway', 2), firing('hr-portal', 2)];
    receiveAll(live, storm);
    const stored: { incidents: Incident[]; alerts: ReturnType<Correlator['alerts']> } = structuredClone({
      incidents: live.incidents(),
      alerts: live.alerts(),
    });
    let n = 10;
    const resumed = new Correlator({ journeyMap, alerting: config.alerting, newId: () => `inc-${++n}`, ...stored });
    const next = [firing('core-ledger', 5), firing('sms-provider', 6, { name: 'Timeout' }), firing('hr-portal', 0)];
    const a = receiveAll(live, next);
    const b = receiveAll(resumed, next);
    expect(b.map((r) => r.alert.incidentId)).toEqual(a.map((r) => r.alert.incidentId));
    expect(b[2]?.isNew).toBe(false);
    expect(resumed.incident('inc-1')).toEqual(live.incident('inc-1'));
    expect(resumed.incident('inc-1')?.stages).toHaveLength(3);
  });

  it('prunes resolved incidents and alerts that ended before a time', () => {
    const c = correlator();
    const sms = firing('sms-provider', 0);
    receiveAll(c, [sms, firing('kyc-service', 0)]);
    c.receive(resolvedAt(sms, 1), T0 + MIN);
    c.settle(T0 + 2 * MIN, () => true);
    expect(c.prune(T0 + 3 * MIN)).toEqual({ incidents: 1, alerts: 1 });
    expect(c.incident('inc-1')).toBeUndefined();
    expect(c.incidents().map((i) => i.id)).toEqual(['inc-2']);
  });
});
