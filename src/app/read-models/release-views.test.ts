/** The release read model on a real SQLite store and SLO registry: §8.1's figures by hand, next-deployment cut-offs, timeslices, the gate. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFromString } from '../../config/load.js';
import { SloRegistry } from '../../engine/slo-registry.js';
import type { VigilConfig } from '../../model/config.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { ReleaseViews } from './release-views.js';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 26, 10, 0, 0);
const M = T / MIN;

const YAML = `version: vigil/v1
journeys:
  - name: pay
    steps: [{ name: send, services: [pay-api] }]
    slos:
      - { name: success, objective: 99, window: 28d, sli: { kind: success } }
      - { name: minutes, objective: 90, window: 28d, budgeting: timeslices, timeSliceTarget: 95, sli: { kind: success } }
  - name: cards
    steps: [{ name: auth, services: [cards-api, pay-api] }]
    slos: [{ name: success, objective: 99.9, window: 28d, sli: { kind: success } }]
deployments: { attributionWindow: 2h }
`;

function config(): VigilConfig {
  const result = loadConfigFromString(YAML, 'vigil.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe('ReleaseViews', () => {
  let store: Store;
  let registry: SloRegistry;
  let views: ReleaseViews;
  /** Puts good/total into the minute of journey `journey`'s success SLI. */
  const put = (journey: string, minute: number, good: number, total: number) => {
    registry.applySliMinutes([{ key: registry.slo(journey, 'success')!.sli.key, minute, good, total }]);
  };

  beforeEach(async () => {
    store = await openStore(':memory:');
    registry = new SloRegistry(config());
    views = new ReleaseViews(() => registry, store.deployments);
  });
  afterEach(async () => {
    await store.close();
  });

  it('computes consumed, baseline and excess by hand, ending the interval at the next deployment of the same journey', async () => {
    // The day before: 1,000 events, 10 bad (1%). After the first deploy at 10:00: minute 10:05 has 40 bad of 200 (a slice under
    // 95%), minute 10:20 100 good of 100. The second deploy at 10:30 ends the first's interval; 10:40 has 2 bad of 100.
    put('pay', M - 600, 990, 1000);
    put('pay', M + 5, 160, 200);
    put('pay', M + 20, 100, 100);
    put('pay', M + 40, 98, 100);
    const body = (id: string, startedAt: number) => ({ id, service: 'pay-api', version: id, startedAt: new Date(startedAt).toISOString() });
    const now = T + 5 * 3_600_000;
    await views.record([body('d1', T + 20_000), body('d2', T + 30 * MIN)], now);
    const { deployments } = await views.list({}, now);
    expect(deployments.map((d) => [d.id, d.journeys, d.attribution])).toEqual([
      // d2: from 10:30, the 2-hour attribution window (no later deployment).
      ['d2', ['pay', 'cards'], { from: '2026-11-26T10:30:00.000Z', to: '2026-11-26T12:30:00.000Z' }],
      // d1: up to the minute of d2's start.
      ['d1', ['pay', 'cards'], { from: '2026-11-26T10:00:00.000Z', to: '2026-11-26T10:30:00.000Z' }],
    ]);
    const d1 = deployments[1]!.slos;
    // pay/success over d1: 40 bad of 300. Window (28d) ending 10:29 holds 1,300 → allowed 13. consumed = 40/13.
    // baseline = (10/1,000) × 300 / 13 = 3/13; excess = 37/13.
    expect(d1[0]).toMatchObject({ journey: 'pay', slo: 'success' });
    expect(d1[0]!.consumed).toBeCloseTo(40 / 13, 12);
    expect(d1[0]!.baseline).toBeCloseTo(3 / 13, 12);
    expect(d1[0]!.excess).toBeCloseTo(37 / 13, 12);
    // pay/minutes (timeslices, 95%): slices in d1: 10:05 bad, 10:20 good → 1 bad of 2. Window slices: the day-before minute
    // (99%: good), 10:05, 10:20 → 3; allowed = 10% × 3 = 0.3; consumed = 1/0.3; before: 0 bad of 1 slice → baseline 0.
    expect(d1[1]!.consumed).toBeCloseTo(1 / 0.3, 12);
    expect(d1[1]!.baseline).toBe(0);
    // cards/success: no events at all → nothing allowed, three nulls.
    expect(d1[2]).toEqual({ journey: 'cards', slo: 'success', consumed: null, baseline: null, excess: null });
    // pay/success over d2: 2 bad of 100; window ending 12:29 holds 1,400 → allowed 14; consumed = 2/14.
    // baseline over the 1,440 minutes before 10:30: 50 bad of 1,300 → (50/1,300) × 100 / 14.
    const d2 = deployments[0]!.slos;
    expect(d2[0]!.consumed).toBeCloseTo(2 / 14, 12);
    expect(d2[0]!.baseline).toBeCloseTo(((50 / 1300) * 100) / 14, 12);
    // Filters.
    expect((await views.list({ journey: 'cards', from: T + 60_000 }, now)).deployments.map((d) => d.id)).toEqual(['d2']);
    expect((await views.list({ service: 'cards-api' }, now)).deployments).toEqual([]);
  });

  it("annotates an SLO series with the deployments whose interval meets its range, oldest first, with this SLO's spend", async () => {
    // As above: d1 at 10:00:20 (interval 10:00–10:30, cut by d2), d2 at 10:30 (2 h window: 10:30–12:30); d3 at 13:00 affects
    // cards only (cards-api); d0 at 05:00 ran its 2 h out at 07:00.
    put('pay', M - 600, 990, 1000);
    put('pay', M + 5, 160, 200);
    put('pay', M + 20, 100, 100);
    put('pay', M + 40, 98, 100);
    const body = (id: string, startedAt: number, service = 'pay-api') => ({
      id,
      service,
      version: id,
      startedAt: new Date(startedAt).toISOString(),
      author: 'ci',
      url: `https://ci.example/${id}`,
    });
    const now = T + 5 * 3_600_000;
    await views.record(
      [body('d0', T - 5 * 3_600_000), body('d1', T + 20_000), body('d2', T + 30 * MIN), body('d3', T + 3 * 3_600_000, 'cards-api')],
      now,
    );
    // [10:10, 11:00]: d1 (ends 10:30) and d2; not d0 (ended 07:00) nor d3 (another journey).
    const shown = await views.seriesDeployments('pay', 'success', T + 10 * MIN, T + 60 * MIN, now);
    expect(shown.map((d) => [d.id, d.attribution.from, d.attribution.to])).toEqual([
      ['d1', '2026-11-26T10:00:00.000Z', '2026-11-26T10:30:00.000Z'],
      ['d2', '2026-11-26T10:30:00.000Z', '2026-11-26T12:30:00.000Z'],
    ]);
    // The same figures as the deployments list gives for pay/success: 40/13 (3/13 baseline), then 2/14.
    expect(shown[0]).toMatchObject({ service: 'pay-api', version: 'd1', author: 'ci', url: 'https://ci.example/d1', description: null });
    expect(shown[0]!.consumed).toBeCloseTo(40 / 13, 12);
    expect(shown[0]!.baseline).toBeCloseTo(3 / 13, 12);
    expect(shown[0]!.excess).toBeCloseTo(37 / 13, 12);
    expect(shown[1]!.consumed).toBeCloseTo(2 / 14, 12);
    // The timeslice SLO gets its own figures: 1 bad slice of 2 over d1, 0.3 allowed.
    expect((await views.seriesDeployments('pay', 'minutes', T + 10 * MIN, T + 20 * MIN, now))[0]!.consumed).toBeCloseTo(1 / 0.3, 12);
    // A range ending exactly where d1's interval ends does not show d2's start…
    expect((await views.seriesDeployments('pay', 'success', T - 60 * MIN, T + 29 * MIN, now)).map((d) => d.id)).toEqual(['d1']);
    // …one starting at d1's end shows d2 only; cards sees d1, d2 (pay-api is one of its services) and d3.
    expect((await views.seriesDeployments('pay', 'success', T + 30 * MIN, T + 60 * MIN, now)).map((d) => d.id)).toEqual(['d2']);
    expect((await views.seriesDeployments('cards', 'success', T, now, now)).map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
    expect(await views.seriesDeployments('pay', 'nope', T, now, now)).toEqual([]);
    expect(await views.seriesDeployments('pay', 'success', T + 4 * 3_600_000, now, now)).toEqual([]);
  });

  it('refuses malformed deployments with invalid_deployment naming the field', async () => {
    await expect(views.record({ id: 'x', service: 's', version: '1' }, T)).rejects.toMatchObject({
      code: 'invalid_deployment',
      message: expect.stringContaining('startedAt'),
    });
    await expect(
      views.record([{ id: 'x', service: 's', version: '1', startedAt: '2026-11-26T10:00:00Z', journeys: ['nope'] }], T),
    ).rejects.toMatchObject({ code: 'invalid_deployment', message: "[0] journeys: 'nope' is not a configured journey" });
    await expect(views.record([], T)).rejects.toMatchObject({ code: 'invalid_deployment' });
    expect(await store.deployments.listDeployments({})).toEqual([]);
  });

  it('the gate: policy states, margins by hand, an unknown service cannot be decided', async () => {
    // pay: 1,000 events in the window, 5 bad: allowed 10, remaining 0.5 → healthy; margin 5, 5 ÷ (1,000 ÷ 40,320) = 201.6 minutes.
    put('pay', M - 100, 995, 1000);
    const gate = await views.gate({ journey: 'pay' }, T);
    expect(gate.decision).toBe('allow');
    expect(gate.journeys[0]!.slos[0]).toMatchObject({ slo: 'success', state: 'healthy', remaining: 0.5 });
    expect(gate.journeys[0]!.slos[0]!.margin.failures).toBeCloseTo(5, 9);
    expect(gate.journeys[0]!.slos[0]!.margin.fullOutageMinutes).toBeCloseTo(201.6, 9);
    expect(views.journeyState('pay', T)).toBe('healthy');
    // cards: 10,000 events, 12 bad at 99.9%: allowed 10 → remaining −0.2 → frozen: a service in both journeys is denied.
    put('cards', M - 100, 9988, 10_000);
    const denied = await views.gate({ service: 'pay-api' }, T);
    expect(denied.decision).toBe('deny');
    expect(denied.reasons[0]).toBe('cards/success is frozen: budget 20% overspent');
    expect(denied.journeys.map((j) => [j.journey, j.state])).toEqual([
      ['pay', 'healthy'],
      ['cards', 'frozen'],
    ]);
    expect(await views.gate({ service: 'nobody' }, T)).toMatchObject({ decision: 'cannot_decide', journeys: [] });
    await expect(views.gate({ journey: 'nope' }, T)).rejects.toMatchObject({ code: 'journey_not_found' });
  });
});
