/** The behaviour every SourceStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

const M0 = 29_000_000;
const KEY = 'login|prometheus:abc';

/** Registers the SourceStore contract suite for one backend (`store.sources` of a fresh, migrated, empty store). */
export function runSourcesContract(name: string, makeStore: StoreFactory): void {
  describe(`SourceStore contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores a read, its watermark, and reads minutes back in order with fractional figures exactly', async () => {
      expect(await store.sources.sourceWatermark(KEY)).toBeNull();
      await store.sources.saveSourceRead({
        key: KEY,
        fromMinute: M0,
        toMinute: M0 + 5,
        minutes: [
          { minute: M0 + 3, good: 7, total: 8 },
          { minute: M0, good: 2.5, total: 3.25 },
          { minute: M0 + 1, good: 0, total: 0 },
        ],
        startMinute: M0,
        watermark: M0 + 3,
      });
      expect(await store.sources.sourceMinutes(KEY, M0, M0 + 5)).toEqual([
        { key: KEY, minute: M0, good: 2.5, total: 3.25 },
        { key: KEY, minute: M0 + 1, good: 0, total: 0 },
        { key: KEY, minute: M0 + 3, good: 7, total: 8 },
      ]);
      expect(await store.sources.sourceMinutes(KEY, M0 + 1, M0 + 3)).toEqual([{ key: KEY, minute: M0 + 1, good: 0, total: 0 }]);
      expect(await store.sources.countSourceMinutes(KEY, M0, M0 + 5)).toBe(3);
      expect(await store.sources.sourceWatermark(KEY)).toEqual({ key: KEY, startMinute: M0, watermark: M0 + 3 });
      const reader = await reopen({ readOnly: true });
      expect(await reader.sources.sourceWatermarks()).toEqual([{ key: KEY, startMinute: M0, watermark: M0 + 3 }]);
    });

    it('a read again replaces the minutes of its range (a minute now a gap loses its row) and moves the watermark', async () => {
      const first = { key: KEY, startMinute: M0, watermark: M0 + 2 };
      await store.sources.saveSourceRead({
        ...first,
        fromMinute: M0,
        toMinute: M0 + 4,
        minutes: [0, 1, 2, 3].map((i) => ({ minute: M0 + i, good: i, total: 10 })),
      });
      await store.sources.saveSourceRead({
        ...first,
        watermark: M0 + 4,
        fromMinute: M0 + 2,
        toMinute: M0 + 4,
        minutes: [{ minute: M0 + 3, good: 9, total: 10 }],
      });
      expect((await store.sources.sourceMinutes(KEY, M0, M0 + 10)).map((m) => [m.minute - M0, m.good])).toEqual([
        [0, 0],
        [1, 1],
        [3, 9],
      ]);
      expect((await store.sources.sourceWatermark(KEY))?.watermark).toBe(M0 + 4);
    });

    it('keeps SLIs apart, drops one whole, and purges minutes before a minute', async () => {
      const other = 'pay|prometheus:def';
      for (const key of [KEY, other]) {
        await store.sources.saveSourceRead({
          key,
          fromMinute: M0,
          toMinute: M0 + 3,
          minutes: [0, 1, 2].map((i) => ({ minute: M0 + i, good: 1, total: 1 })),
          startMinute: M0,
          watermark: M0 + 3,
        });
      }
      await store.sources.dropSource(other);
      expect(await store.sources.sourceMinutes(other, 0, M0 + 10)).toEqual([]);
      expect(await store.sources.sourceWatermark(other)).toBeNull();
      expect(await store.sources.purgeSourceMinutes(M0 + 2)).toBe(2);
      expect((await store.sources.sourceMinutes(KEY, 0, M0 + 10)).map((m) => m.minute)).toEqual([M0 + 2]);
    });

    it('refuses good above total or below zero, and stores nothing of that read', async () => {
      const bad = { key: KEY, fromMinute: M0, toMinute: M0 + 2, startMinute: M0, watermark: M0 + 2 };
      await expect(
        store.sources.saveSourceRead({
          ...bad,
          minutes: [
            { minute: M0, good: 1, total: 1 },
            { minute: M0 + 1, good: 3, total: 2 },
          ],
        }),
      ).rejects.toThrow();
      expect(await store.sources.sourceMinutes(KEY, 0, M0 + 10)).toEqual([]);
      expect(await store.sources.sourceWatermark(KEY)).toBeNull();
    });

    it('a read-only store refuses to save a read', async () => {
      const reader = await reopen({ readOnly: true });
      await expect(
        reader.sources.saveSourceRead({ key: KEY, fromMinute: M0, toMinute: M0 + 1, minutes: [], startMinute: M0, watermark: M0 }),
      ).rejects.toMatchObject({ code: 'store_read_only' });
    });
  });
}
