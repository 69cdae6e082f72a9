import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressionRatio, groupingMetrics } from './grouping-metrics.js';

const items = (predicted: string, truth: string) => [...predicted].map((p, i) => ({ predicted: p, truth: truth[i]! }));

describe('groupingMetrics', () => {
  it.each([
    ['perfect grouping', items('aabbc', 'xxyyz'), 1, 1],
    ['everything in one incident', items('aaaa', 'xxyy'), 2 / 6, 1],
    ['every alert alone', items('abcd', 'xxyy'), 1, 0],
    ['one true incident split in two', items('aab', 'xxx'), 1, 1 / 3],
    ['two true incidents merged', items('aaaa', 'xxxy'), 3 / 6, 1],
    ['no pairs at all', items('a', 'x'), 1, 1],
  ])('%s', (_name, alerts, precision, recall) => {
    const metrics = groupingMetrics(alerts);
    expect(metrics.precision).toBeCloseTo(precision, 12);
    expect(metrics.recall).toBeCloseTo(recall, 12);
  });

  it('agrees with counting every pair', () => {
    const alert = fc.record({ predicted: fc.constantFrom('a', 'b', 'c', 'd'), truth: fc.constantFrom('x', 'y', 'z') });
    fc.assert(
      fc.property(fc.array(alert, { maxLength: 40 }), (alerts) => {
        let predicted = 0;
        let truth = 0;
        let both = 0;
        for (let i = 0; i < alerts.length; i++) {
          for (let j = i + 1; j < alerts.length; j++) {
            const p = alerts[i]!.predicted === alerts[j]!.predicted;
            const t = alerts[i]!.truth === alerts[j]!.truth;
            predicted += Number(p);
            truth += Number(t);
            both += Number(p && t);
          }
        }
        expect(groupingMetrics(alerts)).toEqual({
          precision: predicted === 0 ? 1 : both / predicted,
          recall: truth === 0 ? 1 : both / truth,
          pairsPredicted: predicted,
          pairsTrue: truth,
          pairsBoth: both,
        });
      }),
    );
  });
});

describe('compressionRatio', () => {
  it('is 1 − incidents / alerts, null without alerts', () => {
    expect(compressionRatio(12, 160)).toBeCloseTo(0.925, 12);
    expect(compressionRatio(3, 3)).toBe(0);
    expect(compressionRatio(0, 0)).toBeNull();
  });
});
