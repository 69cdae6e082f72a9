/**
 * The stories of the demo's 28 days, read through the real SLO registry, release views and value estimators: the SEPA
 * Instant deployment that spent a third of its budget, the frozen journey the gate denies, the card payment drift whose
 * lost volume the elasticity method finds (docs/value.md ("Elasticity"), docs/release.md), and statements green while
 * their PDFs come out blank (docs/signals.md ("In the demo")). The traffic is the demo's own, with every incident it plays
 * (the retention story's departures included: src/demo/retention-story.test.ts reads that story).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { journeyValue } from '../app/read-models/journey-value.js';
import { ReleaseViews } from '../app/read-models/release-views.js';
import { sliContribution } from '../engine/sli.js';
import { SloRegistry } from '../engine/slo-registry.js';
import type { JourneyEvent } from '../model/event.js';
import type { ScopeMinute, SliMinute } from '../model/minutes.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { loadBankConfig } from './bank.js';
import { demoDeployments } from './deployments.js';
import { demoIncidents } from './incidents.js';
import { CARD_DRIFT_VOLUME_LOSS_PER_POINT } from './scenario.js';
import { generateTraffic } from './traffic.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2026, 10, 26, 10, 17);
/** The period `vigil value --journey card-payment --days 7` values: the drift, with three weeks of history before it. */
const VALUE_FROM = NOW - 7 * DAY;

let registry: SloRegistry;
let store: Store;
let release: ReleaseViews;

/** The minute aggregates the append path would store for the demo's 28 days of history, applied to a registry. */
beforeAll(async () => {
  const config = await loadBankConfig();
  registry = new SloRegistry(config);
  const sli = new Map<string, SliMinute>();
  const scope = new Map<string, ScopeMinute>();
  const cardEvents: JourneyEvent[] = [];
  const defs = new Map(config.journeys.map((j) => [j.name, registry.slis.filter((d) => d.journey === j.name)]));
  const incidents = demoIncidents(config, { anchorMs: NOW, startedAtMs: NOW, days: 28, seed: 7 });
  for (const batch of generateTraffic({ config, fromMs: NOW - 28 * DAY, toMs: NOW, seed: 7, incidents })) {
    for (const event of batch) {
      if (event.journey === 'card-payment' && event.timestamp >= VALUE_FROM - HOUR) cardEvents.push(event);
      const minute = Math.floor(event.timestamp / MINUTE);
      for (const def of defs.get(event.journey) ?? []) {
        const c = sliContribution(def, event);
        if (c.total === 0) continue;
        const key = `${def.key}|${minute}`;
        const row = sli.get(key) ?? sli.set(key, { key: def.key, minute, good: 0, total: 0 }).get(key)!;
        row.good += c.good;
        row.total += c.total;
      }
      const step = event.step ?? null;
      const key = `${event.journey}|${step}|${minute}`;
      const row =
        scope.get(key) ??
        scope.set(key, { journey: event.journey, step, minute, success: 0, failure: 0, rejected: 0, abandoned: 0 }).get(key)!;
      row[event.outcome === 'abandoned' ? 'abandoned' : event.outcome] += 1;
    }
  }
  registry.applySliMinutes([...sli.values()]);
  registry.applyScopeMinutes([...scope.values()]);
  store = await openStore(':memory:');
  // The abandonment method and fee-valued journeys read raw events: the card payments of the valued period are stored.
  for (let i = 0; i < cardEvents.length; i += 5_000) await store.events.appendEvents(cardEvents.slice(i, i + 5_000), registry.slis, NOW);
  release = new ReleaseViews(() => registry, store.deployments);
  await release.record(demoDeployments(NOW, 7, config), NOW);
}, 120_000);

describe('deployments', () => {
  it('spreads a few deployments a week per team through the 28 days, with authors, versions and CI links', async () => {
    const { deployments } = await release.list({}, NOW);
    expect(deployments.length).toBeGreaterThan(4 * 6);
    for (const d of deployments) {
      expect(Date.parse(d.startedAt)).toBeGreaterThan(NOW - 29 * DAY);
      expect(Date.parse(d.startedAt)).toBeLessThan(NOW);
      expect(d.author).not.toBeNull();
      expect(d.url).toMatch(/^https:\/\/ci\.demo-bank\.example\/run\/\d+$/);
      expect(d.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(new Set(deployments.map((d) => d.id)).size).toBe(deployments.length);
    expect(new Set(deployments.map((d) => d.url)).size).toBe(deployments.length);
  });

  it('charges about a third of SEPA Instant’s success budget to payments-api 7.3.0, and next to nothing to routine deployments', async () => {
    const { deployments } = await release.list({ journey: 'sepa-instant' }, NOW);
    const spent = (id: string | undefined) =>
      deployments.find((d) => d.id === id)!.slos.find((s) => s.journey === 'sepa-instant' && s.slo === 'success')!;
    const culprit = deployments.find((d) => d.service === 'payments-api' && d.version === '7.3.0');
    expect(culprit).toBeDefined();
    expect(spent(culprit?.id).consumed).toBeGreaterThan(0.25);
    expect(spent(culprit?.id).consumed).toBeLessThan(0.45);
    expect(spent(culprit?.id).excess).toBeGreaterThan(0.25);
    // Its rollback ends its attribution two hours later.
    expect(culprit!.attribution.to).toBe(deployments.find((d) => d.version === '7.3.1')!.startedAt);
    const others = deployments.filter((d) => d.id !== culprit!.id).map((d) => spent(d.id).consumed ?? 0);
    expect(
      others.filter((c) => c > 0.05),
      JSON.stringify(others),
    ).toHaveLength(0);
  });
});

describe('the release gate after the backfill', () => {
  it('denies card payments, whose budget the outage and the drift spent (frozen), and allows a healthy journey', async () => {
    expect(release.journeyState('card-payment', NOW)).toBe('frozen');
    const denied = await release.gate({ journey: 'card-payment' }, NOW);
    expect(denied.decision).toBe('deny');
    expect(denied.reasons.join(' ')).toMatch(/card-payment\/success is frozen/);
    for (const journey of ['login', 'statements']) {
      expect(release.journeyState(journey, NOW), journey).toBe('healthy');
      expect((await release.gate({ journey }, NOW)).decision, journey).toBe('allow');
    }
  });
});

describe('statements while their PDFs come out blank', () => {
  it('every SLO of statements is ok when the demo starts: no page, no ticket, budget left (so the complaints are a blind spot)', () => {
    const statements = registry.statuses(NOW).filter((s) => s.journey === 'statements');
    expect(statements.map((s) => s.slo).sort()).toEqual(['available', 'download-fast']);
    for (const s of statements) {
      expect(s.alerts.page, s.slo).toBe(false);
      expect(s.alerts.ticket, s.slo).toBe(false);
      expect(s.errorBudget.remaining, s.slo).toBeGreaterThan(0.1);
    }
  });
});

describe('the card payment drift, valued', () => {
  it('shows all three methods and an elasticity near the planted one over the last 7 days', async () => {
    const value = await journeyValue(registry, store.events, 'card-payment', VALUE_FROM, NOW);
    expect(value.reasons).toEqual({});
    expect(value.methods.direct).not.toBeNull();
    expect(value.methods.abandonment).not.toBeNull();
    const e = value.methods.elasticity!;
    // Planted: 4% of the volume per point lost; the customers' retries (70% of failures, src/demo/profiles.ts) add 0.7% of
    // the volume per point back, so the attempts the method counts fall by 3.3% per point.
    const planted = CARD_DRIFT_VOLUME_LOSS_PER_POINT * 100 - 0.7;
    expect(e.elasticity).toBeGreaterThan(0);
    expect(Math.abs(e.elasticity - planted)).toBeLessThan(1.5);
    expect(e.elasticityLow).toBeLessThan(planted);
    expect(e.elasticityHigh).toBeGreaterThan(planted);
    expect(e.hoursDegraded).toBeGreaterThan(20);
    expect(value.statement).toMatch(/^A \d\.\d-point drop in card payment success cost between /);
  });
});
