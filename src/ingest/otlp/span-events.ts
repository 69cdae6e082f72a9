/**
 * From a span to a journey event (docs/opentelemetry.md ("Mapping")): the journey and step come from the span's
 * `vigil.journey` / `vigil.step` attributes, else from the first `otel.rules` entry it matches; the outcome from
 * `vigil.outcome` or the span's status; the latency from its duration; the time from its end. The result is an
 * event-shaped object that the ordinary event validator then checks, so a span becomes exactly the event a client
 * could have posted.
 */
import { labelTest } from '../../incidents/service-mapping.js';
import { DEFAULT_OTEL, type OtelMatchKey, type OtelSpec, OUTCOMES } from '../../model/config.js';
import { isStorableText } from '../storable-text.js';
import type { OtlpSpan, OtlpValue } from './traces.js';

/** The span attributes Vigil reads for the journey, the step and the outcome. */
export const JOURNEY_ATTRIBUTE = 'vigil.journey';
export const STEP_ATTRIBUTE = 'vigil.step';
export const OUTCOME_ATTRIBUTE = 'vigil.outcome';

/** Span flags (OTLP): bit 8 says bit 9 is known; bit 9 says the parent span is in another process. */
const PARENT_REMOTE_KNOWN = 0x100;
const PARENT_REMOTE = 0x200;

/** Longest span or service name copied into the event's attributes; longer ones are left out. */
const MAX_NAME_COPIED = 200;

const NANOS_PER_MS = 1_000_000n;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** What a span is for Vigil: no journey's (not stored), an event to validate, or refused as it is. */
export type SpanOutcome =
  | { kind: 'unmatched' }
  | { kind: 'event'; value: Record<string, unknown> }
  | { kind: 'rejected'; code: 'invalid_event'; message: string };

function text(value: OtlpValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function shown(value: OtlpValue): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function reject(message: string): SpanOutcome {
  return { kind: 'rejected', code: 'invalid_event', message };
}

/** The value of the matched key for a span. */
function keyOf(span: OtlpSpan, key: OtelMatchKey): string | undefined {
  if (key === 'service.name') return text(span.resource.get('service.name'));
  if (key === 'span.name') return span.name;
  return text(span.attributes.get('http.route'));
}

/**
 * The mapper for one `otel` configuration, with its rules compiled once.
 * @example
 * const map = createSpanMapper(config.otel ?? DEFAULT_OTEL);
 * map(span) // { kind: 'event', value: { id: 'otel-…', journey: 'wire-transfer', step: 'confirm', outcome: 'failure', … } }
 */
export function createSpanMapper(otel: OtelSpec = DEFAULT_OTEL): (span: OtlpSpan) => SpanOutcome {
  const rules = otel.rules.map((rule) => ({
    tests: Object.entries(rule.match).map(([key, value]) => [key as OtelMatchKey, labelTest(value)] as const),
    journey: rule.journey,
    step: rule.step,
  }));
  const { customerId, amount, currency } = otel.attributes;

  return (span) => {
    let journey: string;
    let step: string | undefined;
    const givenJourney = span.attributes.get(JOURNEY_ATTRIBUTE);
    if (givenJourney !== undefined) {
      if (typeof givenJourney !== 'string') return reject(`attribute ${JOURNEY_ATTRIBUTE}: expected a string, got ${shown(givenJourney)}`);
      journey = givenJourney;
      const givenStep = span.attributes.get(STEP_ATTRIBUTE);
      if (givenStep !== undefined && typeof givenStep !== 'string')
        return reject(`attribute ${STEP_ATTRIBUTE}: expected a string, got ${shown(givenStep)}`);
      step = givenStep;
    } else {
      const rule = rules.find((r) => r.tests.every(([key, test]) => test(keyOf(span, key))));
      if (rule === undefined) return { kind: 'unmatched' };
      journey = rule.journey;
      step = rule.step;
    }
    // A span without a step is the whole attempt only at the root of the trace, or where the trace entered this
    // process; a local child without a step belongs to no step, and counting it would count the attempt twice.
    const isRoot =
      span.parentSpanId === '' || (span.flags & (PARENT_REMOTE_KNOWN | PARENT_REMOTE)) === (PARENT_REMOTE_KNOWN | PARENT_REMOTE);
    if (step === undefined && !isRoot) return { kind: 'unmatched' };

    let outcome: string;
    const givenOutcome = span.attributes.get(OUTCOME_ATTRIBUTE);
    if (givenOutcome !== undefined) {
      if (typeof givenOutcome !== 'string' || !(OUTCOMES as readonly string[]).includes(givenOutcome)) {
        return reject(`attribute ${OUTCOME_ATTRIBUTE}: expected one of ${OUTCOMES.join(', ')}, got ${shown(givenOutcome)}`);
      }
      outcome = givenOutcome;
    } else if (span.statusCode === 2) outcome = 'failure';
    else if (span.statusCode === 0 || span.statusCode === 1) outcome = 'success';
    else return reject(`status.code: expected 0 (UNSET), 1 (OK) or 2 (ERROR), got ${span.statusCode}`);

    if (span.startTimeUnixNano === 0n) return reject('startTimeUnixNano: missing; a span without a start has no duration');
    if (span.endTimeUnixNano === 0n) return reject('endTimeUnixNano: missing; a span without an end has no outcome yet');
    if (span.endTimeUnixNano < span.startTimeUnixNano) return reject('endTimeUnixNano: before startTimeUnixNano');

    const value: Record<string, unknown> = {
      id: `otel-${span.traceId}-${span.spanId}`,
      journey,
      outcome,
      latencyMs: Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6,
      timestamp: Number(span.endTimeUnixNano / NANOS_PER_MS),
      attemptId: span.traceId,
    };
    if (step !== undefined) value['step'] = step;
    const customer = span.attributes.get(customerId);
    if (customer !== undefined) value['customerId'] = typeof customer === 'bigint' ? customer.toString() : customer;
    const money = span.attributes.get(amount);
    if (money !== undefined) value['amount'] = amountOf(money);
    const code = span.attributes.get(currency);
    if (code !== undefined) value['currency'] = code;
    const attributes: Record<string, string> = {};
    const service = text(span.resource.get('service.name'));
    if (service !== undefined && service.length <= MAX_NAME_COPIED && isStorableText(service)) attributes['service.name'] = service;
    if (span.name !== '' && span.name.length <= MAX_NAME_COPIED && isStorableText(span.name)) attributes['span.name'] = span.name;
    if (Object.keys(attributes).length > 0) value['attributes'] = attributes;
    return { kind: 'event', value };
  };
}

/** An amount attribute as a number when it is one (an int, a double, or a decimal string); else as sent, for the validator to refuse. */
function amountOf(value: OtlpValue): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return value;
}
