/** `npm run bench` section 7: a configuration reload against a restart over the same store, and how long an append waits behind it. */
import { performance } from 'node:perf_hooks';
import { VigilRuntime } from '../app/runtime.js';
import { loadConfigFromString } from '../config/load.js';
import type { VigilConfig } from '../model/config.js';
import { openStore } from '../store/open.js';

export interface ReloadBench {
  events: number;
  restartMs: number;
  reloadMs: number;
  reloadNewSliMs: number;
  startNewSliMs: number;
  /** Reload with an objective changed ÷ a restart (open, reconcile, load) of the same store. */
  ratio: number;
  /** Reload adding an SLI ÷ a start-up that recomputes that same SLI. */
  newSliRatio: number;
  /** Longest an append waited while a reload that recomputes an SLI ran. */
  appendWaitMs: number;
}

function config(objective: number, extraSli: boolean): VigilConfig {
  const extra = extraSli ? '      - { name: strict, objective: 99, window: 7d, sli: { kind: success, abandonedIsBad: true } }\n' : '';
  const result = loadConfigFromString(
    `version: vigil/v1
journeys:
  - name: wire-transfer
    tier: critical
    steps: [{ name: confirm }]
    slos:
      - { name: success, objective: ${objective}, window: 28d, sli: { kind: success } }
      - { name: confirm, objective: 99.9, window: 7d, sli: { kind: success, step: confirm } }
${extra}`,
    'vigil.yaml',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

/**
 * Measure on an in-memory SQLite store holding `events` events over the last day.
 * @example const { ratio } = await benchReload(50_000);
 */
export async function benchReload(events = 100_000): Promise<ReloadBench> {
  const store = await openStore(':memory:');
  const now = Date.now();
  const first = await VigilRuntime.start({ config: config(99.9, false), store });
  for (let from = 0; from < events; from += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, events - from) }, (_, i) => ({
      journey: 'wire-transfer',
      ...((from + i) % 2 === 0 ? { step: 'confirm' } : {}),
      outcome: (from + i) % 50 === 0 ? 'failure' : 'success',
      timestamp: now - ((from + i) % 1440) * 60_000,
    }));
    await first.ingestor.ingest(JSON.stringify(batch), 'application/json');
  }
  const time = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };
  // Baseline: what a restart does with the store (reconcile, load the aggregates), without closing it.
  const restartMs = await time(() => VigilRuntime.start({ config: config(99.9, false), store }));
  const reloadMs = await time(() => first.reconfigure(config(99.5, false)));
  const startNewSliMs = await time(() => VigilRuntime.start({ config: config(99.5, true), store }));
  await first.reconfigure(config(99.5, false)); // drops the SLI again, so the reload below recomputes it
  let appendWaitMs = 0;
  const reloading = first.reconfigure(config(99.5, true));
  const start = performance.now();
  const waiting = first.ingestor.ingest(JSON.stringify([{ journey: 'wire-transfer', outcome: 'success' }]), 'application/json').then(() => {
    appendWaitMs = performance.now() - start;
  });
  const reloadNewSliMs = await time(() => reloading);
  await waiting;
  await first.close();
  return {
    events,
    restartMs,
    reloadMs,
    reloadNewSliMs,
    startNewSliMs,
    ratio: reloadMs / restartMs,
    newSliRatio: reloadNewSliMs / startNewSliMs,
    appendWaitMs,
  };
}
