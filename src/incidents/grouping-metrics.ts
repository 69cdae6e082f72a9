/** How well a grouping of alerts matches a labelled truth: pairwise precision and recall, and alert compression. */

export interface GroupingMetrics {
  /** Of the pairs of distinct alerts put in the same incident, the share that truly belong together (1 when there are none). */
  precision: number;
  /** Of the pairs that truly belong together, the share put in the same incident (1 when there are none). */
  recall: number;
  pairsPredicted: number;
  pairsTrue: number;
  pairsBoth: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Pairwise precision and recall over pairs of distinct alerts (same predicted incident vs same true
 * incident), counted from group sizes in O(n) rather than over all pairs.
 * @example groupingMetrics([{ predicted: 'i1', truth: 'a' }, { predicted: 'i1', truth: 'a' }, { predicted: 'i2', truth: 'a' }])
 * // { precision: 1, recall: 0.333…, pairsPredicted: 1, pairsTrue: 3, pairsBoth: 1 }
 */
export function groupingMetrics(alerts: readonly { predicted: string; truth: string }[]): GroupingMetrics {
  const predicted = new Map<string, number>();
  const truth = new Map<string, number>();
  const both = new Map<string, number>();
  for (const alert of alerts) {
    tally(predicted, alert.predicted);
    tally(truth, alert.truth);
    tally(both, JSON.stringify([alert.predicted, alert.truth]));
  }
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((total, n) => total + pairs(n), 0);
  const pairsPredicted = sum(predicted);
  const pairsTrue = sum(truth);
  const pairsBoth = sum(both);
  return {
    precision: pairsPredicted === 0 ? 1 : pairsBoth / pairsPredicted,
    recall: pairsTrue === 0 ? 1 : pairsBoth / pairsTrue,
    pairsPredicted,
    pairsTrue,
    pairsBoth,
  };
}

/**
 * Compression (docs/api.md ("GET /api/v1/incidents/stats")): 1 − incidents / alerts, null without alerts. Count an alert once however
 * often it was re-sent or flapped.
 * @example compressionRatio(12, 160) // 0.925
 */
export function compressionRatio(incidents: number, alerts: number): number | null {
  return alerts === 0 ? null : 1 - incidents / alerts;
}
