/**
 * `vigil export openslo`: a configuration as OpenSLO v1 documents (docs/openslo.md ("Export")) — a Service per journey, an
 * SLO per SLO whose ratio indicator counts Vigil's exported counters, and an AlertCondition and AlertPolicy per burn-rate
 * pair — with what OpenSLO has no field for kept in `vigil/` annotations, so that `vigil import openslo` gives the
 * journeys back unchanged.
 */
import { Document } from 'yaml';
import { alertFactor, alertWindowsFor } from '../../engine/alert-pairs.js';
import {
  type AlertWindowPair,
  DEFAULT_TIERS,
  type JourneySpec,
  type SloSpec,
  type VigilConfig,
  type WindowSpec,
} from '../../model/config.js';
import { ANNOTATION, COUNTER, counterQuery, ObjectNames, rounded, toFraction } from './dialect.js';
import { V1, validateObject } from './schema.js';

type Annotations = Record<string, string>;

/** One OpenSLO v1 object as written. */
export interface ExportedObject {
  apiVersion: typeof V1;
  kind: 'Service' | 'SLO' | 'AlertPolicy' | 'AlertCondition' | 'AlertNotificationTarget';
  metadata: { name: string; displayName?: string; annotations?: Annotations };
  spec: Record<string, unknown>;
}

export interface OpenSloExport {
  objects: ExportedObject[];
  /** The documents, `---` between them. */
  text: string;
  /** Sections of the configuration set there that OpenSLO has no object for; they stay in vigil.yaml. */
  leftOut: string[];
}

const MAX_DISPLAY_NAME = 63;
const MAX_DESCRIPTION = 1050;
/** Where every exported calendar window starts: a Monday, the first day of a month and of a quarter. */
export const CALENDAR_START = '2024-01-01 00:00:00';
/** The period a calendar window's burn-rate threshold is written for; Vigil scales it to the current period's length. */
export const NOMINAL_CALENDAR_DAYS = { week: 7, month: 30, quarter: 90 } as const;
const CALENDAR_DURATION = { week: '1w', month: '1M', quarter: '1Q' } as const;

/** A display name OpenSLO can hold (63 characters); a longer one also goes whole into an annotation. */
function displayName(text: string, annotations: Annotations): string {
  if (text.length <= MAX_DISPLAY_NAME) return text;
  annotations[ANNOTATION.displayName] = text;
  return `${text.slice(0, MAX_DISPLAY_NAME - 1)}…`;
}

function description(text: string, annotations: Annotations): string {
  if (text.length <= MAX_DESCRIPTION) return text;
  annotations[ANNOTATION.description] = text;
  return `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** The SLI in words, for people reading the OpenSLO file (the SLO's description); the annotations are what import reads. */
export function sliDescription(journey: JourneySpec, slo: SloSpec): string {
  if (slo.sli.kind === 'prometheus') {
    const side = slo.sli.prometheus?.good !== undefined ? 'good' : 'bad';
    return `Per-minute increases of the Prometheus counters of ${journey.name}: ${side} and total events, as the ratio metric's queries say.`;
  }
  const scope = slo.sli.step ? `step ${slo.sli.step} of ${journey.name}` : `${journey.name} (whole journey)`;
  const good = slo.sli.kind === 'latency' ? `succeeded within ${slo.sli.thresholdMs} ms` : 'succeeded';
  const abandoned = slo.sli.abandonedIsBad ? 'abandoned ones count as bad' : 'abandoned ones are not counted';
  const weight = slo.sli.weight === 'amount' ? `, each weighed by its amount in ${slo.sli.currency}` : '';
  return `Events of ${scope} that ${good}, among those that succeeded or failed${weight}; rejected outcomes are not counted, ${abandoned}.`;
}

function timeWindow(window: WindowSpec, timeZone: string): Record<string, unknown> {
  if (window.kind === 'rolling') return { duration: window.text, isRolling: true };
  return { duration: CALENDAR_DURATION[window.unit], isRolling: false, calendar: { startTime: CALENDAR_START, timeZone } };
}

function periodMinutes(window: WindowSpec): number {
  return window.kind === 'rolling' ? window.minutes : NOMINAL_CALENDAR_DAYS[window.unit] * 1440;
}

/**
 * The burn-rate threshold written for a pair: the factor of docs/configuration.md ("Alert windows") for the SLO's period
 * (a calendar period at its nominal length).
 * @example alertThreshold({ kind: 'rolling', minutes: 40320, text: '28d' }, WORKBOOK_PAIRS[0]) // 13.44
 */
export function alertThreshold(window: WindowSpec, pair: AlertWindowPair): number {
  return rounded(alertFactor(pair.budgetPercent, periodMinutes(window), pair.longMinutes));
}

/** The words of an exported AlertCondition, AlertPolicy and AlertNotificationTarget (import knows them as Vigil's own). */
export function conditionDescription(window: WindowSpec, pair: AlertWindowPair): string {
  const scaled =
    window.kind === 'calendar' ? ` (for a ${NOMINAL_CALENDAR_DAYS[window.unit]}-day ${window.unit}; Vigil scales it to the period)` : '';
  const threshold = alertThreshold(window, pair);
  const spent = `${pair.budgetPercent}% of the ${window.text} budget spent in ${pair.long}`;
  return `Burn rate over both ${pair.long} and ${pair.short} above ${threshold}${scaled}: ${spent}.`;
}
export function policyDescription(journey: string, slo: string, pair: AlertWindowPair): string {
  return `Vigil's ${pair.severity} alert of ${journey}/${slo}, ${pair.short}/${pair.long}.`;
}
export function targetDescription(severity: 'page' | 'ticket'): string {
  const what = severity === 'page' ? 'a page' : 'a ticket';
  return `Vigil raises ${what} SLO alert; it opens or joins an incident, notified as vigil.yaml's notifications route its priority.`;
}

const object = (kind: ExportedObject['kind'], metadata: ExportedObject['metadata'], spec: Record<string, unknown>): ExportedObject => ({
  apiVersion: V1,
  kind,
  metadata: { ...metadata, ...(metadata.annotations && Object.keys(metadata.annotations).length === 0 && { annotations: undefined }) },
  spec,
});

/** Sections set in the configuration that no OpenSLO object carries. */
function leftOutSections(config: VigilConfig): string[] {
  const out: string[] = [];
  if (config.services.length > 0) out.push('services');
  if (config.alerting.serviceRules.length > 0) out.push('alerting.serviceRules');
  for (const key of ['corrections', 'notifications', 'policy', 'deployments', 'signals', 'benchmarks', 'server', 'sources'] as const) {
    if (config[key] !== undefined) out.push(key);
  }
  return out;
}

/**
 * OpenSLO v1 documents for a configuration's journeys. Every object written passes Vigil's own OpenSLO validation.
 * @example exportOpenSlo(config).text.startsWith('# OpenSLO v1') // true
 */
export function exportOpenSlo(config: VigilConfig): OpenSloExport {
  const names = new ObjectNames();
  const targets = new Map<'page' | 'ticket', ExportedObject>();
  const body: ExportedObject[] = [];
  const timeZone = config.defaults.timezone;

  const targetFor = (severity: 'page' | 'ticket'): string => {
    const existing = targets.get(severity);
    if (existing) return existing.metadata.name;
    const name = names.take('AlertNotificationTarget', `vigil-${severity}`, `vigil-${severity}`);
    targets.set(
      severity,
      object(
        'AlertNotificationTarget',
        { name, displayName: `Vigil ${severity} alerts`, annotations: { [ANNOTATION.severity]: severity } },
        {
          description: targetDescription(severity),
          target: 'vigil',
        },
      ),
    );
    return name;
  };

  for (const journey of config.journeys) {
    const annotations: Annotations = {
      [ANNOTATION.journey]: journey.name,
      [ANNOTATION.tier]: journey.tier,
      [ANNOTATION.tierObjective]: String(config.tiers[journey.tier]?.objective ?? DEFAULT_TIERS['standard']!.objective),
      ...(journey.owner !== undefined && { [ANNOTATION.owner]: journey.owner }),
      [ANNOTATION.steps]: JSON.stringify(
        journey.steps.map((s) => ({
          name: s.name,
          ...(s.displayName !== undefined && { displayName: s.displayName }),
          services: s.services,
          ...(s.critical && { critical: true }),
        })),
      ),
      ...(journey.value !== undefined && { [ANNOTATION.value]: JSON.stringify(journey.value) }),
      ...(journey.public === true && { [ANNOTATION.publicName]: journey.publicName ?? journey.displayName }),
    };
    const serviceName = names.take('Service', journey.name, journey.name);
    const title = displayName(journey.displayName, annotations);
    const serviceSpec = journey.description !== undefined ? { description: description(journey.description, annotations) } : {};
    body.push(object('Service', { name: serviceName, displayName: title, annotations }, serviceSpec));

    for (const slo of journey.slos) {
      const key = `${journey.name}/${slo.name}`;
      const sloName = names.take('SLO', `${journey.name}-${slo.name}`, key);
      const sloAnnotations: Annotations = { ...(slo.alerting.minEvents > 0 && { [ANNOTATION.minEvents]: String(slo.alerting.minEvents) }) };
      const sliAnnotations: Annotations = {
        [ANNOTATION.sliKind]: slo.sli.kind,
        ...(slo.sli.thresholdMs !== undefined && { [ANNOTATION.thresholdMs]: String(slo.sli.thresholdMs) }),
        ...(slo.sli.step !== undefined && { [ANNOTATION.step]: slo.sli.step }),
        ...(slo.sli.abandonedIsBad && { [ANNOTATION.abandonedIsBad]: 'true' }),
        ...(slo.sli.weight === 'amount' && { [ANNOTATION.weight]: 'amount' }),
      };
      // An SLI read from Prometheus is exported as its own counters; any other, as Vigil's counters of it (docs/openslo.md).
      const promql = slo.sli.kind === 'prometheus' ? slo.sli.prometheus : undefined;
      const source = (query: string) => ({ metricSource: { type: 'Prometheus', spec: { query } } });
      const ratioMetric = promql
        ? {
            counter: true,
            ...(promql.good !== undefined ? { good: source(promql.good) } : { bad: source(promql.bad ?? '') }),
            total: source(promql.total),
          }
        : {
            counter: true,
            good: source(counterQuery(journey.name, slo.name, 'good')),
            total: source(counterQuery(journey.name, slo.name)),
          };
      const policies: string[] = [];
      const alerts: ExportedObject[] = [];
      for (const pair of alertWindowsFor(slo)) {
        const name = names.take('AlertPolicy', `${sloName}-${pair.severity}-${pair.short}-${pair.long}`, `${key}/${JSON.stringify(pair)}`);
        alerts.push(
          object(
            'AlertCondition',
            { name, annotations: { [ANNOTATION.shortWindow]: pair.short, [ANNOTATION.budgetPercent]: String(pair.budgetPercent) } },
            {
              description: conditionDescription(slo.window, pair),
              severity: pair.severity,
              condition: { kind: 'burnrate', op: 'gt', threshold: alertThreshold(slo.window, pair), lookbackWindow: pair.long },
            },
          ),
          object(
            'AlertPolicy',
            { name },
            {
              description: policyDescription(journey.name, slo.name, pair),
              alertWhenBreaching: true,
              alertWhenResolved: true,
              conditions: [{ conditionRef: name }],
              notificationTargets: [{ targetRef: targetFor(pair.severity) }],
            },
          ),
        );
        policies.push(name);
      }
      const objective: Record<string, unknown> = { targetPercent: slo.objective };
      if (slo.budgeting === 'timeslices')
        Object.assign(objective, { timeSliceTarget: toFraction(slo.timeSliceTarget), timeSliceWindow: '1m' });
      const sloTitle = slo.displayName !== undefined ? displayName(slo.displayName, sloAnnotations) : undefined;
      body.push(
        object(
          'SLO',
          { name: sloName, ...(sloTitle !== undefined && { displayName: sloTitle }), annotations: sloAnnotations },
          {
            description: description(sliDescription(journey, slo), {}),
            service: serviceName,
            indicator: {
              metadata: { name: sloName, annotations: sliAnnotations },
              spec: { ratioMetric },
            },
            timeWindow: [timeWindow(slo.window, timeZone)],
            budgetingMethod: slo.budgeting === 'timeslices' ? 'Timeslices' : 'Occurrences',
            objectives: [objective],
            alertPolicies: policies.map((alertPolicyRef) => ({ alertPolicyRef })),
          },
        ),
        ...alerts,
      );
    }
  }

  const objects = [...targets.values(), ...body];
  for (const written of objects) {
    const verdict = validateObject(JSON.parse(JSON.stringify(written)));
    // A bug, not a user's mistake: the configuration validated, so every object Vigil writes must too.
    if (!verdict.ok)
      throw new Error(`exported ${written.kind} '${written.metadata.name}' is not valid OpenSLO: ${JSON.stringify(verdict.problems)}`);
  }
  const header = [
    `# OpenSLO v1 documents written by \`vigil export openslo\`: ${config.journeys.length} journeys as Services, their SLOs over`,
    `# Vigil's ${COUNTER} counters, and an AlertCondition and AlertPolicy per burn-rate alert. The vigil/ annotations`,
    '# carry what OpenSLO has no field for; `vigil import openslo` reads them back.',
  ].join('\n');
  const documents = objects.map((o) => new Document(JSON.parse(JSON.stringify(o))).toString({ lineWidth: 0 }));
  return { objects, text: `${header}\n${documents.map((d) => `---\n${d}`).join('')}`, leftOut: leftOutSections(config) };
}
