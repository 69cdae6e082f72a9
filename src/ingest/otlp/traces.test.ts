/**
 * OTLP trace decoding (docs/opentelemetry.md ("Encodings")) against bytes the real OpenTelemetry JS SDK serializes:
 * its protobuf and OTLP/JSON serializers (the ones its exporters send), then malformed and hostile input.
 */
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finishedSpans, type ScriptedSpan } from '../../../test/helpers/otel-sdk.js';
import { jsonSpans, OtlpDecodeError, type OtlpSpan, protobufSpans } from './traces.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');

const TRACE: ScriptedSpan = {
  name: 'POST /transfers',
  startMs: T0 + 250,
  endMs: T0 + 1090.5,
  attributes: {
    'vigil.journey': 'wire-transfer',
    'vigil.amount': 1200.5,
    'vigil.customer_id': 'c-42',
    retries: 3,
    // A negative int64 is a 10-byte varint; 2^52 + 1 takes 8 bytes: both past the reader's 7-byte fast path.
    offset: -5,
    large: 4_503_599_627_370_497,
    mobile: true,
    city: 'Zürich',
    tags: ['a', 'b'],
  },
  children: [
    {
      name: 'confirm',
      startMs: T0 + 300,
      endMs: T0 + 1000,
      attributes: { 'vigil.step': 'confirm', 'http.route': '/transfers/:id' },
      status: 'error',
    },
    { name: 'login', startMs: T0 + 260, endMs: T0 + 290, status: 'ok' },
  ],
};

async function sdkSpans() {
  return finishedSpans('payments-api', [TRACE]);
}

function decodeProtobuf(bytes: Uint8Array): OtlpSpan[] {
  return [...protobufSpans(bytes)];
}

function decodeJson(bytes: Uint8Array): OtlpSpan[] {
  return [...jsonSpans(JSON.parse(new TextDecoder().decode(bytes)))];
}

describe('what the SDK serializes', () => {
  it('protobuf: every span with its ids, name, times to the nanosecond, status, flags and scalar attributes', async () => {
    const spans = await sdkSpans();
    const decoded = decodeProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
    // The SDK exports children first (they end first).
    expect(decoded.map((s) => s.name)).toEqual(['confirm', 'login', 'POST /transfers']);
    const root = spans.find((s) => s.name === 'POST /transfers')!;
    const byName = new Map(decoded.map((s) => [s.name, s]));
    const decodedRoot = byName.get('POST /transfers')!;
    expect(decodedRoot.traceId).toBe(root.spanContext().traceId);
    expect(decodedRoot.spanId).toBe(root.spanContext().spanId);
    expect(decodedRoot.parentSpanId).toBe('');
    expect(byName.get('confirm')!.parentSpanId).toBe(root.spanContext().spanId);
    expect(byName.get('confirm')!.traceId).toBe(root.spanContext().traceId);
    // 2026-11-26T10:00:00.250Z and .0905 s later, exact in nanoseconds.
    expect(decodedRoot.startTimeUnixNano).toBe(1_795_687_200_250_000_000n);
    expect(decodedRoot.endTimeUnixNano).toBe(1_795_687_201_090_500_000n);
    expect([...byName.values()].map((s) => [s.name, s.statusCode])).toEqual([
      ['confirm', 2],
      ['login', 1],
      ['POST /transfers', 0],
    ]);
    // W3C flag "sampled" (1), and bit 8: whether the parent is remote is known (it is not).
    expect(decodedRoot.flags).toBe(0x101);
    expect(Object.fromEntries(decodedRoot.attributes)).toEqual({
      'vigil.journey': 'wire-transfer',
      'vigil.amount': 1200.5,
      'vigil.customer_id': 'c-42',
      retries: 3n,
      offset: -5n,
      large: 4_503_599_627_370_497n,
      mobile: true,
      city: 'Zürich',
      // tags, an array, is not a scalar: not kept
    });
    expect(Object.fromEntries(decodedRoot.resource)).toMatchObject({ 'service.name': 'payments-api' });
    expect(byName.get('confirm')!.attributes.get('http.route')).toBe('/transfers/:id');
  });

  it('OTLP/JSON: the same spans as protobuf', async () => {
    const spans = await sdkSpans();
    const fromJson = decodeJson(JsonTraceSerializer.serializeRequest(spans)!);
    expect(fromJson).toEqual(decodeProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!));
    expect(fromJson).toHaveLength(3);
  });

  it('an empty request holds no span, in either encoding', () => {
    expect(decodeProtobuf(new Uint8Array(0))).toEqual([]);
    expect([...jsonSpans({})]).toEqual([]);
    expect([...jsonSpans({ resourceSpans: [] })]).toEqual([]);
  });
});

describe('OTLP/JSON as other senders write it', () => {
  const span = {
    traceId: '5B8EFFF798038103D269B633813FC60C',
    spanId: 'EEE19B7EC3C1B174',
    name: 'confirm',
    startTimeUnixNano: 1_795_687_200_000_000_000,
    endTimeUnixNano: '1795687200840000000',
    status: { code: 'STATUS_CODE_ERROR' },
    attributes: [
      { key: 'n', value: { intValue: '-9223372036854775808' } },
      { key: 'x', value: { doubleValue: 'NaN' } },
      { key: 'nested', value: { kvlistValue: { values: [{ key: 'a', value: { stringValue: 'b' } }] } } },
      { key: 'empty', value: {} },
      { key: 'absent' },
    ],
    unknownField: { anything: [1, 2, 3] },
  };

  it('reads hex ids in any case, 64-bit integers as strings or numbers, status names, and ignores unknown fields', () => {
    const [decoded] = [...jsonSpans({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })];
    expect(decoded).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
      startTimeUnixNano: 1_795_687_200_000_000_000n,
      endTimeUnixNano: 1_795_687_200_840_000_000n,
      statusCode: 2,
      flags: 0,
    });
    expect([...decoded!.attributes.keys()]).toEqual(['n', 'x']);
    expect(decoded!.attributes.get('n')).toBe(-9_223_372_036_854_775_808n);
    expect(decoded!.attributes.get('x')).toBeNaN();
  });

  it('reads the proto field names too (resource_spans, scope_spans, trace_id, …)', () => {
    const snake = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'ledger' } }] },
          scope_spans: [{ spans: [{ trace_id: span.traceId, span_id: span.spanId, parent_span_id: 'eee19b7ec3c1b175', name: 'x' }] }],
        },
      ],
    };
    const [decoded] = [...jsonSpans(snake)];
    expect(decoded?.parentSpanId).toBe('eee19b7ec3c1b175');
    expect(decoded?.resource.get('service.name')).toBe('ledger');
  });

  it.each([
    [{ resourceSpans: {} }, 'resourceSpans: expected an array, got an object'],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [7] }] }] }, 'resourceSpans[0].scopeSpans[0].spans[0]: expected an object, got 7'],
    [
      { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, traceId: 'xyz' }] }] }] },
      'spans[0].traceId: expected 16 bytes as hex digits, got "xyz"',
    ],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, spanId: 'abcd' }] }] }] }, 'spans[0].spanId: expected 8 bytes, got 2'],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, traceId: '0'.repeat(32) }] }] }] }, 'traceId: an id of all zeros is invalid'],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, endTimeUnixNano: '1.5e18' }] }] }] }, 'endTimeUnixNano: expected nanoseconds'],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, status: { code: 'ERROR' } }] }] }] }, 'status.code: expected a status code'],
    [
      { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, attributes: [{ key: 'n', value: { intValue: 1.5 } }] }] }] }] },
      'intValue: expected',
    ],
    [[], 'the body: expected an object, got an array'],
  ])('refuses %j naming where: %s', (body, message) => {
    expect(() => [...jsonSpans(body)]).toThrow(OtlpDecodeError);
    expect(() => [...jsonSpans(body)]).toThrow(message);
  });
});

/** Minimal protobuf writing for the hand-made cases below (malformed and unusual, which no SDK sends). */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
};
const len = (field: number, bytes: number[]): number[] => [...varint(field * 8 + 2), ...varint(bytes.length), ...bytes];
const str = (field: number, text: string): number[] => len(field, [...Buffer.from(text)]);
const ids = (span: number[]): number[] => [...len(1, Array(16).fill(0xab)), ...len(2, Array(8).fill(0xcd)), ...span];
const request = (resourceSpans: number[]): Uint8Array => Uint8Array.from(len(1, resourceSpans));
const oneSpan = (span: number[], resource: number[] = []): Uint8Array => request([...resource, ...len(2, len(2, ids(span)))]);
const serviceName = (name: string): number[] => len(1, len(1, [...str(1, 'service.name'), ...len(2, str(1, name))]));

describe('protobuf as the wire format allows it', () => {
  it('reads the resource when it comes after the spans, and skips unknown fields of every wire type', () => {
    const unknown = [
      ...varint(99 * 8),
      5,
      ...varint(98 * 8 + 1),
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      ...varint(97 * 8 + 5),
      1,
      2,
      3,
      4,
      ...str(96, 'x'),
    ];
    const bytes = request([...len(2, len(2, ids([...str(5, 'confirm'), ...unknown]))), ...serviceName('ledger')]);
    const [span] = decodeProtobuf(bytes);
    expect(span).toMatchObject({ name: 'confirm', traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), parentSpanId: '' });
    expect(span?.resource.get('service.name')).toBe('ledger');
  });

  it.each([
    ['a group (wire type 3)', oneSpan([...varint(20 * 8 + 3)]), 'groups (wire types 3 and 4) are not supported'],
    ['a varint of 11 bytes', oneSpan([...varint(6 * 8), ...Array(10).fill(0xff), 1]), 'a varint longer than 10 bytes'],
    ['a length past the end of its message', Uint8Array.from([0x0a, 0x05, 0x12, 0x10, 0x00]), 'reaches past the end of its message'],
    ['a body cut inside a tag', Uint8Array.from([0x0a]), 'the message ends inside a value'],
    [
      'a trace id of 3 bytes',
      request(len(2, len(2, [...len(1, [1, 2, 3]), ...len(2, Array(8).fill(1))]))),
      'traceId: expected 16 bytes, got 3',
    ],
    ['a missing span id', request(len(2, len(2, len(1, Array(16).fill(1))))), 'spanId: expected 8 bytes, got 0'],
    ['a name that is not UTF-8', oneSpan(len(5, [0xc3, 0x28])), 'a string field is not valid UTF-8'],
    ['a known field of the wrong wire type', oneSpan([...varint(7 * 8), 1]), 'startTimeUnixNano (field 7): unexpected wire type 0'],
    ['field number 0', Uint8Array.from([0x02, 0x00]), 'field number 0 is not allowed'],
  ])('refuses %s with a located OtlpDecodeError', (_what, bytes, message) => {
    expect(() => decodeProtobuf(bytes)).toThrow(OtlpDecodeError);
    expect(() => decodeProtobuf(bytes)).toThrow(message);
  });

  it('names the span and the byte offset', () => {
    expect(() => decodeProtobuf(oneSpan([...varint(20 * 8 + 3)]))).toThrow(
      /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: .* \(at byte \d+\)$/,
    );
  });

  it('any prefix of a real export either decodes or is refused as OtlpDecodeError, never another error', async () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(await sdkSpans())!;
    let refused = 0;
    for (let end = 1; end < bytes.length; end++) {
      try {
        decodeProtobuf(bytes.subarray(0, end));
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
        refused++;
      }
    }
    // A prefix ends inside the one top-level message, so every proper prefix is refused.
    expect(refused).toBe(bytes.length - 1);
  });

  it('random bytes and mutated exports are decoded or refused, never crash', async () => {
    const real = ProtobufTraceSerializer.serializeRequest(await sdkSpans())!;
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (random, flips) => {
          const mutated = Uint8Array.from(real);
          for (const [at, value] of flips) mutated[at] = value;
          for (const input of [random, mutated]) {
            try {
              decodeProtobuf(input);
            } catch (error) {
              if (!(error instanceof OtlpDecodeError)) throw error;
            }
          }
        },
      ),
      { numRuns: 500, seed: 13 },
    );
  });
});
