/** Request bodies read as JSON: malformed or unstorable text is a coded 400, never a 500. */
import { VigilError } from '../errors/catalogue.js';
import { isStorableText } from '../ingest/storable-text.js';

/** The body as JSON; an empty or malformed body is `invalid_json`. */
export function parseJsonBody(body: unknown): unknown {
  const text = typeof body === 'string' ? body : '';
  if (text.trim() === '') throw new VigilError('invalid_json', 'The body is empty; expected a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new VigilError('invalid_json', `The body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const bad = unstorablePath(value, '');
  if (bad !== null)
    throw new VigilError('invalid_alert_payload', `${bad || 'the body'}: expected text without NUL characters or unpaired surrogates`);
  return value;
}

/** Path of the first string (key or value) that no store can keep as it is, or null. */
function unstorablePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = unstorablePath(value[i], `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!isStorableText(key)) return at;
      const bad = unstorablePath(item, at);
      if (bad !== null) return bad;
    }
  }
  return null;
}
