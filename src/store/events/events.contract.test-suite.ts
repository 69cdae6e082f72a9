/** The behaviour every EventStore backend must show; contracts.test-suite.ts runs it on each backend. */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SliDefinition, sliContribution } from '../../engine/sli.js';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent } from '../../model/event.js';
import { minuteOf } from '../../model/minutes.js';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { SliMinute, Store } from '../store.js';

/** 2026-11-26T10:00:00Z, on a minute boundary. */
const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const M0 = minuteOf(T0);
const MIN = 60_000;

const PAY_SUCCESS: SliDefinition = {
  key: 'pay|*|success|abandoned:ok',
  source: 'events',
  journey: 'pay',
  step: null,
  kind: 'success',
  abandonedIsBad: false,
};
const PAY_ABANDON_BAD: SliDefinition = {
  key: 'pay|*|success|abandoned:bad',
  source: 'events',
  journey: 'pay',
  step: null,
  kind: 'success',
  abandonedIsBad: true,
};
const PAY_LATENCY: SliDefinition = {
  key: 'pay|*|latency:1000|abandoned:ok',
  source: 'events',
  journey: 'pay',
  step: null,
  kind: 'latency',
  thresholdMs: 1000,
  abandonedIsBad: false,
};
const PAY_CONFIRM: SliDefinition = {
  key: 'pay|confirm|success|abandoned:ok',
  source: 'events',
  journey: 'pay',
  step: 'confirm',
  kind: 'success',
  abandonedIsBad: false,
};
const LOGIN_SUCCESS: SliDefinition = {
  key: 'login|*|success|abandoned:ok',
  source: 'events',
  journey: 'login',
  step: null,
  kind: 'success',
  abandonedIsBad: false,
};
/** Value-weighted (docs/slo-maths.md ("Value-weighted SLIs")): good and total are GBP pence. */
const PAY_AMOUNT: SliDefinition = {
  key: 'pay|*|success|abandoned:bad|amount:GBP',
  source: 'events',
  journey: 'pay',
  step: null,
  kind: 'success',
  abandonedIsBad: true,
  weight: 'amount',
  currency: 'GBP',
};
const ALL_SLIS: readonly SliDefinition[] = [PAY_SUCCESS, PAY_ABANDON_BAD, PAY_LATENCY, PAY_CONFIRM, LOGIN_SUCCESS];

function ev(partial: Partial<JourneyEvent> & { outcome: Outcome }, offsetMs = 0): JourneyEvent {
  return { journey: 'pay', timestamp: T0 + offsetMs, ...partial };
}

/** What a correct store must hold for an SLI: the contributions of the first occurrence of every id. */
function expectedSliMinutes(def: SliDefinition, events: readonly JourneyEvent[]): SliMinute[] {
  const seen = new Set<string>();
  const byMinute = new Map<number, SliMinute>();
  for (const e of events) {
    if (e.id !== undefined) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
    }
    const c = sliContribution(def, e);
    if (c.total === 0) continue;
    const minute = minuteOf(e.timestamp);
    const row = byMinute.get(minute) ?? { key: def.key, minute, good: 0, total: 0 };
    row.good += c.good;
    row.total += c.total;
    byMinute.set(minute, row);
  }
  return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
}

const ALL_MINUTES: [number, number] = [M0 - 100_000, M0 + 100_000];

/** Registers the EventStore contract suite for one backend (`store.events` of a fresh, migrated, empty store). */
export function runEventsContract(name: string, makeStore: StoreFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('migrate is idempotent and keeps data', async () => {
      await store.events.appendEvents([ev({ id: 'a', outcome: 'success' })], ALL_SLIS, T0);
      await store.migrate();
      await store.migrate();
      expect(await store.events.countEvents()).toBe(1);
      expect(Number(await store.meta.getMeta('schema_version'))).toBeGreaterThanOrEqual(1);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0, good: 1, total: 1 },
      ]);
    });

    it('stores events with every field and reads them back with their aggregates', async () => {
      const full: JourneyEvent = {
        id: 'evt-7f3a',
        journey: 'pay',
        step: 'confirm',
        outcome: 'success',
        latencyMs: 840.5,
        timestamp: T0 + 250,
        attemptId: 'att-91',
        customerId: 'c-42',
        amount: 1200.5,
        currency: 'EUR',
        attributes: { channel: 'mobile', nested: { n: 1, list: [1, 'two', null] }, quote: 'it\'s "quoted"' },
      };
      const bare: JourneyEvent = { journey: 'pay', outcome: 'failure', timestamp: T0 + 1_000 };
      const result = await store.events.appendEvents([full, bare], ALL_SLIS, T0 + 5_000);
      expect(result.inserted).toEqual([true, true]);

      const stored = await store.events.events({ from: T0, to: T0 + MIN });
      expect(stored).toEqual([
        { ...full, receivedAt: T0 + 5_000 },
        { ...bare, receivedAt: T0 + 5_000 },
      ]);
      expect(Object.keys(stored[1]!).sort()).toEqual(['journey', 'outcome', 'receivedAt', 'timestamp']);

      expect(await store.events.sliMinutes(PAY_CONFIRM.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_CONFIRM.key, minute: M0, good: 1, total: 1 },
      ]);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0, good: 0, total: 1 },
      ]);
      expect(await store.events.sliMinutes(LOGIN_SUCCESS.key, ...ALL_MINUTES)).toEqual([]);
      const scopes = await store.events.scopeMinutes(...ALL_MINUTES);
      expect(scopes).toEqual([
        { journey: 'pay', step: null, minute: M0, success: 0, failure: 1, rejected: 0, abandoned: 0 },
        { journey: 'pay', step: 'confirm', minute: M0, success: 1, failure: 0, rejected: 0, abandoned: 0 },
      ]);
      // On an empty store the returned deltas are exactly what is now stored.
      expect([...result.scopeDeltas].sort((a, b) => (a.step ?? '').localeCompare(b.step ?? ''))).toEqual(scopes);
      expect(result.sliDeltas).toEqual(
        expect.arrayContaining([
          { key: PAY_CONFIRM.key, minute: M0, good: 1, total: 1 },
          { key: PAY_SUCCESS.key, minute: M0, good: 0, total: 1 },
        ]),
      );
    });

    it('counts an id once, across batches and inside one batch; events without id always count', async () => {
      const first = await store.events.appendEvents(
        [ev({ id: 'x', outcome: 'success' }), ev({ id: 'x', outcome: 'failure' }), ev({ outcome: 'success' }), ev({ outcome: 'success' })],
        ALL_SLIS,
        T0,
      );
      expect(first.inserted).toEqual([true, false, true, true]);
      const second = await store.events.appendEvents(
        [ev({ id: 'y', outcome: 'success' }), ev({ id: 'x', outcome: 'failure' }, 2 * MIN)],
        ALL_SLIS,
        T0,
      );
      expect(second.inserted).toEqual([true, false]);
      expect(second.sliDeltas.filter((d) => d.key === PAY_SUCCESS.key)).toEqual([{ key: PAY_SUCCESS.key, minute: M0, good: 1, total: 1 }]);

      expect(await store.events.countEvents()).toBe(4);
      expect((await store.events.events({ from: T0, to: T0 + MIN })).find((e) => e.id === 'x')?.outcome).toBe('success');
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0, good: 4, total: 4 },
      ]);
      expect((await store.events.scopeMinutes(...ALL_MINUTES)).map((s) => [s.minute, s.success, s.failure])).toEqual([[M0, 4, 0]]);
    });

    it('stores nothing of a batch the database rejects, and the store stays usable', async () => {
      await store.events.appendEvents([ev({ id: 'before', outcome: 'success' })], [PAY_SUCCESS], T0);
      const bad = [
        ev({ id: 'ok-1', outcome: 'success' }),
        ev({ id: 'ok-2', outcome: 'failure' }, MIN),
        ev({ id: 'bad', outcome: 'exploded' as Outcome }, 2 * MIN),
      ];
      await expect(store.events.appendEvents(bad, ALL_SLIS, T0)).rejects.toThrow();

      expect(await store.events.countEvents()).toBe(1);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0, good: 1, total: 1 },
      ]);
      expect(await store.events.sliMinutes(PAY_LATENCY.key, ...ALL_MINUTES)).toEqual([]);
      expect((await store.events.scopeMinutes(...ALL_MINUTES)).map((s) => [s.minute, s.success, s.failure])).toEqual([[M0, 1, 0]]);
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_SUCCESS.key]);

      // The ids of the failed batch were not burnt.
      const retry = await store.events.appendEvents(bad.slice(0, 2), ALL_SLIS, T0);
      expect(retry.inserted).toEqual([true, true]);
      expect(await store.events.countEvents()).toBe(3);
    });

    it('counts late and out-of-order events in the minute they belong to', async () => {
      await store.events.appendEvents([ev({ outcome: 'success' }, 10 * MIN + 5)], [PAY_SUCCESS], T0);
      await store.events.appendEvents(
        [ev({ outcome: 'failure' }, 3 * MIN + 59_999), ev({ outcome: 'success' }, 10 * MIN + 59_999)],
        [PAY_SUCCESS],
        T0,
      );
      await store.events.appendEvents([ev({ outcome: 'success' }, -60 * MIN)], [PAY_SUCCESS], T0);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0 - 60, good: 1, total: 1 },
        { key: PAY_SUCCESS.key, minute: M0 + 3, good: 0, total: 1 },
        { key: PAY_SUCCESS.key, minute: M0 + 10, good: 2, total: 2 },
      ]);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, M0 + 3, M0 + 10)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0 + 3, good: 0, total: 1 },
      ]);
      expect((await store.events.events({ from: T0 - 3_600_000, to: T0 + 3_600_000 })).map((e) => e.timestamp)).toEqual([
        T0 - 60 * MIN,
        T0 + 3 * MIN + 59_999,
        T0 + 10 * MIN + 5,
        T0 + 10 * MIN + 59_999,
      ]);
    });

    it('counts rejected in scope minutes but never in SLIs', async () => {
      const result = await store.events.appendEvents(
        [ev({ outcome: 'rejected' }), ev({ outcome: 'rejected', step: 'confirm' })],
        ALL_SLIS,
        T0,
      );
      expect(result.sliDeltas).toEqual([]);
      for (const def of ALL_SLIS) expect(await store.events.sliMinutes(def.key, ...ALL_MINUTES)).toEqual([]);
      expect(await store.events.scopeMinutes(...ALL_MINUTES)).toEqual([
        { journey: 'pay', step: null, minute: M0, success: 0, failure: 0, rejected: 1, abandoned: 0 },
        { journey: 'pay', step: 'confirm', minute: M0, success: 0, failure: 0, rejected: 1, abandoned: 0 },
      ]);
    });

    it('counts abandoned as bad only for SLIs with abandonedIsBad', async () => {
      await store.events.appendEvents([ev({ outcome: 'abandoned' }), ev({ outcome: 'success' })], ALL_SLIS, T0);
      expect(await store.events.sliMinutes(PAY_ABANDON_BAD.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_ABANDON_BAD.key, minute: M0, good: 1, total: 2 },
      ]);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0, good: 1, total: 1 },
      ]);
      expect((await store.events.scopeMinutes(...ALL_MINUTES))[0]).toMatchObject({ success: 1, abandoned: 1 });
    });

    it('treats latency equal to the threshold as good, above it or missing as bad', async () => {
      await store.events.appendEvents(
        [
          ev({ outcome: 'success', latencyMs: 1000 }),
          ev({ outcome: 'success', latencyMs: 0 }),
          ev({ outcome: 'success', latencyMs: 1000.001 }),
          ev({ outcome: 'success' }),
          ev({ outcome: 'failure', latencyMs: 10 }),
        ],
        [PAY_LATENCY],
        T0,
      );
      expect(await store.events.sliMinutes(PAY_LATENCY.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_LATENCY.key, minute: M0, good: 2, total: 5 },
      ]);
    });

    it('keeps step events and whole-journey events in their own scopes', async () => {
      await store.events.appendEvents(
        [
          ev({ outcome: 'failure', step: 'confirm' }),
          ev({ outcome: 'success' }),
          ev({ outcome: 'success', step: 'login', journey: 'login' }),
        ],
        ALL_SLIS,
        T0,
      );
      expect(await store.events.sliMinutes(PAY_CONFIRM.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_CONFIRM.key, minute: M0, good: 0, total: 1 },
      ]);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_SUCCESS.key, minute: M0, good: 1, total: 1 },
      ]);
      expect(await store.events.sliMinutes(LOGIN_SUCCESS.key, ...ALL_MINUTES)).toEqual([]);
      expect(await store.events.scopeMinutes(...ALL_MINUTES, 'pay')).toEqual([
        { journey: 'pay', step: null, minute: M0, success: 1, failure: 0, rejected: 0, abandoned: 0 },
        { journey: 'pay', step: 'confirm', minute: M0, success: 0, failure: 1, rejected: 0, abandoned: 0 },
      ]);
      expect(await store.events.scopeMinutes(...ALL_MINUTES, 'login')).toEqual([
        { journey: 'login', step: 'login', minute: M0, success: 1, failure: 0, rejected: 0, abandoned: 0 },
      ]);
      expect((await store.events.events({ from: T0, to: T0 + MIN, step: null })).map((e) => e.outcome)).toEqual(['success']);
      expect((await store.events.events({ from: T0, to: T0 + MIN, step: 'confirm' })).map((e) => e.outcome)).toEqual(['failure']);
    });

    it('rebuildSli reproduces exactly the aggregates of incremental appends, whatever the batching', async () => {
      const outcome = fc.constantFrom<Outcome>('success', 'failure', 'rejected', 'abandoned');
      const event = fc.record(
        {
          id: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { nil: undefined }),
          journey: fc.constantFrom('pay', 'login'),
          step: fc.option(fc.constantFrom('confirm', 'login'), { nil: undefined }),
          outcome,
          latencyMs: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
          timestamp: fc.integer({ min: T0 - 30 * MIN, max: T0 + 30 * MIN }),
        },
        { requiredKeys: ['journey', 'outcome', 'timestamp'] },
      );
      const scenario = fc.record({
        events: fc.array(event, { maxLength: 60 }),
        cuts: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
      });
      await fc.assert(
        fc.asyncProperty(scenario, async ({ events, cuts }) => {
          const fresh = await makeStore();
          try {
            const bounds = [...new Set([0, ...cuts.filter((c) => c <= events.length), events.length])].sort((a, b) => a - b);
            for (let i = 0; i + 1 < bounds.length; i++) {
              await fresh.store.events.appendEvents(events.slice(bounds[i], bounds[i + 1]), ALL_SLIS, T0);
            }
            for (const def of ALL_SLIS) {
              const incremental = await fresh.store.events.sliMinutes(def.key, ...ALL_MINUTES);
              expect(incremental).toEqual(expectedSliMinutes(def, events));
              await fresh.store.events.rebuildSli(def);
              expect(await fresh.store.events.sliMinutes(def.key, ...ALL_MINUTES)).toEqual(incremental);
            }
          } finally {
            await fresh.cleanup();
          }
        }),
        { numRuns: 25 },
      );
      // A fresh store per run: on PostgreSQL a schema migrated 25 times, slow on a busy machine.
    }, 120_000);

    it('sums an amount-weighted SLI exactly in minor units, beyond 32 bits; rebuild equals incremental appends, whatever the batching', async () => {
      const outcome = fc.constantFrom<Outcome>('success', 'failure', 'rejected', 'abandoned');
      // Pence up to £20m a payment, so a minute's sum passes 2^32 pence; some events in another currency or without one.
      const event = fc.record({
        id: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { nil: undefined }),
        outcome,
        pence: fc.oneof(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 2_000_000_000 })),
        currency: fc.constantFrom<string | undefined>('GBP', undefined, 'EUR'),
        timestamp: fc.integer({ min: T0 - 5 * MIN, max: T0 + 5 * MIN }),
      });
      const scenario = fc.record({
        rows: fc.array(event, { maxLength: 60 }),
        cuts: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
      });
      await fc.assert(
        fc.asyncProperty(scenario, async ({ rows, cuts }) => {
          const events: JourneyEvent[] = rows.map((r) => ({
            journey: 'pay',
            outcome: r.outcome,
            timestamp: r.timestamp,
            amount: r.pence / 100,
            ...(r.id !== undefined && { id: r.id }),
            ...(r.currency !== undefined && { currency: r.currency }),
          }));
          // Brute force, without the engine: the first occurrence of each id, GBP or no currency, rejected never.
          const byMinute = new Map<number, SliMinute>();
          const seen = new Set<string>();
          for (const r of rows) {
            if (r.id !== undefined && seen.has(r.id)) continue;
            if (r.id !== undefined) seen.add(r.id);
            if (r.outcome === 'rejected' || r.currency === 'EUR' || r.pence === 0) continue;
            const minute = minuteOf(r.timestamp);
            const row = byMinute.get(minute) ?? { key: PAY_AMOUNT.key, minute, good: 0, total: 0 };
            if (r.outcome === 'success') row.good += r.pence;
            row.total += r.pence;
            byMinute.set(minute, row);
          }
          const expected = [...byMinute.values()].sort((a, b) => a.minute - b.minute);
          const fresh = await makeStore();
          try {
            const bounds = [...new Set([0, ...cuts.filter((c) => c <= events.length), events.length])].sort((a, b) => a - b);
            for (let i = 0; i + 1 < bounds.length; i++) {
              await fresh.store.events.appendEvents(events.slice(bounds[i], bounds[i + 1]), [PAY_AMOUNT, PAY_SUCCESS], T0);
            }
            const incremental = await fresh.store.events.sliMinutes(PAY_AMOUNT.key, ...ALL_MINUTES);
            expect(incremental).toEqual(expected);
            await fresh.store.events.rebuildSli(PAY_AMOUNT);
            expect(await fresh.store.events.sliMinutes(PAY_AMOUNT.key, ...ALL_MINUTES)).toEqual(incremental);
          } finally {
            await fresh.cleanup();
          }
        }),
        { numRuns: 25 },
      );
      // A fresh store per run: on PostgreSQL a schema migrated 25 times, slow on a busy machine.
    }, 120_000);

    it('marks SLI keys materialised only when their aggregates are complete', async () => {
      // Keys seen first by an empty store are complete by construction.
      await store.events.appendEvents([], [PAY_SUCCESS], T0);
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_SUCCESS.key]);
      await store.events.appendEvents([ev({ outcome: 'success' }), ev({ outcome: 'failure' }, MIN)], [PAY_SUCCESS], T0);

      // A key that arrives once events exist is not complete until rebuilt.
      await store.events.appendEvents([ev({ outcome: 'success' }, 2 * MIN)], [PAY_SUCCESS, PAY_LATENCY], T0);
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_SUCCESS.key]);
      expect(await store.events.sliMinutes(PAY_LATENCY.key, ...ALL_MINUTES)).toEqual([
        { key: PAY_LATENCY.key, minute: M0 + 2, good: 0, total: 1 },
      ]);
      expect(await store.events.rebuildSli(PAY_LATENCY)).toEqual({ events: 3, minutes: 3 });
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_LATENCY.key, PAY_SUCCESS.key].sort());
      expect((await store.events.sliMinutes(PAY_LATENCY.key, ...ALL_MINUTES)).map((m) => [m.minute - M0, m.good, m.total])).toEqual([
        [0, 0, 1],
        [1, 0, 1],
        [2, 0, 1],
      ]);

      // Events of a journey appended without one of its materialised SLIs leave that SLI incomplete.
      await store.events.appendEvents([ev({ outcome: 'success', journey: 'login' })], [PAY_SUCCESS], T0);
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_LATENCY.key, PAY_SUCCESS.key].sort());
      await store.events.appendEvents([ev({ outcome: 'success' }, 3 * MIN)], [PAY_SUCCESS], T0);
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_SUCCESS.key]);

      // Dropping forgets the key and its aggregates; a later rebuild starts it again.
      await store.events.dropSli(PAY_SUCCESS.key);
      expect(await store.events.materialisedSliKeys()).toEqual([]);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual([]);
      await store.events.appendEvents([ev({ outcome: 'failure' }, 4 * MIN)], [PAY_SUCCESS], T0);
      expect(await store.events.materialisedSliKeys()).toEqual([]);
      await store.events.rebuildSli(PAY_SUCCESS);
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_SUCCESS.key]);
      expect((await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).map((m) => [m.minute - M0, m.good, m.total])).toEqual([
        [0, 1, 1],
        [1, 0, 1],
        [2, 1, 1],
        [3, 1, 1],
        [4, 0, 1],
      ]);
    });

    it('purges old events and aggregates, and rebuilds never undercount a partly purged minute', async () => {
      const old = Array.from({ length: 12_000 }, (_, i) => ev({ outcome: i % 3 === 0 ? 'failure' : 'success' }, -120 * MIN + i));
      await store.events.appendEvents(old, [PAY_SUCCESS], T0);
      await store.events.appendEvents(
        [ev({ outcome: 'success' }, 10_000), ev({ outcome: 'failure' }, 50_000), ev({ outcome: 'success' }, MIN)],
        [PAY_SUCCESS],
        T0,
      );
      const before = await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES);

      const purged = await store.events.purge(T0 + 30_000, M0 - 60);
      expect(purged.events).toBe(12_001);
      expect(purged.sliMinutes).toBe(1);
      expect(purged.scopeMinutes).toBe(1);
      // Raw events in chunks of 5,000: 5,000 + 5,000 + 2,001, then one short chunk each for sli and scope minutes.
      expect(purged.batches).toBe(3 + 1 + 1);
      expect(await store.events.countEvents()).toBe(2);
      expect((await store.events.events({ from: 0, to: T0 + 10 * MIN })).map((e) => e.timestamp)).toEqual([T0 + 50_000, T0 + MIN]);
      const after = await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES);
      expect(after).toEqual(before.filter((m) => m.minute >= M0 - 60));
      expect(after.find((m) => m.minute === M0)).toEqual({ key: PAY_SUCCESS.key, minute: M0, good: 1, total: 2 });

      // Minute M0 lost one of its raw events to the purge: a rebuild must keep its aggregate, not recount it.
      await store.events.rebuildSli(PAY_SUCCESS);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual(after);
      expect(await store.events.purge(T0 - 5 * MIN, M0 - 60)).toEqual({ events: 0, sliMinutes: 0, scopeMinutes: 0, batches: 3 });
    });

    it('sliMinutesFromEvents computes what rebuildSli would write, and writes nothing', async () => {
      // PAY_LATENCY is not materialised: events existed before it was first given.
      await store.events.appendEvents([ev({ outcome: 'success', latencyMs: 200 })], [PAY_SUCCESS], T0);
      await store.events.appendEvents(
        [
          ev({ outcome: 'success', latencyMs: 1500 }, MIN),
          ev({ outcome: 'failure' }, 2 * MIN),
          ev({ outcome: 'success', latencyMs: 10 }, 3 * MIN),
        ],
        [PAY_SUCCESS, PAY_LATENCY],
        T0,
      );
      const stored = await store.events.sliMinutes(PAY_LATENCY.key, ...ALL_MINUTES);
      const computed = await store.events.sliMinutesFromEvents(PAY_LATENCY, ...ALL_MINUTES);
      expect(await store.events.materialisedSliKeys()).toEqual([PAY_SUCCESS.key]);
      expect(await store.events.sliMinutes(PAY_LATENCY.key, ...ALL_MINUTES)).toEqual(stored);
      // Only [from, to) is computed.
      expect(await store.events.sliMinutesFromEvents(PAY_LATENCY, M0 + 1, M0 + 3)).toEqual(
        computed.filter((m) => m.minute >= M0 + 1 && m.minute < M0 + 3),
      );
      await store.events.rebuildSli(PAY_LATENCY);
      expect(computed).toEqual(await store.events.sliMinutes(PAY_LATENCY.key, ...ALL_MINUTES));
      expect(computed.map((m) => [m.minute - M0, m.good, m.total])).toEqual([
        [0, 1, 1],
        [1, 0, 1],
        [2, 0, 1],
        [3, 1, 1],
      ]);
    });

    it('sliMinutesFromEvents keeps the stored aggregates of minutes partly purged, as a rebuild does', async () => {
      await store.events.appendEvents(
        [ev({ outcome: 'success' }, 10_000), ev({ outcome: 'failure' }, 50_000), ev({ outcome: 'success' }, MIN)],
        [PAY_SUCCESS],
        T0,
      );
      await store.events.purge(T0 + 30_000, M0 - 60);
      await store.events.appendEvents([ev({ outcome: 'failure', journey: 'login' }, 2 * MIN)], [LOGIN_SUCCESS], T0);
      const computed = await store.events.sliMinutesFromEvents(PAY_SUCCESS, ...ALL_MINUTES);
      expect(computed).toEqual([
        { key: PAY_SUCCESS.key, minute: M0, good: 1, total: 2 },
        { key: PAY_SUCCESS.key, minute: M0 + 1, good: 1, total: 1 },
      ]);
      await store.events.rebuildSli(PAY_SUCCESS);
      expect(await store.events.sliMinutes(PAY_SUCCESS.key, ...ALL_MINUTES)).toEqual(computed);
    });

    it('counts the customers of a journey in a period by failures met and by any event of any journey in the next', async () => {
      const H = 60 * MIN;
      await store.events.appendEvents(
        [
          // a: two failures (one at a step) and a success in N, back in N+1 on another journey.
          ev({ outcome: 'failure', customerId: 'a' }),
          ev({ outcome: 'failure', customerId: 'a', step: 'confirm' }, 1),
          ev({ outcome: 'success', customerId: 'a' }, 2),
          ev({ outcome: 'success', customerId: 'a', journey: 'login' }, H + 5),
          // b: a success in N, nothing after. c: a success in N, next event exactly at the end of N+1 (excluded).
          ev({ outcome: 'success', customerId: 'b' }, 3),
          ev({ outcome: 'success', customerId: 'c' }, 4),
          ev({ outcome: 'success', customerId: 'c' }, 2 * H),
          // d: one failure, back at the first instant of N+1. g: a success, back on the same journey.
          ev({ outcome: 'failure', customerId: 'd' }, H - 1),
          ev({ outcome: 'abandoned', customerId: 'd', journey: 'login' }, H),
          ev({ outcome: 'success', customerId: 'g' }, 6),
          ev({ outcome: 'rejected', customerId: 'g' }, H + 7),
          // h: four failures, gone.
          ...[10, 11, 12, 13].map((t) => ev({ outcome: 'failure', customerId: 'h' }, t)),
          // Not customers of pay in N: e only used login, f's pay event is before N; nor are events without a customer.
          ev({ outcome: 'failure', customerId: 'e', journey: 'login' }, 20),
          ev({ outcome: 'success', customerId: 'e' }, H + 20),
          ev({ outcome: 'success', customerId: 'f' }, -1),
          ev({ outcome: 'success', customerId: 'f' }, H + 21),
          ev({ outcome: 'failure', customerId: '' }, 30),
          ev({ outcome: 'failure' }, 31),
        ],
        [],
        T0,
      );
      const query = { journey: 'pay', from: T0, to: T0 + H, nextFrom: T0 + H, nextTo: T0 + 2 * H };
      expect(await store.events.retentionCounts(query)).toEqual([
        { failures: 0, retained: false, customers: 2 },
        { failures: 0, retained: true, customers: 1 },
        { failures: 1, retained: true, customers: 1 },
        { failures: 2, retained: true, customers: 1 },
        { failures: 4, retained: false, customers: 1 },
      ]);
      expect(await store.events.retentionCounts({ ...query, journey: 'login' })).toEqual([{ failures: 1, retained: true, customers: 1 }]);
      expect(await store.events.retentionCounts({ ...query, journey: 'nope' })).toEqual([]);
    });

    it('counts distinct non-empty customers among matching events', async () => {
      await store.events.appendEvents(
        [
          ev({ outcome: 'failure', customerId: 'c-1' }),
          ev({ outcome: 'failure', customerId: 'c-1' }, 1),
          ev({ outcome: 'failure', customerId: 'c-2', step: 'confirm' }, 2),
          ev({ outcome: 'failure', customerId: '' }, 3),
          ev({ outcome: 'failure' }, 4),
          ev({ outcome: 'success', customerId: 'c-3' }, 5),
          ev({ outcome: 'failure', customerId: 'c-4', journey: 'login' }, 6),
          ev({ outcome: 'failure', customerId: 'c-5' }, 2 * MIN),
        ],
        [],
        T0,
      );
      const window = { from: T0, to: T0 + MIN };
      expect(await store.events.distinctCustomers(window)).toBe(4);
      expect(await store.events.distinctCustomers({ ...window, journey: 'pay', outcomes: ['failure'] })).toBe(2);
      expect(await store.events.distinctCustomers({ ...window, journey: 'pay', step: null, outcomes: ['failure'] })).toBe(1);
      expect(await store.events.distinctCustomers({ ...window, outcomes: [] })).toBe(0);
    });

    it('counts events, distinct customers and amounts per currency in buckets (docs/dora.md ("How each figure is measured"))', async () => {
      const DAY = 1440 * MIN;
      await store.events.appendEvents(
        [
          ev({ outcome: 'success', customerId: 'a', amount: 10.5, currency: 'EUR' }),
          ev({ outcome: 'failure', customerId: 'a', amount: 4.25, currency: 'EUR' }, MIN),
          ev({ outcome: 'success', customerId: 'b', amount: 7, currency: 'GBP' }, 2 * MIN),
          ev({ outcome: 'success', customerId: '', amount: 1 }, 3 * MIN),
          ev({ outcome: 'success' }, 4 * MIN),
          ev({ outcome: 'failure', customerId: 'c', step: 'confirm', amount: 100, currency: 'EUR' }, 5 * MIN),
          // The second day: one event at its first millisecond, none on the third, one on the fourth's last.
          ev({ outcome: 'failure', customerId: 'a', amount: 2, currency: 'EUR' }, DAY),
          ev({ outcome: 'success', customerId: 'd' }, 4 * DAY - 1),
          ev({ outcome: 'success', customerId: 'e', journey: 'login', amount: 3, currency: 'EUR' }, 6 * MIN),
          ev({ outcome: 'success', customerId: 'f' }, 4 * DAY),
        ],
        [],
        T0,
      );
      const all = { journey: 'pay', from: T0, to: T0 + 4 * DAY };
      expect(await store.events.eventBuckets(all, DAY)).toEqual([
        {
          from: T0,
          events: 6,
          customers: 3,
          amounts: [
            { currency: null, amount: 1, events: 1 },
            { currency: 'EUR', amount: 114.75, events: 3 },
            { currency: 'GBP', amount: 7, events: 1 },
          ],
        },
        { from: T0 + DAY, events: 1, customers: 1, amounts: [{ currency: 'EUR', amount: 2, events: 1 }] },
        { from: T0 + 3 * DAY, events: 1, customers: 1, amounts: [] },
      ]);
      // Whole-journey failures only, in one bucket the length of the span.
      expect(await store.events.eventBuckets({ ...all, step: null, outcomes: ['failure'] }, 4 * DAY)).toEqual([
        { from: T0, events: 2, customers: 1, amounts: [{ currency: 'EUR', amount: 6.25, events: 2 }] },
      ]);
      expect(await store.events.eventBuckets({ ...all, journey: 'nope' }, DAY)).toEqual([]);
      await expect(store.events.eventBuckets(all, 0)).rejects.toThrow(RangeError);
    });

    it('lists the distinct string values of one attribute among matching events', async () => {
      await store.events.appendEvents(
        [
          ev({ outcome: 'failure', attributes: { country: 'FR' } }),
          ev({ outcome: 'failure', attributes: { country: 'DE', channel: 'app' } }, 1),
          ev({ outcome: 'failure', attributes: { country: 'FR' } }, 2),
          ev({ outcome: 'failure', attributes: { country: 49 } }, 3),
          ev({ outcome: 'failure', attributes: { region: 'EU' } }, 4),
          ev({ outcome: 'failure' }, 5),
          ev({ outcome: 'success', attributes: { country: 'IT' } }, 6),
          ev({ outcome: 'failure', attributes: { country: 'ES' }, journey: 'login' }, 7),
          ev({ outcome: 'failure', attributes: { country: 'NL' } }, 2 * MIN),
        ],
        [],
        T0,
      );
      const window = { journey: 'pay', from: T0, to: T0 + MIN };
      expect(await store.events.attributeValues({ ...window, outcomes: ['failure'] }, 'country', 10)).toEqual(['DE', 'FR']);
      expect(await store.events.attributeValues(window, 'country', 10)).toEqual(['DE', 'FR', 'IT']);
      expect(await store.events.attributeValues(window, 'country', 1)).toEqual(['DE']);
      expect(await store.events.attributeValues(window, 'channel', 10)).toEqual(['app']);
      await expect(store.events.attributeValues(window, "country') OR 1=1 --", 10)).rejects.toThrow(RangeError);
    });

    it('judges recoveries: a success of the same customer, journey and step in (t, t + window]', async () => {
      const W = 30 * MIN;
      await store.events.appendEvents(
        [
          ev({ outcome: 'success', customerId: 'exact' }, W),
          ev({ outcome: 'success', customerId: 'late' }, W + 1),
          ev({ outcome: 'success', customerId: 'someone-else' }, MIN),
          ev({ outcome: 'success', customerId: 'other-journey', journey: 'login' }, MIN),
          ev({ outcome: 'success', customerId: 'same-instant' }, 0),
          ev({ outcome: 'success', customerId: 'step', step: 'confirm' }, MIN),
          ev({ outcome: 'rejected', customerId: 'not-a-success' }, MIN),
          ev({ outcome: 'success', customerId: '' }, MIN),
          ev({ outcome: 'success' }, MIN),
        ],
        [],
        T0,
      );
      const failures = [
        { customerId: 'exact', timestamp: T0 },
        { customerId: 'late', timestamp: T0 },
        { customerId: 'other-customer', timestamp: T0 },
        { customerId: 'other-journey', timestamp: T0 },
        { timestamp: T0 },
        { customerId: '', timestamp: T0 },
        { customerId: 'same-instant', timestamp: T0 },
        { customerId: 'step', timestamp: T0 },
        { customerId: 'not-a-success', timestamp: T0 },
        { customerId: 'exact', timestamp: T0 + W },
        { customerId: 'late', timestamp: T0 + 1 },
      ];
      expect(await store.events.recoveries('pay', null, failures, W)).toEqual([
        true,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        true,
      ]);
      expect(await store.events.recoveries('pay', 'confirm', failures, W)).toEqual(failures.map((f) => f.customerId === 'step'));
      expect(await store.events.recoveries('login', null, [{ customerId: 'other-journey', timestamp: T0 }], W)).toEqual([true]);
      expect(await store.events.recoveries('pay', null, [], W)).toEqual([]);
    });

    it('judges a long list of recoveries in one call as the pure method does', async () => {
      const W = 30 * MIN;
      // Success k (customer k mod 50) at k minutes; failure i (customer i mod 50) 0 to 39 minutes before success i mod 400's time.
      const successes = Array.from({ length: 400 }, (_, k) => ev({ outcome: 'success', customerId: `c-${k % 50}` }, k * MIN));
      await store.events.appendEvents(successes, [], T0);
      const failures = Array.from({ length: 3_000 }, (_, i) => ({
        customerId: `c-${i % 50}`,
        timestamp: T0 + (i % 400) * MIN - (i % 40) * MIN,
      }));
      const expected = failures.map((f) =>
        successes.some((s) => s.customerId === f.customerId && s.timestamp > f.timestamp && s.timestamp <= f.timestamp + W),
      );
      expect(expected.filter(Boolean).length).toBeGreaterThan(500);
      expect(expected.filter((x) => !x).length).toBeGreaterThan(500);
      expect(await store.events.recoveries('pay', null, failures, W)).toEqual(expected);
    });

    it('filters events by time, journey, step and outcome, ascending by timestamp, with a limit', async () => {
      await store.events.appendEvents(
        [
          ev({ id: 'late', outcome: 'success' }, 30_000),
          ev({ id: 'edge-from', outcome: 'failure' }, 0),
          ev({ id: 'edge-to', outcome: 'success' }, MIN),
          ev({ id: 'tie-1', outcome: 'rejected', step: 'confirm' }, 10_000),
          ev({ id: 'tie-2', outcome: 'abandoned', journey: 'login' }, 10_000),
          ev({ id: 'before', outcome: 'success' }, -1),
        ],
        [],
        T0,
      );
      const ids = async (q: Partial<Parameters<Store['events']['events']>[0]>) =>
        (await store.events.events({ from: T0, to: T0 + MIN, ...q })).map((e) => e.id);
      expect(await ids({})).toEqual(['edge-from', 'tie-1', 'tie-2', 'late']);
      expect(await ids({ journey: 'pay' })).toEqual(['edge-from', 'tie-1', 'late']);
      expect(await ids({ journey: 'pay', step: null })).toEqual(['edge-from', 'late']);
      expect(await ids({ step: 'confirm' })).toEqual(['tie-1']);
      expect(await ids({ outcomes: ['success', 'abandoned'] })).toEqual(['tie-2', 'late']);
      expect(await ids({ limit: 2 })).toEqual(['edge-from', 'tie-1']);
      expect(await ids({ limit: 0 })).toEqual([]);
      expect(await ids({ from: T0 - 1, to: T0 + MIN + 1 })).toEqual(['before', 'edge-from', 'tie-1', 'tie-2', 'late', 'edge-to']);
    });

    it('reports the newest event timestamp and the event count', async () => {
      expect(await store.events.newestEventTimestamp()).toBeNull();
      expect(await store.events.countEvents()).toBe(0);
      await store.events.appendEvents([ev({ outcome: 'success' }, 5 * MIN), ev({ outcome: 'success' }, MIN)], [], T0);
      await store.events.appendEvents([ev({ outcome: 'success' }, -MIN)], [], T0);
      expect(await store.events.newestEventTimestamp()).toBe(T0 + 5 * MIN);
      expect(await store.events.countEvents()).toBe(3);
    });

    it('queries scope minutes over [from, to) and by journey', async () => {
      await store.events.appendEvents(
        [
          ev({ outcome: 'success' }),
          ev({ outcome: 'success' }, MIN),
          ev({ outcome: 'failure', journey: 'login' }, MIN),
          ev({ outcome: 'success' }, 2 * MIN),
        ],
        [],
        T0,
      );
      expect((await store.events.scopeMinutes(M0 + 1, M0 + 2)).map((s) => [s.journey, s.minute])).toEqual([
        ['login', M0 + 1],
        ['pay', M0 + 1],
      ]);
      expect((await store.events.scopeMinutes(M0, M0 + 3, 'pay')).map((s) => s.minute)).toEqual([M0, M0 + 1, M0 + 2]);
    });
  });
}
