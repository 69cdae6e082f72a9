/**
 * How Vigil speaks OpenSLO (docs/openslo.md ("What maps to what")): the `vigil/` annotations that carry what OpenSLO has no
 * field for, the counter queries of a Vigil SLO's ratio indicator, object names, and percentages as OpenSLO's fractions.
 * Export writes these, import reads them back, so the two stay in step.
 */
import { createHash } from 'node:crypto';
import { isDnsLabel } from './schema.js';

/** Annotation keys. A prefix must be a DNS subdomain: `vigil` is one, and claims no domain. */
export const ANNOTATION = {
  journey: 'vigil/journey',
  tier: 'vigil/tier',
  tierObjective: 'vigil/tier-objective',
  owner: 'vigil/owner',
  steps: 'vigil/steps',
  value: 'vigil/value',
  regulation: 'vigil/regulation',
  publicName: 'vigil/public-name',
  displayName: 'vigil/display-name',
  description: 'vigil/description',
  minEvents: 'vigil/min-events',
  sliKind: 'vigil/sli-kind',
  thresholdMs: 'vigil/threshold-ms',
  step: 'vigil/step',
  abandonedIsBad: 'vigil/abandoned-is-bad',
  weight: 'vigil/weight',
  shortWindow: 'vigil/short-window',
  budgetPercent: 'vigil/budget-percent',
  severity: 'vigil/severity',
} as const;

export const ANNOTATION_PREFIX = 'vigil/';

/** The counter Vigil exports per SLO (docs/openslo.md ("The counters")). */
export const COUNTER = 'vigil_slo_events_total';

/**
 * A selector of Vigil's SLO event counter: the good (or bad) events of one SLO, or all of them when `result` is absent.
 * @example counterQuery('sepa-instant', 'success', 'good') // 'vigil_slo_events_total{journey="sepa-instant",slo="success",result="good"}'
 */
export function counterQuery(journey: string, slo: string, result?: 'good' | 'bad'): string {
  return `${COUNTER}{journey="${journey}",slo="${slo}"${result ? `,result="${result}"` : ''}}`;
}

/**
 * The journey, SLO and result a query of Vigil's counter selects, or undefined when the query is anything else: another
 * metric, a function around the selector, a matcher other than `=` on these labels, or any other label.
 * @example parseCounterQuery('vigil_slo_events_total{slo="success", journey="login"}') // { journey: 'login', slo: 'success' }
 */
export function parseCounterQuery(query: string): { journey: string; slo: string; result?: 'good' | 'bad' } | undefined {
  const match = /^\s*vigil_slo_events_total\s*\{(.*)\}\s*$/s.exec(query);
  if (!match) return undefined;
  const labels = new Map<string, string>();
  const body = match[1]!.trim().replace(/,\s*$/, '');
  if (body !== '') {
    for (const part of body.split(',')) {
      const label = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"\\]*)"\s*$/.exec(part);
      if (!label || labels.has(label[1]!)) return undefined;
      labels.set(label[1]!, label[2]!);
    }
  }
  const journey = labels.get('journey');
  const slo = labels.get('slo');
  const result = labels.get('result');
  if (journey === undefined || slo === undefined || [...labels.keys()].some((k) => !['journey', 'slo', 'result'].includes(k)))
    return undefined;
  if (result !== undefined && result !== 'good' && result !== 'bad') return undefined;
  return { journey, slo, ...(result !== undefined && { result }) };
}

/**
 * A percentage as OpenSLO's fraction, and back, rounded to 12 significant digits so that 99.95 → 0.9995 → 99.95.
 * @example toFraction(99.95) // 0.9995
 * @example toPercent(0.9995) // 99.95
 */
export function toFraction(percent: number): number {
  return Number((percent / 100).toPrecision(12));
}
export function toPercent(fraction: number): number {
  return Number((fraction * 100).toPrecision(12));
}

/** A figure written for people and other tools (a burn-rate threshold): 10 significant digits, no float noise. */
export function rounded(value: number): number {
  return Number(value.toPrecision(10));
}

/**
 * Hands out object names, unique per kind: the preferred name when it is an RFC 1123 label not yet taken, else a label
 * made from it with a hash of `key` (what the object stands for) appended.
 */
export class ObjectNames {
  private readonly taken = new Map<string, Set<string>>();

  take(kind: string, preferred: string, key: string): string {
    const used = this.taken.get(kind) ?? new Set<string>();
    this.taken.set(kind, used);
    let name = preferred;
    // Not a DNS label, or taken: a hash of the key; two objects with the same key (identical alert windows of one SLO)
    // get hashes of the key and a count, so every name stays unique and the same on every export.
    for (let n = 0; !isDnsLabel(name) || used.has(name); n++) {
      const hash = createHash('sha256')
        .update(n === 0 ? key : `${key}#${n}`)
        .digest('hex')
        .slice(0, 8);
      const base = preferred
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+/, '')
        .slice(0, 63 - hash.length - 1)
        .replace(/-+$/, '');
      name = base === '' ? `h${hash}` : `${base}-${hash}`;
    }
    used.add(name);
    return name;
  }
}
