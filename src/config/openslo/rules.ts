/**
 * The OpenSLO rules that span fields ("exactly one of", "required when", "not allowed with"), checked on the raw object so
 * that they are reported beside the schema's problems rather than after those are fixed (docs/openslo.md ("Validation")).
 */
import type { ConfigPath } from '../messages.js';
import type { PathProblem } from '../zod-problems.js';

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const dictOf = (value: unknown): Dict => (isDict(value) ? value : {});
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** Set in the Go types' sense: present and not YAML's empty value. */
const has = (dict: Dict, key: string) => dict[key] !== undefined && dict[key] !== null;

class Problems {
  readonly list: PathProblem[] = [];
  add(path: ConfigPath, message: string): void {
    this.list.push({ path, at: 'value', message });
  }
}

/**
 * The cross-field problems of one object whose apiVersion and kind are known.
 * @example crossFieldProblems('openslo/v1', 'SLI', { spec: {} }) // [{ path: ['spec'], message: 'missing ratioMetric or thresholdMetric…' }]
 */
export function crossFieldProblems(version: string, kind: string, data: unknown): PathProblem[] {
  const problems = new Problems();
  const spec = dictOf(dictOf(data)['spec']);
  if (version === 'openslo/v1') {
    if (kind === 'SLO') sloV1(spec, ['spec'], problems);
    if (kind === 'SLI') sliSpec(spec, ['spec'], problems);
    if (kind === 'AlertPolicy') alertPolicy(spec, ['spec'], problems);
  } else if (kind === 'SLO') {
    sloV1alpha(spec, ['spec'], problems);
  }
  return problems.list;
}

function sliSpec(spec: Dict, path: ConfigPath, problems: Problems): void {
  const threshold = has(spec, 'thresholdMetric');
  const ratio = has(spec, 'ratioMetric');
  if (threshold && ratio) problems.add([...path, 'ratioMetric'], 'ratioMetric and thresholdMetric cannot both be set; give one of them');
  if (!threshold && !ratio) problems.add(path, 'missing ratioMetric or thresholdMetric: an SLI needs exactly one of them');
  if (ratio && isDict(spec['ratioMetric'])) ratioMetric(spec['ratioMetric'], [...path, 'ratioMetric'], problems);
}

function ratioMetric(ratio: Dict, path: ConfigPath, problems: Problems): void {
  const total = has(ratio, 'total');
  const raw = has(ratio, 'raw');
  const numerators = ['good', 'bad'].filter((key) => has(ratio, key));
  if (total && raw) problems.add([...path, 'raw'], 'raw cannot be used with total; give one of them');
  if (!total && !raw) problems.add(path, 'missing total (with good or bad), or raw (with rawType)');
  if (numerators.length === 2) problems.add([...path, 'bad'], 'good and bad cannot both be set; give one of them');
  if (raw && numerators.length > 0) problems.add([...path, numerators[0]!], 'not allowed with raw, a precomputed ratio');
  if (total && !raw && numerators.length === 0) problems.add(path, 'missing good or bad: total is the denominator of one of them');
  if (raw && !has(ratio, 'rawType'))
    problems.add([...path, 'rawType'], "missing; expected 'success' or 'failure' (what the raw ratio counts)");
}

function timeWindow(window: Dict, path: ConfigPath, problems: Problems): void {
  const rolling = window['isRolling'] === true;
  if (rolling && has(window, 'calendar')) problems.add([...path, 'calendar'], 'a rolling window (isRolling: true) takes no calendar');
  if (!rolling && !has(window, 'calendar'))
    problems.add(path, 'missing calendar: a window that is not rolling (isRolling: false) needs one');
}

/** An item that is a reference or an inline object: exactly one of the two, and an inline one complete. */
function refOrInline(item: unknown, refKey: string, kind: string, path: ConfigPath, problems: Problems): void {
  if (!isDict(item)) return;
  const inline = ['kind', 'metadata', 'spec'].filter((key) => has(item, key));
  if (has(item, refKey)) {
    if (inline.length > 0) problems.add([...path, inline[0]!], `either ${refKey} or an inline ${kind}, not both`);
    return;
  }
  if (inline.length === 0) {
    problems.add(path, `missing ${refKey}, or an inline ${kind} (kind, metadata, spec)`);
    return;
  }
  for (const key of ['kind', 'metadata', 'spec']) {
    if (!has(item, key)) problems.add([...path, key], `missing; an inline ${kind} needs kind, metadata and spec`);
  }
}

/** A list's length, checked here rather than in the schema so that its items' problems are reported too. */
function count(list: unknown, min: number, max: number, path: ConfigPath, what: string, problems: Problems): void {
  if (!Array.isArray(list) || (list.length >= min && list.length <= max)) return;
  const expected = min === max ? `exactly ${min}` : `at least ${min}`;
  problems.add(path, `expected a list of ${expected} ${what}, got ${list.length}`);
}

function alertPolicy(spec: Dict, path: ConfigPath, problems: Problems): void {
  count(spec['conditions'], 1, 1, [...path, 'conditions'], 'condition (conditionRef, or an inline AlertCondition)', problems);
  const targets = 'notification target (targetRef, or an inline AlertNotificationTarget)';
  count(spec['notificationTargets'], 1, Number.POSITIVE_INFINITY, [...path, 'notificationTargets'], targets, problems);
  listOf(spec['conditions']).forEach((item, i) => {
    refOrInline(item, 'conditionRef', 'AlertCondition', [...path, 'conditions', i], problems);
  });
  listOf(spec['notificationTargets']).forEach((item, i) => {
    refOrInline(item, 'targetRef', 'AlertNotificationTarget', [...path, 'notificationTargets', i], problems);
  });
}

function sloV1(spec: Dict, path: ConfigPath, problems: Problems): void {
  const objectives = listOf(spec['objectives']).map(dictOf);
  const composite = objectives.some((o) => has(o, 'indicator') || has(o, 'indicatorRef'));
  const atSpec = ['indicator', 'indicatorRef'].filter((key) => has(spec, key));
  if (atSpec.length === 2) problems.add([...path, 'indicatorRef'], 'indicator and indicatorRef cannot both be set; give one of them');
  if (composite && atSpec.length > 0) {
    problems.add(
      [...path, atSpec[0]!],
      'a composite SLO (objectives with their own indicator) takes no indicator or indicatorRef of its own',
    );
  }
  if (!composite && atSpec.length === 0)
    problems.add(path, 'missing indicator or indicatorRef (or, for a composite SLO, one in each objective)');
  if (isDict(spec['indicator'])) sliSpec(dictOf(spec['indicator']['spec']), [...path, 'indicator', 'spec'], problems);

  count(spec['timeWindow'], 1, 1, [...path, 'timeWindow'], 'time window', problems);
  count(spec['objectives'], 1, Number.POSITIVE_INFINITY, [...path, 'objectives'], 'objective', problems);
  listOf(spec['timeWindow']).forEach((window, i) => {
    timeWindow(dictOf(window), [...path, 'timeWindow', i], problems);
  });
  listOf(spec['alertPolicies']).forEach((item, i) => {
    refOrInline(item, 'alertPolicyRef', 'AlertPolicy', [...path, 'alertPolicies', i], problems);
    if (isDict(item) && isDict(item['spec'])) alertPolicy(item['spec'], [...path, 'alertPolicies', i, 'spec'], problems);
  });

  const method = spec['budgetingMethod'];
  // op and value compare a threshold metric's values with the objective; a ratio has none. Checkable for an inline indicator only.
  const indicator = dictOf(dictOf(spec['indicator'])['spec']);
  objectives.forEach((objective, i) => {
    const at = (key: string): ConfigPath => [...path, 'objectives', i, key];
    if (!has(objective, 'target') && !has(objective, 'targetPercent')) {
      problems.add([...path, 'objectives', i], 'missing target (a fraction such as 0.999) or targetPercent (99.9)');
    }
    if (has(objective, 'target') && has(objective, 'targetPercent'))
      problems.add(at('targetPercent'), 'target and targetPercent cannot both be set');
    if (has(objective, 'indicator') && has(objective, 'indicatorRef'))
      problems.add(at('indicatorRef'), 'indicator and indicatorRef cannot both be set');
    if (isDict(objective['indicator'])) sliSpec(dictOf(objective['indicator']['spec']), [...at('indicator'), 'spec'], problems);
    if (method === 'Timeslices' && !has(objective, 'timeSliceTarget')) {
      problems.add(at('timeSliceTarget'), 'missing; budgetingMethod Timeslices needs a timeSliceTarget (0 < t ≤ 1)');
    }
    if ((method === 'Timeslices' || method === 'RatioTimeslices') && !has(objective, 'timeSliceWindow')) {
      problems.add(at('timeSliceWindow'), `missing; budgetingMethod ${method} needs a timeSliceWindow such as 1m`);
    }
    if (has(indicator, 'ratioMetric') && !has(indicator, 'thresholdMetric')) {
      for (const key of ['op', 'value']) {
        if (has(objective, key))
          problems.add(at(key), `not allowed: the indicator is a ratioMetric, and ${key} applies to a thresholdMetric`);
      }
    } else if (has(indicator, 'thresholdMetric') && !has(indicator, 'ratioMetric')) {
      if (!has(objective, 'op')) problems.add(at('op'), "missing; a thresholdMetric objective needs op: 'lte', 'gte', 'lt' or 'gt'");
      if (!has(objective, 'value'))
        problems.add(at('value'), 'missing; a thresholdMetric objective needs the value its metric is compared with');
    }
  });
}

function sloV1alpha(spec: Dict, path: ConfigPath, problems: Problems): void {
  const objectives = listOf(spec['objectives']).map(dictOf);
  const ratio = objectives.some((o) => has(o, 'ratioMetrics'));
  if (ratio && has(spec, 'indicator')) problems.add([...path, 'indicator'], 'an SLO with objectives[*].ratioMetrics takes no indicator');
  if (!ratio && !has(spec, 'indicator')) problems.add(path, 'missing indicator (a thresholdMetric), or ratioMetrics in the objectives');
  count(spec['timeWindows'], 1, 1, [...path, 'timeWindows'], 'time window', problems);
  count(spec['objectives'], 1, Number.POSITIVE_INFINITY, [...path, 'objectives'], 'objective', problems);
  listOf(spec['timeWindows']).forEach((window, i) => {
    timeWindow(dictOf(window), [...path, 'timeWindows', i], problems);
  });
  objectives.forEach((objective, i) => {
    const at = (key: string): ConfigPath => [...path, 'objectives', i, key];
    if (spec['budgetingMethod'] === 'Timeslices' && !has(objective, 'timeSliceTarget')) {
      problems.add(at('timeSliceTarget'), 'missing; budgetingMethod Timeslices needs a timeSliceTarget (0 ≤ t ≤ 1)');
    }
    if (has(objective, 'ratioMetrics') && has(objective, 'op')) {
      problems.add(at('op'), 'not allowed: op applies to a thresholdMetric, and this objective has ratioMetrics');
    }
    if (!has(objective, 'ratioMetrics') && !has(objective, 'op')) {
      problems.add(at('op'), "missing; a thresholdMetric objective needs op: 'lte', 'gte', 'lt' or 'gt'");
    }
  });
}
