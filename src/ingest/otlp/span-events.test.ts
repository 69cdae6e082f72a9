/** From spans to journey events (docs/opentelemetry.md ("Mapping")): one table of hand-computed cases. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OTEL, type OtelSpec } from '../../model/config.js';
import { createSpanMapper, type SpanOutcome } from './span-events.js';
import type { OtlpSpan, OtlpValue } from './traces.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const PARENT = '00f067aa0ba902b7';
/** 2026-11-26T10:00:00.250Z and 2026-11-26T10:00:01.0905Z in nanoseconds. */
const START = 1_795_687_200_250_000_000n;
const END = 1_795_687_201_090_500_000n;
const END_MS = 1_795_687_201_090;

function span(
  fields: Partial<Omit<OtlpSpan, 'attributes' | 'resource'>> & { attributes?: Record<string, OtlpValue>; service?: string } = {},
): OtlpSpan {
  const { attributes = {}, service = 'payments-api', ...rest } = fields;
  return {
    traceId: TRACE,
    spanId: SPAN,
    parentSpanId: '',
    name: 'POST /transfers',
    startTimeUnixNano: START,
    endTimeUnixNano: END,
    statusCode: 0,
    flags: 0x101,
    attributes: new Map(Object.entries(attributes)),
    resource: new Map([['service.name', service]]),
    ...rest,
  };
}

const RULES: OtelSpec = {
  rules: [
    { match: { 'service.name': 'payments-api', 'span.name': '/POST .*\\/confirm/' }, journey: 'wire-transfer', step: 'confirm' },
    { match: { 'http.route': '/transfers' }, journey: 'wire-transfer' },
    { match: { 'service.name': '/auth-.+/' }, journey: 'login', step: 'authenticate' },
    { match: { 'service.name': 'payments-api' }, journey: 'card-payment', step: 'pay' },
  ],
  attributes: { customerId: 'enduser.id', amount: 'txn.amount', currency: 'txn.currency' },
};

const base = { id: `otel-${TRACE}-${SPAN}`, latencyMs: 840.5, timestamp: END_MS, attemptId: TRACE };
const named = { attributes: { 'service.name': 'payments-api', 'span.name': 'POST /transfers' } };
const event = (value: Record<string, unknown>): SpanOutcome => ({ kind: 'event', value: { ...base, ...named, ...value } });
const unmatched: SpanOutcome = { kind: 'unmatched' };
const rejected = (message: string): SpanOutcome => ({ kind: 'rejected', code: 'invalid_event', message });
const J = { 'vigil.journey': 'wire-transfer' };

const CASES: [string, OtlpSpan, SpanOutcome, OtelSpec?][] = [
  [
    'a root span with vigil.journey and status UNSET: the whole journey, success',
    span({ attributes: J }),
    event({ journey: 'wire-transfer', outcome: 'success' }),
  ],
  ['status OK is a success', span({ attributes: J, statusCode: 1 }), event({ journey: 'wire-transfer', outcome: 'success' })],
  ['status ERROR is a failure', span({ attributes: J, statusCode: 2 }), event({ journey: 'wire-transfer', outcome: 'failure' })],
  [
    'a child span with vigil.journey and vigil.step: that step',
    span({ attributes: { ...J, 'vigil.step': 'confirm' }, parentSpanId: PARENT, statusCode: 2 }),
    event({ journey: 'wire-transfer', step: 'confirm', outcome: 'failure' }),
  ],
  [
    'a local child span with a journey and no step: not the whole journey, unmatched',
    span({ attributes: J, parentSpanId: PARENT }),
    unmatched,
  ],
  [
    'a child span whose parent is remote (flags 0x300) and no step: where the trace entered, the whole journey',
    span({ attributes: J, parentSpanId: PARENT, flags: 0x301 }),
    event({ journey: 'wire-transfer', outcome: 'success' }),
  ],
  [
    'flags 0x200 without 0x100 (unknown whether remote) is not remote',
    span({ attributes: J, parentSpanId: PARENT, flags: 0x201 }),
    unmatched,
  ],
  ['vigil.step without vigil.journey is not a mapping', span({ attributes: { 'vigil.step': 'confirm' } }), unmatched],
  ['no attribute and no rule: unmatched', span(), unmatched],
  [
    'the first rule whose every key matches: service.name and a span-name regex',
    span({ name: 'POST /transfers/confirm', parentSpanId: PARENT }),
    event({
      journey: 'wire-transfer',
      step: 'confirm',
      outcome: 'success',
      attributes: { 'service.name': 'payments-api', 'span.name': 'POST /transfers/confirm' },
    }),
    RULES,
  ],
  [
    'a regex matches the whole value only',
    span({ name: 'POST /transfers/confirm/retry', parentSpanId: PARENT }),
    event({
      journey: 'card-payment',
      step: 'pay',
      outcome: 'success',
      attributes: { 'service.name': 'payments-api', 'span.name': 'POST /transfers/confirm/retry' },
    }),
    RULES,
  ],
  [
    'http.route, literal, on a root span, no step: the whole journey',
    span({ attributes: { 'http.route': '/transfers' } }),
    event({ journey: 'wire-transfer', outcome: 'success' }),
    RULES,
  ],
  [
    'the same rule on a local child span: unmatched (no step)',
    span({ attributes: { 'http.route': '/transfers' }, parentSpanId: PARENT }),
    unmatched,
    RULES,
  ],
  [
    'a rule on service.name by regex',
    span({ service: 'auth-gateway', name: 'authenticate', parentSpanId: PARENT, statusCode: 2 }),
    event({
      journey: 'login',
      step: 'authenticate',
      outcome: 'failure',
      attributes: { 'service.name': 'auth-gateway', 'span.name': 'authenticate' },
    }),
    RULES,
  ],
  ['no rule matches another service', span({ service: 'ledger' }), unmatched, RULES],
  [
    'vigil.journey wins over the rules',
    span({ attributes: { ...J, 'vigil.step': 'login' }, name: 'POST /transfers/confirm' }),
    event({
      journey: 'wire-transfer',
      step: 'login',
      outcome: 'success',
      attributes: { 'service.name': 'payments-api', 'span.name': 'POST /transfers/confirm' },
    }),
    RULES,
  ],
  [
    'vigil.outcome wins over the status: a business refusal is rejected, not a failure',
    span({ attributes: { ...J, 'vigil.outcome': 'rejected' }, statusCode: 2 }),
    event({ journey: 'wire-transfer', outcome: 'rejected' }),
  ],
  [
    'vigil.outcome abandoned',
    span({ attributes: { ...J, 'vigil.outcome': 'abandoned' } }),
    event({ journey: 'wire-transfer', outcome: 'abandoned' }),
  ],
  [
    'vigil.outcome that is no outcome: refused',
    span({ attributes: { ...J, 'vigil.outcome': 'declined' } }),
    rejected('attribute vigil.outcome: expected one of success, failure, rejected, abandoned, got "declined"'),
  ],
  [
    'an unknown status code: refused',
    span({ attributes: J, statusCode: 7 }),
    rejected('status.code: expected 0 (UNSET), 1 (OK) or 2 (ERROR), got 7'),
  ],
  [
    'vigil.journey that is not a string: refused',
    span({ attributes: { 'vigil.journey': 42n } }),
    rejected('attribute vigil.journey: expected a string, got 42'),
  ],
  [
    'vigil.step that is not a string: refused',
    span({ attributes: { ...J, 'vigil.step': true } }),
    rejected('attribute vigil.step: expected a string, got true'),
  ],
  [
    'no end: refused',
    span({ attributes: J, endTimeUnixNano: 0n }),
    rejected('endTimeUnixNano: missing; a span without an end has no outcome yet'),
  ],
  [
    'no start: refused',
    span({ attributes: J, startTimeUnixNano: 0n }),
    rejected('startTimeUnixNano: missing; a span without a start has no duration'),
  ],
  [
    'an end before the start: refused',
    span({ attributes: J, endTimeUnixNano: START - 1n }),
    rejected('endTimeUnixNano: before startTimeUnixNano'),
  ],
  [
    'a latency of one nanosecond, and the time is the end (milliseconds, floored)',
    span({ attributes: J, endTimeUnixNano: START + 1n }),
    event({ journey: 'wire-transfer', outcome: 'success', latencyMs: 0.000001, timestamp: 1_795_687_200_250 }),
  ],
  [
    'customerId, amount and currency from the default attributes',
    span({ attributes: { ...J, 'vigil.customer_id': 'c-42', 'vigil.amount': 1200.5, 'vigil.currency': 'EUR' } }),
    event({ journey: 'wire-transfer', outcome: 'success', customerId: 'c-42', amount: 1200.5, currency: 'EUR' }),
  ],
  [
    'an int customer id becomes its decimal text, an int amount a number, a decimal string amount a number',
    span({ attributes: { ...J, 'vigil.customer_id': 9_007_199_254_740_993n, 'vigil.amount': '1200.50' } }),
    event({ journey: 'wire-transfer', outcome: 'success', customerId: '9007199254740993', amount: 1200.5 }),
  ],
  [
    'an amount that is no number is passed on as sent, for the event validator to refuse',
    span({ attributes: { ...J, 'vigil.amount': 'lots', 'vigil.customer_id': true } }),
    event({ journey: 'wire-transfer', outcome: 'success', amount: 'lots', customerId: true }),
  ],
  [
    'configured attributes: the defaults are no longer read',
    span({ attributes: { ...J, 'enduser.id': 'c-7', 'txn.amount': 12n, 'txn.currency': 'GBP', 'vigil.customer_id': 'ignored' } }),
    event({ journey: 'wire-transfer', outcome: 'success', customerId: 'c-7', amount: 12, currency: 'GBP' }),
    RULES,
  ],
  [
    'a span name that cannot be stored, or longer than 200 characters, is not copied into attributes',
    span({ attributes: J, name: 'a\u0000b', service: 'x'.repeat(201) }),
    { kind: 'event', value: { ...base, journey: 'wire-transfer', outcome: 'success' } },
  ],
];

describe('createSpanMapper', () => {
  it.each(CASES)('%s', (_name, input, expected, otel = DEFAULT_OTEL) => {
    expect(createSpanMapper(otel)(input)).toEqual(expected);
  });

  it('derives the event id from the trace and span ids alone, so a redelivered span is the same event', () => {
    const map = createSpanMapper(RULES);
    const first = map(span({ attributes: J }));
    const again = map(span({ attributes: { ...J, 'vigil.step': 'confirm' }, statusCode: 2 }));
    const other = map(span({ attributes: J, spanId: 'eee19b7ec3c1b175' }));
    const id = (o: SpanOutcome) => (o.kind === 'event' ? o.value['id'] : null);
    expect(id(first)).toBe(`otel-${TRACE}-${SPAN}`);
    expect(id(again)).toBe(id(first));
    expect(id(other)).not.toBe(id(first));
  });
});
