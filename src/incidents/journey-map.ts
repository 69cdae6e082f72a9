/** The journey map (docs/alerting.md ("Mapping alerts to journeys")): which journey stages depend on each service, with tier, criticality and value. */
import type { Stage } from '../model/alert.js';
import { DEFAULT_TIERS, type JourneyValue, type TierSpec, type VigilConfig } from '../model/config.js';

/** Importance of the built-in tiers, most important highest (used by priority and ordering). */
export const TIER_RANKS: Readonly<Record<string, number>> = { critical: 3, core: 2, standard: 1, informational: 0 };

export interface StepInfo {
  name: string;
  /** Position in the journey, from 0. */
  index: number;
  critical: boolean;
  services: readonly string[];
}

export interface JourneyInfo {
  name: string;
  displayName: string;
  tier: string;
  /** 3 critical, 2 core, 1 standard, 0 informational (see `tierRank`). */
  tierRank: number;
  value: JourneyValue | null;
  steps: readonly StepInfo[];
}

/** A stage with what priority and ordering need to know about it. */
export interface StageInfo extends Stage {
  tier: string;
  tierRank: number;
  /** The step is marked `critical: true` (never true for a whole-journey stage). */
  critical: boolean;
  /** Step position, -1 for the whole journey. */
  stepIndex: number;
}

export interface JourneyMap {
  readonly journeys: ReadonlyMap<string, JourneyInfo>;
  /** Every step that lists the service, in configuration order. */
  stagesOf(service: string): readonly Stage[];
  /** The journey and step of a stage, or null when the configuration has no such journey or step. */
  stageInfo(stage: Stage): StageInfo | null;
  /** Rank of any tier name, custom tiers included. */
  tierRank(tier: string): number;
  /** The owner the service catalogue names for a service, if any. */
  ownerOf?(service: string): string | undefined;
}

/**
 * Rank of a tier: the built-in names rank critical 3 > core 2 > standard 1 > informational 0; a custom
 * tier ranks with the most important built-in tier whose default objective it meets (a `regulatory`
 * tier at 99.98 ranks as core, one at 99.99 as critical). Unknown names rank 0.
 * @example tierRank('core', DEFAULT_TIERS) // 2
 */
export function tierRank(tier: string, tiers: Readonly<Record<string, TierSpec>>): number {
  const builtIn = TIER_RANKS[tier];
  if (builtIn !== undefined) return builtIn;
  const objective = tiers[tier]?.objective;
  if (objective === undefined) return 0;
  let rank = 0;
  for (const [name, spec] of Object.entries(DEFAULT_TIERS)) {
    const candidate = TIER_RANKS[name] ?? 0;
    if (objective >= spec.objective && candidate > rank) rank = candidate;
  }
  return rank;
}

/** Stable key of a stage, for sets and maps. */
export function stageKey(stage: Stage): string {
  return stage.step === null ? stage.journey : `${stage.journey}\u0000${stage.step}`;
}

/**
 * Builds the service → stages map and the journey lookups from a resolved configuration.
 * @example buildJourneyMap(config).stagesOf('core-ledger') // [{ journey: 'card-payment', step: 'authorise' }, …]
 */
export function buildJourneyMap(config: Pick<VigilConfig, 'journeys' | 'tiers'> & Partial<Pick<VigilConfig, 'services'>>): JourneyMap {
  const journeys = new Map<string, JourneyInfo>();
  const byService = new Map<string, Stage[]>();
  const stageInfos = new Map<string, StageInfo>();
  const rankOf = (tier: string) => tierRank(tier, config.tiers);

  for (const journey of config.journeys) {
    const rank = rankOf(journey.tier);
    const steps = journey.steps.map(
      (step, index): StepInfo => ({ name: step.name, index, critical: step.critical, services: step.services }),
    );
    journeys.set(journey.name, {
      name: journey.name,
      displayName: journey.displayName,
      tier: journey.tier,
      tierRank: rank,
      value: journey.value ?? null,
      steps,
    });
    stageInfos.set(journey.name, { journey: journey.name, step: null, tier: journey.tier, tierRank: rank, critical: false, stepIndex: -1 });
    for (const step of steps) {
      const stage: Stage = { journey: journey.name, step: step.name };
      stageInfos.set(stageKey(stage), { ...stage, tier: journey.tier, tierRank: rank, critical: step.critical, stepIndex: step.index });
      // A step may list a service twice; the stage still counts once.
      for (const service of new Set(step.services)) {
        const list = byService.get(service);
        if (list) list.push(stage);
        else byService.set(service, [stage]);
      }
    }
  }

  const owners = new Map<string, string>();
  for (const service of config.services ?? []) if (service.owner !== undefined) owners.set(service.name, service.owner);
  const none: readonly Stage[] = [];
  return {
    journeys,
    stagesOf: (service) => byService.get(service) ?? none,
    stageInfo: (stage) => stageInfos.get(stageKey(stage)) ?? null,
    tierRank: rankOf,
    ownerOf: (service) => owners.get(service),
  };
}

/**
 * Orders stages most important first: higher tier, then critical steps, then journey name and step order.
 * Titles and reasons name the first stage of this order.
 */
export function compareStages(a: StageInfo, b: StageInfo): number {
  return (
    b.tierRank - a.tierRank ||
    Number(b.critical) - Number(a.critical) ||
    (a.journey < b.journey ? -1 : a.journey > b.journey ? 1 : 0) ||
    a.stepIndex - b.stepIndex
  );
}
