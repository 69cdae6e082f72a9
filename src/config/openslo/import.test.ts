/**
 * What `vigil import openslo` maps and what it names as not imported, each at the line and column of the part concerned
 * (docs/openslo.md ("Import", "What does not map")): hand-written documents, each position found in the text by what it holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, loadConfigFromString } from '../load.js';
import { yaml } from '../test-yaml.js';
import { readText } from './documents.js';
import { exportOpenSlo } from './export.js';
import { importOpenSlo } from './import.js';

const FILE = 'slos.yaml';

function importText(text: string) {
  const read = readText(text, FILE);
  return importOpenSlo({ files: [FILE], objects: read.objects, problems: read.problems });
}

/** `line:col` of the first occurrence of `needle` after `after` (a line holding it), found in the text itself. */
function at(text: string, needle: string, after = ''): string {
  const lines = text.split('\n');
  const start = after === '' ? 0 : lines.findIndex((l) => l.includes(after));
  for (let i = Math.max(start, 0); i < lines.length; i++) {
    const column = lines[i]!.indexOf(needle);
    if (column >= 0) return `${i + 1}:${column + 1}`;
  }
  throw new Error(`no ${needle} in the text`);
}

/** `line:1` of the object whose `kind:` line is the first holding `kindLine`: its apiVersion, the line before. */
function start(text: string, kindLine: string): string {
  const line = text.split('\n').findIndex((l) => l.includes(kindLine));
  return `${line}:1`;
}

const SERVICE = yaml`
  apiVersion: openslo/v1
  kind: Service
  metadata:
    name: pay
    displayName: Payments
    annotations:
      vigil/journey: pay
      vigil/tier: core
      vigil/tier-objective: "99.95"
      vigil/steps: '[{"name":"authorise","services":["card-gateway"],"critical":true},{"name":"settle","services":[]}]'
`;

/** A Vigil SLO of journey pay, as export writes it, with `replace` applied to its text. */
function slo(name = 'success', replace: [string, string][] = []): string {
  let text = yaml`
    apiVersion: openslo/v1
    kind: SLO
    metadata:
      name: pay-${name}
    spec:
      service: pay
      indicator:
        metadata:
          name: pay-${name}
          annotations:
            vigil/sli-kind: success
        spec:
          ratioMetric:
            counter: true
            good:
              metricSource:
                type: Prometheus
                spec:
                  query: vigil_slo_events_total{journey="pay",slo="${name}",result="good"}
            total:
              metricSource:
                type: Prometheus
                spec:
                  query: vigil_slo_events_total{journey="pay",slo="${name}"}
      timeWindow:
        - duration: 28d
          isRolling: true
      budgetingMethod: Occurrences
      objectives:
        - targetPercent: 99.9
  `;
  for (const [from, to] of replace) {
    if (!text.includes(from)) throw new Error(`no ${from} in the SLO`);
    text = text.replace(from, to);
  }
  return text;
}

const docs = (...parts: string[]) => parts.map((p) => `---\n${p}`).join('');

function imported(text: string) {
  const result = importText(text);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return { ...result, notes: result.notImported.map(formatProblem) };
}

describe('what maps', () => {
  it('a Service with Vigil annotations and an SLO over Vigil counters become a journey and its SLO', () => {
    const { config, notes } = imported(docs(SERVICE, slo()));
    expect(notes).toEqual([]);
    expect(config.journeys).toEqual([
      {
        name: 'pay',
        displayName: 'Payments',
        tier: 'core',
        steps: [
          { name: 'authorise', services: ['card-gateway'], critical: true },
          { name: 'settle', services: [], critical: false },
        ],
        slos: [
          {
            name: 'success',
            objective: 99.9,
            window: { kind: 'rolling', minutes: 40320, text: '28d' },
            budgeting: 'occurrences',
            timeSliceTarget: 99.9,
            sli: { source: 'events', kind: 'success', abandonedIsBad: false },
            alerting: { minEvents: 0 },
          },
        ],
      },
    ]);
  });

  it('an SLI by indicatorRef, bad over total, target as a fraction and a calendar month all map', () => {
    const sli = yaml`
      apiVersion: openslo/v1
      kind: SLI
      metadata:
        name: pay-latency-sli
        annotations: { vigil/sli-kind: latency, vigil/threshold-ms: "800", vigil/step: settle, vigil/abandoned-is-bad: "true" }
      spec:
        ratioMetric:
          counter: true
          bad: { metricSource: { type: prometheus, spec: { query: 'vigil_slo_events_total{ slo="fast", journey="pay", result="bad" }' } } }
          total: { metricSource: { spec: { query: 'vigil_slo_events_total{journey="pay",slo="fast"}' } } }
    `;
    const byRef = slo('fast', [
      [slo('fast').slice(slo('fast').indexOf('  indicator:'), slo('fast').indexOf('  timeWindow:')), '  indicatorRef: pay-latency-sli\n'],
      [
        '- duration: 28d\n      isRolling: true',
        '- duration: 1M\n      calendar: { startTime: "2024-03-01 00:00:00", timeZone: Asia/Kolkata }',
      ],
      ['targetPercent: 99.9', 'target: 0.995'],
    ]);
    const { config, notes } = imported(docs(SERVICE, sli, byRef));
    expect(notes).toEqual([]);
    expect(config.defaults.timezone).toBe('Asia/Kolkata');
    expect(config.journeys[0]!.slos[0]).toEqual({
      name: 'fast',
      objective: 99.5,
      window: { kind: 'calendar', unit: 'month', text: 'month' },
      budgeting: 'occurrences',
      timeSliceTarget: 99.5,
      sli: { source: 'events', kind: 'latency', thresholdMs: 800, step: 'settle', abandonedIsBad: true },
      alerting: { minEvents: 0 },
    });
  });

  it('a burn-rate pair of Vigil maps; one whose threshold was edited is named at the threshold', () => {
    const pair = (name: string, threshold: number, short: string, long: string, percent: number) => yaml`
      apiVersion: openslo/v1
      kind: AlertCondition
      metadata:
        name: ${name}
        annotations: { vigil/short-window: ${short}, vigil/budget-percent: "${percent}" }
      spec:
        severity: page
        condition: { kind: burnrate, op: gt, threshold: ${threshold}, lookbackWindow: ${long} }
      ---
      apiVersion: openslo/v1
      kind: AlertPolicy
      metadata:
        name: ${name}
      spec:
        alertWhenBreaching: true
        conditions: [ { conditionRef: ${name} } ]
        notificationTargets: [ { targetRef: vigil-page } ]
    `;
    const target = yaml`
      apiVersion: openslo/v1
      kind: AlertNotificationTarget
      metadata: { name: vigil-page, annotations: { vigil/severity: page } }
      spec: { target: vigil }
    `;
    const withPolicies = slo('success', [
      ['    - targetPercent: 99.9', '    - targetPercent: 99.9\n  alertPolicies: [ { alertPolicyRef: fast }, { alertPolicyRef: slow } ]'],
    ]);
    // 28 days: 3% of the budget in 2 h is a burn rate of 3 × 672 / 100 / 2 = 10.08; the second says 99 for 6.72.
    const text = docs(SERVICE, withPolicies, pair('fast', 10.08, '10m', '2h', 3), pair('slow', 99, '1h', '1d', 24), target);
    const { config, notes } = imported(text);
    expect(config.journeys[0]!.slos[0]!.alerting.windows).toEqual([
      { severity: 'page', short: '10m', long: '2h', shortMinutes: 10, longMinutes: 120, budgetPercent: 3 },
    ]);
    expect(notes).toEqual([
      `${FILE}:${at(text, '99', 'name: slow')}: AlertCondition 'slow': spec.condition.threshold: not imported: threshold 99 is not 6.72, ` +
        'the burn rate that spends vigil/budget-percent 24% of the 28d budget in 1d; change both together',
    ]);
  });
});

describe('what is named as not imported', () => {
  const cases: [string, string, string, string][] = [
    [
      'a Prometheus query of another metric',
      slo('success', [
        ['query: vigil_slo_events_total{journey="pay",slo="success",result="good"}', 'query: sum(rate(http_requests{code="200"}[5m]))'],
      ]),
      "SLO 'pay-success': spec.indicator.spec.ratioMetric.good.metricSource.spec.query",
      'its good reads Prometheus (sum(rate(http_requests{code="200"}[5m]))), not Vigil\'s counter vigil_slo_events_total{journey,slo,result}; ' +
        'Vigil evaluates no PromQL of its own: its SLIs come from journey events, and SLIs read from Prometheus are not in this release',
    ],
    [
      'counters without the SLI definition',
      slo('success', [['      annotations:\n        vigil/sli-kind: success\n', '']]),
      "SLO 'pay-success': spec.indicator.metadata",
      "its indicator counts Vigil's counters but has no vigil/sli-kind (success or latency): the counters alone do not say which events are good",
    ],
    [
      'RatioTimeslices',
      slo('success', [
        ['budgetingMethod: Occurrences', 'budgetingMethod: RatioTimeslices'],
        ['- targetPercent: 99.9', '- { targetPercent: 99.9, timeSliceWindow: 1m }'],
      ]),
      "SLO 'pay-success': spec.budgetingMethod",
      'RatioTimeslices averages slice ratios; Vigil budgets occurrences or timeslices (docs/slo-maths.md)',
    ],
    [
      'a rolling month',
      slo('success', [['duration: 28d', 'duration: 1M']]),
      "SLO 'pay-success': spec.timeWindow[0].duration",
      "a rolling 1M: Vigil's rolling windows are minutes, hours, days or weeks (e.g. 30d); months, quarters and years are calendar windows",
    ],
    [
      'a calendar week that starts on a Wednesday',
      slo('success', [
        ['- duration: 28d\n      isRolling: true', '- duration: 1w\n      calendar: { startTime: "2024-01-03 00:00:00", timeZone: UTC }'],
      ]),
      "SLO 'pay-success': spec.timeWindow[0].calendar.startTime",
      "Vigil's calendar weeks start at midnight on a Monday (e.g. 2024-01-01 00:00:00)",
    ],
    [
      'an objective below 50%',
      slo('success', [['targetPercent: 99.9', 'target: 0.3']]),
      "SLO 'pay-success': spec.objectives[0].target",
      'an objective of 30%: Vigil objectives are at least 50% (docs/configuration.md ("Objectives are percentages"))',
    ],
    [
      'five-minute time slices',
      slo('success', [
        ['budgetingMethod: Occurrences', 'budgetingMethod: Timeslices'],
        ['- targetPercent: 99.9', '- { targetPercent: 99.9, timeSliceTarget: 0.95, timeSliceWindow: 5m }'],
      ]),
      "SLO 'pay-success': spec.objectives[0].timeSliceWindow",
      "time slices of 5m: Vigil's slices are one minute (1m)",
    ],
    [
      'a service that is no journey',
      slo('success', [['service: pay', 'service: web']]),
      "SLO 'pay-success': spec.service",
      "no Service 'web' among the files read",
    ],
    [
      'a step the journey does not have',
      slo('success', [['vigil/sli-kind: success', 'vigil/sli-kind: success\n        vigil/step: refund']]),
      "SLO 'pay-success'",
      "as a Vigil SLO it does not validate: sli.step: unknown step 'refund'; expected one of the journey's steps: authorise, settle",
    ],
  ];

  it.each(cases)('%s: the SLO is named where it does not map', (_, sloText, where, reason) => {
    const text = docs(SERVICE, sloText);
    const { config, notes } = imported(text);
    expect(config.journeys[0]!.slos).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^${FILE}:\\d+:\\d+: ${where.replace(/[[\]().*+?^$|{}\\]/g, '\\$&')}: not imported: `));
    expect(notes[0]!.endsWith(reason), notes[0]).toBe(true);
  });

  it('positions: each note points at the value that does not map', () => {
    const rolling = docs(SERVICE, slo('success', [['duration: 28d', 'duration: 1M']]));
    expect(imported(rolling).notes[0]).toContain(`${FILE}:${at(rolling, '1M')}: `);
    const below = docs(SERVICE, slo('success', [['targetPercent: 99.9', 'target: 0.3']]));
    expect(imported(below).notes[0]).toContain(`${FILE}:${at(below, '0.3')}: `);
    const promql = docs(
      SERVICE,
      slo('success', [['query: vigil_slo_events_total{journey="pay",slo="success",result="good"}', 'query: sum(up)']]),
    );
    expect(imported(promql).notes[0]).toContain(`${FILE}:${at(promql, 'sum(up)')}: `);
    const invented = docs(SERVICE, slo('success', [['vigil/sli-kind: success', 'vigil/sli-kind: success\n        vigil/step: refund']]));
    expect(imported(invented).notes[0]).toContain(`${FILE}:${start(invented, 'kind: SLO')}: `);
  });

  it('labels, foreign annotations, edited descriptions and extra objectives are named; the SLO still maps', () => {
    const labelled = SERVICE.replace('  displayName: Payments\n', '  displayName: Payments\n  labels: { team: payments }\n');
    const edited = slo('success', [
      [
        '  name: pay-success\nspec:',
        '  name: pay-success\n  annotations: { example.com/dashboard: "https://grafana/d/1" }\nspec:\n  description: Our own words',
      ],
      ['    - targetPercent: 99.9', '    - targetPercent: 99.9\n    - { displayName: stretch, targetPercent: 99.99 }'],
    ]);
    const text = docs(labelled, edited);
    const { config, notes } = imported(text);
    expect(config.journeys[0]!.slos.map((s) => s.name)).toEqual(['success']);
    expect(notes).toEqual([
      `${FILE}:${at(text, '{ team')}: Service 'pay': metadata.labels: not imported: Vigil journeys and SLOs have no labels`,
      `${FILE}:${at(text, '"https://grafana')}: SLO 'pay-success': metadata.annotations.example.com/dashboard: not imported: ` +
        'Vigil keeps no annotations but its own vigil/ ones',
      `${FILE}:${at(text, 'Our own words')}: SLO 'pay-success': spec.description: not imported: ` +
        'a description Vigil does not keep (Vigil writes its own words here on export)',
      `${FILE}:${at(text, '{ displayName: stretch')}: SLO 'pay-success': spec.objectives[1]: not imported: ` +
        'spec.objectives[1] has no counterpart in Vigil (SLO)',
    ]);
  });

  it("another system's documents: every object is named, at its start, with why", () => {
    const text = docs(
      yaml`
        apiVersion: openslo/v1
        kind: Service
        metadata: { name: web }
      `,
      yaml`
        apiVersion: openslo/v1
        kind: DataSource
        metadata: { name: prom }
        spec: { type: Prometheus, connectionDetails: { url: "http://prometheus:9090" } }
      `,
      yaml`
        apiVersion: openslo/v1alpha
        kind: SLO
        metadata: { name: legacy }
        spec:
          service: web
          budgetingMethod: Occurrences
          indicator: { thresholdMetric: { source: prometheus, queryType: promql, query: up } }
          timeWindows: [ { unit: Day, count: 7, isRolling: true } ]
          objectives: [ { target: 0.99, value: 1, op: gte } ]
      `,
    );
    const { config, notes } = imported(text);
    expect(config.journeys).toEqual([]);
    expect(notes).toEqual([
      `${FILE}:${start(text, 'kind: Service')}: Service 'web': not imported: ` +
        'a Service becomes a Vigil journey only with its steps (annotation vigil/steps, written by vigil export openslo)',
      `${FILE}:${start(text, 'kind: DataSource')}: DataSource 'prom': not imported: ` +
        'Vigil reads the journey events it ingests; it does not query data sources',
      `${FILE}:${at(text, 'apiVersion: openslo/v1alpha')}: SLO 'legacy': not imported: ` +
        'an openslo/v1alpha SLO reads a query of another system; Vigil counts the journey events it ingests',
    ]);
  });

  it('an SLO whose SLI (by reference) is a threshold metric is named at both', () => {
    const text = docs(
      SERVICE,
      slo('success', [[slo().slice(slo().indexOf('  indicator:'), slo().indexOf('  timeWindow:')), '  indicatorRef: latency\n']]),
      yaml`
        apiVersion: openslo/v1
        kind: SLI
        metadata: { name: latency }
        spec: { thresholdMetric: { metricSource: { type: Prometheus, spec: { query: "histogram_quantile(0.99, x)" } } } }
      `,
    );
    const { notes } = imported(text);
    const reason = 'a thresholdMetric compares each value with a threshold; a Vigil SLI is a ratio of good to valid events';
    expect(notes).toEqual([
      `${FILE}:${at(text, 'latency', 'indicatorRef')}: SLO 'pay-success': spec.indicatorRef: not imported: ` +
        `its indicator, SLI 'latency', does not map: ${reason}`,
      `${FILE}:${at(text, '{ metricSource', 'kind: SLI')}: SLI 'latency': spec.thresholdMetric: not imported: ${reason}`,
    ]);
  });

  it('the same SLO twice, and calendars in two zones: the later one is named', () => {
    const calendar = (zone: string) =>
      [
        '- duration: 28d\n      isRolling: true',
        `- duration: 1Q\n      calendar: { startTime: "2024-04-01 00:00:00", timeZone: ${zone} }`,
      ] as [string, string];
    const again = slo('success', [['name: pay-success\nspec', 'name: pay-success-copy\nspec']]);
    const otherZone = slo('quarterly', [calendar('Europe/Paris')]);
    const text = docs(SERVICE, slo('success', [calendar('Europe/London')]), again, otherZone);
    const { config, notes } = imported(text);
    expect(config.journeys[0]!.slos.map((s) => s.name)).toEqual(['success']);
    expect(config.defaults.timezone).toBe('Europe/London');
    expect(notes).toEqual([
      `${FILE}:${at(text, 'metadata:', 'name: pay-success-copy')}: SLO 'pay-success-copy': spec.indicator: not imported: ` +
        "SLO pay/success is already imported from SLO 'pay-success'",
      `${FILE}:${at(text, 'Europe/Paris')}: SLO 'pay-quarterly': spec.timeWindow[0].calendar.timeZone: not imported: ` +
        "its calendar is in Europe/Paris, and Vigil has one defaults.timezone, Europe/London (from SLO 'pay-success')",
    ]);
  });
});

describe('journeys that cannot be imported', () => {
  it('a step name Vigil refuses: the Service is named with the words of vigil validate, and its SLO at its service', () => {
    const service = SERVICE.replace('{"name":"settle","services":[]}', '{"name":"Settle Up","services":[]}');
    const text = docs(service, slo());
    const { config, notes } = imported(text);
    expect(config.journeys).toEqual([]);
    expect(notes).toEqual([
      `${FILE}:${at(text, 'vigil/journey')}: Service 'pay': metadata.annotations: not imported: as a Vigil journey it does not validate: ` +
        "steps[1].name: expected a name of lowercase letters, digits and '-', got 'Settle Up'",
      `${FILE}:${at(text, 'pay', 'service:')}: SLO 'pay-success': spec.service: not imported: Service 'pay' is not imported (see the note on it)`,
    ]);
  });

  it('one tier with two objectives: the later Service is named', () => {
    const other = SERVICE.replaceAll('pay', 'refund').replace('Payments', 'Refunds').replace('"99.95"', '"99.9"');
    const text = docs(SERVICE, other);
    const { config, notes } = imported(text);
    expect(config.journeys.map((j) => j.name)).toEqual(['pay']);
    expect(config.tiers['core']!.objective).toBe(99.95);
    expect(notes).toEqual([
      `${FILE}:${at(text, '"99.9"')}: Service 'refund': metadata.annotations.vigil/tier-objective: not imported: ` +
        "tier 'core' has objective 99.95 in Service 'pay'; a tier has one objective",
    ]);
  });

  it('a custom tier is declared with its objective', () => {
    const gold = SERVICE.replace('vigil/tier: core', 'vigil/tier: gold').replace('"99.95"', '"99.97"');
    const { config, yaml: written } = imported(docs(gold));
    expect(config.tiers['gold']).toEqual({ name: 'gold', objective: 99.97 });
    expect(written).toContain('tiers:\n  gold:\n    objective: 99.97\n');
  });
});

describe('documents that are not valid OpenSLO', () => {
  it('are refused whole, every problem located, nothing imported', () => {
    const text = docs(
      SERVICE.replace('name: pay', 'name: Pay'),
      slo('success', [['budgetingMethod: Occurrences', 'budgetingMethod: Sometimes']]),
    );
    const result = importText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual([
      `${FILE}:${at(text, 'Pay')}: Service 'Pay': metadata.name: expected an RFC 1123 name: at most 63 lowercase letters, digits and '-', ` +
        "starting and ending with a letter or digit (e.g. my-name), got 'Pay'",
      `${FILE}:${at(text, 'Sometimes')}: SLO 'pay-success': spec.budgetingMethod: expected 'Occurrences', 'Timeslices' or 'RatioTimeslices', got 'Sometimes'`,
    ]);
  });

  it('YAML that does not parse is refused at the place of the error', () => {
    const result = importText('apiVersion: openslo/v1\nkind: Service\nmetadata: { name: a\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatProblem(result.problems[0]!)).toMatch(/^slos\.yaml:\d+:\d+: YAML syntax: /);
  });
});

describe('any edit of an exported file', () => {
  const base = loadConfigFromString(
    yaml`
      version: vigil/v1
      defaults: { timezone: Europe/London }
      tiers: { gold: { objective: 99.97 } }
      journeys:
        - name: pay
          tier: gold
          value: { currency: EUR }
          public: true
          steps: [ { name: a, services: [ x ] }, { name: b, critical: true } ]
          slos:
            - { name: s, window: month, budgeting: timeslices, timeSliceTarget: 98, sli: { kind: latency, thresholdMs: 300, step: b } }
            - { name: m, objective: 99.5, sli: { kind: success, weight: amount }, alerting: { minEvents: 3 } }
    `,
    'base.yaml',
  );
  if (!base.ok) throw new Error('the base configuration does not load');
  const objects = exportOpenSlo(base.config).objects.map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);

  /** Every path to a leaf (or an empty container) of a value. */
  function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value) && value.length > 0) return value.flatMap((v, i) => leaves(v, [...path, i]));
    if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
      return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
    }
    return [path];
  }
  const replacement = fc.constantFrom<unknown>(
    undefined,
    null,
    '',
    'x',
    'Bad Name',
    0,
    -1,
    1.5,
    100,
    true,
    '7d',
    '1M',
    '1m',
    '{"a":1}',
    '[]',
    'gt',
    'page',
    [],
    {},
  );

  it('is either refused with located problems or imported into a vigil.yaml that loads; nothing throws', () => {
    const seen = { refused: 0, imported: 0, named: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), replacement), { minLength: 1, maxLength: 3 }), (edits) => {
        const copy = structuredClone(objects);
        for (const [which, where, value] of edits) {
          const object = copy[which % copy.length]!;
          const paths = leaves(object);
          const path = paths[where % paths.length]!;
          let parent: Record<string | number, unknown> = object;
          for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
          const last = path.at(-1);
          if (last === undefined) continue;
          if (value === undefined) delete parent[last];
          else parent[last] = value;
        }
        const text = copy.map((o) => `---\n${stringify(o)}`).join('');
        const result = importText(text);
        if (!result.ok) {
          seen.refused++;
          for (const problem of result.problems) expect(problem.line, formatProblem(problem)).toBeGreaterThan(0);
          return;
        }
        seen.imported++;
        if (result.notImported.length > 0) seen.named++;
        expect(loadConfigFromString(result.yaml, 'imported.yaml').ok).toBe(true);
        for (const note of result.notImported) expect(note.line, formatProblem(note)).toBeGreaterThan(0);
      }),
      // Seeded: the counts below are about this sample of edits, so they must not change from run to run.
      { numRuns: 150, seed: 20261127 },
    );
    // The edits reach every outcome: refused, imported whole, imported with parts named.
    expect(seen.refused).toBeGreaterThan(10);
    expect(seen.named).toBeGreaterThan(10);
    expect(seen.imported).toBeGreaterThan(seen.named);
  }, 120_000);
});
