/**
 * `vigil import openslo`: OpenSLO documents into a vigil.yaml for the parts Vigil can run, and every part it cannot named
 * with file:line:col (docs/openslo.md ("Import")). Vigil computes SLIs from the journey events it ingests, so an SLO maps
 * when its ratio indicator counts Vigil's own counters and says which events are good (the `vigil/` annotations that
 * `vigil export openslo` writes); its Service then carries the journey's steps.
 */
import { Document, isMap, isSeq, type Node } from 'yaml';
import { alertWindowsFor } from '../../engine/alert-pairs.js';
import {
  type AlertWindowPair,
  DEFAULT_TIERS,
  type JourneySpec,
  type SloSpec,
  type VigilConfig,
  type WindowSpec,
  durationText,
} from '../../model/config.js';
import { type ConfigProblem, formatProblem, loadConfigFromString } from '../load.js';
import { parseDurationMinutes, parseWindow } from '../duration.js';
import { type ConfigPath, formatPath } from '../messages.js';
import { type CheckedObject, placeProblem, positionOf, type ReadResult, validationProblems } from './documents.js';
import { ANNOTATION, ANNOTATION_PREFIX, parseCounterQuery, toPercent } from './dialect.js';
import { alertThreshold, CALENDAR_START, conditionDescription, policyDescription, sliDescription, targetDescription } from './export.js';
import { parseShorthand, parseStartTime, V1 } from './schema.js';

export type OpenSloImport =
  | {
      ok: true;
      /** The vigil.yaml text, which loads as `config`. */
      yaml: string;
      config: VigilConfig;
      /** Every part not imported, positioned, worded `not imported: why`. */
      notImported: ConfigProblem[];
    }
  | { ok: false; problems: ConfigProblem[] };

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const dictOf = (value: unknown): Dict => (isDict(value) ? value : {});
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Why a part does not map: its path in its object and the reason. */
class Refusal extends Error {
  constructor(
    readonly object: CheckedObject,
    readonly path: ConfigPath,
    reason: string,
  ) {
    super(reason);
  }
}

/** Which parts of each object an import used; what is left of an imported object is named, key by key. */
class Usage {
  private readonly used = new Map<CheckedObject, Set<string>>();

  use(object: CheckedObject, ...paths: ConfigPath[]): void {
    const set = this.used.get(object) ?? new Set<string>();
    this.used.set(object, set);
    for (const path of paths) set.add(JSON.stringify(path));
  }

  has(object: CheckedObject): boolean {
    return this.used.has(object);
  }

  /** The objects this usage touched. */
  touched(): CheckedObject[] {
    return [...this.used.keys()];
  }

  mergeInto(other: Usage): void {
    for (const [object, paths] of this.used) other.use(object, ...[...paths].map((p) => JSON.parse(p) as ConfigPath));
    for (const object of this.explained) other.explain(object);
  }

  /** An object named already with why it is not imported, so it is not named again as unused. */
  readonly explained = new Set<CheckedObject>();
  explain(...objects: CheckedObject[]): void {
    for (const object of objects) this.explained.add(object);
  }

  /** The top-most paths of an object's data that nothing used. */
  leftovers(object: CheckedObject): ConfigPath[] {
    const used = [...(this.used.get(object) ?? [])].map((p) => JSON.parse(p) as ConfigPath);
    const isUsed = (path: ConfigPath) => used.some((u) => u.length <= path.length && u.every((s, i) => s === path[i]));
    const isAbove = (path: ConfigPath) => used.some((u) => u.length > path.length && path.every((s, i) => s === u[i]));
    const out: ConfigPath[] = [];
    const walk = (value: unknown, path: ConfigPath) => {
      if (isUsed(path)) return;
      if (!isAbove(path)) {
        if (value !== null && value !== undefined) out.push(path);
        return;
      }
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) walk(item, [...path, i]);
      } else if (isDict(value)) for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    };
    walk(object.data, []);
    return out;
  }
}

interface JourneyDraft {
  service: CheckedObject;
  spec: Omit<JourneySpec, 'slos'>;
  tierObjective: number;
  /** The annotation vigil/regulation, as vigil.yaml writes it. */
  regulation?: Dict;
  slos: { object: CheckedObject; spec: SloSpec; windowsWritten: boolean }[];
}

const KIND_REASONS: Record<string, string> = {
  Service: 'a Service becomes a Vigil journey only with its steps (annotation vigil/steps, written by vigil export openslo)',
  SLI: 'an SLI is imported only as the indicator of an SLO that is imported',
  DataSource: 'Vigil reads the journey events it ingests; it does not query data sources',
  AlertPolicy: 'an AlertPolicy is imported only as a burn-rate alert of an SLO that is imported',
  AlertCondition: 'an AlertCondition is imported only through an AlertPolicy of an SLO that is imported',
  AlertNotificationTarget:
    "Vigil notifies by incident priority (vigil.yaml's notifications); only its own vigil-page and vigil-ticket targets map",
};

/** Why a metric source is not one of Vigil's counters. */
function foreignMetricReason(source: Dict, part: string): string {
  const type = str(source['type']) ?? str(source['metricSourceRef']) ?? 'a metric source';
  const query = str(dictOf(source['spec'])['query']);
  const shown = query !== undefined ? ` (${query.length > 80 ? `${query.slice(0, 80)}…` : query})` : '';
  const prometheus = /^prometheus$/i.test(str(source['type']) ?? '')
    ? '; Vigil evaluates no PromQL of its own: its SLIs come from journey events, and SLIs read from Prometheus are not in this release'
    : '';
  return `its ${part} reads ${type}${shown}, not Vigil's counter vigil_slo_events_total{journey,slo,result}${prometheus}`;
}

const isVigilKey = (key: string) => key.startsWith(ANNOTATION_PREFIX);

/**
 * Maps what `readPaths` read into a vigil.yaml, or refuses it when any object is not valid OpenSLO.
 * @example const read = await readPaths(['slos/']); const result = importOpenSlo(read); if (result.ok) write(result.yaml);
 */
export function importOpenSlo(read: ReadResult): OpenSloImport {
  const invalid = validationProblems(read);
  if (invalid.length > 0) return { ok: false, problems: invalid };

  const notImported: ConfigProblem[] = [];
  const usage = new Usage();
  const refuse = (error: Refusal) =>
    notImported.push(placeProblem(error.object, { path: error.path, at: 'value', message: `not imported: ${error.message}` }));

  // Objects by kind and name; a later one of the same name is named and left out (OpenSLO names are unique per kind).
  const byName = new Map<string, CheckedObject>();
  const v1: CheckedObject[] = [];
  for (const object of read.objects) {
    if (!object.verdict.ok) continue;
    const { version, kind } = object.verdict.object;
    if (version !== V1) {
      const reason =
        kind === 'SLO'
          ? 'an openslo/v1alpha SLO reads a query of another system; Vigil counts the journey events it ingests'
          : 'an openslo/v1alpha Service has no annotations to carry a journey';
      refuse(new Refusal(object, [], reason));
      usage.explain(object);
      continue;
    }
    const key = `${kind}/${object.verdict.object.value.metadata.name}`;
    const first = byName.get(key);
    if (first) {
      const at = positionOf(first, ['metadata', 'name'], 'value');
      refuse(
        new Refusal(
          object,
          ['metadata', 'name'],
          `a second ${kind} of this name (first at ${first.file}:${at.line}:${at.column}); names are unique per kind`,
        ),
      );
      usage.explain(object);
      continue;
    }
    byName.set(key, object);
    v1.push(object);
  }
  const find = (kind: string, name: unknown) => (typeof name === 'string' ? byName.get(`${kind}/${name}`) : undefined);

  // Journeys: Services that carry Vigil's annotations.
  const journeys = new Map<string, JourneyDraft>();
  const serviceJourney = new Map<CheckedObject, JourneyDraft>();
  const tierObjectives = new Map<string, { objective: number; service: CheckedObject }>();
  for (const object of v1) {
    if (object.verdict.ok && object.verdict.object.kind === 'Service') {
      const local = new Usage();
      try {
        const draft = journeyFromService(object, local);
        const other = journeys.get(draft.spec.name);
        if (other) {
          const message = `journey '${draft.spec.name}' is already imported from Service '${nameOf(other.service)}'`;
          throw new Refusal(object, ['metadata', 'annotations', ANNOTATION.journey], message);
        }
        const tier = tierObjectives.get(draft.spec.tier);
        if (tier && tier.objective !== draft.tierObjective) {
          const message = `tier '${draft.spec.tier}' has objective ${tier.objective} in Service '${nameOf(tier.service)}'; a tier has one objective`;
          throw new Refusal(object, ['metadata', 'annotations', ANNOTATION.tierObjective], message);
        }
        checkLoads(draft, undefined, undefined, object);
        journeys.set(draft.spec.name, draft);
        serviceJourney.set(object, draft);
        if (!tier) tierObjectives.set(draft.spec.tier, { objective: draft.tierObjective, service: object });
        local.mergeInto(usage);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        if (error.path.length > 0) {
          refuse(error);
          usage.explain(object);
        }
      }
    }
  }

  // SLOs over Vigil's counters, on those journeys.
  let timeZone: { zone: string; object: CheckedObject } | undefined;
  const sloKeys = new Map<string, CheckedObject>();
  for (const object of v1) {
    if (!object.verdict.ok || object.verdict.object.kind !== 'SLO') continue;
    const local = new Usage();
    try {
      const mapped = sloFromObject(object, find, local, serviceJourney);
      const duplicate = sloKeys.get(`${mapped.journey.spec.name}/${mapped.spec.name}`);
      if (duplicate)
        throw new Refusal(
          object,
          ['spec', 'indicator'],
          `SLO ${mapped.journey.spec.name}/${mapped.spec.name} is already imported from SLO '${nameOf(duplicate)}'`,
        );
      if (mapped.timeZone !== undefined) {
        if (timeZone !== undefined && timeZone.zone !== mapped.timeZone) {
          const message = `its calendar is in ${mapped.timeZone}, and Vigil has one defaults.timezone, ${timeZone.zone} (from SLO '${nameOf(
            timeZone.object,
          )}')`;
          throw new Refusal(object, ['spec', 'timeWindow', 0, 'calendar', 'timeZone'], message);
        }
      }
      checkLoads(mapped.journey, mapped.spec, mapped.timeZone ?? timeZone?.zone, object);
      if (mapped.timeZone !== undefined && timeZone === undefined) timeZone = { zone: mapped.timeZone, object };
      sloKeys.set(`${mapped.journey.spec.name}/${mapped.spec.name}`, object);
      mapped.journey.slos.push({ object, spec: mapped.spec, windowsWritten: mapped.windowsWritten });
      local.mergeInto(usage);
      for (const problem of mapped.leftovers) notImported.push(problem);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refuse(error);
      if (error.object !== object) {
        const ref = dictOf(dictOf(object.data)['spec'])['indicatorRef'];
        refuse(new Refusal(object, ['spec', 'indicatorRef'], `its indicator, SLI '${String(ref)}', does not map: ${error.message}`));
      }
      // The SLO and what it referenced are named by this reason, not again as unused.
      usage.explain(object, error.object, ...local.touched());
    }
  }

  // Whatever no imported part used: whole objects, then the leftovers of those used.
  for (const object of read.objects) {
    if (!object.verdict.ok || object.verdict.object.version !== V1) continue;
    if (!usage.has(object)) {
      if (usage.explained.has(object)) continue;
      const own =
        object.verdict.object.kind === 'AlertNotificationTarget' && object.verdict.object.value.metadata.annotations?.[ANNOTATION.severity];
      const reason = own ? `Vigil's own ${own} target, which no imported burn-rate alert uses` : KIND_REASONS[object.verdict.object.kind];
      refuse(new Refusal(object, [], reason ?? 'Vigil has no counterpart'));
      continue;
    }
    for (const path of usage.leftovers(object)) refuse(new Refusal(object, path, leftoverReason(object, path)));
  }

  const text = vigilYaml([...journeys.values()], timeZone?.zone, read.files);
  const loaded = loadConfigFromString(text, 'imported vigil.yaml');
  // Each SLO was checked to load on its own; a failure here is Vigil's bug, not the documents'.
  if (!loaded.ok) throw new Error(`the imported configuration does not load:\n${loaded.errors.map(formatProblem).join('\n')}\n${text}`);
  return { ok: true, yaml: text, config: loaded.config, notImported: sortProblems(notImported, read.files) };
}

/** An object's metadata.name. */
const nameOf = (object: CheckedObject): string => (object.verdict.ok ? object.verdict.object.value.metadata.name : '');

function sortProblems(problems: ConfigProblem[], files: string[]): ConfigProblem[] {
  return problems
    .map((problem, i) => ({ problem, i }))
    .sort(
      (a, b) =>
        files.indexOf(a.problem.file) - files.indexOf(b.problem.file) ||
        a.problem.line - b.problem.line ||
        a.problem.column - b.problem.column ||
        a.i - b.i,
    )
    .map(({ problem }) => problem);
}

function leftoverReason(object: CheckedObject, path: ConfigPath): string {
  const key = path.at(-1);
  if (path[0] === 'metadata' && path[1] === 'labels') return 'Vigil journeys and SLOs have no labels';
  if (path[1] === 'annotations' || path.includes('annotations')) {
    return typeof key === 'string' && isVigilKey(key)
      ? `Vigil has no annotation ${key} here`
      : 'Vigil keeps no annotations but its own vigil/ ones';
  }
  if (key === 'description') return 'a description Vigil does not keep (Vigil writes its own words here on export)';
  if (key === 'displayName') return 'Vigil keeps no display name for this part';
  return `${formatPath(path)} has no counterpart in Vigil${object.verdict.ok ? ` (${object.verdict.object.kind})` : ''}`;
}

// ---- Services → journeys ---------------------------------------------------------------------------------------------

const STEP_KEYS = ['name', 'displayName', 'services', 'critical'];

function journeyFromService(object: CheckedObject, usage: Usage): JourneyDraft {
  const data = dictOf(object.data);
  const metadata = dictOf(data['metadata']);
  const annotations = dictOf(metadata['annotations']);
  const at = (key: string): ConfigPath => ['metadata', 'annotations', key];
  if (annotations[ANNOTATION.steps] === undefined || annotations[ANNOTATION.journey] === undefined) {
    // Not Vigil's: named with the other objects nothing used.
    throw new Refusal(object, [], KIND_REASONS['Service']!);
  }
  const name = str(annotations[ANNOTATION.journey])!;
  let steps: unknown;
  try {
    steps = JSON.parse(String(annotations[ANNOTATION.steps]));
  } catch {
    throw new Refusal(
      object,
      at(ANNOTATION.steps),
      'vigil/steps is not JSON: expected a list of steps such as [{"name":"login","services":["auth"]}]',
    );
  }
  const stepList = listOf(steps);
  const badStep = stepList.findIndex(
    (s) =>
      !isDict(s) ||
      typeof s['name'] !== 'string' ||
      !Array.isArray(s['services']) ||
      !(s['services'] as unknown[]).every((x) => typeof x === 'string') ||
      (s['displayName'] !== undefined && typeof s['displayName'] !== 'string') ||
      (s['critical'] !== undefined && typeof s['critical'] !== 'boolean') ||
      Object.keys(s).some((k) => !STEP_KEYS.includes(k)),
  );
  if (!Array.isArray(steps) || stepList.length === 0 || badStep >= 0) {
    const which = badStep >= 0 ? ` (step ${badStep + 1})` : '';
    throw new Refusal(
      object,
      at(ANNOTATION.steps),
      `vigil/steps${which}: expected a non-empty list of { name, displayName?, services, critical? }`,
    );
  }
  let value: JourneySpec['value'];
  if (annotations[ANNOTATION.value] !== undefined) {
    try {
      const parsed = JSON.parse(String(annotations[ANNOTATION.value])) as unknown;
      if (!isDict(parsed) || typeof parsed['currency'] !== 'string') throw new Error('no currency');
      value = parsed as JourneySpec['value'];
    } catch {
      throw new Refusal(object, at(ANNOTATION.value), 'vigil/value: expected JSON such as {"currency":"EUR","revenuePerSuccess":4.5}');
    }
  }
  // vigil.yaml's journey regulation as written (docs/configuration.md ("regulation")); the loader checks it further.
  let regulation: Dict | undefined;
  if (annotations[ANNOTATION.regulation] !== undefined) {
    try {
      const parsed = JSON.parse(String(annotations[ANNOTATION.regulation])) as unknown;
      const keys = ['critical', 'importantBusinessService', 'impactTolerance'];
      if (!isDict(parsed) || Object.keys(parsed).some((k) => !keys.includes(k))) throw new Error('not a regulation');
      regulation = parsed;
    } catch {
      throw new Refusal(
        object,
        at(ANNOTATION.regulation),
        'vigil/regulation: expected JSON such as {"critical":true,"importantBusinessService":true,"impactTolerance":"4h"}',
      );
    }
  }
  const tier = str(annotations[ANNOTATION.tier]) ?? 'standard';
  const tierObjective = Number(annotations[ANNOTATION.tierObjective] ?? DEFAULT_TIERS[tier]?.objective ?? Number.NaN);
  if (!Number.isFinite(tierObjective)) {
    throw new Refusal(
      object,
      at(ANNOTATION.tierObjective),
      `vigil/tier-objective: expected the objective of tier '${tier}', a percentage such as 99.9`,
    );
  }
  const description = str(annotations[ANNOTATION.description]) ?? str(dictOf(data['spec'])['description']);
  const displayName = str(annotations[ANNOTATION.displayName]) ?? str(metadata['displayName']) ?? name;
  const publicName = str(annotations[ANNOTATION.publicName]);
  usage.use(
    object,
    ['apiVersion'],
    ['kind'],
    ['metadata', 'name'],
    ['metadata', 'displayName'],
    ['spec', 'description'],
    ...(
      [
        ANNOTATION.journey,
        ANNOTATION.steps,
        ANNOTATION.value,
        ANNOTATION.regulation,
        ANNOTATION.tier,
        ANNOTATION.tierObjective,
        ANNOTATION.owner,
      ] as string[]
    )
      .concat([ANNOTATION.publicName, ANNOTATION.displayName, ANNOTATION.description])
      .map(at),
  );
  return {
    service: object,
    tierObjective,
    slos: [],
    ...(regulation !== undefined && { regulation }),
    spec: {
      name,
      displayName,
      ...(description !== undefined && { description }),
      tier,
      ...(str(annotations[ANNOTATION.owner]) !== undefined && { owner: str(annotations[ANNOTATION.owner]) }),
      ...(value !== undefined && { value }),
      ...(publicName !== undefined && { public: true, publicName }),
      steps: stepList.map((s) => {
        const step = dictOf(s);
        return {
          name: String(step['name']),
          ...(typeof step['displayName'] === 'string' && { displayName: step['displayName'] }),
          services: [...(step['services'] as string[])],
          critical: step['critical'] === true,
        };
      }),
    },
  };
}

// ---- SLOs ------------------------------------------------------------------------------------------------------------

interface MappedSlo {
  journey: JourneyDraft;
  spec: SloSpec;
  /** False when the SLO's alerts are Vigil's built-in ones for its period, so vigil.yaml need not write them. */
  windowsWritten: boolean;
  timeZone?: string;
  leftovers: ConfigProblem[];
}

type Finder = (kind: string, name: unknown) => CheckedObject | undefined;

/** The indicator of an SLO: inline, or an SLI object by indicatorRef. */
function indicatorOf(
  slo: CheckedObject,
  find: Finder,
  usage: Usage,
): { object: CheckedObject; base: ConfigPath; metadata: Dict; spec: Dict } {
  const spec = dictOf(dictOf(slo.data)['spec']);
  if (listOf(spec['objectives']).some((o) => isDict(o) && (o['indicator'] !== undefined || o['indicatorRef'] !== undefined))) {
    throw new Refusal(
      slo,
      ['spec', 'objectives'],
      'a composite SLO (objectives with their own indicators): a Vigil SLO has one SLI and one objective',
    );
  }
  if (isDict(spec['indicator'])) {
    usage.use(slo, ['spec', 'indicator', 'metadata', 'name']);
    return {
      object: slo,
      base: ['spec', 'indicator'],
      metadata: dictOf(spec['indicator']['metadata']),
      spec: dictOf(spec['indicator']['spec']),
    };
  }
  const sli = find('SLI', spec['indicatorRef']);
  if (!sli) throw new Refusal(slo, ['spec', 'indicatorRef'], `no SLI named '${String(spec['indicatorRef'])}' among the files read`);
  usage.use(slo, ['spec', 'indicatorRef']);
  usage.use(sli, ['apiVersion'], ['kind'], ['metadata', 'name']);
  const data = dictOf(sli.data);
  return { object: sli, base: [], metadata: dictOf(data['metadata']), spec: dictOf(data['spec']) };
}

function sloFromObject(object: CheckedObject, find: Finder, usage: Usage, serviceJourney: Map<CheckedObject, JourneyDraft>): MappedSlo {
  const data = dictOf(object.data);
  const metadata = dictOf(data['metadata']);
  const spec = dictOf(data['spec']);
  usage.use(object, ['apiVersion'], ['kind'], ['metadata', 'name']);

  // The indicator: Vigil's counters, and the SLI's definition in annotations.
  const indicator = indicatorOf(object, find, usage);
  const at = (...path: ConfigPath): ConfigPath => [...indicator.base, ...path];
  if (indicator.spec['thresholdMetric'] !== undefined) {
    throw new Refusal(
      indicator.object,
      at('spec', 'thresholdMetric'),
      'a thresholdMetric compares each value with a threshold; a Vigil SLI is a ratio of good to valid events',
    );
  }
  const ratio = dictOf(indicator.spec['ratioMetric']);
  if (ratio['raw'] !== undefined) {
    throw new Refusal(
      indicator.object,
      at('spec', 'ratioMetric', 'raw'),
      'a precomputed (raw) ratio; a Vigil SLI counts good and valid events itself',
    );
  }
  const numeratorKey = ratio['good'] !== undefined ? 'good' : 'bad';
  const selectors: { journey: string; slo: string }[] = [];
  for (const part of [numeratorKey, 'total'] as const) {
    const source = dictOf(dictOf(ratio[part])['metricSource']);
    const query = str(dictOf(source['spec'])['query']);
    const parsed = query !== undefined ? parseCounterQuery(query) : undefined;
    const expectedResult = part === 'total' ? undefined : part;
    const typeOk = source['type'] === undefined || /^prometheus$/i.test(String(source['type']));
    if (!parsed || parsed.result !== expectedResult || !typeOk) {
      const wrongResult =
        parsed && typeOk ? ` (its result label must be ${expectedResult ? `"${expectedResult}"` : 'absent for the total'})` : '';
      throw new Refusal(
        indicator.object,
        at('spec', 'ratioMetric', part, ...(query !== undefined ? ['metricSource', 'spec', 'query'] : ['metricSource'])),
        `${foreignMetricReason(source, part)}${wrongResult}`,
      );
    }
    selectors.push(parsed);
    usage.use(
      indicator.object,
      at('spec', 'ratioMetric', part, 'metricSource', 'type'),
      at('spec', 'ratioMetric', part, 'metricSource', 'spec', 'query'),
    );
  }
  const [numerator, total] = selectors as [{ journey: string; slo: string }, { journey: string; slo: string }];
  if (numerator.journey !== total.journey || numerator.slo !== total.slo) {
    throw new Refusal(
      indicator.object,
      at('spec', 'ratioMetric', 'total'),
      `its ${numeratorKey} and total count different SLOs (${numerator.journey}/${numerator.slo}, ${total.journey}/${total.slo})`,
    );
  }
  if (ratio['counter'] === false) {
    throw new Refusal(
      indicator.object,
      at('spec', 'ratioMetric', 'counter'),
      "counter: false, but Vigil's vigil_slo_events_total is a counter",
    );
  }
  usage.use(indicator.object, at('spec', 'ratioMetric', 'counter'));

  const ann = dictOf(indicator.metadata['annotations']);
  const annPath = (key: string): ConfigPath => at('metadata', 'annotations', key);
  const kind = ann[ANNOTATION.sliKind];
  if (kind !== 'success' && kind !== 'latency') {
    const where = kind === undefined ? at('metadata') : annPath(ANNOTATION.sliKind);
    throw new Refusal(
      indicator.object,
      where,
      "its indicator counts Vigil's counters but has no vigil/sli-kind (success or latency): the counters alone do not say which events are good",
    );
  }
  const sli: SloSpec['sli'] = { source: 'events', kind, abandonedIsBad: false };
  if (ann[ANNOTATION.thresholdMs] !== undefined) {
    const ms = Number(ann[ANNOTATION.thresholdMs]);
    if (!Number.isInteger(ms) || ms <= 0)
      throw new Refusal(
        indicator.object,
        annPath(ANNOTATION.thresholdMs),
        'vigil/threshold-ms: expected a positive whole number of milliseconds',
      );
    sli.thresholdMs = ms;
  }
  if (ann[ANNOTATION.step] !== undefined) sli.step = String(ann[ANNOTATION.step]);
  for (const [key, values] of [
    [ANNOTATION.abandonedIsBad, ['true', 'false']],
    [ANNOTATION.weight, ['events', 'amount']],
  ] as const) {
    if (ann[key] !== undefined && !(values as readonly string[]).includes(String(ann[key]))) {
      throw new Refusal(indicator.object, annPath(key), `${key}: expected ${values.map((v) => `"${v}"`).join(' or ')}`);
    }
  }
  sli.abandonedIsBad = ann[ANNOTATION.abandonedIsBad] === 'true';
  usage.use(
    indicator.object,
    ...[ANNOTATION.sliKind, ANNOTATION.thresholdMs, ANNOTATION.step, ANNOTATION.abandonedIsBad, ANNOTATION.weight].map(annPath),
  );

  // The journey: the Service the SLO names must be the journey its counters count.
  const service = find('Service', spec['service']);
  const journey = service ? serviceJourney.get(service) : undefined;
  if (!journey) {
    const named = String(spec['service']);
    const why = !service
      ? `no Service '${named}' among the files read`
      : dictOf(dictOf(dictOf(service.data)['metadata'])['annotations'])[ANNOTATION.steps] === undefined
        ? `Service '${named}' is no Vigil journey: it has no vigil/steps`
        : `Service '${named}' is not imported (see the note on it)`;
    throw new Refusal(object, ['spec', 'service'], why);
  }
  if (journey.spec.name !== numerator.journey) {
    throw new Refusal(
      object,
      ['spec', 'service'],
      `Service '${String(spec['service'])}' is journey ${journey.spec.name}, but the indicator counts journey ${numerator.journey}`,
    );
  }
  usage.use(object, ['spec', 'service']);
  if (ann[ANNOTATION.weight] === 'amount') {
    sli.weight = 'amount';
    sli.currency = journey.spec.value?.currency ?? '';
  }

  // Window and budgeting.
  const { window, timeZone } = windowOf(object, dictOf(listOf(spec['timeWindow'])[0]), usage);
  const method = spec['budgetingMethod'];
  if (method === 'RatioTimeslices') {
    throw new Refusal(
      object,
      ['spec', 'budgetingMethod'],
      'RatioTimeslices averages slice ratios; Vigil budgets occurrences or timeslices (docs/slo-maths.md)',
    );
  }
  usage.use(object, ['spec', 'budgetingMethod'], ['spec', 'timeWindow']);

  // The first objective; a Vigil SLO has one.
  const objectives = listOf(spec['objectives']).map(dictOf);
  const objective = objectives[0]!;
  const objectivePath = (key: string): ConfigPath => ['spec', 'objectives', 0, key];
  const percent = objective['targetPercent'] !== undefined ? Number(objective['targetPercent']) : toPercent(Number(objective['target']));
  const targetKey = objective['targetPercent'] !== undefined ? 'targetPercent' : 'target';
  if (!(percent >= 50)) {
    throw new Refusal(
      object,
      objectivePath(targetKey),
      `an objective of ${percent}%: Vigil objectives are at least 50% (docs/configuration.md ("Objectives are percentages"))`,
    );
  }
  usage.use(object, objectivePath(targetKey));
  let timeSliceTarget = percent;
  if (method === 'Timeslices') {
    const slice = objective['timeSliceWindow'];
    if (slice !== '1m')
      throw new Refusal(object, objectivePath('timeSliceWindow'), `time slices of ${String(slice)}: Vigil's slices are one minute (1m)`);
    timeSliceTarget = toPercent(Number(objective['timeSliceTarget']));
    if (!(timeSliceTarget >= 50)) {
      throw new Refusal(
        object,
        objectivePath('timeSliceTarget'),
        `a slice target of ${timeSliceTarget}%: Vigil's are at least 50% (docs/configuration.md ("Objectives are percentages"))`,
      );
    }
    usage.use(object, objectivePath('timeSliceWindow'), objectivePath('timeSliceTarget'));
  }

  const sloAnnotations = dictOf(metadata['annotations']);
  const minEventsText = sloAnnotations[ANNOTATION.minEvents];
  const minEvents = minEventsText === undefined ? 0 : Number(minEventsText);
  if (!Number.isInteger(minEvents) || minEvents < 0) {
    throw new Refusal(object, ['metadata', 'annotations', ANNOTATION.minEvents], 'vigil/min-events: expected a whole number ≥ 0');
  }
  const displayName = str(sloAnnotations[ANNOTATION.displayName]) ?? str(metadata['displayName']);
  usage.use(
    object,
    ['metadata', 'displayName'],
    ...[ANNOTATION.minEvents, ANNOTATION.displayName].map((k) => ['metadata', 'annotations', k]),
  );

  const sloSpec: SloSpec = {
    name: numerator.slo,
    ...(displayName !== undefined && { displayName }),
    objective: percent,
    window,
    budgeting: method === 'Timeslices' ? 'timeslices' : 'occurrences',
    timeSliceTarget,
    sli,
    alerting: { minEvents },
  };

  // Burn-rate alerts: each policy one of Vigil's pairs.
  const leftovers: ConfigProblem[] = [];
  const pairs: AlertWindowPair[] = [];
  listOf(spec['alertPolicies']).forEach((_, i) => {
    const local = new Usage();
    try {
      pairs.push(pairFrom(object, ['spec', 'alertPolicies', i], find, local, sloSpec, journey.spec.name));
      local.mergeInto(usage);
      usage.use(object, ['spec', 'alertPolicies', i]);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      usage.use(object, ['spec', 'alertPolicies', i]);
      usage.explain(error.object, ...local.touched().filter((o) => o !== object));
      leftovers.push(placeProblem(error.object, { path: error.path, at: 'value', message: `not imported: ${error.message}` }));
    }
  });
  const builtIn = alertWindowsFor({ window, alerting: { minEvents } });
  const same = pairs.length === builtIn.length && pairs.every((p, i) => samePair(p, builtIn[i]!));
  const windowsWritten = pairs.length > 0 && !same;
  if (windowsWritten) sloSpec.alerting.windows = pairs;

  // The SLO's description: Vigil's own words are known; any other text is named as not kept.
  const words = sliDescription({ ...journey.spec, slos: [] }, sloSpec);
  if (
    spec['description'] === words ||
    (typeof spec['description'] === 'string' && words.length > 1050 && spec['description'].endsWith('…'))
  ) {
    usage.use(object, ['spec', 'description']);
  }
  return { journey, spec: sloSpec, windowsWritten, ...(timeZone !== undefined && { timeZone }), leftovers };
}

function samePair(a: AlertWindowPair, b: AlertWindowPair): boolean {
  return (
    a.severity === b.severity && a.shortMinutes === b.shortMinutes && a.longMinutes === b.longMinutes && a.budgetPercent === b.budgetPercent
  );
}

const CALENDAR_UNITS: Record<string, 'week' | 'month' | 'quarter'> = {
  '1w': 'week',
  '7d': 'week',
  '1M': 'month',
  '1Q': 'quarter',
  '3M': 'quarter',
};

function windowOf(object: CheckedObject, window: Dict, usage: Usage): { window: WindowSpec; timeZone?: string } {
  const path: ConfigPath = ['spec', 'timeWindow', 0];
  const duration = String(window['duration']);
  if (window['isRolling'] === true) {
    const unit = parseShorthand(duration)?.unit;
    if (unit === 'M' || unit === 'Q' || unit === 'Y') {
      throw new Refusal(
        object,
        [...path, 'duration'],
        `a rolling ${duration}: Vigil's rolling windows are minutes, hours, days or weeks (e.g. 30d); months, quarters and years are calendar windows`,
      );
    }
    const parsed = parseWindow(duration);
    if (!parsed.ok) throw new Refusal(object, [...path, 'duration'], parsed.message);
    usage.use(object, [...path, 'duration'], [...path, 'isRolling']);
    return { window: parsed.value };
  }
  const unit = CALENDAR_UNITS[duration];
  if (!unit)
    throw new Refusal(
      object,
      [...path, 'duration'],
      `a calendar window of ${duration}: Vigil's calendar windows are a week (1w), a month (1M) or a quarter (1Q)`,
    );
  const calendar = dictOf(window['calendar']);
  const start = parseStartTime(String(calendar['startTime']));
  const aligned =
    start !== undefined &&
    start.hour === 0 &&
    start.minute === 0 &&
    start.second === 0 &&
    (unit === 'week' ? new Date(Date.UTC(start.year, start.month - 1, start.day)).getUTCDay() === 1 : start.day === 1) &&
    (unit !== 'quarter' || start.month % 3 === 1);
  if (!aligned) {
    const when = { week: 'a Monday', month: 'the first of a month', quarter: 'the first of January, April, July or October' }[unit];
    throw new Refusal(
      object,
      [...path, 'calendar', 'startTime'],
      `Vigil's calendar ${unit}s start at midnight on ${when} (e.g. ${CALENDAR_START})`,
    );
  }
  usage.use(object, [...path, 'duration'], [...path, 'isRolling'], [...path, 'calendar']);
  return { window: { kind: 'calendar', unit, text: unit }, timeZone: String(calendar['timeZone']) };
}

/** One alert policy of an SLO as a Vigil pair: a policy whose one condition carries Vigil's annotations. */
function pairFrom(slo: CheckedObject, path: ConfigPath, find: Finder, usage: Usage, spec: SloSpec, journey: string): AlertWindowPair {
  const item = dictOf(listOf(dictOf(dictOf(slo.data)['spec'])['alertPolicies'])[Number(path.at(-1))]);
  let policy: { object: CheckedObject; base: ConfigPath };
  if (item['alertPolicyRef'] !== undefined) {
    const found = find('AlertPolicy', item['alertPolicyRef']);
    if (!found)
      throw new Refusal(slo, [...path, 'alertPolicyRef'], `no AlertPolicy named '${String(item['alertPolicyRef'])}' among the files read`);
    policy = { object: found, base: [] };
    usage.use(found, ['apiVersion'], ['kind'], ['metadata', 'name']);
  } else {
    policy = { object: slo, base: path };
    usage.use(slo, [...path, 'kind'], [...path, 'metadata', 'name']);
  }
  const policyData = dictOf(policy.base.length === 0 ? policy.object.data : item);
  const policySpec = dictOf(policyData['spec']);
  const pAt = (...p: ConfigPath): ConfigPath => [...policy.base, 'spec', ...p];
  if (policySpec['alertWhenBreaching'] !== true) {
    throw new Refusal(
      policy.object,
      pAt('alertWhenBreaching'),
      'a policy that does not alert when breaching; Vigil alerts when both burn rates exceed the threshold',
    );
  }
  if (policySpec['alertWhenNoData'] === true) {
    throw new Refusal(
      policy.object,
      pAt('alertWhenNoData'),
      'alertWhenNoData: Vigil raises no burn-rate alert without events (the burn rate is then unknown)',
    );
  }
  usage.use(policy.object, pAt('alertWhenBreaching'), pAt('alertWhenResolved'), pAt('alertWhenNoData'));

  const conditionItem = dictOf(listOf(policySpec['conditions'])[0]);
  let condition: { object: CheckedObject; base: ConfigPath };
  if (conditionItem['conditionRef'] !== undefined) {
    const found = find('AlertCondition', conditionItem['conditionRef']);
    if (!found)
      throw new Refusal(
        policy.object,
        pAt('conditions', 0, 'conditionRef'),
        `no AlertCondition named '${String(conditionItem['conditionRef'])}' among the files read`,
      );
    condition = { object: found, base: [] };
    usage.use(found, ['apiVersion'], ['kind'], ['metadata', 'name']);
    usage.use(policy.object, pAt('conditions', 0, 'conditionRef'));
  } else {
    condition = { object: policy.object, base: pAt('conditions', 0) };
    usage.use(policy.object, pAt('conditions', 0, 'kind'), pAt('conditions', 0, 'metadata', 'name'));
  }
  const conditionData = dictOf(condition.base.length === 0 ? condition.object.data : conditionItem);
  const cAt = (...p: ConfigPath): ConfigPath => [...condition.base, ...p];
  const cSpec = dictOf(conditionData['spec']);
  const rule = dictOf(cSpec['condition']);
  const ann = dictOf(dictOf(conditionData['metadata'])['annotations']);
  const severity = cSpec['severity'];
  if (severity !== 'page' && severity !== 'ticket') {
    throw new Refusal(
      condition.object,
      cAt('spec', 'severity'),
      `severity ${JSON.stringify(severity)}: Vigil's burn-rate alerts are a page or a ticket`,
    );
  }
  if (rule['op'] !== 'gt')
    throw new Refusal(
      condition.object,
      cAt('spec', 'condition', 'op'),
      `op ${String(rule['op'])}: a Vigil alert fires when the burn rate is above (gt) its threshold`,
    );
  if (rule['alertAfter'] !== undefined) {
    throw new Refusal(
      condition.object,
      cAt('spec', 'condition', 'alertAfter'),
      'alertAfter: a Vigil pair fires as soon as both windows burn too fast; its short window plays that part',
    );
  }
  const long = parseShorthand(String(rule['lookbackWindow']));
  const longMinutes = long && 'mhdw'.includes(long.unit) ? parseDurationMinutes(String(rule['lookbackWindow'])) : undefined;
  if (!longMinutes?.ok)
    throw new Refusal(
      condition.object,
      cAt('spec', 'condition', 'lookbackWindow'),
      "lookbackWindow: Vigil's alert windows are minutes, hours, days or weeks",
    );
  const shortText = ann[ANNOTATION.shortWindow];
  const short = typeof shortText === 'string' ? parseDurationMinutes(shortText) : undefined;
  if (!short?.ok) {
    const where = shortText === undefined ? cAt('metadata') : cAt('metadata', 'annotations', ANNOTATION.shortWindow);
    throw new Refusal(
      condition.object,
      where,
      "no vigil/short-window (such as 5m): a Vigil alert checks a short window beside the long one, and OpenSLO's condition has one window",
    );
  }
  const budgetPercent = Number(ann[ANNOTATION.budgetPercent]);
  if (!(budgetPercent > 0 && budgetPercent <= 100)) {
    const where = ann[ANNOTATION.budgetPercent] === undefined ? cAt('metadata') : cAt('metadata', 'annotations', ANNOTATION.budgetPercent);
    throw new Refusal(
      condition.object,
      where,
      'no vigil/budget-percent (0 < b ≤ 100): the share of the budget the pair guards, which sets its threshold',
    );
  }
  const pair: AlertWindowPair = {
    severity,
    short: durationText(short.value),
    long: durationText(longMinutes.value),
    shortMinutes: short.value,
    longMinutes: longMinutes.value,
    budgetPercent,
  };
  const threshold = alertThreshold(spec.window, pair);
  if (rule['threshold'] !== threshold) {
    throw new Refusal(
      condition.object,
      cAt('spec', 'condition', 'threshold'),
      `threshold ${String(rule['threshold'])} is not ${threshold}, the burn rate that spends vigil/budget-percent ${budgetPercent}% ` +
        `of the ${spec.window.text} budget in ${pair.long}; change both together`,
    );
  }
  usage.use(
    condition.object,
    cAt('spec', 'severity'),
    cAt('spec', 'condition'),
    cAt('metadata', 'annotations', ANNOTATION.shortWindow),
    cAt('metadata', 'annotations', ANNOTATION.budgetPercent),
  );
  if (cSpec['description'] === conditionDescription(spec.window, pair)) usage.use(condition.object, cAt('spec', 'description'));
  if (policySpec['description'] === policyDescription(journey, spec.name, pair)) usage.use(policy.object, pAt('description'));

  // Vigil's own notification targets; any other is named by the caller as a leftover.
  listOf(policySpec['notificationTargets']).forEach((target, i) => {
    const ref = dictOf(target)['targetRef'];
    const found = ref !== undefined ? find('AlertNotificationTarget', ref) : undefined;
    const targetAnn = dictOf(dictOf(dictOf(found?.data)['metadata'])['annotations']);
    if (found && targetAnn[ANNOTATION.severity] === severity) {
      usage.use(policy.object, pAt('notificationTargets', i));
      usage.use(found, ['apiVersion'], ['kind'], ['metadata'], ['spec', 'target']);
      if (dictOf(dictOf(found.data)['spec'])['description'] === targetDescription(severity)) usage.use(found, ['spec', 'description']);
    }
  });
  return pair;
}

/**
 * A journey, or one SLO of it, that does not load in a configuration of that journey alone is refused with the loader's
 * words, so that the vigil.yaml written always loads.
 */
function checkLoads(journey: JourneyDraft, slo: SloSpec | undefined, timeZone: string | undefined, object: CheckedObject): void {
  const probe: JourneyDraft = { ...journey, slos: slo ? [{ object, spec: slo, windowsWritten: slo.alerting.windows !== undefined }] : [] };
  const loaded = loadConfigFromString(vigilYaml([probe], timeZone, []), 'probe.yaml');
  if (loaded.ok) return;
  const words = loaded.errors.map((p) => p.message.replace(/^journeys\[0\]\.slos\[0\]\./, '').replace(/^journeys\[0\]\./, '')).join('; ');
  if (slo) throw new Refusal(object, [], `as a Vigil SLO it does not validate: ${words}`);
  throw new Refusal(object, ['metadata', 'annotations'], `as a Vigil journey it does not validate: ${words}`);
}

// ---- vigil.yaml ------------------------------------------------------------------------------------------------------

function sloYaml(slo: SloSpec, windowsWritten: boolean): Record<string, unknown> {
  const sli: Record<string, unknown> = { kind: slo.sli.kind };
  if (slo.sli.thresholdMs !== undefined) sli['thresholdMs'] = slo.sli.thresholdMs;
  if (slo.sli.step !== undefined) sli['step'] = slo.sli.step;
  if (slo.sli.abandonedIsBad) sli['abandonedIsBad'] = true;
  if (slo.sli.weight === 'amount') sli['weight'] = 'amount';
  const alerting: Record<string, unknown> = {};
  if (slo.alerting.minEvents > 0) alerting['minEvents'] = slo.alerting.minEvents;
  if (windowsWritten && slo.alerting.windows) {
    alerting['windows'] = slo.alerting.windows.map((p) => ({
      severity: p.severity,
      short: p.short,
      long: p.long,
      budgetPercent: p.budgetPercent,
    }));
  }
  return {
    name: slo.name,
    ...(slo.displayName !== undefined && { displayName: slo.displayName }),
    objective: slo.objective,
    window: slo.window.text,
    ...(slo.budgeting === 'timeslices' && { budgeting: 'timeslices', timeSliceTarget: slo.timeSliceTarget }),
    sli,
    ...(Object.keys(alerting).length > 0 && { alerting }),
  };
}

/** The vigil.yaml of the imported journeys: steps and SLIs in flow style, as people write them. */
function vigilYaml(journeys: JourneyDraft[], timeZone: string | undefined, files: string[]): string {
  const tiers: Record<string, { objective: number }> = {};
  for (const journey of journeys) {
    if (DEFAULT_TIERS[journey.spec.tier]?.objective !== journey.tierObjective)
      tiers[journey.spec.tier] = { objective: journey.tierObjective };
  }
  const data = {
    version: 'vigil/v1',
    ...(timeZone !== undefined && { defaults: { timezone: timeZone } }),
    ...(Object.keys(tiers).length > 0 && { tiers }),
    journeys: journeys.map(({ spec, slos, regulation }) => ({
      name: spec.name,
      displayName: spec.displayName,
      ...(spec.description !== undefined && { description: spec.description }),
      tier: spec.tier,
      ...(spec.owner !== undefined && { owner: spec.owner }),
      ...(spec.value !== undefined && { value: spec.value }),
      ...(regulation !== undefined && { regulation }),
      ...(spec.public === true && { public: true, publicName: spec.publicName }),
      steps: spec.steps.map((s) => ({
        name: s.name,
        ...(s.displayName !== undefined && { displayName: s.displayName }),
        services: s.services,
        ...(s.critical && { critical: true }),
      })),
      slos: slos.map((s) => sloYaml(s.spec, s.windowsWritten)),
    })),
  };
  const doc = new Document(data);
  // Steps, SLIs and values on one line each, as in the configuration reference.
  const journeysNode = doc.get('journeys') as Node | undefined;
  if (isSeq(journeysNode)) {
    for (const journey of journeysNode.items) {
      if (!isMap(journey)) continue;
      for (const key of ['value']) {
        const node = journey.get(key, true);
        if (isMap(node)) node.flow = true;
      }
      const steps = journey.get('steps', true);
      if (isSeq(steps)) for (const step of steps.items) if (isMap(step)) step.flow = true;
      const slos = journey.get('slos', true);
      if (isSeq(slos)) {
        for (const slo of slos.items) {
          const sli = isMap(slo) ? slo.get('sli', true) : undefined;
          if (isMap(sli)) sli.flow = true;
        }
      }
    }
  }
  const header =
    files.length > 0
      ? `# Written by \`vigil import openslo\` from ${files.join(', ')}.\n# Parts it could not import are listed on standard error, each with file:line:col.\n`
      : '';
  return `${header}${doc.toString({ lineWidth: 0 })}`;
}
