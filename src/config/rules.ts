/**
 * Rules that span fields or files (unique names, known tiers and steps, sections set once), checked on
 * the raw documents so they are reported alongside schema problems, not after them are fixed.
 */
import { DEFAULT_TIERS } from '../model/config.js';
import { MAX_WINDOW_MINUTES, parseDurationMinutes, parseWindow } from './duration.js';
import type { ConfigPath } from './messages.js';
import { notificationMatchProblems, notificationProblems } from './notifications.js';
import type { PathProblem } from './schema.js';

/** One parsed YAML document (`doc.toJS()`), before or after schema validation. */
export interface RawFile {
  file: string;
  data: unknown;
}

/** A problem in one file; `related` points at the earlier node it clashes with, for the message. */
export interface FileProblem extends PathProblem {
  file: string;
  related?: { file: string; path: ConfigPath; at: 'key' | 'value' };
}

/** Sections that configure the whole installation, so two files setting them would silently race. */
export const SINGLE_FILE_SECTIONS = [
  'defaults',
  'alerting',
  'retention',
  'ingest',
  'notifications',
  'server',
  'policy',
  'deployments',
  'signals',
  'benchmarks',
  'otel',
  'regulation',
  'sources',
] as const;

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const dictOf = (value: unknown): Dict => (isDict(value) ? value : {});

interface Seen {
  file: string;
  path: ConfigPath;
}

/** Reports every repeat of a name after its first occurrence, naming where it first appeared. */
class UniqueNames {
  private readonly first = new Map<string, Seen>();
  constructor(
    private readonly what: string,
    private readonly problems: FileProblem[],
  ) {}

  add(name: unknown, file: string, path: ConfigPath): void {
    if (typeof name !== 'string') return;
    const earlier = this.first.get(name);
    if (!earlier) {
      this.first.set(name, { file, path });
      return;
    }
    this.problems.push({ file, path, at: 'value', message: `duplicate ${this.what} '${name}'`, related: { ...earlier, at: 'value' } });
  }
}

/**
 * Checks the cross-field and cross-file rules of docs/configuration.md ("Journeys", "A directory of files") over every file of a configuration.
 * @example crossFieldProblems([{ file: 'a.yaml', data: { journeys: [{ name: 'x', tier: 'gold', steps: [] }] } }])
 * // [{ file: 'a.yaml', path: ['journeys', 0, 'tier'], at: 'value', message: "unknown tier 'gold'; …" }]
 */
export function crossFieldProblems(files: readonly RawFile[]): FileProblem[] {
  const problems: FileProblem[] = [];
  const sectionOwner = new Map<string, Seen>();
  const tierOwner = new Map<string, Seen>();

  for (const { file, data } of files) {
    const doc = dictOf(data);
    for (const section of SINGLE_FILE_SECTIONS) {
      if (!(section in doc)) continue;
      const owner = sectionOwner.get(section);
      if (owner) {
        problems.push({
          file,
          path: [section],
          at: 'key',
          message: `'${section}' is already set in another file; ${SINGLE_FILE_SECTIONS.join(', ')} may each appear in only one file`,
          related: { ...owner, at: 'key' },
        });
      } else sectionOwner.set(section, { file, path: [section] });
    }
    for (const tier of Object.keys(dictOf(doc['tiers']))) {
      const owner = tierOwner.get(tier);
      const path = ['tiers', tier];
      if (owner) {
        problems.push({
          file,
          path,
          at: 'key',
          message: `tier '${tier}' is already defined in another file`,
          related: { ...owner, at: 'key' },
        });
      } else tierOwner.set(tier, { file, path });
      const slip = percentSlip(dictOf(dictOf(doc['tiers'])[tier])['objective'], 'objectives');
      if (slip) problems.push({ file, path: [...path, 'objective'], at: 'value', message: slip });
    }
  }

  const knownTiers = [...new Set([...Object.keys(DEFAULT_TIERS), ...tierOwner.keys()])];
  const checkTier = (tier: unknown, file: string, path: ConfigPath): void => {
    if (typeof tier === 'string' && !knownTiers.includes(tier)) {
      problems.push({ file, path, at: 'value', message: `unknown tier '${tier}'; expected one of: ${knownTiers.join(', ')}` });
    }
  };

  const journeyNames = new UniqueNames('journey name', problems);
  const serviceNames = new UniqueNames('service', problems);
  for (const { file, data } of files) {
    const doc = dictOf(data);
    listOf(doc['services']).forEach((service, i) => {
      serviceNames.add(dictOf(service)['name'], file, ['services', i, 'name']);
      checkTier(dictOf(service)['tier'], file, ['services', i, 'tier']);
    });
    listOf(doc['journeys']).forEach((journey, i) => {
      const path = ['journeys', i];
      journeyNames.add(dictOf(journey)['name'], file, [...path, 'name']);
      checkTier(dictOf(journey)['tier'], file, [...path, 'tier']);
      problems.push(...journeyProblems(dictOf(journey), file, path));
    });
    problems.push(...alertWindowPolicyProblems(dictOf(doc['alerting'])['windows'], file));
    problems.push(...notificationProblems({ file, data }));
  }
  const journeys = new Set(files.flatMap(({ data }) => listOf(dictOf(data)['journeys']).map((j) => String(dictOf(j)['name']))));
  for (const raw of files) {
    problems.push(
      ...notificationMatchProblems(raw, journeys),
      ...signalKeywordProblems(raw, journeys),
      ...benchmarkProblems(raw, journeys),
      ...otelRuleProblems(raw, files),
    );
  }
  problems.push(...prometheusSourceProblems(files));
  const correctionNames = new UniqueNames('correction name', problems);
  for (const { file, data } of files) {
    listOf(dictOf(data)['corrections']).forEach((raw, i) => {
      correctionNames.add(dictOf(raw)['name'], file, ['corrections', i, 'name']);
      listOf(dictOf(raw)['journeys']).forEach((journey, j) => {
        if (typeof journey === 'string' && !journeys.has(journey)) {
          const message = `unknown journey '${journey}'; expected one of: ${[...journeys].join(', ')}`;
          problems.push({ file, path: ['corrections', i, 'journeys', j], at: 'value', message });
        }
      });
    });
  }
  return problems;
}

/** Fields of an SLI of kind `prometheus`, and only of it (docs/configuration.md ("SLI source")). */
function prometheusSliProblems(sli: Dict, file: string, path: ConfigPath): FileProblem[] {
  const problems: FileProblem[] = [];
  const at = (key: string, message: string, where: 'key' | 'value' = 'key') =>
    problems.push({ file, path: [...path, key], at: where, message });
  if (sli['kind'] !== 'prometheus') {
    for (const key of ['good', 'bad', 'total'] as const)
      if (sli[key] !== undefined) at(key, `${key} is a PromQL query of kind 'prometheus'; remove it or set kind: prometheus`);
    if (sli['source'] === 'prometheus') at('source', "source 'prometheus' needs kind: prometheus with good (or bad) and total", 'value');
    return problems;
  }
  if (sli['source'] === 'events') at('source', "kind 'prometheus' reads Prometheus, not events; remove source", 'value');
  if (sli['good'] !== undefined && sli['bad'] !== undefined) at('bad', 'give good or bad, not both: the other is total minus it');
  if (sli['good'] === undefined && sli['bad'] === undefined && sli['total'] !== undefined)
    problems.push({
      file,
      path: [...path, 'kind'],
      at: 'value',
      message: 'missing good (or bad): a PromQL query of the good (or bad) events',
    });
  if (sli['total'] === undefined)
    problems.push({ file, path: [...path, 'kind'], at: 'value', message: 'missing total: a PromQL query of all the events counted' });
  for (const key of ['thresholdMs', 'step', 'abandonedIsBad', 'weight'] as const)
    if (sli[key] !== undefined) at(key, `${key} applies to SLIs counted from events, not to kind 'prometheus'; remove it`);
  return problems;
}

/** An SLI of kind `prometheus` needs `sources.prometheus` in some file (docs/configuration.md ("sources")). */
function prometheusSourceProblems(files: readonly RawFile[]): FileProblem[] {
  if (files.some(({ data }) => dictOf(dictOf(dictOf(data)['sources'])['prometheus'])['url'] !== undefined)) return [];
  const problems: FileProblem[] = [];
  for (const { file, data } of files) {
    listOf(dictOf(data)['journeys']).forEach((journey, i) => {
      listOf(dictOf(journey)['slos']).forEach((slo, j) => {
        if (dictOf(dictOf(slo)['sli'])['kind'] === 'prometheus')
          problems.push({
            file,
            path: ['journeys', i, 'slos', j, 'sli', 'kind'],
            at: 'value',
            message: "kind 'prometheus' needs sources.prometheus.url, the Prometheus server to read it from",
          });
      });
    });
  }
  return problems;
}

/** Probes have unique names and, like status pages, name configured journeys (docs/benchmark.md ("Configuration")). */
function benchmarkProblems({ file, data }: RawFile, journeys: ReadonlySet<string>): FileProblem[] {
  const problems: FileProblem[] = [];
  const benchmarks = dictOf(dictOf(data)['benchmarks']);
  const probeNames = new UniqueNames('probe name', problems);
  const known = [...journeys].sort().join(', ') || 'none';
  const checkJourney = (journey: unknown, path: ConfigPath) => {
    if (typeof journey === 'string' && !journeys.has(journey))
      problems.push({ file, path, at: 'value', message: `no journey is named '${journey}' (journeys: ${known})` });
  };
  listOf(benchmarks['probes']).forEach((raw, i) => {
    probeNames.add(dictOf(raw)['name'], file, ['benchmarks', 'probes', i, 'name']);
    checkJourney(dictOf(raw)['journey'], ['benchmarks', 'probes', i, 'journey']);
  });
  listOf(benchmarks['statusPages']).forEach((raw, i) => {
    checkJourney(dictOf(raw)['journey'], ['benchmarks', 'statusPages', i, 'journey']);
  });
  return problems;
}

/** Each `otel.rules` entry names a configured journey and, when it has one, a step of it (docs/opentelemetry.md ("Rules")). */
function otelRuleProblems({ file, data }: RawFile, files: readonly RawFile[]): FileProblem[] {
  const steps = new Map<string, string[]>();
  for (const raw of files) {
    for (const journey of listOf(dictOf(raw.data)['journeys'])) {
      const name = dictOf(journey)['name'];
      if (typeof name === 'string')
        steps.set(
          name,
          listOf(dictOf(journey)['steps']).map((step) => String(dictOf(step)['name'])),
        );
    }
  }
  const problems: FileProblem[] = [];
  const known = [...steps.keys()].sort().join(', ') || 'none';
  listOf(dictOf(dictOf(data)['otel'])['rules']).forEach((raw, i) => {
    const rule = dictOf(raw);
    const path = ['otel', 'rules', i];
    const journey = rule['journey'];
    if (typeof journey !== 'string') return;
    const journeySteps = steps.get(journey);
    if (journeySteps === undefined) {
      problems.push({ file, path: [...path, 'journey'], at: 'value', message: `no journey is named '${journey}' (journeys: ${known})` });
      return;
    }
    const step = rule['step'];
    if (typeof step === 'string' && !journeySteps.includes(step)) {
      const message = `'${step}' is not a step of journey '${journey}' (its steps: ${journeySteps.join(', ')})`;
      problems.push({ file, path: [...path, 'step'], at: 'value', message });
    }
  });
  return problems;
}

/** `signals.keywords` may only name configured journeys (docs/signals.md ("Keywords")). */
function signalKeywordProblems({ file, data }: RawFile, journeys: ReadonlySet<string>): FileProblem[] {
  const keywords = dictOf(dictOf(dictOf(data)['signals'])['keywords']);
  const known = [...journeys].sort().join(', ') || 'none';
  return Object.keys(keywords)
    .filter((journey) => !journeys.has(journey))
    .map((journey) => ({
      file,
      path: ['signals', 'keywords', journey],
      at: 'key' as const,
      message: `no journey is named '${journey}' (journeys: ${known})`,
    }));
}

/** Rules inside one journey: unique step and SLO names, SLO steps that exist, SLI and budgeting consistency. */
function journeyProblems(journey: Dict, file: string, journeyPath: ConfigPath): FileProblem[] {
  const problems: FileProblem[] = [];
  const stepNames = new UniqueNames('step name', problems);
  const steps = listOf(journey['steps']).map((step) => dictOf(step)['name']);
  steps.forEach((step, i) => {
    stepNames.add(step, file, [...journeyPath, 'steps', i, 'name']);
  });

  const sloNames = new UniqueNames('SLO name', problems);
  listOf(journey['slos']).forEach((raw, i) => {
    const slo = dictOf(raw);
    const path = [...journeyPath, 'slos', i];
    sloNames.add(slo['name'], file, [...path, 'name']);
    const objectiveSlip = percentSlip(slo['objective'], 'objectives');
    if (objectiveSlip) problems.push({ file, path: [...path, 'objective'], at: 'value', message: objectiveSlip });
    const targetSlip = percentSlip(slo['timeSliceTarget'], 'slice targets');
    if (targetSlip) problems.push({ file, path: [...path, 'timeSliceTarget'], at: 'value', message: targetSlip });
    const sli = dictOf(slo['sli']);
    const step = sli['step'];
    if (typeof step === 'string' && !steps.includes(step)) {
      const names = [...new Set(steps.filter((s): s is string => typeof s === 'string'))];
      problems.push({
        file,
        path: [...path, 'sli', 'step'],
        at: 'value',
        message: `unknown step '${step}'; expected one of the journey's steps: ${names.join(', ')}`,
      });
    }
    problems.push(...prometheusSliProblems(sli, file, [...path, 'sli']));
    if (sli['kind'] === 'latency' && sli['thresholdMs'] === undefined) {
      problems.push({
        file,
        path: [...path, 'sli', 'thresholdMs'],
        at: 'value',
        message: 'missing; a latency SLI needs thresholdMs, a positive whole number of milliseconds',
      });
    }
    if (sli['kind'] === 'success' && sli['thresholdMs'] !== undefined) {
      problems.push({
        file,
        path: [...path, 'sli', 'thresholdMs'],
        at: 'key',
        message: "thresholdMs applies only to kind 'latency'; remove it or set kind: latency",
      });
    }
    if (sli['weight'] === 'amount' && typeof dictOf(journey['value'])['currency'] !== 'string') {
      problems.push({
        file,
        path: [...path, 'sli', 'weight'],
        at: 'value',
        message: "an amount-weighted SLI needs the journey's value.currency, the one currency it counts",
      });
    }
    if (sli['weight'] === 'amount' && slo['budgeting'] === 'timeslices') {
      problems.push({
        file,
        path: [...path, 'sli', 'weight'],
        at: 'value',
        message: 'amount weighting applies only to budgeting: occurrences; a timeslice budget counts minutes, not money',
      });
    }
    problems.push(...alertWindowPairProblems(dictOf(slo['alerting'])['windows'], file, [...path, 'alerting', 'windows']));
    if (slo['timeSliceTarget'] !== undefined && slo['budgeting'] !== 'timeslices') {
      problems.push({
        file,
        path: [...path, 'timeSliceTarget'],
        at: 'key',
        message: 'timeSliceTarget applies only to budgeting: timeslices; remove it or set budgeting: timeslices',
      });
    }
  });
  return problems;
}

/** The lowest objective or slice target accepted, in percent: below it the number is almost surely a ratio. */
export const LOWEST_PERCENT = 50;

/**
 * The problem with a percentage written as a ratio (docs/configuration.md ("Objectives are percentages")): 0.999 means
 * 0.999 %, so anything below 50 is refused, with the percentage it likely meant (value × 100) when that is one.
 * Null when the value is fine, or not a positive number (the schema reports those).
 * @example percentSlip(0.999, 'objectives') // 'objectives are percentages: did you mean 99.9?'
 */
export function percentSlip(value: unknown, what: 'objectives' | 'slice targets'): string | null {
  if (typeof value !== 'number' || !(value > 0) || value >= LOWEST_PERCENT) return null;
  // toPrecision drops the float noise of the product: 0.999 × 100 is 99.89999999999999.
  const meant = Number((value * 100).toPrecision(12));
  const valid = what === 'objectives' ? meant < 100 : meant <= 100;
  if (meant >= LOWEST_PERCENT && valid) return `${what} are percentages: did you mean ${meant}?`;
  return `${what} are percentages of at least ${LOWEST_PERCENT}: ${value} would let ${Number((100 - value).toPrecision(12))}% of events fail`;
}

/** Minutes of a duration as written, or null when the schema will report it. */
function minutesOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const parsed = parseDurationMinutes(value);
  return parsed.ok ? parsed.value : null;
}

/** Each pair's short window is shorter than its long one, and the long one is at most 400 days. */
function alertWindowPairProblems(pairs: unknown, file: string, path: ConfigPath): FileProblem[] {
  const problems: FileProblem[] = [];
  listOf(pairs).forEach((raw, i) => {
    const pair = dictOf(raw);
    const short = minutesOf(pair['short']);
    const long = minutesOf(pair['long']);
    if (long !== null && long > MAX_WINDOW_MINUTES) {
      problems.push({
        file,
        path: [...path, i, 'long'],
        at: 'value',
        message: `expected a window of at most 400 days, got '${String(pair['long'])}'`,
      });
    }
    if (short !== null && long !== null && short >= long) {
      problems.push({
        file,
        path: [...path, i, 'short'],
        at: 'value',
        message: `the short window ${String(pair['short'])} must be shorter than the long window ${String(pair['long'])}`,
      });
    }
  });
  return problems;
}

/** `alerting.windows`: one policy per SLO period (`4w` and `28d` are the same period), and sound pairs. */
function alertWindowPolicyProblems(policies: unknown, file: string): FileProblem[] {
  const problems: FileProblem[] = [];
  const seen = new Map<string, ConfigPath>();
  listOf(policies).forEach((raw, i) => {
    const policy = dictOf(raw);
    const path = ['alerting', 'windows', i];
    problems.push(...alertWindowPairProblems(policy['pairs'], file, [...path, 'pairs']));
    const period = typeof policy['period'] === 'string' ? parseWindow(policy['period']) : null;
    if (!period?.ok) return;
    const key = period.value.kind === 'rolling' ? `${period.value.minutes}m` : period.value.unit;
    const first = seen.get(key);
    if (first) {
      problems.push({
        file,
        path: [...path, 'period'],
        at: 'value',
        message: `a policy for the period '${String(policy['period'])}' is already set; each SLO period may have one policy`,
        related: { file, path: first, at: 'value' },
      });
    } else seen.set(key, [...path, 'period']);
  });
  return problems;
}
