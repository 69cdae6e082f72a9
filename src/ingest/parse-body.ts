/** Splits an ingest body (one JSON event, a JSON array of events, or NDJSON) into items to validate (docs/api.md ("Body")). */
import type { EventRejection } from '../model/event.js';

/** One value of the body, with its position: array index, or the n-th non-blank NDJSON line (from 0). */
export interface BodyItem {
  index: number;
  value: unknown;
}

export interface ParsedBody {
  /** Values that parsed as JSON, ascending by index. */
  items: BodyItem[];
  /** `invalid_json` rejections, ascending by index. */
  rejections: EventRejection[];
}

/** Longest JSON parser message echoed back; V8's include a quote of the input. */
const MAX_PARSE_MESSAGE = 200;

/**
 * True for `application/x-ndjson` and `application/ndjson`, whatever their parameters or case.
 * @example isNdjson('application/x-ndjson; charset=utf-8') === true
 */
export function isNdjson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/x-ndjson' || mediaType === 'application/ndjson';
}

/** One value of the body, or why it is not JSON (its message built only when it is echoed back). */
export type BodyEntry = { index: number; value: unknown } | { index: number; invalid: () => string };

/**
 * Parse an ingest body. NDJSON content types are read line by line, so one bad line is one
 * `invalid_json` rejection and the other lines still count; blank lines are skipped and do not take
 * an index. Any other content type is read as JSON: an array gives one item per element, any other
 * value one item at index 0, and a body that is not JSON one `invalid_json` rejection at index 0.
 * An empty (or all-whitespace) body holds no items in either form.
 * Which content types the endpoint accepts at all is the HTTP layer's decision (415).
 *
 * @example
 * parseEventsBody('{"journey":"a","outcome":"success"}\n\nnot json\n', 'application/x-ndjson')
 * // → { items: [{ index: 0, value: { journey: 'a', outcome: 'success' } }],
 * //     rejections: [{ index: 1, code: 'invalid_json', message: 'line 3: …' }] }
 */
export function parseEventsBody(body: string, contentType: string | undefined): ParsedBody {
  const items: BodyItem[] = [];
  const rejections: EventRejection[] = [];
  for (const entry of bodyEntries(body, contentType)) {
    if ('invalid' in entry) rejections.push({ index: entry.index, code: 'invalid_json', message: entry.invalid() });
    else items.push(entry);
  }
  return { items, rejections };
}

/**
 * The entries of an ingest body in index order, one at a time, as `parseEventsBody` reads them: a caller
 * can stop, yield to the event loop between entries, and build rejection messages only for those it keeps.
 * @example [...bodyEntries('{"a":1}\nnot json', 'application/x-ndjson')].length === 2
 */
export function* bodyEntries(body: string, contentType: string | undefined): Generator<BodyEntry> {
  // A UTF-8 byte order mark decodes to U+FEFF, which JSON.parse refuses.
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  if (isNdjson(contentType)) yield* ndjsonEntries(text);
  else yield* jsonEntries(text);
}

function* jsonEntries(text: string): Generator<BodyEntry> {
  if (isBlank(text)) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    yield { index: 0, invalid: () => `body: ${parseErrorMessage(error)}` };
    return;
  }
  if (!Array.isArray(value)) {
    yield { index: 0, value };
    return;
  }
  for (let i = 0; i < value.length; i++) yield { index: i, value: value[i] };
}

function* ndjsonEntries(text: string): Generator<BodyEntry> {
  let index = 0;
  let lineNumber = 0;
  let start = 0;
  const length = text.length;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = length;
    lineNumber++;
    // JSON.parse ignores surrounding whitespace (a CRLF's \r included), so the line is sliced as is.
    const line = text.slice(start, end);
    start = end + 1;
    if (isBlank(line)) continue;
    let value: unknown;
    let failure: unknown;
    // A bad line's SyntaxError needs no stack: capturing one is most of what a rejected line costs.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      value = JSON.parse(line);
    } catch (error) {
      failure = error;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    if (failure === undefined) yield { index, value };
    else {
      const at = lineNumber;
      yield { index, invalid: () => `line ${at}: ${parseErrorMessage(failure)}` };
    }
    index++;
  }
}

/** True when the text holds only JSON whitespace (space, tab, CR, LF). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_PARSE_MESSAGE ? `${message.slice(0, MAX_PARSE_MESSAGE)}…` : message;
}
