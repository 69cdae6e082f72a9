/** The behaviour every CorrectionStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';
import type { StoredCorrection } from './correction-store.js';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

const correction = (name: string, createdAt: number, overrides: Partial<StoredCorrection> = {}): StoredCorrection => ({
  name,
  journeys: ['wire-transfer'],
  from: T0 - 7_200_000,
  to: T0 - 3_600_000,
  reason: 'Announced core-ledger upgrade',
  author: 'ana',
  createdAt,
  ...overrides,
});

/** Registers the CorrectionStore contract suite for one backend (`store.corrections` of a fresh, migrated, empty store). */
export function runCorrectionsContract(name: string, makeStore: StoreFactory): void {
  describe(`CorrectionStore contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('keeps corrections whole, oldest first, across a reopen and read-only; a name is never reused', async () => {
      expect(await store.corrections.listCorrections()).toEqual([]);
      const b = correction('b-upgrade', T0, { journeys: ['wire-transfer', 'card-payment'], reason: null, author: null });
      const a = correction('a-upgrade', T0 + 1, { from: 1, to: Number.MAX_SAFE_INTEGER });
      expect(await store.corrections.addCorrection(b)).toBe(true);
      expect(await store.corrections.addCorrection(a)).toBe(true);
      expect(await store.corrections.addCorrection(correction('b-upgrade', T0 + 2, { reason: 'other' }))).toBe(false);
      expect(await store.corrections.listCorrections()).toEqual([b, a]);
      const reader = await reopen({ readOnly: true });
      expect(await reader.corrections.listCorrections()).toEqual([b, a]);
      await expect(reader.corrections.addCorrection(correction('c', T0))).rejects.toMatchObject({ code: 'store_read_only' });
    });
  });
}
