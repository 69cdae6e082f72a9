/** The behaviour every SignalStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../model/signal.js';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const HOUR = 3_600_000;

const signal = (id: string, at: number, overrides: Partial<Signal> = {}): Signal => ({
  id,
  source: 'app-store',
  at,
  journey: 'statements',
  keyword: 'pdf',
  text: 'Cannot download my PDF statement',
  count: 1,
  receivedAt: at + 1000,
  ...overrides,
});

/** Registers the SignalStore contract suite for one backend (`store.signals` of a fresh, migrated, empty store). */
export function runSignalsContract(name: string, makeStore: StoreFactory): void {
  describe(`SignalStore contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores signals whole and lists them newest first, by journey, range and cursor, across a read-only reopen', async () => {
      expect(await store.signals.listSignals({ limit: 10 })).toEqual([]);
      const a = signal('s-a', T0);
      const b = signal('s-b', T0 + HOUR, { journey: null, keyword: null, text: null, source: 'social', count: 7 });
      const c = signal('s-c', T0 + HOUR, { journey: 'card-payment', keyword: null, text: 'Card declined at the till' });
      const d = signal('s-d', T0 + 2 * HOUR, { text: 'Ünïcode “quotes” 🙂' });
      expect(await store.signals.saveSignals([a, b, c, d])).toEqual([true, true, true, true]);
      expect(await store.signals.listSignals({ limit: 10 })).toEqual([d, c, b, a]);
      expect(await store.signals.listSignals({ limit: 2 })).toEqual([d, c]);
      expect(await store.signals.listSignals({ limit: 10, after: { at: c.at, id: c.id } })).toEqual([b, a]);
      expect(await store.signals.listSignals({ limit: 10, journey: 'statements' })).toEqual([d, a]);
      expect(await store.signals.listSignals({ limit: 10, journey: null })).toEqual([b]);
      expect(await store.signals.listSignals({ limit: 10, from: T0 + 1, to: T0 + 2 * HOUR })).toEqual([c, b]);
      const reader = await reopen({ readOnly: true });
      expect(await reader.signals.listSignals({ limit: 10, journey: 'card-payment' })).toEqual([c]);
      await expect(reader.signals.saveSignals([signal('s-x', T0)])).rejects.toMatchObject({ code: 'store_read_only' });
    });

    it('is idempotent by id: a re-post, or a repeat within one batch, is a duplicate and the first stays', async () => {
      expect(await store.signals.saveSignals([signal('s-a', T0, { count: 2 })])).toEqual([true]);
      expect(await store.signals.saveSignals([signal('s-b', T0), signal('s-a', T0, { count: 9 }), signal('s-b', T0 + 1)])).toEqual([
        true,
        false,
        false,
      ]);
      const listed = await store.signals.listSignals({ limit: 10 });
      expect(listed.map((s) => [s.id, s.at, s.count])).toEqual([
        ['s-b', T0, 1],
        ['s-a', T0, 2],
      ]);
    });

    it('sums counts per journey over [from, to), no journey included, and purges by age', async () => {
      await store.signals.saveSignals([
        signal('s-1', T0, { count: 4 }),
        signal('s-2', T0 + HOUR - 1, { count: 3 }),
        signal('s-3', T0 + HOUR),
        signal('s-4', T0 + 10, { journey: null, keyword: null, count: 5 }),
        signal('s-5', T0 + 20, { journey: 'card-payment', keyword: null }),
        signal('s-6', T0 - 1, { count: 100 }),
      ]);
      expect(await store.signals.signalCounts(T0, T0 + HOUR)).toEqual([
        { journey: 'card-payment', count: 1 },
        { journey: 'statements', count: 7 },
        { journey: null, count: 5 },
      ]);
      expect(await store.signals.signalCounts(T0 + 2 * HOUR, T0 + 3 * HOUR)).toEqual([]);
      // Two old signals in batches of one: 1 + 1 + 0, three transactions.
      expect(await store.signals.purgeSignals(T0 + 1, 1)).toEqual({ rows: 2, batches: 3 });
      expect((await store.signals.listSignals({ limit: 10 })).map((s) => s.id)).toEqual(['s-3', 's-2', 's-5', 's-4']);
    });
  });
}
