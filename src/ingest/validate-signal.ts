/**
 * Checks one posted signal (docs/signals.md ("Posting signals")) and maps it to a journey: the one it
 * names, else the one its text's keywords point to, else none.
 */
import type { EventRejection } from '../api/events.js';
import type { ErrorCode } from '../errors/catalogue.js';
import type { VigilConfig } from '../model/config.js';
import { DEFAULT_MIN_SPIKE, type Signal } from '../model/signal.js';
import { createKeywordMatcher } from './signal-keywords.js';
import { isStorableText } from './storable-text.js';
import { parseRfc3339 } from './timestamp.js';

/** Longest `id`, in UTF-16 code units. */
export const MAX_SIGNAL_ID_LENGTH = 200;
/** Longest `source`. */
export const MAX_SOURCE_LENGTH = 64;
/** Longest `text`. */
export const MAX_SIGNAL_TEXT_LENGTH = 2000;
/** Largest `count` one signal may stand for. */
export const MAX_SIGNAL_COUNT = 1_000_000;
/** How far ahead of the server clock `at` may be. */
export const MAX_SIGNAL_FUTURE_MS = 5 * 60_000;
/** Days signals are kept when vigil.yaml sets no retention.signals. */
export const DEFAULT_SIGNAL_RETENTION_DAYS = 400;

const DAY_MS = 86_400_000;
const FIELDS = 'id, source, at, journey, text, count';
const SOURCE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const AT_EXPECTED = 'an RFC 3339 date-time with seconds and a time zone (e.g. 2026-11-26T10:00:00Z) or epoch milliseconds';

export type SignalValidation = { ok: true; signal: Signal } | { ok: false; rejection: EventRejection };
export type SignalValidator = (value: unknown, index: number, receivedAt: number) => SignalValidation;

const reject = (index: number, code: ErrorCode, message: string): SignalValidation => ({ ok: false, rejection: { index, code, message } });

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Days signals are kept under a configuration. */
export function signalRetentionDays(config: Pick<VigilConfig, 'retention'>): number {
  return config.retention.signalsDays ?? DEFAULT_SIGNAL_RETENTION_DAYS;
}

/**
 * The validator of one configuration. Shape problems are `invalid_signal` (naming the field), then
 * `unknown_journey`, `too_old` (before signal retention) and `in_future` (more than 5 minutes ahead).
 * Optional fields set to null count as absent.
 * @example createSignalValidator(config)({ id: 'r-1', source: 'app-store', at: '2026-11-26T10:00:00Z', text: 'PDF broken' }, 0, now)
 */
export function createSignalValidator(config: Pick<VigilConfig, 'journeys' | 'retention' | 'signals'>): SignalValidator {
  const journeys = new Set(config.journeys.map((j) => j.name));
  const match = createKeywordMatcher(config.signals ?? { minSpike: DEFAULT_MIN_SPIKE, keywords: [] });
  const retentionDays = signalRetentionDays(config);

  return (value, index, receivedAt) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return reject(index, 'invalid_signal', `signal: expected a JSON object, got ${describe(value)}`);
    }
    const input = value as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!FIELDS.split(', ').includes(key)) {
        return reject(index, 'invalid_signal', `${JSON.stringify(key.slice(0, 64))}: unknown field; a signal has only ${FIELDS}`);
      }
    }
    const { id, source, at: rawAt, journey, text, count } = input;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_SIGNAL_ID_LENGTH || !isStorableText(id)) {
      return reject(
        index,
        'invalid_signal',
        `id: required; expected a string of 1 to ${MAX_SIGNAL_ID_LENGTH} characters, got ${describe(id)}`,
      );
    }
    if (typeof source !== 'string' || source.length > MAX_SOURCE_LENGTH || !SOURCE.test(source)) {
      return reject(
        index,
        'invalid_signal',
        `source: required; expected a name of letters, digits, '.', '_' or '-' (at most ${MAX_SOURCE_LENGTH}) such as app-store, got ${describe(source)}`,
      );
    }
    let at: number | undefined;
    if (typeof rawAt === 'string') at = parseRfc3339(rawAt);
    else if (typeof rawAt === 'number' && Number.isFinite(rawAt)) at = Math.floor(rawAt);
    if (at === undefined) return reject(index, 'invalid_signal', `at: required; expected ${AT_EXPECTED}, got ${describe(rawAt)}`);
    if (journey != null && (typeof journey !== 'string' || journey.length === 0)) {
      return reject(index, 'invalid_signal', `journey: expected a journey name, got ${describe(journey)}`);
    }
    if (text != null && (typeof text !== 'string' || text.length > MAX_SIGNAL_TEXT_LENGTH || !isStorableText(text))) {
      return reject(
        index,
        'invalid_signal',
        `text: expected a string of at most ${MAX_SIGNAL_TEXT_LENGTH} characters without NUL or unpaired surrogates, got ${describe(text)}`,
      );
    }
    if (count != null && !(typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= MAX_SIGNAL_COUNT)) {
      return reject(index, 'invalid_signal', `count: expected a whole number from 1 to ${MAX_SIGNAL_COUNT}, got ${describe(count)}`);
    }
    if (typeof journey === 'string' && !journeys.has(journey)) {
      return reject(index, 'unknown_journey', `journey: no journey is named ${describe(journey)}`);
    }
    if (at < receivedAt - retentionDays * DAY_MS) {
      return reject(index, 'too_old', `at: ${describe(rawAt)} is older than signal retention (${retentionDays} days)`);
    }
    if (at > receivedAt + MAX_SIGNAL_FUTURE_MS) {
      return reject(index, 'in_future', `at: ${describe(rawAt)} is more than 5 minutes ahead of the server clock`);
    }
    const mapped = typeof journey === 'string' ? null : typeof text === 'string' ? match(text) : null;
    return {
      ok: true,
      signal: {
        id,
        source,
        at,
        journey: typeof journey === 'string' ? journey : (mapped?.journey ?? null),
        keyword: mapped?.keyword ?? null,
        text: typeof text === 'string' ? text : null,
        count: typeof count === 'number' ? count : 1,
        receivedAt,
      },
    };
  };
}
