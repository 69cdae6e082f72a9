/**
 * The OpenSLO schemas Vigil reads, `openslo/v1` (every kind) and `openslo/v1alpha` (Service, SLO), as zod schemas whose
 * problems are worded for the document's author (docs/openslo.md ("Validation")). The rules are those of the OpenSLO
 * specification as its reference validator, oslo, applies them: strict keys, RFC 1123 names, enums, durations, targets
 * in range, exactly one of a pair where the specification says so.
 */
import * as z from 'zod';
import { isTimeZone } from '../schema.js';
import { describeValue, expected, expecting } from '../messages.js';
import { type PathProblem, schemaProblems } from '../zod-problems.js';
import { crossFieldProblems } from './rules.js';

export const V1 = 'openslo/v1';
export const V1ALPHA = 'openslo/v1alpha';
export const VERSIONS = [V1, V1ALPHA] as const;
export type OpenSloVersion = (typeof VERSIONS)[number];

export const V1_KINDS = ['Service', 'SLO', 'SLI', 'DataSource', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'] as const;
export const V1ALPHA_KINDS = ['Service', 'SLO'] as const;
export type OpenSloKind = (typeof V1_KINDS)[number];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_WORDS =
  "an RFC 1123 name: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. my-name)";

/**
 * Whether a name is an RFC 1123 label, the name every OpenSLO object must have.
 * @example isDnsLabel('wire-transfer') // true
 * @example isDnsLabel('Wire Transfer') // false
 */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

const LABEL_KEY = /^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\/)?[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

/** YAML's empty value reads as absent, as it does for the specification's Go types (a null string is ""). */
/** Words a mapping's type error only; unknown keys fall through to the caller's wording (one problem per key, with the allowed ones). */
const mapping = (what: string) => ({
  error: (issue: { code?: string; input?: unknown }) => (issue.code === 'invalid_type' ? expected(what, issue.input) : undefined),
});

const absentIfNull = (value: unknown) => (value === null ? undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(absentIfNull, schema.optional());
const required = <S extends z.ZodType>(schema: S) => z.preprocess(absentIfNull, schema);

const dnsLabel = z.string(expecting(DNS_LABEL_WORDS)).refine(isDnsLabel, expecting(DNS_LABEL_WORDS));
const nonEmpty = (what: string) => z.string(expecting(what)).min(1);
const description = z.string(expecting('a string of at most 1050 characters')).max(1050);
const displayName = z.string(expecting('a string of at most 63 characters')).max(63);
const flag = z.boolean(expecting('true or false'));
const anything = z.unknown().refine((value) => value !== undefined && value !== null, expecting('a value'));

const DURATION = /^([0-9]+)([mhdwMQY])$/;
const DURATION_WORDS = 'a duration such as 5m, 1h, 28d, 4w, 1M, 1Q or 1Y (a positive whole number and one of m h d w M Q Y)';
/**
 * The specification's duration shorthand: a positive whole number and a unit, m h d w M Q or Y.
 * @example parseShorthand('28d') // { amount: 28, unit: 'd' }
 */
export function parseShorthand(text: string): { amount: number; unit: 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'Y' } | undefined {
  const match = DURATION.exec(text);
  if (!match || Number(match[1]) <= 0) return undefined;
  return { amount: Number(match[1]), unit: match[2] as 'm' };
}
const duration = z.string(expecting(DURATION_WORDS)).refine((text) => parseShorthand(text) !== undefined, expecting(DURATION_WORDS));

const START_TIME_WORDS = 'a date and time such as 2022-01-01 12:00:00 (YYYY-MM-DD hh:mm:ss, no zone)';
/**
 * A calendar window's start, `YYYY-MM-DD hh:mm:ss` with every field in range, as wall-clock fields.
 * @example parseStartTime('2024-01-01 00:00:00') // { year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0 }
 */
export function parseStartTime(text: string):
  | {
      year: number;
      month: number;
      day: number;
      hour: number;
      minute: number;
      second: number;
    }
  | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second };
}
const startTime = z.string(expecting(START_TIME_WORDS)).refine((text) => parseStartTime(text) !== undefined, expecting(START_TIME_WORDS));
const timeZone = z
  .string(expecting('an IANA time zone such as Europe/London'))
  .refine(isTimeZone, expecting('an IANA time zone such as Europe/London'));

const OPERATORS = ['lte', 'gte', 'lt', 'gt'] as const;
const operator = z.enum(OPERATORS, expecting("'lte', 'gte', 'lt' or 'gt'"));

const labelValue = z.union([z.string(), z.array(z.string())], expecting('a string or a list of strings'));
const labels = z.record(
  z
    .string()
    .regex(LABEL_KEY, "expected a label key: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"),
  labelValue,
  mapping('a mapping of label → value'),
);
const annotations = z.record(
  z
    .string()
    .regex(ANNOTATION_KEY, 'expected an annotation key: an optional DNS-subdomain prefix and /, then a name of at most 63 characters')
    .refine(
      (key) => /^(.{0,253}\/)?.{0,63}$/.test(key),
      'expected an annotation key: a prefix of at most 253 and a name of at most 63 characters',
    ),
  z.string(expecting('a string (quote numbers and booleans)')),
  mapping('a mapping of annotation → string'),
);

const metadataV1 = z.strictObject(
  {
    name: required(dnsLabel),
    displayName: optional(displayName),
    labels: optional(labels),
    annotations: optional(annotations),
  },
  mapping('a mapping with name (and displayName, labels, annotations)'),
);
export type MetadataV1 = z.output<typeof metadataV1>;

const metadataV1alpha = z.strictObject(
  { name: required(dnsLabel), displayName: optional(displayName) },
  mapping('a mapping with name (and displayName)'),
);

// ---- v1 kinds -------------------------------------------------------------------------------------------------------

const serviceSpec = z.strictObject({ description: optional(description) }, mapping('a mapping'));

const metricSource = z.strictObject(
  {
    metricSourceRef: optional(z.union([z.literal(''), dnsLabel], expecting(DNS_LABEL_WORDS))),
    type: optional(z.string(expecting('a string such as Prometheus'))),
    spec: required(
      z
        .record(z.string(), z.unknown(), mapping('a mapping of the fields the data source needs, such as query'))
        .refine((spec) => Object.keys(spec).length > 0, expecting('a mapping with at least one field, such as query')),
    ),
  },
  mapping('a mapping with spec (and type or metricSourceRef)'),
);
const metric = z.strictObject({ metricSource: required(metricSource) }, mapping('a mapping with metricSource'));

const ratioMetric = z.strictObject(
  {
    counter: optional(flag),
    good: optional(metric),
    bad: optional(metric),
    total: optional(metric),
    rawType: optional(z.enum(['success', 'failure'], expecting("'success' or 'failure'"))),
    raw: optional(metric),
  },
  mapping('a mapping with good or bad, and total (or raw and rawType)'),
);

export const sliSpecV1 = z.strictObject(
  { description: optional(description), thresholdMetric: optional(metric), ratioMetric: optional(ratioMetric) },
  mapping('a mapping with ratioMetric or thresholdMetric'),
);
export type SliSpecV1 = z.output<typeof sliSpecV1>;

const inlineIndicator = z.strictObject(
  { metadata: required(metadataV1), spec: z.preprocess((v) => v ?? {}, sliSpecV1) },
  mapping('a mapping with metadata and spec (an SLI)'),
);

const alertConditionSpec = z.strictObject(
  {
    description: optional(description),
    severity: required(nonEmpty('a severity such as page or ticket')),
    condition: required(
      z.strictObject(
        {
          kind: required(z.literal('burnrate', expecting("'burnrate'"))),
          op: required(operator),
          threshold: required(z.number(expecting('a number'))),
          lookbackWindow: required(duration),
          alertAfter: optional(duration),
        },
        mapping('a mapping with kind, op, threshold and lookbackWindow'),
      ),
    ),
  },
  mapping('a mapping with severity and condition'),
);
export type AlertConditionSpec = z.output<typeof alertConditionSpec>;

const notificationTargetSpec = z.strictObject(
  { description: optional(description), target: required(nonEmpty('a target such as email, slack or pagerduty')) },
  mapping('a mapping with target'),
);

const optionalName = optional(dnsLabel);

/** An item that is a reference (`{ conditionRef: name }`) or an inline object of `kind`; which of the two is checked in rules.ts. */
function refOrInline<R extends Record<string, typeof optionalName>, S extends z.ZodType>(ref: R, kind: string, spec: S) {
  const refKey = Object.keys(ref)[0];
  return z.strictObject(
    { ...ref, kind: optional(z.literal(kind, expecting(`'${kind}'`))), metadata: optional(metadataV1), spec: optional(spec) },
    mapping(`a mapping: ${refKey}, or an inline ${kind} (kind, metadata, spec)`),
  );
}

const alertPolicySpec = z.strictObject(
  {
    description: optional(description),
    alertWhenNoData: optional(flag),
    alertWhenBreaching: optional(flag),
    alertWhenResolved: optional(flag),
    conditions: required(
      z.array(
        refOrInline({ conditionRef: optionalName }, 'AlertCondition', alertConditionSpec),
        expecting('a list of exactly one condition'),
      ),
    ),
    notificationTargets: required(
      z.array(
        refOrInline({ targetRef: optionalName }, 'AlertNotificationTarget', notificationTargetSpec),
        expecting('a list of notification targets'),
      ),
    ),
  },
  mapping('a mapping with conditions and notificationTargets'),
);
export type AlertPolicySpec = z.output<typeof alertPolicySpec>;

const dataSourceSpec = z.strictObject(
  { description: optional(description), type: required(nonEmpty('a type such as Prometheus')), connectionDetails: required(anything) },
  mapping('a mapping with type and connectionDetails'),
);

const timeWindowV1 = z.strictObject(
  {
    duration: required(duration),
    isRolling: optional(flag),
    calendar: optional(
      z.strictObject({ startTime: required(startTime), timeZone: required(timeZone) }, mapping('a mapping with startTime and timeZone')),
    ),
  },
  mapping('a mapping with duration, and isRolling or calendar'),
);

const objectiveV1 = z.strictObject(
  {
    displayName: optional(z.string(expecting('a string'))),
    op: optional(operator),
    value: optional(z.number(expecting('a number'))),
    target: optional(z.number(expecting('a number from 0 to less than 1')).min(0).lt(1)),
    targetPercent: optional(z.number(expecting('a number from 0 to less than 100')).min(0).lt(100)),
    timeSliceTarget: optional(z.number(expecting('a number greater than 0 and at most 1')).gt(0).lte(1)),
    timeSliceWindow: optional(duration),
    indicator: optional(inlineIndicator),
    indicatorRef: optional(dnsLabel),
    compositeWeight: optional(z.number(expecting('a number greater than 0')).gt(0)),
  },
  mapping('a mapping with target or targetPercent'),
);

const BUDGETING_V1 = ['Occurrences', 'Timeslices', 'RatioTimeslices'] as const;

const sloSpecV1 = z.strictObject(
  {
    description: optional(description),
    service: required(nonEmpty('the name of a service')),
    indicator: optional(inlineIndicator),
    indicatorRef: optional(dnsLabel),
    budgetingMethod: required(z.enum(BUDGETING_V1, expecting("'Occurrences', 'Timeslices' or 'RatioTimeslices'"))),
    timeWindow: required(z.array(timeWindowV1, expecting('a list of exactly one time window'))),
    objectives: required(z.array(objectiveV1, expecting('a list of objectives'))),
    alertPolicies: optional(
      z.array(refOrInline({ alertPolicyRef: optionalName }, 'AlertPolicy', alertPolicySpec), expecting('a list of alert policies')),
    ),
  },
  mapping('a mapping with service, indicator or indicatorRef, budgetingMethod, timeWindow and objectives'),
);
export type SloSpecV1 = z.output<typeof sloSpecV1>;

const object = <K extends string, S extends z.ZodType, M extends z.ZodType>(version: string, kind: K, metadata: M, spec: S) =>
  z.strictObject({
    apiVersion: z.literal(version),
    kind: z.literal(kind),
    metadata: required(metadata),
    spec,
  });

const V1_SCHEMAS = {
  Service: object(V1, 'Service', metadataV1, optional(serviceSpec)),
  SLO: object(V1, 'SLO', metadataV1, required(sloSpecV1)),
  SLI: object(
    V1,
    'SLI',
    metadataV1,
    z.preprocess((v) => v ?? {}, sliSpecV1),
  ),
  DataSource: object(
    V1,
    'DataSource',
    metadataV1,
    z.preprocess((v) => v ?? {}, dataSourceSpec),
  ),
  AlertPolicy: object(
    V1,
    'AlertPolicy',
    metadataV1,
    z.preprocess((v) => v ?? {}, alertPolicySpec),
  ),
  AlertCondition: object(V1, 'AlertCondition', metadataV1, required(alertConditionSpec)),
  AlertNotificationTarget: object(
    V1,
    'AlertNotificationTarget',
    metadataV1,
    z.preprocess((v) => v ?? {}, notificationTargetSpec),
  ),
};

// ---- v1alpha kinds --------------------------------------------------------------------------------------------------

const ALPHA = /^[A-Za-z]+$/;
const alphaWord = (what: string) => z.string(expecting(what)).regex(ALPHA);
const querySpec = z.strictObject(
  {
    source: required(alphaWord('a source name of letters only, such as prometheus')),
    queryType: required(alphaWord('a query type of letters only, such as promql')),
    query: required(nonEmpty('a query')),
  },
  mapping('a mapping with source, queryType and query'),
);

const timeWindowV1alpha = z.strictObject(
  {
    unit: required(z.enum(['Second', 'Day', 'Week', 'Month', 'Quarter'], expecting("'Second', 'Day', 'Week', 'Month' or 'Quarter'"))),
    count: required(z.number(expecting('a whole number greater than 0')).int().gt(0)),
    isRolling: optional(flag),
    calendar: optional(
      z.strictObject({ startTime: required(startTime), timeZone: required(timeZone) }, mapping('a mapping with startTime and timeZone')),
    ),
  },
  mapping('a mapping with unit, count, and isRolling or calendar'),
);

const objectiveV1alpha = z.strictObject(
  {
    displayName: optional(z.string(expecting('a string of at most 1050 characters')).max(1050)),
    value: required(z.number(expecting('a number'))),
    ratioMetrics: optional(
      z.strictObject(
        { good: required(querySpec), total: required(querySpec), incremental: optional(flag) },
        mapping('a mapping with good, total (and incremental)'),
      ),
    ),
    target: required(z.number(expecting('a number from 0 to less than 1')).min(0).lt(1)),
    timeSliceTarget: optional(z.number(expecting('a number from 0 to 1')).min(0).lte(1)),
    op: optional(operator),
  },
  mapping('a mapping with target and value'),
);

const sloSpecV1alpha = z.strictObject(
  {
    timeWindows: required(z.array(timeWindowV1alpha, expecting('a list of exactly one time window'))),
    budgetingMethod: required(z.enum(['Occurrences', 'Timeslices'], expecting("'Occurrences' or 'Timeslices'"))),
    description: optional(description),
    indicator: optional(z.strictObject({ thresholdMetric: required(querySpec) }, mapping('a mapping with thresholdMetric'))),
    service: required(nonEmpty('the name of a service')),
    objectives: required(z.array(objectiveV1alpha, expecting('a list of objectives'))),
  },
  mapping('a mapping with service, budgetingMethod, timeWindows and objectives'),
);
export type SloSpecV1alpha = z.output<typeof sloSpecV1alpha>;

const V1ALPHA_SCHEMAS = {
  Service: object(V1ALPHA, 'Service', metadataV1alpha, optional(serviceSpec)),
  SLO: object(V1ALPHA, 'SLO', metadataV1alpha, required(sloSpecV1alpha)),
};

// ---- dispatch -------------------------------------------------------------------------------------------------------

type V1Schemas = typeof V1_SCHEMAS;
type V1alphaSchemas = typeof V1ALPHA_SCHEMAS;

/** A valid object, typed by its version and kind. */
export type ValidObject =
  | { [K in keyof V1Schemas]: { version: typeof V1; kind: K; value: z.output<V1Schemas[K]> } }[keyof V1Schemas]
  | { [K in keyof V1alphaSchemas]: { version: typeof V1ALPHA; kind: K; value: z.output<V1alphaSchemas[K]> } }[keyof V1alphaSchemas];

export type ObjectVerdict =
  | { ok: true; object: ValidObject }
  | { ok: false; version?: string; kind?: string; name?: string; problems: PathProblem[] };

const isDict = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates one OpenSLO object (a parsed YAML mapping) against the schema of its apiVersion and kind.
 * @example validateObject({ apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'web' } }) // { ok: true, object: { … } }
 * @example validateObject({ apiVersion: 'foo', kind: 'Service' }).ok // false: apiVersion names no version Vigil reads
 */
export function validateObject(data: unknown): ObjectVerdict {
  if (!isDict(data)) {
    return {
      ok: false,
      problems: [
        { path: [], at: 'value', message: expected('an OpenSLO object: a mapping with apiVersion, kind, metadata and spec', data) },
      ],
    };
  }
  const name = isDict(data['metadata']) && typeof data['metadata']['name'] === 'string' ? data['metadata']['name'] : undefined;
  const version = data['apiVersion'];
  const named = { ...(name !== undefined && { name }) };
  if (typeof version !== 'string' || !(VERSIONS as readonly string[]).includes(version)) {
    const draft = typeof version === 'string' && /v2/.test(version) ? ' (a draft of the next version, which Vigil does not read)' : '';
    const message =
      version === undefined
        ? `missing; expected '${V1}' or '${V1ALPHA}'`
        : `unsupported apiVersion ${describeValue(version)}${draft}; expected '${V1}' or '${V1ALPHA}'`;
    return { ok: false, ...named, problems: [{ path: ['apiVersion'], at: 'value', message }] };
  }
  const kinds: readonly string[] = version === V1 ? V1_KINDS : V1ALPHA_KINDS;
  const kind = data['kind'];
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    const message =
      kind === undefined
        ? `missing; expected one of: ${kinds.join(', ')}`
        : `${version} has no kind ${describeValue(kind)}; expected one of: ${kinds.join(', ')}`;
    return { ok: false, version, ...named, problems: [{ path: ['kind'], at: 'value', message }] };
  }
  const schema = (version === V1 ? V1_SCHEMAS : V1ALPHA_SCHEMAS)[kind as keyof V1alphaSchemas] as z.ZodType;
  const verdict = schemaProblems(schema, data);
  const problems = [...(verdict.ok ? [] : verdict.problems)];
  for (const problem of crossFieldProblems(version, kind, data)) {
    if (!problems.some((p) => p.message === problem.message && p.path.join('.') === problem.path.join('.'))) problems.push(problem);
  }
  if (!verdict.ok || problems.length > 0) return { ok: false, version, kind, ...named, problems };
  return { ok: true, object: { version, kind, value: verdict.value } as ValidObject };
}
