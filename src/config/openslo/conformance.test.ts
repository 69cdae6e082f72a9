/**
 * The OpenSLO corpus (test/conformance/openslo: the specification's examples, the Go SDK's v1 examples, oslo's validate
 * inputs with the output oslo gives, and oslo's older corpus) through Vigil's validator: every object Vigil accepts or
 * refuses, with the paths of the problems it names, each located at a line and column of its file
 * (docs/openslo.md ("Validation", "Where Vigil and oslo differ")).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatPath } from '../messages.js';
import { type CheckedObject, readPaths, type ReadResult, validationProblems } from './documents.js';

const CORPUS = fileURLToPath(new URL('../../../test/conformance/openslo', import.meta.url));

type Expected = 'valid' | string[];
const NAME = 'metadata.name';

/**
 * Per file, per object (oslo's index: list items and documents in order), 'valid' or the paths of the problems Vigil names.
 * Where the legacy corpus's file name says valid and Vigil refuses, the reason is a rule of today's specification that
 * oslo applies too (its outputs show the same rules on the same shapes): RFC 1123 names (`GreatSLI`, `TestSLO`,
 * `AlertPolicy`), `condition.op` now required, `op` forbidden beside a ratio indicator, v1alpha's `ratioMetrics` has no
 * `counter` and Timeslices needs `timeSliceTarget`.
 */
const EXPECTED: Record<string, Expected[]> = {
  'go-sdk-v1-examples/alert_conditions.yaml': ['valid', 'valid'],
  'go-sdk-v1-examples/alert_notification_targets.yaml': ['valid', 'valid'],
  'go-sdk-v1-examples/alert_policies.yaml': ['valid', 'valid', 'valid'],
  'go-sdk-v1-examples/data_sources.yaml': ['valid', 'valid'],
  'go-sdk-v1-examples/services.yaml': ['valid', 'valid'],
  'go-sdk-v1-examples/slis.yaml': ['valid', 'valid', 'valid', 'valid'],
  // The same SLO as oslo-validate/inputs/v1.yaml's first object, which oslo refuses for this `op` (outputs/v1).
  'go-sdk-v1-examples/slos.yaml': [['spec.objectives[0].op']],

  'oslo-legacy-corpus/v1/alert-condition/alert-condition-invalid-name.yaml': [[NAME, 'spec.condition.op']],
  'oslo-legacy-corpus/v1/alert-condition/alert-condition-no-condition.yaml': [[NAME, 'spec.condition']],
  'oslo-legacy-corpus/v1/alert-condition/alert-condition-no-description.yaml': [[NAME, 'spec.condition.op']],
  'oslo-legacy-corpus/v1/alert-condition/alert-condition-no-sev.yaml': [[NAME, 'spec.severity', 'spec.condition.op']],
  'oslo-legacy-corpus/v1/alert-condition/alert-condition.yaml': [['spec.condition.op']],
  'oslo-legacy-corpus/v1/alert-notification-target/alert-notification-target-no-description.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/alert-notification-target/alert-notification-target-no-target.yaml': [[NAME, 'spec.target']],
  'oslo-legacy-corpus/v1/alert-notification-target/alert-notification-target.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy-inline-cond.yaml': [
    [NAME, 'spec.conditions[0].spec.condition.op', 'spec.notificationTargets[0].targetRef'],
  ],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy-malformed-cond.yaml': [
    [NAME, 'spec.conditions[0]', 'spec.conditions[0].foo', 'spec.notificationTargets[0].targetRef'],
  ],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy-malformed-targetref.yaml': [
    [NAME, 'spec.conditions[0].operator', 'spec.notificationTargets[0]', 'spec.notificationTargets[0].foo'],
  ],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy-many-cond.yaml': [
    [
      NAME,
      'spec.conditions',
      ...Array.from({ length: 9 }, (_, i) => `spec.conditions[${i}].operator`),
      'spec.notificationTargets[0].targetRef',
    ],
  ],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy-many-notificationref.yaml': [
    [NAME, 'spec.conditions[0].operator', ...Array.from({ length: 7 }, (_, i) => `spec.notificationTargets[${i}].targetRef`)],
  ],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy-no-cond.yaml': [[NAME, 'spec.conditions', 'spec.notificationTargets[0].targetRef']],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy-no-notification.yaml': [
    [NAME, 'spec.conditions[0].operator', 'spec.notificationTargets'],
  ],
  'oslo-legacy-corpus/v1/alert-policy/alert-policy.yaml': [[NAME, 'spec.notificationTargets[0].targetRef']],
  'oslo-legacy-corpus/v1/data-source/data-source-cloudwatch.yaml': ['valid'],
  'oslo-legacy-corpus/v1/data-source/data-source.yaml': [[NAME]],
  // openslo/v1alpha has two kinds, Service and SLO.
  'oslo-legacy-corpus/v1/invalid-apiversion.yaml': [['kind']],
  'oslo-legacy-corpus/v1/multi.yaml': ['valid', 'valid', 'valid'],
  'oslo-legacy-corpus/v1/service/service-long-description.yaml': [['spec.description']],
  'oslo-legacy-corpus/v1/service/service-no-displayname.yaml': ['valid'],
  'oslo-legacy-corpus/v1/service/service-with-labels.yaml': ['valid'],
  'oslo-legacy-corpus/v1/service/service.yaml': ['valid'],
  'oslo-legacy-corpus/v1/sli/sli-description-ratio-bad-inline-metricsource.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-description-ratio-bad-metricsourceref.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-description-ratio-good-inline-metricsource.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-description-ratio-good-metricsourceref.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-description-ratio-inline-metricsource.yaml': [
    [NAME, 'spec.ratioMetric.bad', 'spec.ratioMetric.total.metricSource.spec'],
  ],
  'oslo-legacy-corpus/v1/sli/sli-description-threshold-inline-metricsource.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-description-threshold-metricsourceref.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-no-description-ratio-bad-inline-metricsource.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-no-description-ratio-bad-metricsourceref.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-no-description-ratio-good-inline-metricsource.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-no-description-ratio-good-metricsourceref.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-no-description-threshold-inline-metricsource.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-no-description-threshold-metricsourceref.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/sli/sli-ratio-good-and-bad.yaml': [[NAME, 'spec.ratioMetric.bad']],
  'oslo-legacy-corpus/v1/sli/sli-threshold-cloudwatch.yaml': ['valid'],
  'oslo-legacy-corpus/v1/slo/slo-composite-indicatorRef-rolling-no-alerts.yaml': [
    [NAME, 'spec.objectives[0].indicatorRef', 'spec.objectives[1].indicatorRef'],
  ],
  'oslo-legacy-corpus/v1/slo/slo-composite-no-indicatorRef-rolling-no-alerts.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/slo/slo-indicatorRef-rolling-cloudwatch.yaml': ['valid'],
  // alertPolicies items are references ({ alertPolicyRef }) or inline policies, never bare names.
  'oslo-legacy-corpus/v1/slo/slo-indicatorref-calendar-alerts.yaml': [[NAME, 'spec.indicatorRef', 'spec.alertPolicies[0]']],
  'oslo-legacy-corpus/v1/slo/slo-indicatorref-calendar-no-alerts.yaml': [[NAME, 'spec.indicatorRef']],
  'oslo-legacy-corpus/v1/slo/slo-indicatorref-rolling-alerts.yaml': [[NAME, 'spec.indicatorRef', 'spec.alertPolicies[0]']],
  'oslo-legacy-corpus/v1/slo/slo-indicatorref-rolling-no-alerts.yaml': [[NAME, 'spec.indicatorRef']],
  'oslo-legacy-corpus/v1/slo/slo-no-indicatorref-calendar-alerts.yaml': [[NAME, 'spec.alertPolicies[0]']],
  'oslo-legacy-corpus/v1/slo/slo-no-indicatorref-calendar-no-alerts.yaml': [[NAME]],
  'oslo-legacy-corpus/v1/slo/slo-no-indicatorref-rolling-alerts.yaml': [[NAME, 'spec.alertPolicies[0]']],
  'oslo-legacy-corpus/v1/slo/slo-no-indicatorref-rolling-no-alerts.yaml': [[NAME]],
  // An inline indicator with metadata and no spec has neither ratioMetric nor thresholdMetric.
  'oslo-legacy-corpus/v1/slo/slo-with-annotations.yaml': [['spec.indicator.spec']],
  'oslo-legacy-corpus/v1/slo/slo-with-labels.yaml': [['spec.indicator.spec']],
  'oslo-legacy-corpus/v1alpha/invalid-service.yaml': [['apiVersion']],
  'oslo-legacy-corpus/v1alpha/valid-service.yaml': ['valid'],
  'oslo-legacy-corpus/v1alpha/valid-slos-ratio.yaml': [['spec.objectives[0].ratioMetrics.counter', 'spec.objectives[0].timeSliceTarget']],
  'oslo-legacy-corpus/v1alpha/valid-slos-threshold.yaml': ['valid'],

  'oslo-validate/inputs/invalid-apiversion.yaml': [['apiVersion']],
  'oslo-validate/inputs/mix/1.yaml': [[NAME]],
  'oslo-validate/inputs/mix/2.yaml': [[NAME]],
  'oslo-validate/inputs/mix/3.yaml': [['apiVersion']],
  'oslo-validate/inputs/recursive/1.yaml': [[NAME]],
  'oslo-validate/inputs/recursive/nested/2.yaml': [['apiVersion']],
  'oslo-validate/inputs/recursive/nested/nested2/nested3/3.yaml': [['apiVersion']],
  'oslo-validate/inputs/unknown-field.yaml': [[NAME, 'spec.markdown']],
  'oslo-validate/inputs/v1.yaml': [['spec.objectives[0].op'], 'valid', [NAME]],
  'oslo-validate/inputs/v1alpha.yaml': [[NAME], 'valid', ['spec.objectives[0].timeSliceTarget', 'spec.objectives[0].value'], 'valid'],
  'oslo-validate/inputs/v2alpha.yaml': [['apiVersion'], ['apiVersion'], ['apiVersion']],

  'spec-examples/budgeting-method/occurences-slo.yaml': ['valid'],
  // The specification's examples write `op: gt` beside a ratio indicator; oslo refuses that `op` (outputs/v1).
  'spec-examples/budgeting-method/ratio-timeslices.yaml': [['spec.objectives[0].op']],
  'spec-examples/budgeting-method/timeslices-slo.yaml': [['spec.objectives[0].op']],
  'spec-examples/treat-low-traffic-as-equally-important/timeslices-slo.yaml': [['spec.objectives[0].op']],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const rel = (file: string) => relative(CORPUS, file);
let read: ReadResult;
let byFile: Map<string, CheckedObject[]>;

beforeAll(async () => {
  read = await readPaths([CORPUS]);
  byFile = new Map();
  for (const object of read.objects) byFile.set(rel(object.file), [...(byFile.get(rel(object.file)) ?? []), object]);
});

const pathsOf = (object: CheckedObject) => (object.verdict.ok ? [] : [...new Set(object.verdict.problems.map((p) => formatPath(p.path)))]);

describe('the OpenSLO corpus', () => {
  it('every YAML file of the corpus is read, and each is listed here with its verdict', () => {
    expect(read.problems).toEqual([]);
    const onDisk = filesUnder(CORPUS)
      .filter((f) => f.endsWith('.yaml'))
      .map(rel)
      .sort();
    expect(onDisk).toEqual(Object.keys(EXPECTED).sort());
    expect(read.files.map(rel).sort()).toEqual(onDisk);
  });

  it.each(Object.entries(EXPECTED))(
    '%s: every valid object is accepted, every invalid one refused naming each problem',
    (file, expected) => {
      const objects = byFile.get(file) ?? [];
      expect(objects.map((o) => o.index)).toEqual(expected.map((_, i) => i));
      objects.forEach((object, i) => {
        const want = expected[i]!;
        if (want === 'valid') expect(object.verdict, `object ${i}`).toMatchObject({ ok: true });
        else expect(pathsOf(object).sort(), `object ${i}`).toEqual([...want].sort());
      });
    },
  );

  it('every problem is located at a line and column inside its file, worded with the object it belongs to', () => {
    const problems = validationProblems(read);
    expect(problems.length).toBeGreaterThan(100);
    for (const problem of problems) {
      const lines = readFileSync(problem.file, 'utf8').split('\n');
      expect(problem.line, problem.message).toBeGreaterThan(0);
      expect(problem.line, problem.message).toBeLessThanOrEqual(lines.length);
      expect(problem.column, problem.message).toBeGreaterThan(0);
      expect(problem.column, problem.message).toBeLessThanOrEqual((lines[problem.line - 1]?.length ?? 0) + 1);
      expect(problem.message).toMatch(
        /^(Service|SLO|SLI|DataSource|AlertPolicy|AlertCondition|AlertNotificationTarget|object)( '[^']*')?: /,
      );
    }
  });

  it('a problem points at the offending node: the name, the forbidden key, the mapping a key is missing from', () => {
    const at = (file: string, path: string) => {
      const found = validationProblems(read).filter((p) => rel(p.file) === file && p.message.includes(`: ${path}: `));
      return found.map((p) => `${p.line}:${p.column}`);
    };
    expect(at('oslo-validate/inputs/v1.yaml', 'spec.objectives[0].op')).toEqual(['40:13']); // `op: gt`, at the value
    expect(at('oslo-validate/inputs/v1.yaml', 'metadata.name')).toEqual(['59:11']); // `name: example service` of the third object
    expect(at('oslo-validate/inputs/v1alpha.yaml', 'spec.objectives[0].value')).toEqual(['22:5']); // the objective holding no value
    expect(at('oslo-validate/inputs/unknown-field.yaml', 'spec.markdown')).toEqual(['6:3']); // the unknown key itself
    expect(at('oslo-legacy-corpus/v1/alert-notification-target/alert-notification-target-no-target.yaml', 'spec.target')).toEqual(['6:3']);
  });

  it('file names the legacy corpus marks invalid are all refused', () => {
    const marked = Object.keys(EXPECTED).filter((f) =>
      /invalid|no-target|malformed|no-sev|no-cond|no-notification|many-cond|good-and-bad|long-desc/.test(f),
    );
    expect(marked.length).toBeGreaterThanOrEqual(14);
    for (const file of marked)
      expect(
        byFile.get(file)!.some((o) => !o.verdict.ok),
        file,
      ).toBe(true);
  });
});

/** One failed object of an oslo output file: the file, oslo's index (0 when the file holds one object), its version and the property paths. */
interface OsloFailure {
  file: string;
  index: number;
  version: string;
  paths: string[];
}

/** Reads oslo's `validate` output: "Errors in FILE:", "Validation for VERSION.KIND 'NAME' [at index N] has failed…", "- 'PATH' …". */
function parseOsloOutput(text: string): OsloFailure[] {
  const failures: OsloFailure[] = [];
  let file = '';
  for (const line of text.split('\n')) {
    const errorsIn = /^Errors in \/oslo\/test\/inputs\/validate\/(.+):$/.exec(line);
    if (errorsIn) file = `oslo-validate/inputs/${errorsIn[1]}`;
    const validation = /^ {2}Validation for (\w+)\.\w+ '[^']*'(?: at index (\d+))? has failed/.exec(line);
    if (validation) failures.push({ file, index: Number(validation[2] ?? 0), version: validation[1]!, paths: [] });
    const property = /^ {4}- '([^']+)'/.exec(line);
    if (property) failures.at(-1)!.paths.push(property[1]!);
  }
  return failures;
}

const OUTPUTS = ['mix', 'recursive', 'v1', 'v1alpha', 'v2alpha'];

describe("oslo's expected outputs", () => {
  const failures = OUTPUTS.flatMap((name) => parseOsloOutput(readFileSync(join(CORPUS, 'oslo-validate/outputs', name), 'utf8')));

  it('are read: every failure oslo reports, with its property paths', () => {
    expect(failures).toHaveLength(12);
    expect(failures.find((f) => f.file === 'oslo-validate/inputs/v1alpha.yaml' && f.index === 2)?.paths).toEqual([
      'spec.objectives[0].timeSliceTarget',
      'spec.objectives[0].value',
    ]);
  });

  it('every object oslo refuses, Vigil refuses, naming the same properties', () => {
    for (const failure of failures) {
      const object = byFile.get(failure.file)?.[failure.index];
      expect(object, `${failure.file}[${failure.index}]`).toBeDefined();
      expect(object!.verdict.ok, `${failure.file}[${failure.index}]`).toBe(false);
      // v2alpha is a draft Vigil does not read: it refuses the object at its apiVersion rather than property by property.
      if (failure.version === 'v2alpha') {
        expect(pathsOf(object!)).toEqual(['apiVersion']);
        continue;
      }
      // oslo's container had no time-zone database, so it called America/New_York unknown; Vigil checks zones against the
      // runtime's (ICU) database, where it is a zone like any other.
      const expected = failure.paths.filter((p) => !p.endsWith('.calendar.timeZone'));
      expect(pathsOf(object!), `${failure.file}[${failure.index}]`).toEqual(expect.arrayContaining(expected));
    }
  });

  it('objects oslo does not report are accepted, but for the v2alpha draft', () => {
    const refused = new Set(failures.map((f) => `${f.file}#${f.index}`));
    const reported = ['oslo-validate/inputs/v1.yaml', 'oslo-validate/inputs/v1alpha.yaml'];
    for (const file of reported) {
      for (const object of byFile.get(file)!)
        expect(object.verdict.ok, `${file}#${object.index}`).toBe(!refused.has(`${file}#${object.index}`));
    }
    const v2 = byFile.get('oslo-validate/inputs/v2alpha.yaml')![1]!;
    expect(refused.has('oslo-validate/inputs/v2alpha.yaml#1')).toBe(false);
    expect(pathsOf(v2)).toEqual(['apiVersion']);
  });

  it("the cases oslo's own tests spell out: an unknown apiVersion, an unknown field", () => {
    // oslo: "unsupported openslo.Version: foo" and "json: unknown field \"markdown\"" (test/validate.bats).
    expect(pathsOf(byFile.get('oslo-validate/inputs/invalid-apiversion.yaml')![0]!)).toEqual(['apiVersion']);
    expect(pathsOf(byFile.get('oslo-validate/inputs/unknown-field.yaml')![0]!)).toContain('spec.markdown');
  });
});
