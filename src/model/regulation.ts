/**
 * `regulation` in vigil.yaml, resolved (docs/configuration.md ("regulation")): the thresholds of the DORA major-incident
 * classification and, per journey, whether it is a critical service or an important business service
 * with an impact tolerance. Every default is the regulation's own.
 */
import type { Money } from './money.js';

/** The thresholds of Commission Delegated Regulation (EU) 2024/1772 that Vigil measures. */
export interface DoraThresholds {
  /** Days before detection over which a journey's daily reference (customers, transactions, amount) is averaged. */
  referenceDays: number;
  /** Art. 9(1)(a): distinct customers failed above this fraction (0–1) of the journey's daily customers … */
  clientsShare: number;
  /** … or above this many customers. */
  clientsAbsolute: number;
  /** Art. 9(1)(b): failed transactions above this fraction (0–1) of the journey's daily average count. */
  transactionsShare: number;
  /** Art. 9(1)(b): the failed transactions' amount above this fraction (0–1) of the journey's daily average amount. */
  amountShare: number;
  /** Art. 9(3)(a): an incident lasting longer than this many minutes. */
  durationMinutes: number;
  /** Art. 9(3)(b): downtime (minutes below `downtimeBelow`) longer than this many minutes. */
  downtimeMinutes: number;
  /** Art. 9(6): costs and losses above this amount. */
  economicImpact: Money;
  /** Art. 8(2): how far back earlier incidents with the same cause count towards a recurring incident, in minutes. */
  recurringWithinMinutes: number;
}

export interface RegulationSpec {
  /** A minute is downtime when the journey's success rate is below this fraction (0–1). */
  downtimeBelow: number;
  dora: DoraThresholds;
}

/** `journeys[].regulation`, resolved. */
export interface JourneyRegulation {
  /** A critical or important function (DORA Art. 6 of the delegated regulation); set from the tier when not written. */
  critical: boolean;
  /** An important business service (UK operational resilience, docs/configuration.md ("regulation")). */
  importantBusinessService: boolean;
  /** The longest tolerable disruption in minutes; set exactly when `importantBusinessService` is. */
  impactToleranceMinutes?: number;
}

export const DEFAULT_DORA_THRESHOLDS: Readonly<DoraThresholds> = Object.freeze({
  referenceDays: 30,
  clientsShare: 0.1,
  clientsAbsolute: 100_000,
  transactionsShare: 0.1,
  amountShare: 0.1,
  durationMinutes: 24 * 60,
  downtimeMinutes: 2 * 60,
  economicImpact: Object.freeze({ amount: 100_000, currency: 'EUR' }),
  recurringWithinMinutes: 180 * 24 * 60,
});

export const DEFAULT_DOWNTIME_BELOW = 0.5;

export const DEFAULT_REGULATION: Readonly<RegulationSpec> = Object.freeze({
  downtimeBelow: DEFAULT_DOWNTIME_BELOW,
  dora: DEFAULT_DORA_THRESHOLDS,
});

/** The tier whose journeys are critical services unless their `regulation.critical` says otherwise. */
export const CRITICAL_TIER = 'critical';

/**
 * The configuration's regulation section, or the regulation's defaults when vigil.yaml has none.
 * @example regulationOf({}).dora.clientsAbsolute // 100000
 */
export function regulationOf(config: { regulation?: RegulationSpec }): RegulationSpec {
  return config.regulation ?? DEFAULT_REGULATION;
}

/**
 * A journey's regulation, defaulted: critical when its tier is `critical`, no important business service.
 * @example journeyRegulation({ tier: 'critical' }) // { critical: true, importantBusinessService: false }
 */
export function journeyRegulation(journey: { tier: string; regulation?: JourneyRegulation }): JourneyRegulation {
  return journey.regulation ?? { critical: journey.tier === CRITICAL_TIER, importantBusinessService: false };
}

/** The flags a person sets on an incident's DORA classification (docs/dora.md ("Person flags")), with the kind of value each takes. */
export const REGULATORY_FLAGS = {
  /** Art. 9(5): data losses (availability, authenticity, integrity or confidentiality). */
  dataLoss: 'boolean',
  /** Art. 9(2): reputational impact beyond what a complaint spike shows (media, regulators, lost clients). */
  reputational: 'boolean',
  /** Art. 9(4): impact in two or more Member States, when events carry no country. */
  geographical: 'boolean',
  /** Art. 9(6): costs and losses Vigil does not measure, in `regulation.dora.economicImpact.currency`. */
  otherCosts: 'money',
  /** Art. 8(2): the cause key that ties recurring incidents together, replacing the one Vigil derives. */
  cause: 'text',
  /** When the initial notification, the intermediate and the final report were submitted (epoch ms). */
  initialSubmittedAt: 'instant',
  intermediateSubmittedAt: 'instant',
  finalSubmittedAt: 'instant',
} as const;

export type RegulatoryFlagName = keyof typeof REGULATORY_FLAGS;
export const REGULATORY_FLAG_NAMES = Object.keys(REGULATORY_FLAGS) as RegulatoryFlagName[];

/** A flag's value: true/false, money, a text, an instant (epoch ms); null when a person cleared it. */
export type RegulatoryFlagValue = boolean | Money | string | number | null;

/** One flag as last set on an incident: by whom (the token's name; null on an open server without `by`), when, and why. */
export interface RegulatoryFlag {
  name: RegulatoryFlagName;
  value: RegulatoryFlagValue;
  setBy: string | null;
  setAt: number;
  note: string | null;
}

/** Why an incident is major: its own thresholds (Art. 8(1)), or together with earlier ones of the same cause (Art. 8(2)). */
export type MajorBasis = 'thresholds' | 'recurring';

/** The moment an incident first became major, kept as first recorded: later measurements never move it. */
export interface Classification {
  incidentId: string;
  classifiedAt: number;
  basis: MajorBasis;
  /** The decision's reason in words when it was recorded. */
  reason: string;
}
