/** Prometheus's and Go's spellings of durations, numbers and label sets (docs/prometheus.md ("Rules")), hand-checked cases. */
import { describe, expect, it } from 'vitest';
import { expositionText, sampleValue } from './exposition.js';
import { checkPromqlShape } from './promql-shape.js';
import { goFloat, labelFilter, parsePromDuration, promDuration } from './promql-text.js';
import { burnFactor } from './rules.js';

const MIN = 60_000;

describe('promDuration', () => {
  it.each([
    [5 * MIN, '5m'],
    [60 * MIN, '1h'],
    [1440 * MIN, '1d'],
    [7 * 1440 * MIN, '1w'],
    [28 * 1440 * MIN, '4w'],
    [30 * 1440 * MIN, '30d'],
    [36 * 60 * MIN, '1d12h'],
    [90 * MIN, '1h30m'],
    [365 * 1440 * MIN, '1y'],
    [0, '0s'],
  ])('%i ms is %s', (ms, text) => {
    expect(promDuration(ms)).toBe(text);
    expect(parsePromDuration(text)).toBe(ms);
  });

  it.each(['', '12', '1h1d', '5x', '1m1m', 'm'])('%j is not a duration', (text) => {
    expect(parsePromDuration(text)).toBeUndefined();
  });
});

describe('goFloat', () => {
  it.each([
    [0.9990000000000001, '0.9990000000000001'],
    [99.9 / 100, '0.9990000000000001'],
    [(100 - 99.9) / 100, '0.0009999999999999432'],
    [30, '30'],
    [13.44, '13.44'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [-2.5, '-2.5'],
    [0, '0'],
  ])('%d prints %s', (value, text) => {
    expect(goFloat(value)).toBe(text);
  });
});

describe('burnFactor, as Sloth computes it', () => {
  const pair = (budgetPercent: number, longMinutes: number) => ({ shortMs: MIN, longMs: longMinutes * MIN, budgetPercent });
  it.each([
    [2, 60, 28, '13.44'],
    [5, 360, 28, '5.6000000000000005'],
    [10, 1440, 28, '2.8000000000000003'],
    [10, 4320, 28, '0.9333333333333333'],
    [2, 60, 30, '14.4'],
    [10, 4320, 30, '1'],
    [20, 1440, 7, '1.4000000000000001'],
    [42, 4320, 7, '0.98'],
  ])('%i%% over %i minutes, period %i days: %s', (budget, long, days, text) => {
    expect(goFloat(burnFactor(pair(budget, long), days * 1440 * MIN))).toBe(text);
  });
});

describe('labelFilter', () => {
  it('sorts names and escapes values', () => {
    expect(labelFilter({ sloth_slo: 'a', sloth_id: 'svc-a' })).toBe('{sloth_id="svc-a", sloth_slo="a"}');
    expect(labelFilter({ q: 'say "hi"\\' })).toBe('{q="say \\"hi\\"\\\\"}');
  });
});

describe('checkPromqlShape', () => {
  it.each([
    ['sum(rate(x[5m]))', undefined],
    ['sum(rate(x{code=~"(5..|429)"}[5m]))', undefined],
    ['sum(rate(x[5m])', 'unclosed ( at 4'],
    ['sum(rate(x[5m])))', 'unexpected ) at 17'],
    ['x{a="b}', 'unterminated string at 5'],
    ['   ', 'the expression is empty'],
  ])('%j: %s', (expr, problem) => {
    expect(checkPromqlShape(expr)).toBe(problem);
  });
});

describe('expositionText', () => {
  it('writes HELP, TYPE and samples, escaping label values', () => {
    expect(
      expositionText([
        { name: 'a_total', help: 'A\\b\nc.', type: 'counter', samples: [{ labels: { x: 'q"\n\\' }, value: 3 }] },
        { name: 'b', help: 'B.', type: 'gauge', samples: [{ labels: {}, value: Number.NaN }] },
        { name: 'c', help: 'C.', type: 'gauge', samples: [] },
      ]),
    ).toBe(
      '# HELP a_total A\\\\b\\nc.\n# TYPE a_total counter\na_total{x="q\\"\\n\\\\"} 3\n# HELP b B.\n# TYPE b gauge\nb NaN\n# HELP c C.\n# TYPE c gauge\n',
    );
  });

  it.each([
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [0.25, '0.25'],
    [-0.7688, '-0.7688'],
  ])('%d is %s', (value, text) => {
    expect(sampleValue(value)).toBe(text);
  });
});
