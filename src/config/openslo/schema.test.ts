/**
 * The OpenSLO validator rule by rule (docs/openslo.md ("Validation")): a valid object of each kind, then one change at a
 * time, each refused at the path of the change with the words of the rule it breaks.
 */
import { describe, expect, it } from 'vitest';
import { formatPath } from '../messages.js';
import { parseShorthand, parseStartTime, validateObject } from './schema.js';

const RATIO = {
  counter: true,
  good: { metricSource: { type: 'Prometheus', spec: { query: 'good' } } },
  total: { metricSource: { type: 'Prometheus', spec: { query: 'total' } } },
};
const sloV1 = () => ({
  apiVersion: 'openslo/v1',
  kind: 'SLO',
  metadata: { name: 'web-availability', labels: { team: ['a', 'b'], env: 'prod' }, annotations: { 'example.com/dashboard': 'x' } },
  spec: {
    service: 'web',
    indicator: { metadata: { name: 'web-ratio' }, spec: { ratioMetric: structuredClone(RATIO) } },
    timeWindow: [{ duration: '28d', isRolling: true }],
    budgetingMethod: 'Occurrences',
    objectives: [{ target: 0.999 }],
  },
});
const conditionSpec = {
  severity: 'page',
  condition: { kind: 'burnrate', op: 'gt', threshold: 14.4, lookbackWindow: '1h', alertAfter: '5m' },
};
const policy = () => ({
  apiVersion: 'openslo/v1',
  kind: 'AlertPolicy',
  metadata: { name: 'fast-burn' },
  spec: { alertWhenBreaching: true, conditions: [{ conditionRef: 'fast' }], notificationTargets: [{ targetRef: 'pager' }] },
});
const sloV1alpha = () => ({
  apiVersion: 'openslo/v1alpha',
  kind: 'SLO',
  metadata: { name: 'latency' },
  spec: {
    service: 'web',
    budgetingMethod: 'Occurrences',
    indicator: { thresholdMetric: { source: 'prometheus', queryType: 'promql', query: 'up' } },
    timeWindows: [{ unit: 'Day', count: 28, isRolling: true }],
    objectives: [{ target: 0.99, value: 1, op: 'gte' }],
  },
});

type Any = any;

/** A fresh `base` object with `change` applied to it. */
function changed(base: () => unknown, change: (o: Any) => void): unknown {
  const copy = structuredClone(base());
  change(copy);
  return copy;
}

const problemsOf = (data: unknown) => {
  const verdict = validateObject(data);
  return verdict.ok ? [] : verdict.problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
};

describe('valid objects', () => {
  it.each([
    ['an SLO with an inline ratio indicator, labels and annotations', sloV1()],
    ['an AlertPolicy by references', policy()],
    ['an AlertCondition', { apiVersion: 'openslo/v1', kind: 'AlertCondition', metadata: { name: 'fast' }, spec: conditionSpec }],
    ['a v1alpha threshold SLO', sloV1alpha()],
    ['a v1alpha Service without spec', { apiVersion: 'openslo/v1alpha', kind: 'Service', metadata: { name: 'this' } }],
    [
      'a DataSource whose connectionDetails are a list',
      { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name: 'd' }, spec: { type: 'X', connectionDetails: [1] } },
    ],
  ])('%s', (_, data) => {
    expect(problemsOf(data)).toEqual([]);
  });
});

describe('each rule, one change at a time', () => {
  const cases: [string, unknown, string[]][] = [
    [
      'apiVersion missing',
      changed(sloV1, (o: Any) => delete o.apiVersion),
      ["apiVersion: missing; expected 'openslo/v1' or 'openslo/v1alpha'"],
    ],
    [
      'v2alpha',
      changed(sloV1, (o: Any) => (o.apiVersion = 'openslo.com/v2alpha')),
      ["apiVersion: unsupported apiVersion 'openslo.com/v2alpha' (a draft of the next version, which Vigil does not read)"],
    ],
    [
      'an unknown kind',
      changed(sloV1, (o: Any) => (o.kind = 'Slo')),
      [
        "kind: openslo/v1 has no kind 'Slo'; expected one of: Service, SLO, SLI, DataSource, AlertPolicy, AlertCondition, AlertNotificationTarget",
      ],
    ],
    [
      'a name of 64 characters',
      changed(sloV1, (o: Any) => (o.metadata.name = 'a'.repeat(64))),
      [`metadata.name: expected an RFC 1123 name`],
    ],
    ['a name ending in -', changed(sloV1, (o: Any) => (o.metadata.name = 'web-')), ['metadata.name: expected an RFC 1123 name']],
    [
      'a displayName of 64 characters',
      changed(sloV1, (o: Any) => (o.metadata.displayName = 'd'.repeat(64))),
      ['metadata.displayName: expected a string of at most 63 characters'],
    ],
    [
      'a label key with a slash',
      changed(sloV1, (o: Any) => (o.metadata.labels = { 'a/b': 'x' })),
      ['metadata.labels.a/b: expected a label key'],
    ],
    [
      'a label value that is a number',
      changed(sloV1, (o: Any) => (o.metadata.labels = { tier: 1 })),
      ['metadata.labels.tier: expected a string or a list of strings, got 1'],
    ],
    [
      'an annotation key with an upper-case prefix',
      changed(sloV1, (o: Any) => (o.metadata.annotations = { 'Example.com/x': 'y' })),
      ['metadata.annotations.Example.com/x: expected an annotation key'],
    ],
    [
      'an annotation value that is a boolean',
      changed(sloV1, (o: Any) => (o.metadata.annotations = { x: true })),
      ['metadata.annotations.x: expected a string (quote numbers and booleans), got true'],
    ],
    ['an unknown key in spec', changed(sloV1, (o: Any) => (o.spec.window = '28d')), ["spec.window: unknown key 'window'"]],
    ['no service', changed(sloV1, (o: Any) => delete o.spec.service), ['spec.service: missing; expected the name of a service']],
    [
      'a description of 1051 characters',
      changed(sloV1, (o: Any) => (o.spec.description = 'd'.repeat(1051))),
      ['spec.description: expected a string of at most 1050 characters'],
    ],
    [
      'an unknown budgeting method',
      changed(sloV1, (o: Any) => (o.spec.budgetingMethod = 'occurrences')),
      ["spec.budgetingMethod: expected 'Occurrences', 'Timeslices' or 'RatioTimeslices', got 'occurrences'"],
    ],
    [
      'two time windows',
      changed(sloV1, (o: Any) => o.spec.timeWindow.push({ duration: '7d', isRolling: true })),
      ['spec.timeWindow: expected a list of exactly 1 time window, got 2'],
    ],
    [
      'no objectives',
      changed(sloV1, (o: Any) => (o.spec.objectives = [])),
      ['spec.objectives: expected a list of at least 1 objective, got 0'],
    ],
    [
      'a duration without a unit',
      changed(sloV1, (o: Any) => (o.spec.timeWindow[0].duration = '28')),
      ['spec.timeWindow[0].duration: expected a duration such as 5m'],
    ],
    [
      'a duration in seconds',
      changed(sloV1, (o: Any) => (o.spec.timeWindow[0].duration = '30s')),
      ['spec.timeWindow[0].duration: expected a duration such as 5m'],
    ],
    [
      'a zero duration',
      changed(sloV1, (o: Any) => (o.spec.timeWindow[0].duration = '0d')),
      ['spec.timeWindow[0].duration: expected a duration such as 5m'],
    ],
    [
      'a rolling window with a calendar',
      changed(sloV1, (o: Any) => (o.spec.timeWindow[0].calendar = { startTime: '2024-01-01 00:00:00', timeZone: 'UTC' })),
      ['spec.timeWindow[0].calendar: a rolling window (isRolling: true) takes no calendar'],
    ],
    [
      'a calendar window without calendar',
      changed(sloV1, (o: Any) => (o.spec.timeWindow[0].isRolling = false)),
      ['spec.timeWindow[0]: missing calendar'],
    ],
    [
      'a calendar start that is no date, in an unknown zone',
      changed(
        sloV1,
        (o: Any) => (o.spec.timeWindow[0] = { duration: '1M', calendar: { startTime: '2024-02-30 00:00:00', timeZone: 'Mars/Olympus' } }),
      ),
      [
        'spec.timeWindow[0].calendar.startTime: expected a date and time such as 2022-01-01 12:00:00',
        'spec.timeWindow[0].calendar.timeZone: expected an IANA time zone',
      ],
    ],
    [
      'target 1',
      changed(sloV1, (o: Any) => (o.spec.objectives[0].target = 1)),
      ['spec.objectives[0].target: expected a number from 0 to less than 1, got 1'],
    ],
    [
      'targetPercent 100',
      changed(sloV1, (o: Any) => (o.spec.objectives[0] = { targetPercent: 100 })),
      ['spec.objectives[0].targetPercent: expected a number from 0 to less than 100, got 100'],
    ],
    [
      'target and targetPercent',
      changed(sloV1, (o: Any) => (o.spec.objectives[0].targetPercent = 99.9)),
      ['spec.objectives[0].targetPercent: target and targetPercent cannot both be set'],
    ],
    [
      'neither target nor targetPercent',
      changed(sloV1, (o: Any) => (o.spec.objectives[0] = { displayName: 'x' })),
      ['spec.objectives[0]: missing target (a fraction such as 0.999) or targetPercent (99.9)'],
    ],
    [
      'op beside a ratio',
      changed(sloV1, (o: Any) => (o.spec.objectives[0].op = 'gt')),
      ['spec.objectives[0].op: not allowed: the indicator is a ratioMetric'],
    ],
    [
      'value beside a ratio',
      changed(sloV1, (o: Any) => (o.spec.objectives[0].value = 1)),
      ['spec.objectives[0].value: not allowed: the indicator is a ratioMetric'],
    ],
    [
      'a threshold indicator without op and value',
      changed(sloV1, (o: Any) => (o.spec.indicator.spec = { thresholdMetric: { metricSource: { spec: { query: 'x' } } } })),
      [
        'spec.objectives[0].op: missing; a thresholdMetric objective needs op',
        'spec.objectives[0].value: missing; a thresholdMetric objective needs the value',
      ],
    ],
    [
      'Timeslices without slice target and window',
      changed(sloV1, (o: Any) => (o.spec.budgetingMethod = 'Timeslices')),
      [
        'spec.objectives[0].timeSliceTarget: missing; budgetingMethod Timeslices needs a timeSliceTarget',
        'spec.objectives[0].timeSliceWindow: missing; budgetingMethod Timeslices needs',
      ],
    ],
    [
      'RatioTimeslices without slice window',
      changed(sloV1, (o: Any) => (o.spec.budgetingMethod = 'RatioTimeslices')),
      ['spec.objectives[0].timeSliceWindow: missing; budgetingMethod RatioTimeslices needs'],
    ],
    [
      'a slice target of 0',
      changed(sloV1, (o: Any) => (o.spec.objectives[0].timeSliceTarget = 0)),
      ['spec.objectives[0].timeSliceTarget: expected a number greater than 0 and at most 1, got 0'],
    ],
    [
      'indicator and indicatorRef',
      changed(sloV1, (o: Any) => (o.spec.indicatorRef = 'other')),
      ['spec.indicatorRef: indicator and indicatorRef cannot both be set'],
    ],
    [
      'neither indicator nor indicatorRef',
      changed(sloV1, (o: Any) => delete o.spec.indicator),
      ['spec: missing indicator or indicatorRef'],
    ],
    [
      'a composite SLO that also has an indicator',
      changed(sloV1, (o: Any) => (o.spec.objectives[0].indicatorRef = 'other')),
      ['spec.indicator: a composite SLO (objectives with their own indicator) takes no indicator or indicatorRef of its own'],
    ],
    [
      'a compositeWeight of 0',
      changed(sloV1, (o: Any) => (o.spec.objectives[0].compositeWeight = 0)),
      ['spec.objectives[0].compositeWeight: expected a number greater than 0, got 0'],
    ],
    [
      'ratio and threshold metrics',
      changed(sloV1, (o: Any) => (o.spec.indicator.spec.thresholdMetric = structuredClone(RATIO.good))),
      ['spec.indicator.spec.ratioMetric: ratioMetric and thresholdMetric cannot both be set'],
    ],
    [
      'good and bad',
      changed(sloV1, (o: Any) => (o.spec.indicator.spec.ratioMetric.bad = structuredClone(RATIO.good))),
      ['spec.indicator.spec.ratioMetric.bad: good and bad cannot both be set'],
    ],
    [
      'no total',
      changed(sloV1, (o: Any) => delete o.spec.indicator.spec.ratioMetric.total),
      ['spec.indicator.spec.ratioMetric: missing total (with good or bad), or raw (with rawType)'],
    ],
    [
      'raw with total, and without rawType',
      changed(sloV1, (o: Any) => (o.spec.indicator.spec.ratioMetric.raw = structuredClone(RATIO.good))),
      [
        'spec.indicator.spec.ratioMetric.raw: raw cannot be used with total',
        'spec.indicator.spec.ratioMetric.good: not allowed with raw, a precomputed ratio',
        "spec.indicator.spec.ratioMetric.rawType: missing; expected 'success' or 'failure'",
      ],
    ],
    [
      'a metric source with an empty spec',
      changed(sloV1, (o: Any) => (o.spec.indicator.spec.ratioMetric.good.metricSource.spec = {})),
      ['spec.indicator.spec.ratioMetric.good.metricSource.spec: expected a mapping with at least one field'],
    ],
    [
      'a metricSourceRef that is no name',
      changed(sloV1, (o: Any) => (o.spec.indicator.spec.ratioMetric.good.metricSource.metricSourceRef = 'My Prom')),
      ['spec.indicator.spec.ratioMetric.good.metricSource.metricSourceRef: expected an RFC 1123 name'],
    ],
    [
      'counter as a string',
      changed(sloV1, (o: Any) => (o.spec.indicator.spec.ratioMetric.counter = 'yes')),
      ["spec.indicator.spec.ratioMetric.counter: expected true or false, got 'yes'"],
    ],
    [
      'an alert policy as a bare name',
      changed(sloV1, (o: Any) => (o.spec.alertPolicies = ['fast'])),
      ["spec.alertPolicies[0]: expected a mapping: alertPolicyRef, or an inline AlertPolicy (kind, metadata, spec), got 'fast'"],
    ],
    [
      'an alert policy ref and inline',
      changed(sloV1, (o: Any) => (o.spec.alertPolicies = [{ alertPolicyRef: 'fast', kind: 'AlertPolicy' }])),
      ['spec.alertPolicies[0].kind: either alertPolicyRef or an inline AlertPolicy, not both'],
    ],
    [
      'an inline alert policy without spec',
      changed(sloV1, (o: Any) => (o.spec.alertPolicies = [{ kind: 'AlertPolicy', metadata: { name: 'p' } }])),
      ['spec.alertPolicies[0].spec: missing; an inline AlertPolicy needs kind, metadata and spec'],
    ],
    [
      'two conditions',
      changed(policy, (o: Any) => o.spec.conditions.push({ conditionRef: 'slow' })),
      ['spec.conditions: expected a list of exactly 1 condition'],
    ],
    [
      'no notification target',
      changed(policy, (o: Any) => (o.spec.notificationTargets = [])),
      ['spec.notificationTargets: expected a list of at least 1 notification target'],
    ],
    [
      'an inline condition of another kind',
      changed(policy, (o: Any) => (o.spec.conditions = [{ kind: 'AlertPolicy', metadata: { name: 'c' }, spec: conditionSpec }])),
      ["spec.conditions[0].kind: expected 'AlertCondition', got 'AlertPolicy'"],
    ],
    [
      'an inline condition with a bad op and no lookback window',
      changed(
        policy,
        (o: Any) =>
          (o.spec.conditions = [
            {
              kind: 'AlertCondition',
              metadata: { name: 'c' },
              spec: { severity: 'page', condition: { kind: 'burnrate', op: '>', threshold: 2 } },
            },
          ]),
      ),
      [
        "spec.conditions[0].spec.condition.op: expected 'lte', 'gte', 'lt' or 'gt', got '>'",
        'spec.conditions[0].spec.condition.lookbackWindow: missing; expected a duration',
      ],
    ],
    [
      'a v1alpha SLO with labels',
      changed(sloV1alpha, (o: Any) => (o.metadata.labels = { a: 'b' })),
      ["metadata.labels: unknown key 'labels'"],
    ],
    [
      'a v1alpha objective without value',
      changed(sloV1alpha, (o: Any) => delete o.spec.objectives[0].value),
      ['spec.objectives[0].value: missing; expected a number'],
    ],
    [
      'a v1alpha source that is not letters',
      changed(sloV1alpha, (o: Any) => (o.spec.indicator.thresholdMetric.source = 'prom-1')),
      ['spec.indicator.thresholdMetric.source: expected a source name of letters only'],
    ],
    [
      'a v1alpha window unit Hour',
      changed(sloV1alpha, (o: Any) => (o.spec.timeWindows[0].unit = 'Hour')),
      ["spec.timeWindows[0].unit: expected 'Second', 'Day', 'Week', 'Month' or 'Quarter', got 'Hour'"],
    ],
    [
      'a v1alpha count of 1.5',
      changed(sloV1alpha, (o: Any) => (o.spec.timeWindows[0].count = 1.5)),
      ['spec.timeWindows[0].count: expected a whole number greater than 0, got 1.5'],
    ],
    [
      'a v1alpha threshold objective without op',
      changed(sloV1alpha, (o: Any) => delete o.spec.objectives[0].op),
      ["spec.objectives[0].op: missing; a thresholdMetric objective needs op: 'lte', 'gte', 'lt' or 'gt'"],
    ],
    [
      'a v1alpha SLO with indicator and ratioMetrics',
      changed(
        sloV1alpha,
        (o: Any) =>
          (o.spec.objectives[0].ratioMetrics = { good: o.spec.indicator.thresholdMetric, total: o.spec.indicator.thresholdMetric }),
      ),
      [
        'spec.indicator: an SLO with objectives[*].ratioMetrics takes no indicator',
        'spec.objectives[0].op: not allowed: op applies to a thresholdMetric',
      ],
    ],
    [
      'a DataSource without connectionDetails',
      { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name: 'd' }, spec: { type: 'X' } },
      ['spec.connectionDetails: missing; expected a value'],
    ],
    ['an object that is a list', [1, 2], [': expected an OpenSLO object: a mapping with apiVersion, kind, metadata and spec, got a list']],
  ];

  it.each(cases)('%s', (_, data, expected) => {
    const problems = problemsOf(data);
    expect(problems).toHaveLength(expected.length);
    for (const start of expected)
      expect(
        problems.some((p) => p.startsWith(start)),
        `${start}\n  in ${problems.join('\n  ')}`,
      ).toBe(true);
  });
});

describe('durations and calendar starts', () => {
  it.each([
    ['5m', { amount: 5, unit: 'm' }],
    ['1Y', { amount: 1, unit: 'Y' }],
    ['12Q', { amount: 12, unit: 'Q' }],
    ['0m', undefined],
    ['5', undefined],
    ['1.5h', undefined],
    ['5 m', undefined],
    ['-5m', undefined],
  ])('parseShorthand(%s)', (text, expected) => {
    expect(parseShorthand(text)).toEqual(expected);
  });

  it.each([
    ['2022-01-01 12:00:00', true],
    ['2024-02-29 23:59:59', true],
    ['2023-02-29 00:00:00', false],
    ['2022-01-01T12:00:00', false],
    ['2022-01-01 24:00:00', false],
    ['2022-1-1 12:00:00', false],
  ])('parseStartTime(%s) is a date: %s', (text, valid) => {
    expect(parseStartTime(text) !== undefined).toBe(valid);
  });
});
