/** From an alert to its service and journey stages (docs/alerting.md ("Mapping alerts to journeys")): explicit service, service rules, then service labels. */
import type { AlertSource, IncomingAlert, Stage } from '../model/alert.js';
import type { AlertingSpec, ServiceRule } from '../model/config.js';
import type { JourneyMap } from './journey-map.js';

/** Longest label value a `/regex/` rule is matched against (docs/configuration.md ("Regular expressions")); longer ones never match. */
export const MAX_MATCHED_LABEL_LENGTH = 1024;

export type LabelTest = (value: string | undefined) => boolean;
interface CompiledRule {
  tests: [label: string, test: LabelTest][];
  service: string;
}

/**
 * A label matcher: a value written `/…/` is a regular expression that must match the whole label value
 * (anchored, as Prometheus and Alertmanager matchers are); anything else must equal it exactly.
 * A missing label never matches, not even `/.*\/`. `otel.rules` match span fields the same way (docs/opentelemetry.md ("Rules")).
 * @example labelTest('/payments-[a-z]+/')('payments-api') // true
 */
export function labelTest(expected: string): LabelTest {
  if (expected.length >= 2 && expected.startsWith('/') && expected.endsWith('/')) {
    const pattern = new RegExp(`^(?:${expected.slice(1, -1)})$`);
    // However safe the pattern's shape, a label longer than this is never run through it.
    return (value) => value !== undefined && value.length <= MAX_MATCHED_LABEL_LENGTH && pattern.test(value);
  }
  return (value) => value === expected;
}

function compileRules(rules: readonly ServiceRule[]): CompiledRule[] {
  return rules.map((rule) => ({
    tests: Object.entries(rule.match).map(([label, value]) => [label, labelTest(value)]),
    service: rule.service,
  }));
}

/** The service resolver for one alerting configuration, with its rules compiled once. */
export type ServiceResolver = (incoming: Pick<IncomingAlert, 'service' | 'labels'>) => string | null;

/**
 * Compiles `alerting` into a resolver: the explicit `service` field wins; then the first service rule
 * whose every label matches; then the first label named in `serviceLabels` that is present and not empty.
 * @example createServiceResolver(alerting)({ labels: { job: 'core-ledger' } }) // 'core-ledger'
 */
export function createServiceResolver(alerting: Pick<AlertingSpec, 'serviceLabels' | 'serviceRules'>): ServiceResolver {
  const rules = compileRules(alerting.serviceRules);
  const serviceLabels = [...alerting.serviceLabels];
  return (incoming) => {
    if (typeof incoming.service === 'string' && incoming.service !== '') return incoming.service;
    const labels = incoming.labels;
    for (const rule of rules) {
      if (rule.tests.every(([label, test]) => test(labels[label]))) return rule.service;
    }
    for (const label of serviceLabels) {
      const value = labels[label];
      if (value !== undefined && value !== '') return value;
    }
    return null;
  };
}

const resolvers = new WeakMap<object, ServiceResolver>();

/**
 * The service an alert is about, or null (docs/alerting.md ("Mapping alerts to journeys")). Compiled rules are cached per `alerting` object.
 * @example resolveService({ …incoming, service: null, labels: { app: 'fraud-check' } }, alerting) // 'fraud-check'
 */
export function resolveService(incoming: Pick<IncomingAlert, 'service' | 'labels'>, alerting: AlertingSpec): string | null {
  let resolver = resolvers.get(alerting);
  if (!resolver) {
    resolver = createServiceResolver(alerting);
    resolvers.set(alerting, resolver);
  }
  return resolver(incoming);
}

/**
 * The journey stages an alert touches. Alerts that carry stages (SLO burn alerts) keep those the
 * configuration still knows; other alerts get every step that lists their service; none without a service.
 * @example stagesFor({ source: 'alertmanager', service: 'core-ledger' }, map) // every step depending on core-ledger
 */
export function stagesFor(
  alert: { source: AlertSource; service: string | null; stages?: readonly Stage[] | undefined },
  map: JourneyMap,
): Stage[] {
  if (alert.stages && alert.stages.length > 0) {
    const known = alert.stages
      .filter((stage) => map.stageInfo(stage) !== null)
      .map((stage) => ({ journey: stage.journey, step: stage.step }));
    if (known.length > 0 || alert.source === 'slo') return known;
  }
  return alert.service === null ? [] : [...map.stagesOf(alert.service)];
}
