import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SloSpec, VigilConfig } from '../model/config.js';
import { openStore } from '../store/open.js';
import { CONFIG_META_KEY, VigilRuntime } from './runtime.js';

const NOW = Date.parse('2026-11-26T10:00:30Z');
const slo = (name: string, extra: Partial<SloSpec> & Pick<SloSpec, 'sli'>): SloSpec => ({
  name,
  objective: 99,
  window: { kind: 'rolling', minutes: 1440, text: '1d' },
  budgeting: 'occurrences',
  timeSliceTarget: 90,
  alerting: { minEvents: 0 },
  ...extra,
});
const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: { critical: { name: 'critical', objective: 99.9 } },
  services: [],
  journeys: [
    {
      name: 'wire-transfer',
      displayName: 'Wire transfer',
      tier: 'critical',
      steps: [
        { name: 'initiate', services: [], critical: false },
        { name: 'confirm', services: [], critical: true },
      ],
      slos: [
        slo('success', { sli: { kind: 'success', abandonedIsBad: false } }),
        slo('fast', { sli: { kind: 'latency', thresholdMs: 1000, abandonedIsBad: true } }),
        slo('confirm', { budgeting: 'timeslices', sli: { kind: 'success', step: 'confirm', abandonedIsBad: false } }),
        slo('month', {
          window: { kind: 'calendar', unit: 'month', text: 'month' },
          sli: { kind: 'success', step: 'initiate', abandonedIsBad: false },
        }),
      ],
    },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 10_000_000 },
};

/** The same journey with a value-weighted SLO too (docs/slo-maths.md ("Value-weighted SLIs")): the same exactness as counting events. */
const weighted: VigilConfig = {
  ...config,
  journeys: config.journeys.map((j) => ({
    ...j,
    value: { currency: 'GBP', revenuePerSuccess: 1 },
    slos: [...j.slos, slo('value', { sli: { kind: 'success', abandonedIsBad: false, weight: 'amount', currency: 'GBP' } })],
  })),
};

const event = fc.record({
  hasId: fc.boolean(),
  resent: fc.boolean(),
  step: fc.constantFrom(undefined, 'initiate', 'confirm'),
  outcome: fc.constantFrom('success', 'success', 'success', 'failure', 'rejected', 'abandoned'),
  latencyMs: fc.integer({ min: 0, max: 3000 }),
  ageMs: fc.integer({ min: 0, max: 26 * 3_600_000 }),
  /** Whole pence, up to £100,000. */
  pence: fc.integer({ min: 0, max: 10_000_000 }),
});

async function statusesAfter(batches: Record<string, unknown>[][]) {
  const store = await openStore(':memory:');
  const runtime = await VigilRuntime.start({ config: weighted, store, clock: () => NOW });
  let accepted = 0;
  for (const batch of batches) accepted += (await runtime.ingestor.ingest(JSON.stringify(batch), 'application/json')).accepted;
  const statuses = runtime.registry.statuses(NOW);
  await runtime.close();
  return { statuses, accepted };
}

describe('ingest → store → engine (property)', () => {
  it('the same events in any order and any batching give the same status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 80 }),
        fc.array(fc.nat(79), { maxLength: 6 }),
        fc.nat(),
        async (raw, cuts, seed) => {
          const events = raw.map((e, i) => ({
            journey: 'wire-transfer',
            ...(e.hasId ? { id: `e-${i}` } : {}),
            ...(e.step ? { step: e.step } : {}),
            outcome: e.outcome,
            latencyMs: e.latencyMs,
            amount: e.pence / 100,
            timestamp: NOW - e.ageMs,
          }));
          // Re-send some events that carry an id (a client retrying), shuffle, split at random points:
          // each event still counts once.
          const resent = events.filter((e, i) => 'id' in e && raw[i]!.resent);
          const shuffled = [...events, ...resent]
            .map((e, i) => ({ e, k: (i * 2654435761 + seed) % 1000003 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.e);
          const points = [...new Set(cuts.filter((c) => c < shuffled.length))].sort((a, b) => a - b);
          const batches: Record<string, unknown>[][] = [];
          let start = 0;
          for (const p of [...points, shuffled.length]) {
            if (p > start) batches.push(shuffled.slice(start, p));
            start = p;
          }
          const reference = await statusesAfter([events]);
          expect(reference.accepted).toBe(events.length);
          // The 1-day window starts at the minute 1,439 minutes before NOW's.
          const windowStart = (Math.floor(NOW / 60_000) - 1439) * 60_000;
          const counted = events.filter(
            (e) => !('step' in e) && (e.outcome === 'success' || e.outcome === 'failure') && e.timestamp >= windowStart,
          );
          expect(reference.statuses[0]!.total).toBe(counted.length);
          // The value-weighted SLO sums the same events' amounts, exactly, in pence.
          const value = reference.statuses.find((st) => st.slo === 'value')!;
          const pence = (list: typeof counted) => list.reduce((sum, e) => sum + Math.round(e.amount * 100), 0);
          expect(value.total).toBe(pence(counted) / 100);
          expect(value.good).toBe(pence(counted.filter((e) => e.outcome === 'success')) / 100);
          expect(await statusesAfter(batches)).toEqual(reference);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the configuration snapshot kept in the database', () => {
  it('leaves out notification targets and their secrets', async () => {
    const store = await openStore(':memory:');
    const withSecrets: VigilConfig = {
      ...config,
      notifications: {
        targets: [
          {
            name: 'oncall',
            type: 'pagerduty',
            url: 'https://events.pagerduty.com/v2/enqueue',
            routingKey: 'secret-routing-key-0123',
            minPriority: 'P2',
          },
        ],
        routing: { P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' },
      },
    };
    const runtime = await VigilRuntime.start({ config: withSecrets, store, clock: () => NOW });
    const saved = (await store.meta.getMeta(CONFIG_META_KEY))!;
    expect(saved).not.toContain('secret-routing-key');
    expect(JSON.parse(saved).journeys[0].name).toBe('wire-transfer');
    await runtime.close();
  });
});

describe('reconfigure: a new configuration without a restart', () => {
  const batch = (from: number, n: number) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        journey: 'wire-transfer',
        id: `r-${from + i}`,
        outcome: (from + i) % 4 === 0 ? 'failure' : 'success',
        timestamp: NOW - 60_000 * ((from + i) % 90),
      })),
    );
  const week = slo('week', {
    window: { kind: 'rolling', minutes: 7 * 1440, text: '7d' },
    sli: { kind: 'success', abandonedIsBad: true },
  });
  const journey = config.journeys[0]!;
  const next: VigilConfig = {
    ...config,
    journeys: [{ ...journey, slos: [{ ...journey.slos[0]!, objective: 95 }, week] }],
    notifications: {
      targets: [{ name: 'g', type: 'opsgenie', url: 'https://api.eu.opsgenie.com', apiKey: 'genie-secret-key', minPriority: 'P3' }],
      routing: { P1: 'page', P2: 'page', P3: 'ticket', P4: 'none' },
    },
  };

  it('appends racing the reload are counted once, in the new registry as in the store; removed SLIs are dropped', async () => {
    const store = await openStore(':memory:');
    const runtime = await VigilRuntime.start({ config, store, clock: () => NOW });
    await runtime.ingestor.ingest(batch(0, 200), 'application/json');
    const racing = Array.from({ length: 8 }, (_, k) => runtime.ingestor.ingest(batch(200 + k * 25, 25), 'application/json'));
    let swappedWith: unknown;
    const changed = await runtime.reconfigure(next, () => {
      swappedWith = runtime.config;
    });
    const accepted = (await Promise.all(racing)).reduce((n, r) => n + r.accepted, 0);
    await runtime.ingestor.ingest(batch(400, 40), 'application/json');
    expect(accepted).toBe(200);
    expect(swappedWith).toBe(next);
    expect(changed.recomputed).toEqual(['wire-transfer|*|success|abandoned:bad']);
    expect(changed.dropped.sort()).toEqual([
      'wire-transfer|*|latency:1000|abandoned:bad',
      'wire-transfer|confirm|success|abandoned:ok',
      'wire-transfer|initiate|success|abandoned:ok',
    ]);
    const [success, weekly] = runtime.registry.statuses(NOW);
    expect([success!.objective, success!.total, weekly!.total]).toEqual([95, 440, 440]);
    expect(success!.good).toBe(440 - 110);
    // What memory holds is what a restart would load from the store.
    const restarted = await VigilRuntime.start({ config: next, store, clock: () => NOW });
    expect(restarted.registry.statuses(NOW)).toEqual(runtime.registry.statuses(NOW));
    expect(await store.events.materialisedSliKeys()).toHaveLength(2);
    const saved = (await store.meta.getMeta(CONFIG_META_KEY))!;
    expect(saved).not.toContain('genie-secret-key');
    expect(JSON.parse(saved).journeys[0].slos[0].objective).toBe(95);
    await runtime.close();
  });

  it('keeps the old configuration when the store fails before the swap', async () => {
    const store = await openStore(':memory:');
    const runtime = await VigilRuntime.start({ config, store, clock: () => NOW });
    const registry = runtime.registry;
    const rebuild = store.events.rebuildSli.bind(store.events);
    store.events.rebuildSli = async () => {
      throw new Error('disk full');
    };
    await expect(runtime.reconfigure(next)).rejects.toThrow('disk full');
    store.events.rebuildSli = rebuild;
    expect(runtime.config).toBe(config);
    expect(runtime.registry).toBe(registry);
    expect((await runtime.ingestor.ingest(batch(0, 10), 'application/json')).accepted).toBe(10);
    expect(runtime.registry.statuses(NOW)[0]!.total).toBe(10);
    await runtime.close();
  });
});
