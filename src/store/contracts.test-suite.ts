/**
 * Every capability's contract suite, plus what the composed store promises (read-only opens), run on
 * one backend; sqlite/sqlite-store.test.ts and postgres/postgres-store.test.ts call runStoreContracts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAlertingContract } from './alerting/alerting.contract.test-suite.js';
import { runEventsContract } from './events/events.contract.test-suite.js';
import { runMetaContract } from './meta/meta.contract.test-suite.js';
import type { StoreFactory } from './store-factory.test-suite.js';
import { runTokensContract } from './tokens/tokens.contract.test-suite.js';
import { runDeploymentsContract } from './deployments/deployments.contract.test-suite.js';
import { runCorrectionsContract } from './corrections/corrections.contract.test-suite.js';
import { runSignalsContract } from './signals/signals.contract.test-suite.js';
import { runBenchmarksContract } from './benchmarks/benchmarks.contract.test-suite.js';
import { runDisruptionsContract } from './disruptions/disruptions.contract.test-suite.js';
import { runSourcesContract } from './sources/sources.contract.test-suite.js';
import type { Store } from './store.js';

export type { StoreFactory };

/** One line per capability: its contract suite. */
const CONTRACTS: readonly ((name: string, makeStore: StoreFactory) => void)[] = [
  runMetaContract,
  runEventsContract,
  runAlertingContract,
  runTokensContract,
  runDeploymentsContract,
  runCorrectionsContract,
  runSignalsContract,
  runBenchmarksContract,
  runDisruptionsContract,
  runSourcesContract,
];

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

/** Registers every contract suite for one backend. */
export function runStoreContracts(name: string, makeStore: StoreFactory): void {
  for (const contract of CONTRACTS) contract(name, makeStore);

  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('exposes each capability and says how it was opened', () => {
      expect(store.backend).toBe(name);
      expect(store.readOnly).toBe(false);
      expect(Object.keys(store)).toEqual(expect.arrayContaining(['meta', 'events', 'alerting']));
    });

    it('a read-only store reads everything a writer stored', async () => {
      await store.events.appendEvents([{ id: 'e1', journey: 'pay', outcome: 'success', timestamp: T0 }], [], T0);
      await store.meta.setMeta('config', '{}');
      const reader = await reopen({ readOnly: true });
      expect(reader.readOnly).toBe(true);
      expect(await reader.events.countEvents()).toBe(1);
      expect((await reader.events.events({ from: 0, to: T0 + 1 })).map((e) => e.id)).toEqual(['e1']);
      expect(await reader.meta.getMeta('config')).toBe('{}');
      expect(await reader.alerting.openAlerting()).toEqual({ incidents: [], alerts: [] });
      // The read model's path for an SLI that is not materialised works read-only too.
      const def = {
        source: 'events',
        key: 'pay|*|success|abandoned:ok',
        journey: 'pay',
        step: null,
        kind: 'success',
        abandonedIsBad: false,
      } as const;
      expect(await reader.events.sliMinutesFromEvents(def, 0, Number.MAX_SAFE_INTEGER)).toEqual([
        { key: def.key, minute: Math.floor(T0 / 60_000), good: 1, total: 1 },
      ]);
    });

    it('a read-only store refuses every write with store_read_only, and stays usable', async () => {
      const reader = await reopen({ readOnly: true });
      const refused = { code: 'store_read_only' };
      await expect(reader.events.appendEvents([{ journey: 'pay', outcome: 'success', timestamp: T0 }], [], T0)).rejects.toMatchObject(
        refused,
      );
      await expect(reader.meta.setMeta('config', '{}')).rejects.toMatchObject(refused);
      await expect(
        reader.alerting.saveAlerting({
          alerts: [],
          incidents: [],
          outbox: [
            {
              id: 'm1',
              target: 'oncall',
              dedupKey: 'x',
              payload: '{}',
              createdAt: T0,
              attempts: 0,
              nextAttemptAt: T0,
              deliveredAt: null,
              lastError: null,
            },
          ],
        }),
      ).rejects.toMatchObject(refused);
      await expect(reader.events.purge(T0, 0)).rejects.toMatchObject(refused);
      await expect(reader.migrate()).rejects.toMatchObject(refused);
      expect(await reader.events.countEvents()).toBe(0);
      expect(await reader.meta.getMeta('config')).toBeNull();
    });
  });
}
