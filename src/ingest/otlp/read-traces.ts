/**
 * An OTLP/HTTP trace body read span by span (docs/opentelemetry.md ("Encodings")), in slices of about 10 ms so that
 * even the largest body never holds up other requests. Nothing is stored here: each span goes to `each`, and a
 * body malformed anywhere is one coded problem, found before the caller stores anything.
 */
import { yieldToEventLoop } from '../read-events.js';
import { jsonSpans, OtlpDecodeError, type OtlpSpan, protobufSpans } from './traces.js';

export type OtlpEncoding = 'protobuf' | 'json';

export type ReadTracesResult = { ok: true; spans: number } | { ok: false; code: 'invalid_json' | 'invalid_otlp'; message: string };

/** Spans read between two checks of the clock. */
const CHECK_EVERY = 64;
/** Longest stretch of reading before the event loop gets a turn. */
const SLICE_MS = 10;
/** Longest JSON parser message echoed back; V8's quote the input. */
const MAX_PARSE_MESSAGE = 200;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode `body` as an ExportTraceServiceRequest and hand each span to `each`, in order.
 * @example
 * const spans: OtlpSpan[] = [];
 * await readTraceSpans(bytes, 'protobuf', (span) => spans.push(span)) // { ok: true, spans: 3 }
 */
export async function readTraceSpans(body: Uint8Array, encoding: OtlpEncoding, each: (span: OtlpSpan) => void): Promise<ReadTracesResult> {
  let spans: Iterable<OtlpSpan>;
  if (encoding === 'json') {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return { ok: false, code: 'invalid_json', message: 'The body is not valid UTF-8; send OTLP/JSON as UTF-8 text' };
    }
    if (text.trim() === '')
      return { ok: false, code: 'invalid_json', message: 'The body is empty; expected an OTLP/JSON ExportTraceServiceRequest' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        code: 'invalid_json',
        message: `The body is not valid JSON: ${(error as Error).message.slice(0, MAX_PARSE_MESSAGE)}`,
      };
    }
    spans = jsonSpans(parsed);
  } else {
    spans = protobufSpans(body);
  }
  let count = 0;
  let sliceStart = performance.now();
  try {
    for (const span of spans) {
      each(span);
      if (++count % CHECK_EVERY === 0 && performance.now() - sliceStart >= SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  } catch (error) {
    if (error instanceof OtlpDecodeError) {
      const what = encoding === 'json' ? 'an OTLP/JSON' : 'a protobuf';
      return { ok: false, code: 'invalid_otlp', message: `The body is not ${what} ExportTraceServiceRequest: ${error.message}` };
    }
    throw error;
  }
  return { ok: true, spans: count };
}
