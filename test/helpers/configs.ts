/** Configurations the tests of several files build alike: one SLO spec, the one-journey `pay` store, the two-journey one. */
import type { SloSpec, VigilConfig } from '../../src/model/config.js';

/** A success SLO over a rolling day, alerting from the first event; `extra` replaces any field. */
export const sloSpec = (name: string, extra: Partial<SloSpec> = {}): SloSpec => ({
  name,
  objective: 99,
  window: { kind: 'rolling', minutes: 1440, text: '1d' },
  budgeting: 'occurrences',
  timeSliceTarget: 90,
  sli: { kind: 'success', abandonedIsBad: false },
  alerting: { minEvents: 0 },
  ...extra,
});

/** One journey, `pay` with its step `send`, carrying `slos`. */
export const payConfig = (slos: SloSpec[]): VigilConfig => ({
  version: 'vigil/v1',
  defaults: { timezone: 'UTC' },
  tiers: {},
  services: [],
  journeys: [{ name: 'pay', displayName: 'Pay', tier: 'core', steps: [{ name: 'send', services: [], critical: true }], slos }],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 1_000_000 },
});

/**
 * Wire transfer (a success and a 500 ms latency SLO) and statements (a success SLO), objectives 90 %, in Europe/London:
 * the corrections tests' store (docs/slo-maths.md ("Corrections")).
 */
export const TWO_JOURNEYS: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: {},
  services: [],
  journeys: [
    {
      name: 'wire-transfer',
      displayName: 'Wire transfer',
      tier: 'core',
      steps: [{ name: 'submit', services: [], critical: false }],
      slos: [
        sloSpec('success', { objective: 90 }),
        sloSpec('fast', { objective: 90, sli: { kind: 'latency', thresholdMs: 500, abandonedIsBad: false } }),
      ],
    },
    {
      name: 'statements',
      displayName: 'Statements',
      tier: 'core',
      steps: [{ name: 'list', services: [], critical: false }],
      slos: [sloSpec('success', { objective: 90 })],
    },
  ],
  alerting: { serviceLabels: ['service'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 10_000_000 },
};
