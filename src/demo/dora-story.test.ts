/**
 * The demo's regulation story (docs/dora.md ("In the demo"), docs/impact-tolerances.md ("In the demo")), through the
 * demo's own history replay (`vigil demo`'s backfill: traffic appended, technical alerts and alerting rounds at their
 * simulated times, the impact-tolerance watch after each round) and read back over the real HTTP API: the SEPA Instant
 * outage is DORA-major with its figures, clocks and report body, the statements outage is not major and says why, and the
 * SEPA disruption is listed as a breach of its 2 h tolerance. Three days of history are enough: the daily reference is
 * averaged over the days that hold events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentDetailResponse } from '../api/incidents.js';
import { RegulatoryResponse } from '../api/regulatory.js';
import { TolerancesResponse } from '../api/tolerances.js';
import { vigilApi } from '../app/api.js';
import { IncidentManager } from '../app/incident-manager.js';
import { VigilRuntime } from '../app/runtime.js';
import { backfill, storyIncident } from '../cli/commands/demo.js';
import type { Incident } from '../model/incident.js';
import { buildServer } from '../server/app.js';
import { openStore } from '../store/open.js';
import { AlertFeed } from './alert-feed.js';
import { loadBankConfig } from './bank.js';
import { doraStory, doraStoryDay, SEPA_OUTAGE_MINUTES, STATEMENTS_OUTAGE_MINUTES } from './dora-story.js';
import { demoIncidents } from './incidents.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SEED = 7;
/** Thursday 26 November 2026, 14:00 UTC: SEPA's outage is on Tuesday, statements' on Sunday evening; the history starts on Sunday at 14:00. */
const NOW = Date.UTC(2026, 10, 26, 14, 0);
const DAYS = 4;
const silent = { info: () => {}, warn: () => {} };

let runtime: VigilRuntime;
let manager: IncidentManager;
let app: Awaited<ReturnType<typeof buildServer>>;
const story = doraStory(NOW);

async function get<T>(url: string, schema: { parse: (v: unknown) => T }): Promise<T> {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  return schema.parse(response.json());
}

/** The incident the manager opened for a scripted incident, as the demo's guide finds it. */
async function incidentFor(scripted: { journeys: string[]; startMs: number; endMs: number }): Promise<Incident> {
  const incident = await storyIncident(runtime, scripted);
  expect(incident).toBeDefined();
  return incident!;
}

beforeAll(async () => {
  const config = await loadBankConfig();
  runtime = await VigilRuntime.start({ config, store: await openStore(':memory:'), log: silent, clock: () => NOW });
  manager = await IncidentManager.start(runtime, silent);
  const incidents = demoIncidents(config, { anchorMs: NOW, startedAtMs: NOW, days: DAYS, seed: SEED });
  const fromMs = NOW - DAYS * DAY;
  const feed = new AlertFeed(config, SEED, incidents, { fromMs, noiseFromMs: NOW - DAY });
  await backfill(runtime, manager, feed, { fromMs, toMs: NOW }, { seed: SEED, scale: 1 }, incidents, () => {});
  app = await buildServer({ api: vigilApi(runtime, manager) });
}, 240_000);

afterAll(async () => {
  await app?.close();
  await manager?.stop();
  await runtime?.close();
});

describe('the story’s placing', () => {
  it('is two days before the demo, or six when that was a weekend, and plays both outages in the history', () => {
    expect(doraStoryDay(NOW)).toBe(2);
    expect(new Date(story.sepa.startMs).toISOString()).toBe('2026-11-24T14:05:00.000Z');
    expect(new Date(story.statements.startMs).toISOString()).toBe('2026-11-22T18:40:00.000Z');
    expect(story.sepa.endMs - story.sepa.startMs).toBe(SEPA_OUTAGE_MINUTES * MINUTE);
    expect(story.statements.endMs - story.statements.startMs).toBe(STATEMENTS_OUTAGE_MINUTES * MINUTE);
    // Monday's and Tuesday's are on the Tuesday and Wednesday before; Sunday's on Friday.
    expect(doraStoryDay(Date.UTC(2026, 10, 30, 9))).toBe(6);
    expect(doraStoryDay(Date.UTC(2026, 11, 1, 9))).toBe(6);
    expect(doraStoryDay(Date.UTC(2026, 10, 29, 9))).toBe(2);
    const ids = demoIncidents(runtime.config, { anchorMs: NOW, startedAtMs: NOW, days: DAYS, seed: SEED }).map((i) => i.id);
    expect(ids).toContain('bf-sepa-instant-outage-2026-11-24');
    expect(ids).toContain('bf-statements-outage-2026-11-22');
  });
});

const figure = (answer: RegulatoryResponse, key: string) => {
  const all = answer.criteria.flatMap((c) => c.figures);
  const found = all.find((f) => f.key === key && (f.journey === null || f.journey === answer.report.journeysAffected[0]?.journey));
  expect(found, `${key} in ${JSON.stringify(all.map((f) => f.key))}`).toBeDefined();
  return found!.value as number;
};

describe('the SEPA Instant outage: DORA-major, with its figures, clocks and report', () => {
  let incident: Incident;
  let answer: RegulatoryResponse;
  beforeAll(async () => {
    incident = await incidentFor(story.sepa);
    answer = await get(`/api/v1/incidents/${incident.id}/regulatory`, RegulatoryResponse);
  });

  it('is opened by the alerts on sepa-gateway as the outage starts', () => {
    expect(incident.openedAt - story.sepa.startMs).toBeLessThan(MINUTE);
    expect(incident.journeys[0]).toBe('sepa-instant');
    expect(incident.services[0]).toBe('sepa-gateway');
    expect(answer.cause).toBe('sepa-instant/sepa-gateway');
  });

  it('meets clients and transactions (well over 10% of a day’s customers, transactions and amount) and downtime over 2 h', () => {
    expect(answer.decision).toMatchObject({ major: true, basis: 'thresholds', criticalService: true });
    expect(answer.decision.thresholdsMet).toEqual(['clientsAndTransactions', 'durationAndDowntime']);
    expect(answer.decision.reason).toMatch(
      /^Major: sepa-instant is a critical service, and 2 of 6 thresholds are met: clients and transactions /,
    );
    expect(answer.decision.reason).toMatch(/\(\d+ customers failed on sepa-instant, \d+\.\d% of [\d,.]+ a day; /);
    const status = Object.fromEntries(answer.criteria.map((c) => [c.key, c.status]));
    expect(status).toEqual({
      criticalService: 'met',
      clientsAndTransactions: 'met',
      reputational: 'not_met',
      durationAndDowntime: 'met',
      geographical: 'needs_person',
      dataLosses: 'needs_person',
      economic: 'needs_person',
    });
    for (const c of answer.criteria) expect(c.summary.length, c.key).toBeGreaterThan(10);
    // Every transfer of 2 h 10 min on a weekday afternoon failed, and customers retried: far above the thresholds.
    const customers = figure(answer, 'customersFailed');
    expect(customers / figure(answer, 'customersPerDay')).toBeGreaterThan(0.15);
    expect(figure(answer, 'transactionsFailed') / figure(answer, 'transactionsPerDay')).toBeGreaterThan(0.15);
    expect(figure(answer, 'transactionsFailed')).toBeGreaterThan(customers);
    // Minutes without a transfer are no downtime: a few of the 130 may be quiet.
    const downtime = figure(answer, 'downtimeMinutes');
    expect(downtime).toBeGreaterThan(120);
    expect(downtime).toBeLessThanOrEqual(SEPA_OUTAGE_MINUTES);
  });

  it('was classified when its downtime passed 2 h, and runs the three reporting clocks from there', () => {
    const classifiedAt = Date.parse(answer.classification!.classifiedAt);
    expect(answer.classification!.basis).toBe('thresholds');
    expect(classifiedAt).toBeGreaterThan(story.sepa.startMs + 120 * MINUTE);
    expect(classifiedAt).toBeLessThanOrEqual(story.sepa.endMs + 5 * MINUTE);
    const clocks = Object.fromEntries(answer.clocks.map((c) => [c.report, c]));
    expect(Object.keys(clocks)).toEqual(['initial', 'intermediate', 'final']);
    // 4 h after classification (earlier than 24 h after detection); nobody recorded a submission in the demo.
    expect(Date.parse(clocks.initial!.dueAt)).toBe(classifiedAt + 4 * HOUR);
    expect(clocks.initial!.state).toBe('overdue');
    expect(Date.parse(clocks.intermediate!.dueAt)).toBe(classifiedAt + 76 * HOUR);
    expect(clocks.intermediate!.state).toBe('due');
    expect(clocks.final!.state).toBe('due');
    expect(Date.parse(clocks.final!.dueAt)).toBeGreaterThan(NOW + 25 * DAY);
  });

  it('prefills the report body with the figures, the journeys and the timeline', async () => {
    const report = answer.report;
    expect(report).toMatchObject({ major: true, recurring: false, criteriaMet: ['clientsAndTransactions', 'durationAndDowntime'] });
    expect(report.classifiedAt).toBe(answer.classification!.classifiedAt);
    expect(Date.parse(report.detectedAt)).toBe(incident.openedAt);
    expect(report.journeysAffected[0]).toEqual({ journey: 'sepa-instant', displayName: 'SEPA Instant transfer', critical: true });
    expect(report.clientsAffected.value).toBe(figure(answer, 'customersFailed'));
    expect(report.transactionsAffected.value).toBe(figure(answer, 'transactionsFailed'));
    expect(report.downtimeMinutes.value).toBe(figure(answer, 'downtimeMinutes'));
    expect(report.amountsAffected.value[0]!.currency).toBe('EUR');
    expect(report.amountsAffected.value[0]!.amount).toBeGreaterThan(0);
    const kinds = report.timeline.map((t) => t.kind);
    for (const kind of ['opened', 'classified', 'tolerance_warning', 'tolerance_breached', 'resolved']) expect(kinds, kind).toContain(kind);
    const markdown = await app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}/regulatory?format=markdown` });
    expect(markdown.statusCode).toBe(200);
    expect(markdown.body).toContain('Major: sepa-instant is a critical service');
  });
});

describe('the statements outage: not major, and why', () => {
  it('is an incident of statements whose decision says no critical service is affected, with no classification or clock', async () => {
    const incident = await incidentFor(story.statements);
    expect(incident.journeys).toContain('statements');
    const answer = await get(`/api/v1/incidents/${incident.id}/regulatory`, RegulatoryResponse);
    expect(answer.decision).toMatchObject({ major: false, basis: null, criticalService: false });
    // The storm's alerts on document-store may bring in open-account, which shares it: no critical service either.
    expect(answer.decision.reason).toMatch(
      /^Not major: no critical service is affected \(statements (is|and open-account are) not marked critical\)\./,
    );
    expect(answer.criteria.find((c) => c.key === 'criticalService')!.status).toBe('not_met');
    expect(answer.classification).toBeNull();
    expect(answer.clocks).toEqual([]);
    expect(figure(answer, 'customersFailed')).toBeGreaterThan(0);
  });
});

describe('impact tolerances: the year’s list', () => {
  it('lists the SEPA Instant disruption as a breach of its 2 h tolerance, and statements’ 12 minutes within its day', async () => {
    const sepaIncident = await incidentFor(story.sepa);
    const list = await get('/api/v1/regulation/tolerances?year=2026', TolerancesResponse);
    expect(list.services.map((s) => [s.journey, s.tolerance])).toEqual([
      ['sepa-instant', '2h'],
      ['statements', '1d'],
    ]);
    const [sepa, statements] = list.services;
    expect(sepa!.anyBreached).toBe(true);
    const breach = sepa!.disruptions.find((d) => d.breached)!;
    expect(breach).toMatchObject({ incidentId: sepaIncident.id, running: false, level: 'breached', toleranceSeconds: 7200 });
    expect(Date.parse(breach.start)).toBe(story.sepa.startMs);
    expect(Date.parse(breach.breachedAt!)).toBe(story.sepa.startMs + 2 * HOUR);
    expect(Date.parse(breach.warnedAt!)).toBe(story.sepa.startMs + HOUR);
    expect(breach.durationSeconds).toBeGreaterThan(2 * 3600);
    expect(breach.durationSeconds).toBeLessThanOrEqual(SEPA_OUTAGE_MINUTES * 60 + 5 * 60);
    expect(sepa!.longest!.id).toBe(breach.id);
    expect(statements!.anyBreached).toBe(false);
    const statementsIncident = await incidentFor(story.statements);
    expect(statements!.disruptions.find((d) => d.incidentId === statementsIncident.id)).toMatchObject({ level: 'ok', breached: false });
    const detail = await get(`/api/v1/incidents/${sepaIncident.id}`, IncidentDetailResponse);
    const breachedEntry = detail.timeline.find((t) => t.kind === 'tolerance_breached')!;
    expect(breachedEntry.message).toBe(
      'Impact tolerance breached: SEPA Instant transfer disrupted longer than its 2 h tolerance (since 24 Nov 2026, 14:05 (Europe/London))',
    );
  });
});
