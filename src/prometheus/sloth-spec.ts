/**
 * Reading Sloth specs (docs/prometheus.md ("Importing Sloth specs")): `prometheus/v1` documents, Sloth's Kubernetes
 * `PrometheusServiceLevel` objects and the `openslo/v1alpha` SLOs Sloth accepts, into SLOs ready for `rules.ts`, with
 * every problem at file:line:col. Sloth's own rules apply: the same IDs, names, labels, period windows and checks.
 * Keys Sloth does not know are ignored, as Sloth ignores them, and named as warnings. Pure: text in, data out.
 */
import { type Document, isMap, LineCounter, parseAllDocuments } from 'yaml';
import { locate } from '../config/locate.js';
import { type ConfigPath, describeValue, formatPath } from '../config/messages.js';
import { checkPromqlShape } from './promql-shape.js';
import { LABEL_NAME, parsePromDuration } from './promql-text.js';
import type { AlertMeta, BurnPair, PeriodWindows } from './rules.js';

export interface SlothProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type SlothSli = { events: { errorQuery: string; totalQuery: string } } | { raw: { errorRatioQuery: string } };

/** One SLO as Sloth's model holds it once loaded. */
export interface SlothSlo {
  id: string;
  name: string;
  service: string;
  description?: string;
  /** Percent. */
  objective: number;
  periodMs: number;
  labels: Record<string, string>;
  sli: SlothSli;
  page?: AlertMeta;
  ticket?: AlertMeta;
}

export type SlothFlavour = 'prometheus/v1' | 'sloth.slok.dev/v1' | 'openslo/v1alpha';

/** One document of the input and the SLOs it declares. */
export interface SlothDocument {
  flavour: SlothFlavour;
  /** `sloth_mode` of its rules, as Sloth's CLI sets it. */
  mode: 'cli-gen-prom' | 'cli-gen-k8s' | 'cli-gen-openslo';
  slos: SlothSlo[];
  /** Kubernetes metadata of a `PrometheusServiceLevel`, for the `PrometheusRule` written for it. */
  k8s?: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface SlothLoadOptions {
  /** The SLO period when the spec names none (Sloth's `--default-slo-period`, 30 days by default). */
  defaultPeriodMs: number;
  /** The alert windows by SLO period: an SLO whose period has none is refused. */
  windows: ReadonlyMap<number, PeriodWindows>;
}

export type SlothLoadResult =
  | { ok: true; documents: SlothDocument[]; warnings: SlothProblem[] }
  | { ok: false; errors: SlothProblem[]; warnings: SlothProblem[] };

/** Sloth's name rule for services, SLO names and IDs. */
const NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/;
/** The one template variable Sloth's SLI queries may use. */
const WINDOW_VAR = /\{\{ *\.window *\}\}/g;
const ANY_ACTION = /\{\{.*?\}\}/gs;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys each part of a spec may have; anything else is ignored with a warning. */
const KNOWN = {
  promRoot: ['version', 'service', 'labels', 'slo_plugins', 'slos'],
  k8sRoot: ['apiVersion', 'kind', 'metadata', 'spec'],
  k8sSpec: ['service', 'labels', 'sloPlugins', 'slos'],
  slo: ['name', 'description', 'objective', 'plugins', 'labels', 'sli', 'alerting'],
  sli: ['raw', 'events', 'plugin'],
  alerting: ['name', 'labels', 'annotations'],
  alert: ['disable', 'labels', 'annotations'],
} as const;

/** Field names that differ between `prometheus/v1` (snake case) and the Kubernetes CRD (camel case). */
const FIELDS = {
  'prometheus/v1': {
    errorQuery: 'error_query',
    totalQuery: 'total_query',
    errorRatioQuery: 'error_ratio_query',
    pageAlert: 'page_alert',
    ticketAlert: 'ticket_alert',
    plugins: 'slo_plugins',
  },
  'sloth.slok.dev/v1': {
    errorQuery: 'errorQuery',
    totalQuery: 'totalQuery',
    errorRatioQuery: 'errorRatioQuery',
    pageAlert: 'pageAlert',
    ticketAlert: 'ticketAlert',
    plugins: 'sloPlugins',
  },
} as const;

/** Problems of one document, located through its YAML nodes. */
class DocReader {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly errors: SlothProblem[],
    private readonly warnings: SlothProblem[],
  ) {}

  private at(path: ConfigPath, message: string, at: 'key' | 'value' = 'value'): SlothProblem {
    const { line, column } = locate(this.doc, this.lines, path, at);
    return { file: this.file, line, column, message: path.length > 0 ? `${formatPath(path)}: ${message}` : message };
  }

  error(path: ConfigPath, message: string): void {
    this.errors.push(this.at(path, message));
  }

  /** Warn about every key of `value` not in `known`. */
  unknownKeys(value: unknown, path: ConfigPath, known: readonly string[]): void {
    if (!isObj(value)) return;
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.warnings.push(this.at([...path, key], 'not a key Sloth reads: ignored, as Sloth ignores it', 'key'));
    }
  }

  string(value: unknown, path: ConfigPath, required: boolean): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.error(path, 'is required');
      return undefined;
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.error(path, `expected a string, got ${describeValue(value)}`);
    return undefined;
  }

  /** A `key: value` mapping of strings (labels, annotations); absent is empty. */
  stringMap(value: unknown, path: ConfigPath): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (!isObj(value)) {
      this.error(path, `expected a mapping, got ${describeValue(value)}`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = this.string(v, [...path, k], false);
      if (s !== undefined) out[k] = s;
      else if (v === null) out[k] = '';
    }
    return out;
  }

  object(value: unknown, path: ConfigPath): Obj | undefined {
    if (value === undefined || value === null) return undefined;
    if (isObj(value)) return value;
    this.error(path, `expected a mapping, got ${describeValue(value)}`);
    return undefined;
  }
}

/** Sloth's label checks: a valid name other than `__name__`, and a non-empty value. */
function checkLabels(r: DocReader, labels: Record<string, string>, path: ConfigPath, what: 'label' | 'annotation'): void {
  for (const [k, v] of Object.entries(labels)) {
    if (what === 'label' && k === '__name__') r.error([...path, k], `the ${what} key '__name__' is not allowed`);
    else if (!LABEL_NAME.test(k)) r.error([...path, k], `'${k}' is not a valid ${what} name`);
    if (v === '') r.error([...path, k], `the ${what} value is required`);
  }
}

/** Sloth's checks of an SLI query template: present, with `{{.window}}`, no other template action, PromQL-shaped. */
function checkQuery(r: DocReader, query: string | undefined, path: ConfigPath): void {
  if (query === undefined || query === '') {
    r.error(path, 'query template is required');
    return;
  }
  if (!query.match(WINDOW_VAR)) {
    r.error(path, 'the query template must contain the {{ .window }} variable');
    return;
  }
  const others = query.replace(WINDOW_VAR, '').match(ANY_ACTION) ?? [];
  if (others.length > 0) {
    r.error(path, `only the {{ .window }} template variable is supported, found ${others[0]}`);
    return;
  }
  const problem = checkPromqlShape(renderWindow(query, '1m'));
  if (problem) r.error(path, `not a PromQL expression: ${problem}`);
}

/** A query template with its window filled in, as Sloth's Go template renders `{{.window}}`. */
export function renderWindow(template: string, window: string): string {
  return template.replace(WINDOW_VAR, window);
}

/** Merge label maps, later ones winning. */
const merge = (...sets: Record<string, string>[]): Record<string, string> => Object.assign({}, ...sets);

function alertMeta(r: DocReader, alerting: Obj | undefined, path: ConfigPath, key: string): AlertMeta | undefined {
  const alert = r.object(alerting?.[key], [...path, key]);
  r.unknownKeys(alert, [...path, key], KNOWN.alert);
  if (alert?.disable === true) return undefined;
  if (alert?.disable !== undefined && typeof alert.disable !== 'boolean') r.error([...path, key, 'disable'], 'expected true or false');
  const name = r.string(alerting?.name, [...path, 'name'], false) ?? '';
  if (name === '') {
    r.error([...path, 'name'], `alert name is required (or set ${key}.disable: true)`);
    return undefined;
  }
  const labels = merge(r.stringMap(alerting?.labels, [...path, 'labels']), r.stringMap(alert?.labels, [...path, key, 'labels']));
  const annotations = merge(
    r.stringMap(alerting?.annotations, [...path, 'annotations']),
    r.stringMap(alert?.annotations, [...path, key, 'annotations']),
  );
  checkLabels(r, labels, [...path, 'labels'], 'label');
  checkLabels(r, annotations, [...path, 'annotations'], 'annotation');
  return { name, labels, annotations };
}

/** The SLOs of a `prometheus/v1` spec or of a `PrometheusServiceLevel`'s `spec`. */
function slothSlos(
  r: DocReader,
  spec: Obj,
  base: ConfigPath,
  flavour: 'prometheus/v1' | 'sloth.slok.dev/v1',
  options: SlothLoadOptions,
): SlothSlo[] {
  const f = FIELDS[flavour];
  const service = r.string(spec.service, [...base, 'service'], false) ?? '';
  if (!NAME.test(service))
    r.error([...base, 'service'], service === '' ? 'the service is required' : `'${service}' is not a valid Sloth name`);
  const specLabels = r.stringMap(spec.labels, [...base, 'labels']);
  if (spec[f.plugins] !== undefined) r.error([...base, f.plugins], 'SLO plugins are Go code that Sloth loads; Vigil cannot run them');
  if (!options.windows.has(options.defaultPeriodMs))
    r.error([], `no alert windows for a ${options.defaultPeriodMs / 86_400_000} day SLO period (give them with --windows-dir)`);
  const list = spec.slos;
  if (!Array.isArray(list) || list.length === 0) {
    r.error([...base, 'slos'], 'at least one SLO is required');
    return [];
  }
  const out: SlothSlo[] = [];
  list.forEach((raw, i) => {
    const path = [...base, 'slos', i];
    const slo = r.object(raw, path);
    if (!slo) {
      r.error(path, 'expected a mapping');
      return;
    }
    r.unknownKeys(slo, path, KNOWN.slo);
    const name = r.string(slo.name, [...path, 'name'], false) ?? '';
    if (!NAME.test(name)) r.error([...path, 'name'], name === '' ? 'the SLO name is required' : `'${name}' is not a valid Sloth name`);
    const objective = slo.objective;
    if (typeof objective !== 'number' || !(objective > 0 && objective <= 100)) {
      r.error([...path, 'objective'], `the objective must be > 0 and ≤ 100, got ${describeValue(objective)}`);
    }
    if (slo.plugins !== undefined) r.error([...path, 'plugins'], 'SLO plugins are Go code that Sloth loads; Vigil cannot run them');
    const labels = merge(specLabels, r.stringMap(slo.labels, [...path, 'labels']));
    checkLabels(r, labels, [...path, 'labels'], 'label');
    const sli = readSli(r, slo.sli, [...path, 'sli'], f);
    const alerting = r.object(slo.alerting, [...path, 'alerting']);
    r.unknownKeys(alerting, [...path, 'alerting'], [...KNOWN.alerting, f.pageAlert, f.ticketAlert]);
    const page = alertMeta(r, alerting, [...path, 'alerting'], f.pageAlert);
    const ticket = alertMeta(r, alerting, [...path, 'alerting'], f.ticketAlert);
    if (!sli || typeof objective !== 'number') return;
    out.push({
      id: `${service}-${name}`,
      name,
      service,
      ...(typeof slo.description === 'string' && { description: slo.description }),
      objective,
      periodMs: options.defaultPeriodMs,
      labels,
      sli,
      ...(page && { page }),
      ...(ticket && { ticket }),
    });
  });
  return out;
}

function readSli(r: DocReader, value: unknown, path: ConfigPath, f: (typeof FIELDS)[keyof typeof FIELDS]): SlothSli | undefined {
  const sli = r.object(value, path);
  r.unknownKeys(sli, path, KNOWN.sli);
  if (sli?.plugin !== undefined) {
    r.error([...path, 'plugin'], 'SLI plugins are Go code that Sloth loads; Vigil cannot run them');
    return undefined;
  }
  const events = r.object(sli?.events, [...path, 'events']);
  const raw = r.object(sli?.raw, [...path, 'raw']);
  if (!events && !raw) {
    r.error(path, 'an SLI is required: events (error and total queries) or raw (an error ratio query)');
    return undefined;
  }
  if (events && raw) {
    r.error(path, 'only one SLI type is allowed: events or raw');
    return undefined;
  }
  if (events) {
    r.unknownKeys(events, [...path, 'events'], [f.errorQuery, f.totalQuery]);
    const errorQuery = r.string(events[f.errorQuery], [...path, 'events', f.errorQuery], false) ?? '';
    const totalQuery = r.string(events[f.totalQuery], [...path, 'events', f.totalQuery], false) ?? '';
    if (errorQuery !== '' && errorQuery === totalQuery) r.error([...path, 'events'], "the error and total queries can't be the same");
    checkQuery(r, errorQuery, [...path, 'events', f.errorQuery]);
    checkQuery(r, totalQuery, [...path, 'events', f.totalQuery]);
    return { events: { errorQuery, totalQuery } };
  }
  r.unknownKeys(raw, [...path, 'raw'], [f.errorRatioQuery]);
  const errorRatioQuery = r.string(raw?.[f.errorRatioQuery], [...path, 'raw', f.errorRatioQuery], false) ?? '';
  checkQuery(r, errorRatioQuery, [...path, 'raw', f.errorRatioQuery]);
  return { raw: { errorRatioQuery } };
}

/** Sloth's mapping of an OpenSLO `v1alpha` SLO: each ratio objective an SLO `<name>-<index>`, its error ratio 1 − good/total. */
function openSloSlos(r: DocReader, root: Obj, options: SlothLoadOptions): SlothSlo[] {
  const metadata = r.object(root.metadata, ['metadata']);
  const spec = r.object(root.spec, ['spec']);
  const sloName = r.string(metadata?.name, ['metadata', 'name'], true) ?? '';
  const service = r.string(spec?.service, ['spec', 'service'], false) ?? '';
  if (!NAME.test(service))
    r.error(['spec', 'service'], service === '' ? 'the service is required' : `'${service}' is not a valid Sloth name`);
  let periodMs = options.defaultPeriodMs;
  const timeWindows = spec?.timeWindows;
  if (Array.isArray(timeWindows) && timeWindows.length > 0) {
    if (timeWindows.length > 1) r.error(['spec', 'timeWindows'], 'only one time window is supported');
    const tw = r.object(timeWindows[0], ['spec', 'timeWindows', 0]);
    if (String(tw?.unit ?? '').toLowerCase() !== 'day')
      r.error(['spec', 'timeWindows', 0, 'unit'], 'only days based time windows are supported');
    else if (typeof tw?.count !== 'number' || !Number.isInteger(tw.count) || tw.count <= 0)
      r.error(['spec', 'timeWindows', 0, 'count'], `expected a whole number of days, got ${describeValue(tw?.count)}`);
    else periodMs = tw.count * 86_400_000;
  }
  const objectives = spec?.objectives;
  if (!Array.isArray(objectives) || objectives.length === 0) {
    r.error(['spec', 'objectives'], 'at least one SLO is required');
    return [];
  }
  if (!options.windows.has(periodMs)) r.error(['spec', 'timeWindows'], `no alert windows for a ${periodMs / 86_400_000} day SLO period`);
  const out: SlothSlo[] = [];
  objectives.forEach((raw, i) => {
    const path = ['spec', 'objectives', i];
    const objective = r.object(raw, path);
    const ratio = r.object(objective?.ratioMetrics, [...path, 'ratioMetrics']);
    if (!ratio) {
      r.error(path, 'only ratioMetrics objectives are supported');
      return;
    }
    const query = (which: 'good' | 'total'): string | undefined => {
      const part = r.object(ratio[which], [...path, 'ratioMetrics', which]);
      if (part?.source !== 'prometheus' && part?.source !== 'sloth')
        r.error([...path, 'ratioMetrics', which, 'source'], `prometheus or sloth query ratio '${which}' source is required`);
      if (part?.queryType !== 'promql')
        r.error([...path, 'ratioMetrics', which, 'queryType'], `unsupported '${which}' indicator query type: ${String(part?.queryType)}`);
      const q = r.string(part?.query, [...path, 'ratioMetrics', which, 'query'], true);
      checkQuery(r, q, [...path, 'ratioMetrics', which, 'query']);
      return q;
    };
    const good = query('good');
    const total = query('total');
    const target = objective?.target;
    if (typeof target !== 'number' || !(target > 0 && target <= 1)) {
      r.error([...path, 'target'], `expected a ratio in (0, 1], got ${describeValue(target)}`);
      return;
    }
    if (good === undefined || total === undefined) return;
    const name = `${sloName}-${i}`;
    if (!NAME.test(name)) r.error(['metadata', 'name'], `'${name}' is not a valid Sloth name`);
    out.push({
      id: `${service}-${name}`,
      name,
      service,
      ...(typeof spec?.description === 'string' && { description: spec.description }),
      objective: target * 100,
      periodMs,
      labels: {},
      sli: { raw: { errorRatioQuery: `\n  1 - (\n    (\n      ${good}\n    )\n    /\n    (\n      ${total}\n    )\n  )\n` } },
    });
  });
  return out;
}

/** Which flavour a document is, by its version keys; undefined: none Sloth reads. */
function flavourOf(root: Obj): SlothFlavour | undefined {
  if (root.version === 'prometheus/v1') return 'prometheus/v1';
  if (root.apiVersion === 'sloth.slok.dev/v1' && root.kind === 'PrometheusServiceLevel') return 'sloth.slok.dev/v1';
  if (root.apiVersion === 'openslo/v1alpha' && root.kind === 'SLO') return 'openslo/v1alpha';
  return undefined;
}

/**
 * Loads every document of some Sloth spec files. SLO IDs must be unique across all of them (as Sloth requires).
 * @example loadSlothSpecs([{ file: 'slos.yaml', text }], { defaultPeriodMs: 30 * 86_400_000, windows: DEFAULT_SLOTH_WINDOWS })
 */
export function loadSlothSpecs(sources: readonly { file: string; text: string }[], options: SlothLoadOptions): SlothLoadResult {
  const errors: SlothProblem[] = [];
  const warnings: SlothProblem[] = [];
  const documents: SlothDocument[] = [];
  const seen = new Set<string>();
  for (const { file, text } of sources) {
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) {
      for (const e of doc.errors) {
        const { line, col } = lines.linePos(e.pos[0]);
        errors.push({ file, line, column: col, message: `YAML: ${e.message.split('\n')[0]}` });
      }
      if (doc.errors.length > 0) continue;
      if (doc.contents === null) continue; // an empty document between separators
      const r = new DocReader(file, doc as Document, lines, errors, warnings);
      const root = doc.toJS() as unknown;
      if (!isMap(doc.contents) || !isObj(root)) {
        r.error([], 'expected a mapping');
        continue;
      }
      const flavour = flavourOf(root);
      const before = errors.length;
      let document: SlothDocument | undefined;
      if (flavour === undefined) {
        const version = root.version ?? root.apiVersion;
        r.error(
          root.version !== undefined ? ['version'] : root.apiVersion !== undefined ? ['apiVersion'] : [],
          version === undefined
            ? "not a Sloth spec: no 'version: prometheus/v1' nor a sloth.slok.dev/v1 PrometheusServiceLevel or openslo/v1alpha SLO"
            : `unsupported spec version ${describeValue(version)}: Sloth reads prometheus/v1, sloth.slok.dev/v1 PrometheusServiceLevel and openslo/v1alpha SLO`,
        );
      } else if (flavour === 'prometheus/v1') {
        r.unknownKeys(root, [], KNOWN.promRoot);
        document = { flavour, mode: 'cli-gen-prom', slos: slothSlos(r, root, [], flavour, options) };
      } else if (flavour === 'sloth.slok.dev/v1') {
        r.unknownKeys(root, [], KNOWN.k8sRoot);
        const metadata = r.object(root.metadata, ['metadata']);
        const name = r.string(metadata?.name, ['metadata', 'name'], true) ?? '';
        const namespace = r.string(metadata?.namespace, ['metadata', 'namespace'], false);
        const spec = r.object(root.spec, ['spec']) ?? {};
        r.unknownKeys(spec, ['spec'], KNOWN.k8sSpec);
        const labels = r.stringMap(metadata?.labels, ['metadata', 'labels']);
        const annotations = r.stringMap(metadata?.annotations, ['metadata', 'annotations']);
        document = {
          flavour,
          mode: 'cli-gen-k8s',
          slos: slothSlos(r, spec, ['spec'], flavour, options),
          k8s: {
            name,
            ...(namespace !== undefined && { namespace }),
            ...(Object.keys(labels).length > 0 && { labels }),
            ...(Object.keys(annotations).length > 0 && { annotations }),
          },
        };
      } else {
        document = { flavour, mode: 'cli-gen-openslo', slos: openSloSlos(r, root, options) };
      }
      if (document && errors.length === before) {
        const { flavour: kind, slos } = document;
        slos.forEach((slo, index) => {
          if (seen.has(slo.id)) r.error(pathOfSlo(kind, index), `duplicate SLO ID '${slo.id}' (Sloth requires unique IDs)`);
          seen.add(slo.id);
        });
        documents.push(document);
      }
    }
  }
  if (errors.length === 0 && documents.length === 0)
    errors.push({ file: sources.map((s) => s.file).join(', '), line: 0, column: 0, message: 'no Sloth spec in the input' });
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, documents, warnings };
}

function pathOfSlo(flavour: SlothFlavour, index: number): ConfigPath {
  if (flavour === 'prometheus/v1') return ['slos', index, 'name'];
  if (flavour === 'sloth.slok.dev/v1') return ['spec', 'slos', index, 'name'];
  return ['spec', 'objectives', index];
}

/**
 * Reads one Sloth `AlertWindows` file (`apiVersion: sloth.slok.dev/v1`, `kind: AlertWindows`): the SLO period and its
 * page and ticket pairs.
 * @example parseAlertWindows(readFileSync('windows/7d.yaml', 'utf8'), '7d.yaml') // { ok: true, windows: { periodMs: 604800000, … } }
 */
export function parseAlertWindows(
  text: string,
  file: string,
): { ok: true; windows: PeriodWindows } | { ok: false; errors: SlothProblem[] } {
  const errors: SlothProblem[] = [];
  const lines = new LineCounter();
  const doc = parseAllDocuments(text, { lineCounter: lines })[0] as Document | undefined;
  if (!doc || doc.errors.length > 0) {
    return { ok: false, errors: [{ file, line: 0, column: 0, message: 'not a YAML document' }] };
  }
  const r = new DocReader(file, doc, lines, errors, []);
  const root = doc.toJS() as unknown;
  if (!isObj(root) || root.apiVersion !== 'sloth.slok.dev/v1' || root.kind !== 'AlertWindows') {
    r.error([], 'not a Sloth AlertWindows spec (apiVersion: sloth.slok.dev/v1, kind: AlertWindows)');
    return { ok: false, errors };
  }
  const spec = r.object(root.spec, ['spec']) ?? {};
  const duration = (value: unknown, path: ConfigPath): number => {
    const ms = typeof value === 'string' ? parsePromDuration(value) : undefined;
    if (!ms) r.error(path, `expected a duration such as 5m or 30d, got ${describeValue(value)}`);
    return ms ?? 0;
  };
  const periodMs = duration(spec.sloPeriod, ['spec', 'sloPeriod']);
  const pair = (severity: 'page' | 'ticket', speed: 'quick' | 'slow'): BurnPair => {
    const path = ['spec', severity, speed];
    const w = r.object(r.object(spec[severity], ['spec', severity])?.[speed], path);
    const budgetPercent = w?.errorBudgetPercent;
    if (typeof budgetPercent !== 'number' || budgetPercent <= 0)
      r.error([...path, 'errorBudgetPercent'], `expected a percentage above 0, got ${describeValue(budgetPercent)}`);
    return {
      budgetPercent: typeof budgetPercent === 'number' ? budgetPercent : 0,
      shortMs: duration(w?.shortWindow, [...path, 'shortWindow']),
      longMs: duration(w?.longWindow, [...path, 'longWindow']),
    };
  };
  const windows: PeriodWindows = {
    periodMs,
    page: [pair('page', 'quick'), pair('page', 'slow')],
    ticket: [pair('ticket', 'quick'), pair('ticket', 'slow')],
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, windows };
}
