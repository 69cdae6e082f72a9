/**
 * OTLP trace export requests (`ExportTraceServiceRequest`) read into flat spans, from protobuf or from OTLP/JSON
 * (docs/opentelemetry.md ("Encodings")). Only what Vigil maps is kept: ids, name, times, status, flags, and the
 * scalar attributes of the span and of its resource. Unknown fields are skipped, as proto3 readers must; a body
 * that is malformed anywhere is an OtlpDecodeError naming where, so that nothing of it is stored.
 */
import { ProtobufError, ProtobufReader, WIRE } from './protobuf-reader.js';

/** A scalar attribute value: string, bool, int (int64, kept exact) or double. Arrays, maps and bytes are not kept. */
export type OtlpValue = string | boolean | bigint | number;

/** One span, with the attributes of its resource. */
export interface OtlpSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 lowercase hex digits, or '' for a root span. */
  parentSpanId: string;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  /** 0 UNSET, 1 OK, 2 ERROR; any other number is passed on for the mapping to refuse. */
  statusCode: number;
  /** W3C trace flags in bits 0–7; bit 8 says whether bit 9 (the parent is remote) is known. */
  flags: number;
  attributes: ReadonlyMap<string, OtlpValue>;
  resource: ReadonlyMap<string, OtlpValue>;
}

/** The body is not an ExportTraceServiceRequest; `message` names where (a field path, and the byte offset for protobuf). */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const HEX = /^[0-9a-fA-F]*$/;
const STATUS_NAMES: Readonly<Record<string, number>> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** Ids must have their size and not be all zeros (the OTLP spec calls those invalid). */
function idProblem(hex: string, bytes: number, allowEmpty: boolean): string | null {
  if (hex === '' && allowEmpty) return null;
  if (hex.length !== bytes * 2) return `expected ${bytes} bytes, got ${hex.length / 2}`;
  if (/^0+$/.test(hex)) return 'an id of all zeros is invalid';
  return null;
}

// --- protobuf ------------------------------------------------------------------------------------------------

/** Where the reader is, for messages; the path text is built only when something is wrong. */
interface Position {
  resource: number;
  scope: number;
  span: number;
  /** Whether the reader is inside a scope's spans (else in the resource part of a ResourceSpans). */
  inSpans: boolean;
}

function pathOf(at: Position): string {
  const resource = `resourceSpans[${at.resource}]`;
  return at.inSpans ? `${resource}.scopeSpans[${at.scope}].spans[${at.span}]` : resource;
}

/**
 * The spans of a protobuf ExportTraceServiceRequest, one at a time (the caller may pause between them);
 * throws OtlpDecodeError at the first malformed byte.
 * @example for (const span of protobufSpans(await serializer.serializeRequest(spans))) console.log(span.name);
 */
export function* protobufSpans(bytes: Uint8Array): Generator<OtlpSpan> {
  const at: Position = { resource: -1, scope: 0, span: 0, inSpans: false };
  try {
    const request = new ProtobufReader(bytes);
    while (request.next()) {
      if (request.field !== 1) {
        request.skip();
        continue;
      }
      at.resource++;
      at.inSpans = false;
      request.expect(WIRE.bytes, 'resourceSpans');
      yield* resourceSpans(request.message(), at);
    }
  } catch (error) {
    if (error instanceof ProtobufError) {
      const where = at.resource >= 0 ? `${pathOf(at)}: ` : '';
      throw new OtlpDecodeError(`${where}${error.message} (at byte ${error.offset})`);
    }
    if (error instanceof OtlpDecodeError) throw new OtlpDecodeError(`${pathOf(at)}.${error.message}`);
    throw error;
  }
}

function* resourceSpans(reader: ProtobufReader, at: Position): Generator<OtlpSpan> {
  // The resource may come after the spans on the wire: find it first, then read the spans.
  const resource = new Map<string, OtlpValue>();
  const scopes: ProtobufReader[] = [];
  while (reader.next()) {
    if (reader.field === 1) {
      reader.expect(WIRE.bytes, 'resource');
      const outer = reader.enter();
      while (reader.next()) {
        if (reader.field === 1) {
          reader.expect(WIRE.bytes, 'resource.attributes');
          keyValue(reader, resource);
        } else reader.skip();
      }
      reader.leave(outer);
    } else if (reader.field === 2) {
      reader.expect(WIRE.bytes, 'scopeSpans');
      scopes.push(reader.message());
    } else reader.skip();
  }
  for (const [s, scope] of scopes.entries()) {
    at.scope = s;
    at.span = -1;
    at.inSpans = true;
    while (scope.next()) {
      if (scope.field !== 2) {
        scope.skip();
        continue;
      }
      at.span++;
      scope.expect(WIRE.bytes, 'spans');
      const outer = scope.enter();
      const decoded = span(scope, resource);
      scope.leave(outer);
      yield decoded;
    }
  }
}

/** The span the reader has entered; a problem with its ids is an OtlpDecodeError naming the field. */
function span(reader: ProtobufReader, resource: ReadonlyMap<string, OtlpValue>): OtlpSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let name = '';
  let start = 0n;
  let end = 0n;
  let statusCode = 0;
  let flags = 0;
  const attributes = new Map<string, OtlpValue>();
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        reader.expect(WIRE.bytes, 'traceId');
        traceId = reader.hex();
        break;
      case 2:
        reader.expect(WIRE.bytes, 'spanId');
        spanId = reader.hex();
        break;
      case 4:
        reader.expect(WIRE.bytes, 'parentSpanId');
        parentSpanId = reader.hex();
        break;
      case 5:
        reader.expect(WIRE.bytes, 'name');
        name = reader.string();
        break;
      case 7:
        reader.expect(WIRE.fixed64, 'startTimeUnixNano');
        start = reader.fixed64();
        break;
      case 8:
        reader.expect(WIRE.fixed64, 'endTimeUnixNano');
        end = reader.fixed64();
        break;
      case 9:
        reader.expect(WIRE.bytes, 'attributes');
        keyValue(reader, attributes);
        break;
      case 15:
        reader.expect(WIRE.bytes, 'status');
        statusCode = status(reader);
        break;
      case 16:
        reader.expect(WIRE.fixed32, 'flags');
        flags = reader.fixed32();
        break;
      default:
        reader.skip();
    }
  }
  const problem =
    field('traceId', idProblem(traceId, TRACE_ID_BYTES, false)) ??
    field('spanId', idProblem(spanId, SPAN_ID_BYTES, false)) ??
    field('parentSpanId', idProblem(parentSpanId, SPAN_ID_BYTES, true));
  if (problem) throw new OtlpDecodeError(problem);
  return { traceId, spanId, parentSpanId, name, startTimeUnixNano: start, endTimeUnixNano: end, statusCode, flags, attributes, resource };
}

/** The code of the Status field the reader is on (0, UNSET, when absent). */
function status(reader: ProtobufReader): number {
  const outer = reader.enter();
  let code = 0;
  while (reader.next()) {
    if (reader.field === 3) {
      reader.expect(WIRE.varint, 'status.code');
      code = reader.varintNumber();
    } else reader.skip();
  }
  reader.leave(outer);
  return code;
}

function field(name: string, problem: string | null): string | null {
  return problem === null ? null : `${name}: ${problem}`;
}

/** The KeyValue field the reader is on, into `into`; values that are not scalars (arrays, maps, bytes) or absent are left out. */
function keyValue(reader: ProtobufReader, into: Map<string, OtlpValue>): void {
  const outer = reader.enter();
  let key = '';
  let value: OtlpValue | undefined;
  while (reader.next()) {
    if (reader.field === 1) {
      reader.expect(WIRE.bytes, 'key');
      key = reader.string();
    } else if (reader.field === 2) {
      reader.expect(WIRE.bytes, 'value');
      value = anyValue(reader);
    } else reader.skip();
  }
  reader.leave(outer);
  if (value !== undefined) into.set(key, value);
}

/** The AnyValue field the reader is on. */
function anyValue(reader: ProtobufReader): OtlpValue | undefined {
  const outer = reader.enter();
  let value: OtlpValue | undefined;
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        reader.expect(WIRE.bytes, 'stringValue');
        value = reader.string();
        break;
      case 2:
        reader.expect(WIRE.varint, 'boolValue');
        value = reader.varintNumber() !== 0;
        break;
      case 3:
        reader.expect(WIRE.varint, 'intValue');
        value = BigInt.asIntN(64, reader.varint());
        break;
      case 4:
        reader.expect(WIRE.fixed64, 'doubleValue');
        value = reader.double();
        break;
      default:
        // arrayValue, kvlistValue, bytesValue: skipped whole, never descended into, so no nesting can cost depth.
        reader.skip();
        value = undefined;
    }
  }
  reader.leave(outer);
  return value;
}

// --- JSON ----------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field by its JSON name or, as proto3 JSON readers also accept, its proto name; null counts as absent. */
function get(object: Json, camel: string, snake?: string): unknown {
  const value = Object.hasOwn(object, camel)
    ? object[camel]
    : snake !== undefined && Object.hasOwn(object, snake)
      ? object[snake]
      : undefined;
  return value === null ? undefined : value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function invalid(path: string, what: string, value: unknown): never {
  throw new OtlpDecodeError(`${path}: expected ${what}, got ${describe(value)}`);
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : invalid(path, 'an array', value);
}

function object(value: unknown, path: string): Json {
  return isObject(value) ? value : invalid(path, 'an object', value);
}

const UINT64 = /^\d{1,20}$/;
const INT64 = /^-?\d{1,19}$/;

/** A fixed64 time as OTLP/JSON writes it: a decimal string, or a number. */
function unixNano(value: unknown, path: string): bigint {
  if (value === undefined) return 0n;
  if (typeof value === 'string' && UINT64.test(value) && BigInt(value) < 2n ** 64n) return BigInt(value);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value);
  return invalid(path, 'nanoseconds since the epoch as a decimal string or a whole number', value);
}

function hexId(value: unknown, path: string, bytes: number, allowEmpty: boolean): string {
  if (value === undefined && allowEmpty) return '';
  if (typeof value !== 'string' || !HEX.test(value)) return invalid(path, `${bytes} bytes as hex digits`, value);
  const problem = idProblem(value.toLowerCase(), bytes, allowEmpty);
  if (problem) throw new OtlpDecodeError(`${path}: ${problem}`);
  return value.toLowerCase();
}

/**
 * The spans of an OTLP/JSON ExportTraceServiceRequest (already parsed), one at a time; throws OtlpDecodeError
 * at the first field of the wrong shape, naming its path. Ids are hex, 64-bit integers strings or numbers,
 * enums numbers or their names.
 * @example [...jsonSpans(JSON.parse(body))].length
 */
export function* jsonSpans(body: unknown): Generator<OtlpSpan> {
  const request = object(body, 'the body');
  for (const [r, rawResource] of list(get(request, 'resourceSpans', 'resource_spans'), 'resourceSpans').entries()) {
    const path = `resourceSpans[${r}]`;
    const resourceSpans = object(rawResource, path);
    const resource = new Map<string, OtlpValue>();
    const rawResourceField = get(resourceSpans, 'resource');
    if (rawResourceField !== undefined) {
      const resourceObject = object(rawResourceField, `${path}.resource`);
      jsonAttributes(get(resourceObject, 'attributes'), `${path}.resource.attributes`, resource);
    }
    for (const [s, rawScope] of list(get(resourceSpans, 'scopeSpans', 'scope_spans'), `${path}.scopeSpans`).entries()) {
      const scopePath = `${path}.scopeSpans[${s}]`;
      const scope = object(rawScope, scopePath);
      for (const [i, rawSpan] of list(get(scope, 'spans'), `${scopePath}.spans`).entries()) {
        yield jsonSpan(object(rawSpan, `${scopePath}.spans[${i}]`), `${scopePath}.spans[${i}]`, resource);
      }
    }
  }
}

function jsonSpan(span: Json, path: string, resource: ReadonlyMap<string, OtlpValue>): OtlpSpan {
  const name = get(span, 'name') ?? '';
  if (typeof name !== 'string') invalid(`${path}.name`, 'a string', name);
  const rawStatus = get(span, 'status');
  let statusCode = 0;
  if (rawStatus !== undefined) {
    const code = get(object(rawStatus, `${path}.status`), 'code');
    if (typeof code === 'number' && Number.isInteger(code)) statusCode = code;
    else if (typeof code === 'string' && Object.hasOwn(STATUS_NAMES, code)) statusCode = STATUS_NAMES[code]!;
    else if (code !== undefined) invalid(`${path}.status.code`, 'a status code (0, 1, 2 or STATUS_CODE_UNSET, _OK, _ERROR)', code);
  }
  const flags = get(span, 'flags') ?? 0;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) {
    invalid(`${path}.flags`, 'a whole number from 0 to 4294967295', flags);
  }
  const attributes = new Map<string, OtlpValue>();
  jsonAttributes(get(span, 'attributes'), `${path}.attributes`, attributes);
  return {
    traceId: hexId(get(span, 'traceId', 'trace_id'), `${path}.traceId`, TRACE_ID_BYTES, false),
    spanId: hexId(get(span, 'spanId', 'span_id'), `${path}.spanId`, SPAN_ID_BYTES, false),
    parentSpanId: hexId(get(span, 'parentSpanId', 'parent_span_id'), `${path}.parentSpanId`, SPAN_ID_BYTES, true),
    name,
    startTimeUnixNano: unixNano(get(span, 'startTimeUnixNano', 'start_time_unix_nano'), `${path}.startTimeUnixNano`),
    endTimeUnixNano: unixNano(get(span, 'endTimeUnixNano', 'end_time_unix_nano'), `${path}.endTimeUnixNano`),
    statusCode,
    flags,
    attributes,
    resource,
  };
}

function jsonAttributes(value: unknown, path: string, into: Map<string, OtlpValue>): void {
  for (const [i, raw] of list(value, path).entries()) {
    const entry = object(raw, `${path}[${i}]`);
    const key = get(entry, 'key') ?? '';
    if (typeof key !== 'string') invalid(`${path}[${i}].key`, 'a string', key);
    const rawValue = get(entry, 'value');
    if (rawValue === undefined) continue;
    const scalar = jsonAnyValue(object(rawValue, `${path}[${i}].value`), `${path}[${i}].value`);
    if (scalar !== undefined) into.set(key, scalar);
  }
}

function jsonAnyValue(value: Json, path: string): OtlpValue | undefined {
  const text = get(value, 'stringValue', 'string_value');
  if (text !== undefined) return typeof text === 'string' ? text : invalid(`${path}.stringValue`, 'a string', text);
  const bool = get(value, 'boolValue', 'bool_value');
  if (bool !== undefined) return typeof bool === 'boolean' ? bool : invalid(`${path}.boolValue`, 'true or false', bool);
  const int = get(value, 'intValue', 'int_value');
  if (int !== undefined) {
    if (typeof int === 'string' && INT64.test(int)) return BigInt.asIntN(64, BigInt(int));
    if (typeof int === 'number' && Number.isSafeInteger(int)) return BigInt(int);
    return invalid(`${path}.intValue`, 'a 64-bit integer as a decimal string or a whole number', int);
  }
  const double = get(value, 'doubleValue', 'double_value');
  if (double !== undefined) {
    if (typeof double === 'number') return double;
    if (double === 'NaN' || double === 'Infinity' || double === '-Infinity') return Number(double);
    return invalid(`${path}.doubleValue`, 'a number', double);
  }
  // arrayValue, kvlistValue, bytesValue or an empty value: not a scalar, not kept, not descended into.
  return undefined;
}
