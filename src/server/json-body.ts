/** Request bodies read as text and JSON: invalid UTF-8, malformed, too deep or unstorable input is a coded 400, never a 500. */
import { VigilError } from '../errors/catalogue.js';
import { isStorableText } from '../ingest/storable-text.js';

/** Deepest nesting of arrays and objects a JSON body may have (docs/api.md ("HTTP API")); real payloads use fewer than 10. */
export const MAX_JSON_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A body's bytes as text, refusing invalid UTF-8 with `invalid_json`: replacing bad bytes with U+FFFD
 * would silently turn two different ids into one.
 * @example decodeUtf8Strict(Buffer.from('{"a":1}')) // '{"a":1}'
 */
export function decodeUtf8Strict(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch (cause) {
    throw new VigilError('invalid_json', `The body is not valid UTF-8 (at or after byte ${firstInvalidByte(body)}); send UTF-8 text`, {
      cause,
    });
  }
}

/**
 * A Fastify content-type parser (parseAs 'buffer') handing routes the body as strictly decoded text.
 * @example app.addContentTypeParser('*', { parseAs: 'buffer' }, strictUtf8Body);
 */
export function strictUtf8Body(_request: unknown, body: string | Buffer, done: (error: Error | null, body?: unknown) => void): void {
  try {
    done(null, typeof body === 'string' ? body : decodeUtf8Strict(body));
  } catch (error) {
    done(error as Error);
  }
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, for the message. */
function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix: decoding a prefix cut inside a sequence also fails, so bisect on whole prefixes.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** The body as JSON; an empty, malformed or too deeply nested body is `invalid_json`. */
export function parseJsonBody(body: unknown): unknown {
  const text = typeof body === 'string' ? body : '';
  if (text.trim() === '') throw new VigilError('invalid_json', 'The body is empty; expected a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new VigilError('invalid_json', `The body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const bad = firstProblem(value);
  if (bad === null) return value;
  if (bad.kind === 'depth')
    throw new VigilError('invalid_json', `The body is nested deeper than ${MAX_JSON_DEPTH} levels (at ${bad.path})`);
  if (bad.kind === 'key') throw new VigilError('invalid_alert_payload', `${bad.path}: the key '__proto__' is not allowed`);
  throw new VigilError('invalid_alert_payload', `${bad.path || 'the body'}: expected text without NUL characters or unpaired surrogates`);
}

type Problem = { kind: 'depth' | 'key' | 'text'; path: string };

/**
 * The first string (key or value) no store can keep as it is, key `__proto__` (which JSON.parse keeps as an
 * own property and later code would take for the prototype), or nesting past MAX_JSON_DEPTH; null when none.
 * Walked with an explicit stack, so no body can exhaust the call stack.
 */
function firstProblem(root: unknown): Problem | null {
  // An entry is a value still to look at, or a problem with a key, kept in place so that problems come in document order.
  type Entry = { value: unknown; path: string; depth: number } | Problem;
  const stack: Entry[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if ('kind' in entry) return entry;
    const { value, path, depth } = entry;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return { kind: 'text', path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', path: path || 'the body' };
    // Pushed in reverse, so the first problem in document order is popped first.
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const at = path ? `${path}.${key}` : key;
      stack.push({ value: item, path: at, depth: depth + 1 });
      if (key === '__proto__') stack.push({ kind: 'key', path: at });
      if (!isStorableText(key)) stack.push({ kind: 'text', path: at });
    }
  }
  return null;
}
