/**
 * What one event contributes to an SLI (docs/slo-maths.md ("Good and total")), and the key under which SLIs with the same
 * definition share their per-minute aggregates.
 */
import type { JourneySpec, SliSource, SloSpec } from '../model/config.js';
import type { JourneyEvent } from '../model/event.js';

/** The part of an SLO that decides good and total; SLOs that differ only in objective or window share it. */
export interface SliDefinition {
  key: string;
  /** Where good and total come from (docs/configuration.md, "SLI source"). */
  source: SliSource;
  journey: string;
  /** null = the whole journey (events without a step). */
  step: string | null;
  kind: 'success' | 'latency';
  thresholdMs?: number;
  abandonedIsBad: boolean;
}

/**
 * The SLI definition of an SLO.
 * @example sliDefinition(journey, slo).key === 'wire-transfer|*|latency:10000|abandoned:ok'
 */
export function sliDefinition(journey: JourneySpec, slo: SloSpec): SliDefinition {
  const step = slo.sli.step ?? null;
  const kindPart = slo.sli.kind === 'latency' ? `latency:${slo.sli.thresholdMs}` : 'success';
  // Keys of `events` SLIs name stored aggregates, so they stay as they were before sources existed.
  const key = `${journey.name}|${step ?? '*'}|${kindPart}|abandoned:${slo.sli.abandonedIsBad ? 'bad' : 'ok'}`;
  return {
    key,
    source: slo.sli.source ?? 'events',
    journey: journey.name,
    step,
    kind: slo.sli.kind,
    ...(slo.sli.kind === 'latency' ? { thresholdMs: slo.sli.thresholdMs } : {}),
    abandonedIsBad: slo.sli.abandonedIsBad,
  };
}

/** Every distinct SLI definition of a configuration, in configuration order. */
export function sliDefinitions(journeys: readonly JourneySpec[]): SliDefinition[] {
  const byKey = new Map<string, SliDefinition>();
  for (const journey of journeys) {
    for (const slo of journey.slos) {
      const def = sliDefinition(journey, slo);
      if (!byKey.has(def.key)) byKey.set(def.key, def);
    }
  }
  return [...byKey.values()];
}

/** 1 when the event is in the SLI's scope and counts, else 0; good ≤ total. */
export interface Contribution {
  good: 0 | 1;
  total: 0 | 1;
}

const NONE: Contribution = { good: 0, total: 0 };
const GOOD: Contribution = { good: 1, total: 1 };
const BAD: Contribution = { good: 0, total: 1 };

/**
 * What an event adds to an SLI: rejected never counts, abandoned counts as bad only with
 * `abandonedIsBad`, latency SLIs need success within the threshold (an event without latencyMs
 * cannot prove it was fast enough, so it is bad).
 */
export function sliContribution(def: SliDefinition, event: Pick<JourneyEvent, 'journey' | 'step' | 'outcome' | 'latencyMs'>): Contribution {
  if (event.journey !== def.journey) return NONE;
  if ((event.step ?? null) !== def.step) return NONE;
  switch (event.outcome) {
    case 'rejected':
      return NONE;
    case 'abandoned':
      return def.abandonedIsBad ? BAD : NONE;
    case 'failure':
      return BAD;
    case 'success':
      if (def.kind === 'success') return GOOD;
      return event.latencyMs !== undefined && event.latencyMs <= (def.thresholdMs ?? 0) ? GOOD : BAD;
  }
}
