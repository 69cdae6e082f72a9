/** The behaviour every DisruptionStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DisruptionRecord } from '../../model/disruption.js';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;

const record = (id: string, overrides: Partial<DisruptionRecord> = {}): DisruptionRecord => ({
  id,
  journey: 'sepa-instant',
  incidentId: 'inc-1',
  startAt: T0,
  endAt: null,
  pausedAt: null,
  toleranceMs: 4 * H,
  warnedAt: null,
  breachedAt: null,
  ...overrides,
});

/** Registers the DisruptionStore contract suite for one backend (`store.disruptions` of a fresh, migrated, empty store). */
export function runDisruptionsContract(name: string, makeStore: StoreFactory): void {
  describe(`DisruptionStore contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('reads back every field exactly as saved, and lists by start then id', async () => {
      const full = record('b', {
        startAt: T0 + 2 * H,
        endAt: T0 + 7 * H,
        toleranceMs: 4 * H,
        warnedAt: T0 + 4 * H,
        breachedAt: T0 + 6 * H,
        incidentId: 'inc-2',
      });
      const running = record('a', { pausedAt: T0 + 30 * MIN });
      const sameStart = record('c', { journey: 'card-payment', toleranceMs: 45 * MIN });
      await store.disruptions.saveDisruptions([full, running, sameStart]);
      expect(await store.disruptions.disruptions({})).toEqual([running, sameStart, full]);
    });

    it('filters by journey and by start in [startFrom, startTo)', async () => {
      const a = record('a', { startAt: T0 });
      const b = record('b', { startAt: T0 + H, endAt: T0 + 2 * H });
      const c = record('c', { startAt: T0 + 2 * H, journey: 'card-payment' });
      await store.disruptions.saveDisruptions([a, b, c]);
      expect(await store.disruptions.disruptions({ journey: 'sepa-instant' })).toEqual([a, b]);
      expect(await store.disruptions.disruptions({ startFrom: T0 + H })).toEqual([b, c]);
      expect(await store.disruptions.disruptions({ startTo: T0 + H })).toEqual([a]);
      expect(await store.disruptions.disruptions({ journey: 'sepa-instant', startFrom: T0 + 1, startTo: T0 + 3 * H })).toEqual([b]);
      expect(await store.disruptions.disruptions({ journey: 'nobody' })).toEqual([]);
    });

    it('lists the running ones, of one journey or all', async () => {
      const running = record('a');
      const ended = record('b', { endAt: T0 + H });
      const other = record('c', { journey: 'card-payment', startAt: T0 - H });
      await store.disruptions.saveDisruptions([running, ended, other]);
      expect(await store.disruptions.runningDisruptions()).toEqual([other, running]);
      expect(await store.disruptions.runningDisruptions('sepa-instant')).toEqual([running]);
      expect(await store.disruptions.runningDisruptions('statements')).toEqual([]);
    });

    it('saving the same id replaces the record, but a warning or breach once recorded stays with its time', async () => {
      await store.disruptions.saveDisruptions([record('a', { warnedAt: T0 + 2 * H, breachedAt: T0 + 4 * H })]);
      const shorter = record('a', { startAt: T0 + 30 * MIN, endAt: T0 + 3 * H, incidentId: 'inc-9', warnedAt: null, breachedAt: null });
      await store.disruptions.saveDisruptions([shorter]);
      expect(await store.disruptions.disruptions({})).toEqual([{ ...shorter, warnedAt: T0 + 2 * H, breachedAt: T0 + 4 * H }]);
      // A later time never replaces the first one recorded either.
      await store.disruptions.saveDisruptions([record('a', { warnedAt: T0 + 5 * H, breachedAt: T0 + 9 * H })]);
      expect((await store.disruptions.disruptions({}))[0]).toMatchObject({ warnedAt: T0 + 2 * H, breachedAt: T0 + 4 * H });
    });

    it('one batch is one transaction: a refused record stores none of the batch', async () => {
      const good = record('a');
      const bad = record('b', { startAt: T0, endAt: T0 - 1 });
      await expect(store.disruptions.saveDisruptions([good, bad])).rejects.toThrow();
      expect(await store.disruptions.disruptions({})).toEqual([]);
      // A batch naming one id twice keeps the last, with the first warning recorded.
      await store.disruptions.saveDisruptions([record('a', { warnedAt: T0 + 2 * H }), record('a', { endAt: T0 + H })]);
      expect(await store.disruptions.disruptions({})).toEqual([record('a', { endAt: T0 + H, warnedAt: T0 + 2 * H })]);
    });

    it('an empty batch is fine; a read-only store reads them and refuses to write with store_read_only', async () => {
      await store.disruptions.saveDisruptions([]);
      const saved = record('a', { endAt: T0 + H });
      await store.disruptions.saveDisruptions([saved]);
      const reader = await reopen({ readOnly: true });
      expect(await reader.disruptions.disruptions({ journey: 'sepa-instant' })).toEqual([saved]);
      await expect(reader.disruptions.saveDisruptions([record('b')])).rejects.toMatchObject({ code: 'store_read_only' });
    });
  });
}
