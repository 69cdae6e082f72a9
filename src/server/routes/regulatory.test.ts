/**
 * The regulatory report of a scripted incident, field by field, on a real server over SQLite and PostgreSQL
 * (docs/api.md ("Regulatory report"), docs/dora.md): events for three reference days and an outage, complaints in its
 * first hour, an alert that opens the incident; the manager classifies it as it measures it, and a person's flags land.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, freshStores } from '../../../test/helpers/backend-stores.js';
import { IncidentsResponse } from '../../api/incidents.js';
import { RegulatoryFlagsResponse, RegulatoryResponse } from '../../api/regulatory.js';
import { vigilApi } from '../../app/api.js';
import { IncidentManager } from '../../app/incident-manager.js';
import { VigilRuntime } from '../../app/runtime.js';
import { loadConfigFromString } from '../../config/load.js';
import { buildServer } from '../app.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** 22:32 in Berlin: the initial notification falls due after midnight there. */
const NOW = Date.parse('2026-12-03T21:32:00Z');
const OPENED = NOW - 2 * 60 * MIN;
const WINDOW_FROM = OPENED - 15 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

const CONFIG = `version: vigil/v1
defaults: { timezone: Europe/Berlin }
regulation:
  dora: { referenceDays: 3, economicImpact: { amount: 250, currency: EUR } }
signals: { minSpike: 10 }
journeys:
  - name: sepa-instant
    displayName: SEPA instant payment
    tier: critical
    value: { currency: EUR, revenuePerSuccess: 2 }
    steps: [{ name: pay, services: [sepa-api] }]
  - name: statements
    steps: [{ name: view, services: [docs-api] }]
`;

/**
 * Three reference days of 20 payments by 10 customers at €50 each; then from 19:20 one failed €10 payment a minute for
 * 130 minutes by five customers in Germany and France; and 12 complaints at 20:00.
 */
function script() {
  const events: object[] = [];
  for (let day = 0; day < 3; day++) {
    for (let j = 0; j < 20; j++) {
      events.push({
        id: `r${day}-${j}`,
        journey: 'sepa-instant',
        step: 'pay',
        outcome: 'success',
        timestamp: iso(WINDOW_FROM - 3 * DAY + day * DAY + j * 30 * MIN),
        customerId: `r${day}-c${j % 10}`,
        amount: 50,
        currency: 'EUR',
      });
    }
  }
  const firstFailure = Date.parse('2026-12-03T19:20:00Z');
  for (let i = 0; i < 130; i++) {
    events.push({
      id: `f${i}`,
      journey: 'sepa-instant',
      step: 'pay',
      outcome: 'failure',
      timestamp: iso(firstFailure + i * MIN),
      customerId: `f${i % 5}`,
      amount: 10,
      currency: 'EUR',
      attributes: { country: i % 2 === 0 ? 'FR' : 'DE' },
    });
  }
  const signals = [{ id: 'complaints', source: 'call-centre', at: '2026-12-03T20:00:00Z', journey: 'sepa-instant', count: 12 }];
  const alert = {
    source: 'prometheus',
    key: 'sepa-api-down',
    status: 'firing',
    service: 'sepa-api',
    severity: 'critical',
    summary: 'sepa-api 5xx',
    labels: { alertname: 'SepaApiErrors' },
    startsAt: iso(OPENED),
  };
  return { events, signals, alert };
}

const stores = freshStores('regulatory');

async function start(backend: 'sqlite' | 'postgres') {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error('test configuration does not load');
  const store = await stores.open(backend);
  const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  const manager = await IncidentManager.start(runtime, { info: () => {}, warn: () => {} });
  const app = await buildServer({ api: vigilApi(runtime, manager) });
  stores.afterTest(async () => {
    await app.close();
    await manager.stop();
    await runtime.close();
  });
  const post = async (url: string, body: unknown) => {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const { events, signals, alert } = script();
  await post('/api/v1/events', events);
  await post('/api/v1/signals', signals);
  const received = (await post('/api/v1/alerts', alert)) as { incidents: string[] };
  const id = received.incidents[0]!;
  return { app, id };
}

describe.each(BACKENDS)('GET /api/v1/incidents/{id}/regulatory on %s', (backend) => {
  it('answers the scripted incident field by field: criteria, decision, classification, clocks, report', async () => {
    const { app, id } = await start(backend);
    const res = await app.inject({ url: `/api/v1/incidents/${id}/regulatory` });
    expect(res.statusCode).toBe(200);
    const r = RegulatoryResponse.parse(res.json());

    expect(r.incident).toEqual({ id, title: expect.any(String), status: 'open', priority: r.incident.priority });
    expect(r.notice).toMatch(/a person decides whether the incident is major, completes and submits the report/);
    expect(r.timezone).toBe('Europe/Berlin');
    expect(r.window).toEqual({ from: iso(WINDOW_FROM), to: iso(NOW) });
    expect(r.reference).toEqual({ from: iso(WINDOW_FROM - 3 * DAY), to: iso(WINDOW_FROM) });

    const byKey = Object.fromEntries(r.criteria.map((c) => [c.key, c]));
    expect(r.criteria.map((c) => [c.key, c.article, c.status])).toEqual([
      ['criticalService', 'Art. 6', 'met'],
      ['clientsAndTransactions', 'Art. 9(1)', 'met'],
      ['reputational', 'Art. 9(2)', 'met'],
      ['durationAndDowntime', 'Art. 9(3)', 'met'],
      ['geographical', 'Art. 9(4)', 'met'],
      ['dataLosses', 'Art. 9(5)', 'needs_person'],
      ['economic', 'Art. 9(6)', 'met'],
    ]);
    const values = (key: string) => Object.fromEntries(byKey[key]!.figures.map((f) => [f.id, f.value]));
    // 5 of 10 customers a day; 130 of 20 transactions a day; €1,300 of €1,000 a day.
    expect(values('clientsAndTransactions')).toEqual({
      'clientsAndTransactions/customersFailed/sepa-instant': 5,
      'clientsAndTransactions/customersPerDay/sepa-instant': 10,
      'clientsAndTransactions/transactionsFailed/sepa-instant': 130,
      'clientsAndTransactions/transactionsPerDay/sepa-instant': 20,
      'clientsAndTransactions/amountFailed/sepa-instant': [{ amount: 1300, currency: 'EUR' }],
      'clientsAndTransactions/amountPerDay/sepa-instant': [{ amount: 1000, currency: 'EUR' }],
      'clientsAndTransactions/customersShare/sepa-instant': 0.5,
      'clientsAndTransactions/transactionsShare/sepa-instant': 6.5,
    });
    expect(byKey['clientsAndTransactions']!.summary).toBe(
      '5 customers failed on sepa-instant, 50.0% of 10 a day; 130 failed transactions on sepa-instant, 650.0% of 20 a day; ' +
        '€1,300.00 failed on sepa-instant, 130.0% of €1,000.00 a day',
    );
    // First failure 19:20 to 21:32; 130 minutes of nothing but failures.
    expect(values('durationAndDowntime')).toEqual({
      'durationAndDowntime/durationMinutes': 132,
      'durationAndDowntime/downtimeMinutes/sepa-instant': 130,
    });
    expect(byKey['durationAndDowntime']!.summary).toBe('lasted 2 h 12 min; downtime 2 h 10 min, longer than 2 h 00 min');
    expect(values('reputational')).toEqual({ 'reputational/complaintSpike/sepa-instant': 12 });
    expect(byKey['reputational']!.figures[0]!.measuredAs).toContain(`in the hour from ${iso(WINDOW_FROM)}, against a baseline of 0`);
    expect(values('geographical')).toEqual({ 'geographical/countries': ['DE', 'FR'] });
    // 130 failures at the pay step × €2 a success.
    expect(values('economic')).toEqual({ 'economic/valueLost': [{ amount: 260, currency: 'EUR' }] });
    expect(byKey['economic']!.summary).toBe('value lost €260.00; €260.00 in all, more than €250.00');
    expect(byKey['dataLosses']!.summary).toBe('Vigil cannot see data losses: a person must say whether any occurred');
    for (const c of r.criteria) for (const f of c.figures) expect(f.measuredAs.length).toBeGreaterThan(10);

    expect(r.decision).toMatchObject({
      major: true,
      basis: 'thresholds',
      criticalService: true,
      thresholdsMet: ['clientsAndTransactions', 'reputational', 'durationAndDowntime', 'geographical', 'economic'],
      needsPerson: ['dataLosses'],
    });
    expect(r.decision.reason).toMatch(
      /^Major: sepa-instant is a critical service, and 5 of 6 thresholds are met: clients and transactions \(/,
    );
    expect(r.decision.reason.endsWith('Needs a person: data losses.')).toBe(true);

    // Classified when the alert was measured, at the server's clock; the clocks run from it, read in Berlin.
    expect(r.classification).toEqual({ classifiedAt: iso(NOW), basis: 'thresholds', reason: r.decision.reason });
    expect(r.clocks).toEqual([
      {
        report: 'initial',
        dueAt: '2026-12-04T01:32:00.000Z',
        dueLocal: '02:32 on 4 Dec',
        submittedAt: null,
        state: 'due',
        rule: '4 h after classification',
      },
      {
        report: 'intermediate',
        dueAt: '2026-12-07T01:32:00.000Z',
        dueLocal: '02:32 on 7 Dec',
        submittedAt: null,
        state: 'due',
        rule: '72 h after the initial notification is due',
      },
      {
        report: 'final',
        dueAt: '2027-01-07T01:32:00.000Z',
        dueLocal: '02:32 on 7 Jan 2027',
        submittedAt: null,
        state: 'due',
        rule: 'one month after the intermediate report is due',
      },
    ]);
    expect(r.recurring).toBeNull();
    expect(r.cause).toBe('sepa-instant/sepa-api');

    expect(r.report).toEqual({
      incidentReference: id,
      title: r.incident.title,
      detectedAt: iso(OPENED),
      occurredAt: '2026-12-03T19:20:00.000Z',
      classifiedAt: iso(NOW),
      resolvedAt: null,
      major: true,
      recurring: false,
      criteriaMet: ['clientsAndTransactions', 'reputational', 'durationAndDowntime', 'geographical', 'economic'],
      journeysAffected: [{ journey: 'sepa-instant', displayName: 'SEPA instant payment', critical: true }],
      servicesAffected: ['sepa-api'],
      clientsAffected: { value: 5, figures: ['clientsAndTransactions/customersFailed/sepa-instant'] },
      transactionsAffected: { value: 130, figures: ['clientsAndTransactions/transactionsFailed/sepa-instant'] },
      amountsAffected: { value: [{ amount: 1300, currency: 'EUR' }], figures: ['clientsAndTransactions/amountFailed/sepa-instant'] },
      durationMinutes: { value: 132, figures: ['durationAndDowntime/durationMinutes'] },
      downtimeMinutes: { value: 130, figures: ['durationAndDowntime/downtimeMinutes/sepa-instant'] },
      valueLost: { value: [{ amount: 260, currency: 'EUR' }], figures: ['economic/valueLost'] },
      otherCosts: null,
      countries: { value: ['DE', 'FR'], figures: ['geographical/countries'] },
      dataLosses: null,
      reputationalImpact: true,
      timeline: r.report.timeline,
    });
    // Every traced figure exists among the criteria's figures.
    const ids = new Set(r.criteria.flatMap((c) => c.figures.map((f) => f.id)));
    for (const field of Object.values(r.report)) {
      if (typeof field === 'object' && field !== null && 'figures' in field) for (const f of field.figures) expect(ids.has(f)).toBe(true);
    }
    expect(r.report.timeline.map((t) => t.kind)).toEqual(['opened', 'classified']);
    expect(r.report.timeline[1]).toEqual({ at: iso(NOW), kind: 'classified', message: `DORA: classified major. ${r.decision.reason}` });
    expect(r.generatedAt).toBe(iso(NOW));

    // The list and the incident carry the clock line.
    const list = IncidentsResponse.parse((await app.inject({ url: '/api/v1/incidents' })).json());
    expect(list.incidents[0]!.dora).toEqual({
      classifiedAt: iso(NOW),
      basis: 'thresholds',
      line: 'DORA: major — initial notification due by 02:32 on 4 Dec',
      next: r.clocks[0],
    });
    expect((await app.inject({ url: `/api/v1/incidents/${id}` })).json().dora.line).toBe(
      'DORA: major — initial notification due by 02:32 on 4 Dec',
    );
  });

  it('serves Markdown for people, with the notice, the clocks, the criteria and every figure', async () => {
    const { app, id } = await start(backend);
    for (const req of [
      { url: `/api/v1/incidents/${id}/regulatory?format=markdown` },
      { url: `/api/v1/incidents/${id}/regulatory`, headers: { accept: 'text/markdown' } },
    ]) {
      const res = await app.inject(req);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
      const md = res.body;
      expect(md.startsWith('# DORA classification: ')).toBe(true);
      expect(md).toContain('> Vigil prepares this classification and report from its own data; a person decides');
      expect(md).toContain('| initial | 2026-12-04T01:32:00.000Z | 02:32 on 4 Dec | due | 4 h after classification |');
      expect(md).toContain('| Art. 9(5) | Data losses | needs a person | Vigil cannot see data losses');
      expect(md).toContain('| Clients affected | 5 | `clientsAndTransactions/customersFailed/sepa-instant` |');
      expect(md).toContain('| `durationAndDowntime/downtimeMinutes/sepa-instant` | 2 h 10 min |');
    }
    const bad = await app.inject({ url: `/api/v1/incidents/${id}/regulatory?format=pdf` });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'invalid_query']);
    const missing = await app.inject({ url: '/api/v1/incidents/inc-nope/regulatory' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'incident_not_found']);
  });

  it('PUT flags: recorded with who and when, read by the criteria and the report; submissions move the clocks', async () => {
    const { app, id } = await start(backend);
    const put = (body: unknown) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/incidents/${id}/regulatory/flags`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const res = await put({
      dataLoss: false,
      otherCosts: { amount: 1500.5, currency: 'EUR' },
      initialSubmittedAt: '2026-12-03T23:00:00Z',
      note: 'no data touched; legal review',
      by: 'alice',
    });
    expect(res.statusCode).toBe(200);
    const answer = RegulatoryFlagsResponse.parse(res.json());
    const by = { setBy: 'alice', setAt: iso(NOW), note: 'no data touched; legal review' };
    expect(answer.flags).toEqual([
      { name: 'dataLoss', value: false, ...by },
      { name: 'initialSubmittedAt', value: '2026-12-03T23:00:00.000Z', ...by },
      { name: 'otherCosts', value: { amount: 1500.5, currency: 'EUR' }, ...by },
    ]);
    expect(answer.decision.needsPerson).toEqual([]);
    expect(answer.classification?.classifiedAt).toBe(iso(NOW));

    const r = RegulatoryResponse.parse((await app.inject({ url: `/api/v1/incidents/${id}/regulatory` })).json());
    const criterion = (key: string) => r.criteria.find((c) => c.key === key)!;
    expect(criterion('dataLosses')).toMatchObject({ status: 'not_met', summary: `no data losses, flagged by alice at ${iso(NOW)}` });
    expect(criterion('economic').summary).toBe(
      `value lost €260.00; other costs €1,500.50, flagged by alice at ${iso(NOW)}; €1,760.50 in all, more than €250.00`,
    );
    expect(r.report).toMatchObject({ otherCosts: { amount: 1500.5, currency: 'EUR' }, dataLosses: false });
    expect(r.clocks.map((c) => [c.report, c.dueAt, c.state, c.submittedAt])).toEqual([
      ['initial', '2026-12-04T01:32:00.000Z', 'submitted', '2026-12-03T23:00:00.000Z'],
      ['intermediate', '2026-12-06T23:00:00.000Z', 'due', null],
      ['final', '2027-01-06T23:00:00.000Z', 'due', null],
    ]);

    for (const [body, message] of [
      [{ dataLoss: 'yes' }, 'dataLoss: expected true, false or null, got "yes"'],
      [
        { otherCosts: { amount: 10, currency: 'GBP' } },
        'otherCosts: expected an amount in EUR (regulation.dora.economicImpact.currency), got GBP',
      ],
      [{ lostData: true }, 'lostData: not a flag; expected one of'],
      [{ note: 'only a note' }, 'body: expected at least one flag'],
    ] as const) {
      const refused = await put(body);
      expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'invalid_regulatory_flags']);
      expect(refused.json().error.message).toContain(message);
    }
    const missing = await app.inject({
      method: 'PUT',
      url: '/api/v1/incidents/inc-nope/regulatory/flags',
      headers: { 'content-type': 'application/json' },
      payload: '{"dataLoss":true}',
    });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'incident_not_found']);
  });

  it('PUT flags with If-Match: a stale version is 409 and keeps the flags, the current one writes and answers it plus one', async () => {
    const { app, id } = await start(backend);
    const put = (body: unknown, ifMatch?: string) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/incidents/${id}/regulatory/flags`,
        headers: { 'content-type': 'application/json', ...(ifMatch !== undefined && { 'if-match': ifMatch }) },
        payload: JSON.stringify(body),
      });
    const version = async (): Promise<number> => (await app.inject({ url: `/api/v1/incidents/${id}` })).json().version;
    const otherCosts = async () =>
      RegulatoryResponse.parse((await app.inject({ url: `/api/v1/incidents/${id}/regulatory` })).json()).report;
    const costs = (amount: number) => ({ otherCosts: { amount, currency: 'EUR' }, by: 'alice' });

    // The first flags may classify the incident, a write of their own: the answer's version is the one after both.
    const first = await put(costs(100), `"${await version()}"`);
    expect(first.statusCode).toBe(200);
    const v1 = RegulatoryFlagsResponse.parse(first.json()).version;
    expect(await version()).toBe(v1);
    const second = await put(costs(200), `"${v1}"`);
    expect([second.statusCode, second.json().version]).toEqual([200, v1 + 1]);
    expect(await version()).toBe(v1 + 1);

    const stale = await put(costs(300), `"${v1}"`);
    expect([stale.statusCode, stale.json().error.code, stale.json().error.details]).toEqual([
      409,
      'incident_conflict',
      { version: v1 + 1 },
    ]);
    const malformed = await put(costs(400), '"v1"');
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'invalid_if_match']);
    expect((await otherCosts()).otherCosts).toEqual({ amount: 200, currency: 'EUR' });
    expect(await version()).toBe(v1 + 1);

    // An acknowledgement from the version read before a flags write is refused; from the one after, it goes through.
    expect((await put(costs(500))).json().version).toBe(v1 + 2);
    const ack = (ifMatch: string) => app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/ack`, headers: { 'if-match': ifMatch } });
    expect((await ack(`"${v1 + 1}"`)).json().error.code).toBe('incident_conflict');
    expect((await ack(`"${v1 + 2}"`)).json()).toMatchObject({ status: 'acknowledged', version: v1 + 3 });
    expect((await otherCosts()).otherCosts).toEqual({ amount: 500, currency: 'EUR' });
  });
});
