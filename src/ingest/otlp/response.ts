/**
 * The answer of an OTLP/HTTP trace export (docs/opentelemetry.md ("The answer")): an ExportTraceServiceResponse,
 * empty when every span was accepted, else with `partial_success` saying how many spans were refused and why.
 */

/** What was refused of an export; absent (null) when nothing was. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

function varint(value: number, out: number[]): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/**
 * The protobuf encoding: field 1 `partial_success` { 1 `rejected_spans` (int64), 2 `error_message` (string) }.
 * @example encodeTraceResponseProtobuf(null) // Uint8Array [] (every span accepted)
 * @example encodeTraceResponseProtobuf({ rejectedSpans: 1, errorMessage: 'x' }) // [0x0a, 0x05, 0x08, 0x01, 0x12, 0x01, 0x78]
 */
export function encodeTraceResponseProtobuf(partial: PartialSuccess | null): Uint8Array {
  if (partial === null) return new Uint8Array(0);
  const inner: number[] = [0x08];
  varint(partial.rejectedSpans, inner);
  const message = new TextEncoder().encode(partial.errorMessage);
  if (message.length > 0) {
    inner.push(0x12);
    varint(message.length, inner);
    inner.push(...message);
  }
  const out: number[] = [0x0a];
  varint(inner.length, out);
  out.push(...inner);
  return Uint8Array.from(out);
}

/**
 * The OTLP/JSON encoding; 64-bit integers are decimal strings in OTLP/JSON.
 * @example encodeTraceResponseJson({ rejectedSpans: 2, errorMessage: '…' }) // { partialSuccess: { rejectedSpans: '2', errorMessage: '…' } }
 */
export function encodeTraceResponseJson(partial: PartialSuccess | null): {
  partialSuccess?: { rejectedSpans: string; errorMessage: string };
} {
  if (partial === null) return {};
  return { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } };
}
