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
  // A UTF-8 byte order mark decodes to U+FEFF, which JSON.parse refuses.
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  return isNdjson(contentType) ? parseNdjson(text) : parseJson(text);
}

function parseJson(text: string): ParsedBody {
  if (isBlank(text)) return { items: [], rejections: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { items: [], rejections: [{ index: 0, code: 'invalid_json', message: `body: ${parseErrorMessage(error)}` }] };
  }
  if (!Array.isArray(value)) return { items: [{ index: 0, value }], rejections: [] };
  const items: BodyItem[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) items[i] = { index: i, value: value[i] };
  return { items, rejections: [] };
}

function parseNdjson(text: string): ParsedBody {
  const items: BodyItem[] = [];
  const rejections: EventRejection[] = [];
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
    try {
      items.push({ index, value: JSON.parse(line) });
    } catch (error) {
      rejections.push({ index, code: 'invalid_json', message: `line ${lineNumber}: ${parseErrorMessage(error)}` });
    }
    index++;
  }
  return { items, rejections };
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
