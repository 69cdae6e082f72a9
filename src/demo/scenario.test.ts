import { beforeAll, describe, expect, it } from 'vitest';
import type { VigilConfig } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';
import { loadBankConfig } from './bank.js';
import { backfillIncidents, liveIncidents, type ScriptedIncident } from './scenario.js';
import { affectedSteps, generateTraffic } from './traffic.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 26, 10, 17);

let config: VigilConfig;
beforeAll(async () => {
  config = await loadBankConfig();
});

function checkAgainstConfig(incident: ScriptedIncident): void {
  const journeys = config.journeys.filter((j) => incident.journeys.includes(j.name));
  expect(journeys.map((j) => j.name)).toEqual(incident.journeys.filter((name) => journeys.some((j) => j.name === name)));
  expect(journeys).toHaveLength(incident.journeys.length);
  for (const journey of journeys)
    expect(affectedSteps(journey, incident).length, `${incident.id} touches ${journey.name}`).toBeGreaterThan(0);
  const services = new Set(config.services.map((s) => s.name));
  for (const service of incident.services) expect(services.has(service), service).toBe(true);
  expect(incident.endMs).toBeGreaterThan(incident.startMs);
  expect(incident.severity).toBeGreaterThan(0);
}

describe('backfillIncidents', () => {
  const incidents = backfillIncidents(NOW);

  it('places a few incidents of every shape in the past 28 days, each naming real journeys, steps and services', () => {
    expect(new Set(incidents.map((i) => i.shape))).toEqual(new Set(['outage', 'slow-burn', 'latency', 'step-failure']));
    expect(new Set(incidents.map((i) => i.id)).size).toBe(incidents.length);
    for (const incident of incidents) {
      expect(incident.startMs).toBeGreaterThan(NOW - 28 * DAY);
      expect(incident.endMs).toBeLessThanOrEqual(NOW);
      checkAgainstConfig(incident);
    }
  });

  it('includes the stories the demo tells', () => {
    const find = (story: string) => incidents.find((i) => i.id.startsWith(`${story}-20`))!;
    const outage = find('bf-card-authorise-outage');
    expect(outage).toMatchObject({ shape: 'outage', journeys: ['card-payment'], step: 'authorise', severity: 1 });
    expect(outage.endMs - outage.startMs).toBe(12 * MINUTE);
    expect(Math.floor((NOW - outage.startMs) / DAY)).toBe(9);
    const slowBurn = find('bf-sepa-slow-burn');
    expect(slowBurn.endMs - slowBurn.startMs).toBe(2 * DAY);
    expect(Math.floor((NOW - slowBurn.endMs) / DAY)).toBe(3);
    const latency = find('bf-sepa-latency-regression');
    expect(latency.shape).toBe('latency');
    expect(Math.floor(latency.startMs / DAY)).toBe(Math.floor(NOW / DAY) - 1);
  });

  it('always lies entirely in the past, whatever the time of day', () => {
    for (const now of [Date.UTC(2026, 0, 1, 0, 0), Date.UTC(2026, 0, 1, 23, 59)]) {
      for (const incident of backfillIncidents(now)) expect(incident.endMs).toBeLessThanOrEqual(now);
    }
  });
});

describe('liveIncidents', () => {
  const start = NOW + 17_000;
  const incidents = liveIncidents(start, 7);

  it('is deterministic in its start and seed', () => {
    expect(liveIncidents(start, 7)).toEqual(incidents);
    expect(new Set(incidents.map((i) => i.id)).size).toBe(incidents.length);
    // Ids stay apart across demo runs, so a reused database never mixes two runs' incidents.
    expect(liveIncidents(start + DAY, 7)[0]!.id).not.toBe(incidents[0]!.id);
    expect(backfillIncidents(NOW + DAY)[0]!.id).not.toBe(backfillIncidents(NOW)[0]!.id);
    expect(liveIncidents(start, 8).map((i) => i.startMs)).not.toEqual(incidents.map((i) => i.startMs));
  });

  it('starts within two minutes, then one every 4–6 minutes lasting 2–4 minutes, for a week', () => {
    expect(incidents[0]!.startMs - start).toBeLessThanOrEqual(2 * MINUTE);
    expect(incidents[0]!.startMs).toBeGreaterThan(start);
    for (const [i, incident] of incidents.entries()) {
      const length = incident.endMs - incident.startMs;
      expect(length >= 2 * MINUTE && length <= 4 * MINUTE).toBe(true);
      const next = incidents[i + 1];
      if (next) expect([4 * MINUTE, 5 * MINUTE, 6 * MINUTE]).toContain(next.startMs - incident.startMs);
    }
    expect(incidents.at(-1)!.startMs).toBeGreaterThan(start + 7 * DAY - 6 * MINUTE);
    expect(incidents.length).toBeGreaterThan(1500);
  });

  it('rotates shapes and journeys, naming real steps and services', () => {
    const firstRound = incidents.slice(0, 9);
    expect(new Set(firstRound.map((i) => i.shape))).toEqual(new Set(['outage', 'latency', 'step-failure']));
    expect(new Set(firstRound.flatMap((i) => i.journeys))).toEqual(
      new Set(['card-payment', 'sepa-instant', 'login', 'view-balance', 'open-account']),
    );
    for (const incident of firstRound) checkAgainstConfig(incident);
  });

  it('leaves every journey at least 8 quiet minutes between two of its incidents, so its page can stop', () => {
    const lastEnd = new Map<string, number>();
    let quietest = Number.POSITIVE_INFINITY;
    for (const incident of incidents.slice(0, 200)) {
      for (const journey of incident.journeys) {
        const end = lastEnd.get(journey);
        if (end !== undefined) quietest = Math.min(quietest, incident.startMs - end);
        lastEnd.set(journey, incident.endMs);
      }
    }
    expect(quietest).toBeGreaterThanOrEqual(8 * MINUTE);
  });
});

describe('every backfill incident shape is visible in the traffic', () => {
  /** Events of the incident's window and an hour either side, with the incident and without it. */
  function around(incident: ScriptedIncident): { actual: JourneyEvent[]; counterfactual: JourneyEvent[] } {
    const fromMs = incident.startMs - HOUR;
    const toMs = incident.endMs + HOUR;
    const run = (incidents: ScriptedIncident[]) => [...generateTraffic({ config, fromMs, toMs, seed: 7, incidents })].flat();
    return { actual: run([incident]), counterfactual: run([]) };
  }

  const atAffectedSteps = (incident: ScriptedIncident, events: JourneyEvent[]) => {
    const steps = new Map(config.journeys.map((j) => [j.name, new Set(affectedSteps(j, incident))]));
    return events.filter(
      (e) => e.step !== undefined && steps.get(e.journey)?.has(e.step) && e.timestamp >= incident.startMs && e.timestamp < incident.endMs,
    );
  };
  const failureRatio = (events: JourneyEvent[]) => {
    const valid = events.filter((e) => e.outcome === 'success' || e.outcome === 'failure');
    return valid.filter((e) => e.outcome === 'failure').length / valid.length;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  const isDrift = (incident: ScriptedIncident) => incident.id.startsWith('bf-card-decline-drift');
  for (const incident of backfillIncidents(NOW).filter((i) => !isDrift(i))) {
    it(`${incident.id} (${incident.shape})`, () => {
      const { actual, counterfactual } = around(incident);
      const hit = atAffectedSteps(incident, actual);
      const baseline = atAffectedSteps(incident, counterfactual);
      expect(hit.length).toBeGreaterThan(5);
      if (incident.shape === 'latency') {
        const ratio = median(hit.map((e) => e.latencyMs!)) / median(baseline.map((e) => e.latencyMs!));
        expect(ratio).toBeGreaterThan(incident.severity * 0.75);
        expect(ratio).toBeLessThan(incident.severity * 1.33);
      } else {
        // Far above the same traffic without the incident; close to the severity (a few events, so loosely).
        expect(failureRatio(hit)).toBeGreaterThan(incident.shape === 'outage' ? 0.9 : incident.severity * 0.3);
        expect(failureRatio(hit)).toBeGreaterThan(10 * failureRatio(baseline));
      }
      // Nothing changes before the incident, nor once its attempts and retries are over.
      const unaffected = (e: JourneyEvent) => e.timestamp < incident.startMs || e.timestamp >= incident.endMs + 10 * MINUTE;
      expect(actual.filter(unaffected)).toEqual(counterfactual.filter(unaffected));
    });
  }

  it('the card payment drift: 3% of authorisations fail in its hours, and 4% of the volume per point is lost', () => {
    const drift = backfillIncidents(NOW).filter(isDrift);
    // Three days of eight hours on 26 November: paydays rule out the 20th and 25th, SEPA's outage the 24th.
    expect(drift.length).toBeGreaterThanOrEqual(8 * 3);
    const hit: JourneyEvent[] = [];
    let attempts = 0;
    let attemptsWithout = 0;
    for (const incident of drift) {
      const { actual, counterfactual } = around(incident);
      hit.push(...atAffectedSteps(incident, actual));
      const whole = (events: JourneyEvent[]) =>
        events
          .filter((e) => e.journey === 'card-payment' && e.step === undefined && e.timestamp >= incident.startMs + 2 * MINUTE)
          .filter((e) => e.timestamp < incident.endMs).length;
      attempts += whole(actual);
      attemptsWithout += whole(counterfactual);
    }
    expect(failureRatio(hit)).toBeGreaterThan(0.025);
    expect(failureRatio(hit)).toBeLessThan(0.035);
    // 3 points × 4% = 12% fewer first attempts; retries of the 3% that fail add about 2% back.
    expect(attempts / attemptsWithout).toBeGreaterThan(0.85);
    expect(attempts / attemptsWithout).toBeLessThan(0.94);
  });
});
