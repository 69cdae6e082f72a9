/** The behaviour every MetaStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

/** Registers the MetaStore contract suite for one backend (`store.meta` of a fresh, migrated, empty store). */
export function runMetaContract(name: string, makeStore: StoreFactory): void {
  describe(`MetaStore contract: ${name}`, () => {
    let store: Store;
    let reopen: () => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('reads and overwrites meta values', async () => {
      expect(await store.meta.getMeta('engine.lastEvaluation')).toBeNull();
      await store.meta.setMeta('engine.lastEvaluation', '2026-11-26T10:00:00Z');
      await store.meta.setMeta('engine.lastEvaluation', '2026-11-26T10:01:00Z');
      expect(await store.meta.getMeta('engine.lastEvaluation')).toBe('2026-11-26T10:01:00Z');
    });

    it('keeps values across a reopen', async () => {
      await store.meta.setMeta('config', '{"journeys":[]}');
      const again = await reopen();
      expect(await again.meta.getMeta('config')).toBe('{"journeys":[]}');
    });
  });
}
