/** Customer signals (docs/signals.md): complaints and mentions, counted per journey to find blind spots. */

/** One stored signal. `journey` is null when neither the sender nor a keyword named one. */
export interface Signal {
  id: string;
  source: string;
  /** When the customer spoke, epoch ms. */
  at: number;
  journey: string | null;
  /** The keyword of `signals.keywords` that mapped it; null when the sender named the journey, or none matched. */
  keyword: string | null;
  text: string | null;
  /** How many complaints or mentions this signal stands for (≥ 1). */
  count: number;
  receivedAt: number;
}

/** `signals` in vigil.yaml, resolved (docs/configuration.md ("signals")). */
export interface SignalsSpec {
  /** Fewest signals in the last hour for a spike. */
  minSpike: number;
  /** Per journey, in the order written: its keywords (words or phrases), lowercased. */
  keywords: readonly { journey: string; phrases: readonly string[] }[];
}

export const DEFAULT_MIN_SPIKE = 10;
/** The last hour must hold at least this many times the baseline to spike. */
export const SPIKE_FACTOR = 3;
/** Weeks the baseline looks back over. */
export const BASELINE_WEEKS = 4;
