/** The demo's promises in SLO terms, checked with the real engine: healthy baseline, budgets that tell stories, pages that fire and stop. */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSlo, GOOD, TOTAL } from '../engine/evaluate.js';
import { MinuteSeries } from '../engine/minute-series.js';
import { type SliDefinition, sliContribution, sliDefinition } from '../engine/sli.js';
import type { JourneySpec, SloSpec, VigilConfig } from '../model/config.js';
import type { SloStatus } from '../api/slo.js';
import { loadBankConfig } from './bank.js';
import { backfillIncidents, liveIncidents, type ScriptedIncident } from './scenario.js';
import { affectedSteps, generateTraffic } from './traffic.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let config: VigilConfig;
beforeAll(async () => {
  config = await loadBankConfig();
});

interface SloSeries {
  journey: JourneySpec;
  slo: SloSpec;
  def: SliDefinition;
  series: MinuteSeries;
}

/** Per-minute good/total of every SLO of the demo over [fromMs, toMs), as the server would aggregate them. */
function aggregate(fromMs: number, toMs: number, incidents: ScriptedIncident[]): SloSeries[] {
  const all = config.journeys.flatMap((journey) =>
    journey.slos.map((slo) => ({ journey, slo, def: sliDefinition(journey, slo), series: new MinuteSeries(2) })),
  );
  const byJourney = new Map<string, SloSeries[]>();
  for (const s of all) byJourney.set(s.journey.name, [...(byJourney.get(s.journey.name) ?? []), s]);
  for (const batch of generateTraffic({ config, fromMs, toMs, seed: 7, incidents })) {
    for (const event of batch) {
      const minute = Math.floor(event.timestamp / MINUTE);
      for (const s of byJourney.get(event.journey) ?? []) {
        const c = sliContribution(s.def, event);
        s.series.add(minute, GOOD, c.good);
        s.series.add(minute, TOTAL, c.total);
      }
    }
  }
  return all;
}

const evaluate = (s: SloSeries, atMs: number): SloStatus =>
  evaluateSlo({ journey: s.journey, slo: s.slo, series: s.series, atMs, timeZone: config.defaults.timezone });
const fastPageFiring = (status: SloStatus) => status.alerts.pairs.find((p) => p.short === '5m' && p.long === '1h')!.firing;
const name = (s: SloSeries) => `${s.journey.name}/${s.slo.name}`;

describe('baseline traffic (no incident)', () => {
  // Monday 9 … Sunday 15 November 2026.
  const from = Date.UTC(2026, 10, 9);
  let slos: SloSeries[];
  beforeAll(() => {
    slos = aggregate(from, from + 7 * DAY, []).filter((s) => s.journey.tier === 'critical');
  });

  it('keeps the critical journeys’ SLOs within objective on (almost) every day and over the week', () => {
    expect(slos.map(name)).toHaveLength(5);
    for (const s of slos) {
      const daysWithin = Array.from({ length: 7 }, (_, d) => evaluateAtDayEnd(s, from + d * DAY)).filter(
        (sli) => sli >= s.slo.objective / 100,
      ).length;
      expect(daysWithin, name(s)).toBeGreaterThanOrEqual(6);
      const week = s.series.sums(Math.floor(from / MINUTE), Math.floor(from / MINUTE) + 7 * 1440, new Float64Array(2));
      expect(week[GOOD]! / week[TOTAL]!, name(s)).toBeGreaterThanOrEqual(s.slo.objective / 100);
    }
  });

  it('does not page anyone on an ordinary weekday', () => {
    const monday = from;
    for (const s of slos) {
      for (let t = monday + 8 * HOUR; t < monday + 20 * HOUR; t += 10 * MINUTE)
        expect(fastPageFiring(evaluate(s, t)), `${name(s)} at ${new Date(t).toISOString()}`).toBe(false);
    }
  });

  function evaluateAtDayEnd(s: SloSeries, dayStart: number): number {
    const sums = s.series.sums(Math.floor(dayStart / MINUTE), Math.floor(dayStart / MINUTE) + 1440, new Float64Array(2));
    return sums[GOOD]! / sums[TOTAL]!;
  }
});

describe('28 days of backfill with its incidents', () => {
  const now = Date.UTC(2026, 10, 26, 10, 17);
  let statuses: Map<string, SloStatus>;
  beforeAll(() => {
    const slos = aggregate(now - 28 * DAY, now, backfillIncidents(now));
    statuses = new Map(slos.map((s) => [name(s), evaluate(s, now - 1)]));
  });

  it('leaves most error budgets healthy and exhausts the ones its big incidents hit', () => {
    const remaining = Object.fromEntries([...statuses].map(([key, status]) => [key, Math.round(status.errorBudget.remaining * 100) / 100]));
    const healthy = Object.values(remaining).filter((r) => r > 0).length;
    expect(healthy, JSON.stringify(remaining)).toBeGreaterThanOrEqual(9);
    // The 12-minute card authorisation outage spends a 99.99% budget many times over.
    expect(remaining['card-payment/success']).toBeLessThan(0);
    for (const key of ['login/success', 'view-balance/success', 'statements/available']) expect(remaining[key], key).toBeGreaterThan(0.2);
  });
});

describe('live incidents page, then stop paging', () => {
  /** SLOs an incident must page: objective ≥ 99.9 (shorter incidents cannot page laxer ones), kind matching the shape, scope touched. */
  function mustPage(s: SloSeries, incident: ScriptedIncident): boolean {
    if (s.journey.name !== incident.journeys[0] || s.slo.objective < 99.9) return false;
    if ((incident.shape === 'latency') !== (s.slo.sli.kind === 'latency')) return false;
    return s.def.step === null || affectedSteps(s.journey, incident).includes(s.def.step);
  }

  it.each([
    ['a weekday morning', Date.UTC(2026, 10, 17, 10, 0)],
    ['a Saturday afternoon', Date.UTC(2026, 10, 21, 15, 0)],
  ])('on %s, every incident of the first rotation pages its SLOs within minutes and stops within 7 minutes of its end', (_when, start) => {
    const incidents = liveIncidents(start, 7).slice(0, 9);
    const end = incidents.at(-1)!.endMs + 15 * MINUTE;
    const slos = aggregate(start - 2 * HOUR, end, incidents);
    const firing = new Map<string, Set<number>>(); // SLO → minutes at which its fast page pair fires
    for (const s of slos) {
      const minutes = new Set<number>();
      for (let t = start - 30 * MINUTE; t < end; t += MINUTE) if (fastPageFiring(evaluate(s, t + MINUTE - 1))) minutes.add(t);
      firing.set(name(s), minutes);
    }
    const firesBetween = (s: SloSeries, fromMs: number, toMs: number) => [...firing.get(name(s))!].some((t) => t >= fromMs && t < toMs);

    for (const s of slos) expect(firesBetween(s, start - 30 * MINUTE, start), `${name(s)} before the first incident`).toBe(false);
    for (const incident of incidents) {
      const expected = slos.filter((s) => mustPage(s, incident));
      expect(expected.length, incident.title).toBeGreaterThan(0);
      for (const s of expected)
        expect(firesBetween(s, incident.startMs, incident.endMs + 3 * MINUTE), `${name(s)} pages for "${incident.title}"`).toBe(true);
      for (const s of slos.filter((x) => incident.journeys.includes(x.journey.name))) {
        expect(firing.get(name(s))!.has(incident.endMs + 7 * MINUTE), `${name(s)} still paging 7 minutes after "${incident.title}"`).toBe(
          false,
        );
      }
    }
  });
});
