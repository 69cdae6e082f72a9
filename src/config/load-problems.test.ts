import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';
import { yaml } from './test-yaml.js';

/** A valid journey, appended under `journeys:` by cases that break something elsewhere. */
interface BadCase {
  name: string;
  text: string;
  /** `line:column` of the problem. */
  at: string;
  fragment: string;
  /** How many problems the text has in all (default 1): guards against spurious or missing reports. */
  count?: number;
}

const cases: BadCase[] = [
  {
    name: 'YAML syntax error',
    text: yaml`
      version: vigil/v1
      journeys:
        - { name: a, steps: [ { name: s }
    `,
    at: '4:1',
    fragment: 'YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    count: 2,
  },
  {
    name: 'duplicate key in a mapping',
    text: yaml`
      version: vigil/v1
      defaults: { timezone: UTC }
      defaults: { timezone: UTC }
    `,
    at: '3:1',
    fragment: 'unique',
  },
  { name: 'empty document', text: '', at: '1:1', fragment: 'expected a mapping, got an empty value' },
  { name: 'document is a list', text: '- version: vigil/v1\n', at: '1:1', fragment: 'expected a mapping, got a list' },
  { name: 'missing version (at the parent mapping)', text: 'journeys: []\n', at: '1:1', fragment: "version: missing; expected 'vigil/v1'" },
  { name: 'wrong version', text: 'version: vigil/v2\n', at: '1:10', fragment: "version: expected 'vigil/v1', got 'vigil/v2'" },
  {
    name: 'unknown top-level key (at the key)',
    text: 'version: vigil/v1\njournies: []\n',
    at: '2:1',
    fragment: "journies: unknown key 'journies' (did you mean 'journeys'?)",
  },
  {
    name: 'bad timezone',
    text: 'version: vigil/v1\ndefaults:\n  timezone: Europe/Londn\n',
    at: '3:13',
    fragment: "defaults.timezone: expected an IANA time zone such as Europe/London, got 'Europe/Londn'",
  },
  {
    name: 'tier objective out of range',
    text: 'version: vigil/v1\ntiers:\n  gold: { objective: 100 }\n',
    at: '3:22',
    fragment: 'tiers.gold.objective: expected a number greater than 0 and less than 100, got 100',
  },
  {
    name: 'tier objective written as a ratio',
    text: 'version: vigil/v1\ntiers:\n  gold: { objective: 0.9999 }\n',
    at: '3:22',
    fragment: 'tiers.gold.objective: objectives are percentages: did you mean 99.99?',
  },
  { name: 'tier name not a slug', text: 'version: vigil/v1\ntiers:\n  Gold: { objective: 99 }\n', at: '3:3', fragment: "got 'Gold'" },
  {
    name: 'service with an unknown tier',
    text: 'version: vigil/v1\nservices:\n  - { name: ledger, tier: gold }\n',
    at: '3:27',
    fragment: "services[0].tier: unknown tier 'gold'; expected one of: critical, core, standard, informational",
  },
  {
    name: 'duplicate service',
    text: 'version: vigil/v1\nservices:\n  - { name: ledger }\n  - { name: ledger }\n',
    at: '4:13',
    fragment: "services[1].name: duplicate service 'ledger' (first at line 3)",
  },
  {
    name: 'journey name not a slug',
    text: yaml`
      version: vigil/v1
      journeys:
        - name: Wire_Transfer
          steps: [{ name: go }]
    `,
    at: '3:11',
    fragment: "journeys[0].name: expected a name of lowercase letters, digits and '-', got 'Wire_Transfer'",
  },
  {
    name: 'duplicate journey name',
    text: yaml`
      version: vigil/v1
      journeys:
        - name: pay
          steps: [{ name: go }]
        - name: pay
          steps: [{ name: go }]
    `,
    at: '5:11',
    fragment: "journeys[1].name: duplicate journey name 'pay' (first at line 3)",
  },
  {
    name: 'journey with an unknown tier',
    text: yaml`
      version: vigil/v1
      journeys:
        - name: pay
          tier: platinum
          steps: [{ name: go }]
    `,
    at: '4:11',
    fragment: "journeys[0].tier: unknown tier 'platinum'",
  },
  {
    name: 'journey without steps (at the journey mapping)',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    owner: payments\n',
    at: '3:5',
    fragment: 'journeys[0].steps: missing; expected a list of at least one step',
  },
  {
    name: 'journey with an empty step list',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    steps: []\n',
    at: '4:12',
    fragment: 'expected a list of at least one step, got an empty list',
  },
  {
    name: 'step name not a slug',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    steps: [{ name: Log In }]\n',
    at: '4:21',
    fragment: "journeys[0].steps[0].name: expected a name of lowercase letters, digits and '-', got 'Log In'",
  },
  {
    name: 'duplicate step name',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    steps:\n      - name: go\n      - name: go\n',
    at: '6:15',
    fragment: "journeys[0].steps[1].name: duplicate step name 'go' (first at line 5)",
  },
  {
    name: 'unknown step key',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    steps:\n      - name: go\n        critcal: true\n',
    at: '6:9',
    fragment:
      "journeys[0].steps[0].critcal: unknown key 'critcal' (did you mean 'critical'?); expected one of: name, displayName, services, critical",
  },
  {
    name: 'step services not a list',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    steps: [{ name: go, services: auth }]\n',
    at: '4:35',
    fragment: "services: expected a list of service names, got 'auth'",
  },
  {
    name: 'critical not a boolean (YAML 1.2: yes is a string)',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    steps: [{ name: go, critical: yes }]\n',
    at: '4:35',
    fragment: "critical: expected true or false, got 'yes'",
  },
  {
    name: 'currency not ISO 4217',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    value: { currency: eur }\n    steps: [{ name: go }]\n',
    at: '4:24',
    fragment: "journeys[0].value.currency: expected a three-letter ISO 4217 currency code such as EUR, got 'eur'",
  },
  {
    name: 'negative revenue per success',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    value: { currency: EUR, revenuePerSuccess: -1 }\n    steps: [{ name: go }]\n',
    at: '4:48',
    fragment: 'revenuePerSuccess: expected a number ≥ 0, got -1',
  },
  {
    name: 'fee rate above 1',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    value: { currency: EUR, feeRate: 1.5 }\n    steps: [{ name: go }]\n',
    at: '4:38',
    fragment: 'feeRate: expected a fraction from 0 to 1, got 1.5',
  },
  {
    name: 'journey value without currency',
    text: 'version: vigil/v1\njourneys:\n  - name: pay\n    value: { feeRate: 0.01 }\n    steps: [{ name: go }]\n',
    at: '4:12',
    fragment: 'journeys[0].value.currency: missing',
  },
];

/** Cases inside one SLO of a valid journey: `slo` is the SLO's YAML, indented as a list item under `slos:`. */
const JOURNEY_HEAD =
  'version: vigil/v1\njourneys:\n  - name: pay\n    steps:\n      - { name: login }\n      - { name: confirm }\n    slos:\n';
const sloCase = (name: string, slo: string, at: string, fragment: string, count?: number): BadCase => ({
  name,
  text: JOURNEY_HEAD + slo,
  at,
  fragment,
  ...(count !== undefined && { count }),
});

cases.push(
  sloCase(
    'objective of 100 (the documented example)',
    '      - name: ok\n        objective: 100\n        sli: { kind: success }\n',
    '9:20',
    'journeys[0].slos[0].objective: expected a number greater than 0 and less than 100, got 100',
  ),
  sloCase(
    'objective of 0',
    '      - name: ok\n        objective: 0\n        sli: { kind: success }\n',
    '9:20',
    'greater than 0 and less than 100, got 0',
  ),
  sloCase(
    'objective as a percent string',
    "      - name: ok\n        objective: '99.9%'\n        sli: { kind: success }\n",
    '9:20',
    "got '99.9%'",
  ),
  sloCase(
    'objective left empty (at the key)',
    '      - name: ok\n        objective:\n        sli: { kind: success }\n',
    '9:9',
    'got an empty value',
  ),
  sloCase(
    'SLO name not a slug',
    '      - name: OK\n        sli: { kind: success }\n',
    '8:15',
    "journeys[0].slos[0].name: expected a name of lowercase letters, digits and '-', got 'OK'",
  ),
  sloCase(
    'duplicate SLO name',
    '      - name: ok\n        sli: { kind: success }\n      - name: ok\n        sli: { kind: success, step: login }\n',
    '10:15',
    "journeys[0].slos[1].name: duplicate SLO name 'ok' (first at line 8)",
  ),
  sloCase(
    'window not a duration',
    '      - name: ok\n        window: 28days\n        sli: { kind: success }\n',
    '9:17',
    "window: expected a rolling window (Nm, Nh, Nd or Nw, e.g. 28d) or week, month or quarter, got '28days'",
  ),
  sloCase(
    'window over 400 days',
    '      - name: ok\n        window: 401d\n        sli: { kind: success }\n',
    '9:17',
    "expected a window of at most 400 days, got '401d'",
  ),
  sloCase(
    'window of zero minutes',
    '      - name: ok\n        window: 0m\n        sli: { kind: success }\n',
    '9:17',
    "expected a window of at least 1 minute, got '0m'",
  ),
  sloCase(
    'window as a number',
    '      - name: ok\n        window: 28\n        sli: { kind: success }\n',
    '9:17',
    'expected a window such as 28d, 4w or month, got 28',
  ),
  sloCase(
    'unknown budgeting',
    '      - name: ok\n        budgeting: events\n        sli: { kind: success }\n',
    '9:20',
    "budgeting: expected 'occurrences' or 'timeslices', got 'events'",
  ),
  sloCase(
    'timeSliceTarget without timeslices (at the key)',
    '      - name: ok\n        timeSliceTarget: 95\n        sli: { kind: success }\n',
    '9:9',
    'journeys[0].slos[0].timeSliceTarget: timeSliceTarget applies only to budgeting: timeslices',
  ),
  sloCase(
    'timeSliceTarget of 0',
    '      - name: ok\n        budgeting: timeslices\n        timeSliceTarget: 0\n        sli: { kind: success }\n',
    '10:26',
    'timeSliceTarget: expected a percentage greater than 0 and at most 100, got 0',
  ),
  sloCase(
    'objective written as a ratio: 0.999 would mean 0.999 %',
    '      - name: ok\n        objective: 0.999\n        sli: { kind: success }\n',
    '9:20',
    'journeys[0].slos[0].objective: objectives are percentages: did you mean 99.9?',
  ),
  sloCase(
    'objective 0.9995 suggests 99.95, without float noise',
    '      - name: ok\n        objective: 0.9995\n        sli: { kind: success }\n',
    '9:20',
    'objectives are percentages: did you mean 99.95?',
  ),
  sloCase(
    'objective below 50 with no percentage to suggest',
    '      - name: ok\n        objective: 5\n        sli: { kind: success }\n',
    '9:20',
    'objectives are percentages of at least 50: 5 would let 95% of events fail',
  ),
  sloCase(
    'timeSliceTarget written as a ratio',
    '      - name: ok\n        budgeting: timeslices\n        timeSliceTarget: 0.95\n        sli: { kind: success }\n',
    '10:26',
    'journeys[0].slos[0].timeSliceTarget: slice targets are percentages: did you mean 95?',
  ),
  sloCase('SLO without sli (at the SLO mapping)', '      - name: ok\n        window: 28d\n', '8:9', 'journeys[0].slos[0].sli: missing'),
  sloCase(
    'unknown SLI kind',
    '      - name: ok\n        sli: { kind: availability }\n',
    '9:22',
    "sli.kind: expected 'success', 'latency' or 'prometheus', got 'availability'",
  ),
  sloCase(
    'latency SLI without threshold (at the sli mapping)',
    '      - name: fast\n        sli: { kind: latency }\n',
    '9:14',
    'journeys[0].slos[0].sli.thresholdMs: missing; a latency SLI needs thresholdMs',
  ),
  sloCase(
    'threshold on a success SLI (at the key)',
    '      - name: ok\n        sli: { kind: success, thresholdMs: 500 }\n',
    '9:31',
    "sli.thresholdMs: thresholdMs applies only to kind 'latency'",
  ),
  sloCase(
    'fractional threshold',
    '      - name: fast\n        sli: { kind: latency, thresholdMs: 1.5 }\n',
    '9:44',
    'thresholdMs: expected a positive whole number of milliseconds, got 1.5',
  ),
  sloCase(
    'zero threshold',
    '      - name: fast\n        sli: { kind: latency, thresholdMs: 0 }\n',
    '9:44',
    'expected a positive whole number of milliseconds, got 0',
  ),
  sloCase(
    'SLI step not in the journey',
    '      - name: ok\n        sli: { kind: success, step: confrim }\n',
    '9:37',
    "journeys[0].slos[0].sli.step: unknown step 'confrim'; expected one of the journey's steps: login, confirm",
  ),
  sloCase(
    'abandonedIsBad not a boolean',
    "      - name: ok\n        sli: { kind: success, abandonedIsBad: 'no' }\n",
    '9:47',
    "abandonedIsBad: expected true or false, got 'no'",
  ),
  sloCase(
    'negative minEvents',
    '      - name: ok\n        sli: { kind: success }\n        alerting: { minEvents: -1 }\n',
    '10:32',
    'slos[0].alerting.minEvents: expected a whole number ≥ 0, got -1',
  ),
  sloCase(
    'fractional minEvents',
    '      - name: ok\n        sli: { kind: success }\n        alerting: { minEvents: 2.5 }\n',
    '10:32',
    'got 2.5',
  ),
  sloCase(
    'unknown SLO key',
    '      - name: ok\n        objectve: 99\n        sli: { kind: success }\n',
    '9:9',
    "unknown key 'objectve' (did you mean 'objective'?)",
  ),
  sloCase(
    'unknown SLO alerting key',
    '      - name: ok\n        sli: { kind: success }\n        alerting: { min: 3 }\n',
    '10:21',
    "unknown key 'min'; expected one of: minEvents",
  ),
);

cases.push(
  {
    name: 'empty service label list',
    text: 'version: vigil/v1\nalerting:\n  serviceLabels: []\n',
    at: '3:18',
    fragment: 'alerting.serviceLabels: expected a list of at least one label name, got an empty list',
  },
  {
    name: 'correlation window without unit',
    text: 'version: vigil/v1\nalerting:\n  correlationWindow: "10"\n',
    at: '3:22',
    fragment: "alerting.correlationWindow: expected a duration such as 10m, 2h, 35d or 4w, got '10'",
  },
  {
    name: 'service rule with an invalid regular expression',
    text: 'version: vigil/v1\nalerting:\n  serviceRules:\n    - { match: { job: "/pay(ments/" }, service: payments-api }\n',
    at: '4:23',
    fragment: "alerting.serviceRules[0].match.job: expected a valid regular expression, got '/pay(ments/'",
  },
  {
    name: 'service rule without service',
    text: 'version: vigil/v1\nalerting:\n  serviceRules:\n    - match: { job: pay }\n',
    at: '4:7',
    fragment: 'alerting.serviceRules[0].service: missing; expected a non-empty string',
  },
  {
    name: 'service rule matching nothing in particular',
    text: 'version: vigil/v1\nalerting:\n  serviceRules:\n    - { match: {}, service: x }\n',
    at: '4:16',
    fragment: 'expected at least one label, got an empty mapping',
  },
  {
    name: 'retention in words',
    text: 'version: vigil/v1\nretention:\n  rawEvents: 35 days\n',
    at: '3:14',
    fragment: "retention.rawEvents: expected a duration such as 10m, 2h, 35d or 4w, got '35 days'",
  },
  {
    name: 'zero body size',
    text: 'version: vigil/v1\ningest:\n  maxBodyBytes: 0\n',
    at: '3:17',
    fragment: 'ingest.maxBodyBytes: expected a positive whole number of bytes, got 0',
  },
  {
    name: 'unknown ingest key',
    text: 'version: vigil/v1\ningest:\n  maxBodySize: 10\n',
    at: '3:3',
    fragment: "ingest.maxBodySize: unknown key 'maxBodySize'; expected one of: maxBodyBytes",
  },
  {
    name: 'journeys as a mapping',
    text: 'version: vigil/v1\njourneys:\n  pay: { steps: [] }\n',
    at: '3:3',
    fragment: 'journeys: expected a list of journeys, got a mapping',
  },
);

describe('loadConfigFromString reports each problem at its node', () => {
  it('has a case for every rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = loadConfigFromString(c.text, 'vigil.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('config_invalid');
    const lines = result.errors.map(formatProblem);
    expect(lines).toHaveLength(c.count ?? 1);
    expect(
      lines.some((line) => line.startsWith(`vigil.yaml:${c.at}: `) && line.includes(c.fragment)),
      lines.join('\n'),
    ).toBe(true);
  });
});

describe('problem reporting', () => {
  it('reports every problem, in document order, not just the first', () => {
    const text = yaml`
      version: vigil/v2
      journeys:
        - name: pay
          tier: gold
          steps: [{ name: go }, { name: go }]
          slos:
            - name: ok
              objective: 120
              sli: { kind: latency, step: gone }
      retention: { rawEvents: forever }
    `;
    const result = loadConfigFromString(text, 'vigil.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((p) => `${p.line}:${p.column} ${p.message.split(':')[0]}`)).toEqual([
      '1:10 version',
      '4:11 journeys[0].tier',
      '5:35 journeys[0].steps[1].name',
      '8:20 journeys[0].slos[0].objective',
      '9:14 journeys[0].slos[0].sli.thresholdMs',
      '9:37 journeys[0].slos[0].sli.step',
      '10:25 retention.rawEvents',
    ]);
  });

  it('formats problems as file:line:col: message', () => {
    expect(formatProblem({ file: 'vigil.yaml', line: 14, column: 17, message: 'slos[1].objective: expected …' })).toBe(
      'vigil.yaml:14:17: slos[1].objective: expected …',
    );
    expect(formatProblem({ file: 'conf', line: 0, column: 0, message: 'no such file or directory' })).toBe(
      'conf: no such file or directory',
    );
  });
});
