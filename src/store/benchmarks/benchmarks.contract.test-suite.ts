/** The behaviour every BenchmarkStore backend must show; contracts.test-suite.ts runs it on each backend. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProbeResult, StatusMinute } from '../../model/benchmark.js';
import type { StoreFactory } from '../store-factory.test-suite.js';
import type { Store } from '../store.js';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const M0 = T0 / 60_000;

const run = (
  probe: string,
  owner: string,
  at: number,
  ok: boolean,
  latencyMs: number | null,
  error: string | null = null,
): ProbeResult => ({
  probe,
  owner,
  journey: 'login',
  at,
  ok,
  latencyMs,
  error,
});
const minute = (owner: string, component: string, m: number, state: StatusMinute['state'], journey = 'card-payment'): StatusMinute => ({
  owner,
  component,
  journey,
  minute: m,
  state,
});

/** Registers the BenchmarkStore contract suite for one backend (`store.benchmarks` of a fresh, migrated, empty store). */
export function runBenchmarksContract(name: string, makeStore: StoreFactory): void {
  describe(`BenchmarkStore contract: ${name}`, () => {
    let store: Store;
    let reopen: (options?: { readOnly?: boolean }) => Promise<Store>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, reopen, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores each probe run once and lists a probe oldest first, read-only too', async () => {
      const a = run('our-login', 'self', T0, true, 120);
      const b = run('our-login', 'self', T0 + 60_000, false, null, 'timeout');
      const c = run('rival-login', 'rival-bank', T0, false, 503, 'status 503');
      await store.benchmarks.saveProbeResults([b, a, c]);
      await store.benchmarks.saveProbeResults([{ ...a, ok: false }]);
      expect(await store.benchmarks.probeResults('our-login', T0, T0 + 120_000)).toEqual([a, b]);
      expect(await store.benchmarks.probeResults('our-login', T0 + 1, T0 + 120_000)).toEqual([b]);
      const reader = await reopen({ readOnly: true });
      expect(await reader.benchmarks.probeResults('rival-login', 0, T0 + 1)).toEqual([c]);
      await expect(reader.benchmarks.saveProbeResults([a])).rejects.toMatchObject({ code: 'store_read_only' });
    });

    it('summarises runs per journey and owner with ascending latencies', async () => {
      await store.benchmarks.saveProbeResults([
        run('our-login', 'self', T0, true, 300),
        run('our-login', 'self', T0 + 1, true, 100),
        run('our-login', 'self', T0 + 2, false, null, 'timeout'),
        run('rival-login', 'rival-bank', T0, true, 50),
        { ...run('rival-pay', 'rival-bank', T0, true, 70), journey: 'card-payment' },
        run('our-login', 'self', T0 + 10_000, true, 1),
      ]);
      expect(await store.benchmarks.probeSummaries(T0, T0 + 10_000)).toEqual([
        { owner: 'rival-bank', journey: 'card-payment', runs: 1, ok: 1, latencies: [70] },
        { owner: 'rival-bank', journey: 'login', runs: 1, ok: 1, latencies: [50] },
        { owner: 'self', journey: 'login', runs: 3, ok: 2, latencies: [100, 300] },
      ]);
      expect(await store.benchmarks.probeSummaries(T0 + 20_000, T0 + 30_000)).toEqual([]);
    });

    it('keeps the worse state of a status minute, counts down and degraded minutes, and purges by age', async () => {
      await store.benchmarks.saveStatusMinutes([
        minute('rival-bank', 'Payments', M0, 'degraded'),
        minute('rival-bank', 'Payments', M0, 'down'),
        minute('rival-bank', 'Payments', M0 + 1, 'down'),
        minute('rival-bank', 'Payments', M0 + 2, 'degraded'),
        minute('rival-bank', 'Cards', M0 + 2, 'degraded'),
        minute('other-bank', 'Payments', M0 + 5, 'down'),
      ]);
      // A later write of degraded does not soften a down minute.
      await store.benchmarks.saveStatusMinutes([minute('rival-bank', 'Payments', M0 + 1, 'degraded')]);
      expect(await store.benchmarks.statusSummaries(M0, M0 + 10)).toEqual([
        { owner: 'other-bank', journey: 'card-payment', down: 1, degraded: 0 },
        { owner: 'rival-bank', journey: 'card-payment', down: 2, degraded: 2 },
      ]);
      expect(await store.benchmarks.statusSummaries(M0 + 1, M0 + 2)).toEqual([
        { owner: 'rival-bank', journey: 'card-payment', down: 1, degraded: 0 },
      ]);
      await store.benchmarks.saveProbeResults([run('our-login', 'self', T0, true, 1), run('our-login', 'self', T0 + 120_000, true, 1)]);
      // In batches of two: one probe result (one short batch), then two status minutes (a full batch, then an empty one).
      expect(await store.benchmarks.purgeBenchmarks(T0 + 120_000, 2)).toEqual({ rows: 1 + 2, batches: 1 + 2 });
      expect(await store.benchmarks.statusSummaries(M0, M0 + 10)).toEqual([
        { owner: 'other-bank', journey: 'card-payment', down: 1, degraded: 0 },
        { owner: 'rival-bank', journey: 'card-payment', down: 0, degraded: 2 },
      ]);
    });
  });
}
