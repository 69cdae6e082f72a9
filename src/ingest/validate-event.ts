/** Checks one ingested value against the event rules (docs/api.md ("The event", "Rejection codes")) and normalises it into a JourneyEvent. */
import { amountProblem, type SliDefinition, sliDefinitions } from '../engine/sli.js';
import type { ErrorCode } from '../errors/catalogue.js';
import type { Outcome, VigilConfig } from '../model/config.js';
import type { EventRejection, JourneyEvent } from '../model/event.js';
import { formatInstant, parseRfc3339 } from './timestamp.js';
import { isStorableText } from './storable-text.js';

/** Most keys `attributes` may hold. */
export const MAX_ATTRIBUTES = 32;
/** Longest `id`, `attemptId` or `customerId`, in UTF-16 code units (String.length). */
export const MAX_ID_LENGTH = 200;
/** How far ahead of the server clock an event's timestamp may be (clock skew allowance). */
export const MAX_FUTURE_MS = 5 * 60_000;

const DAY_MS = 86_400_000;
/** Epoch-millisecond timestamps below this (March 1973) are most likely epoch seconds. */
const EPOCH_SECONDS_HINT_BELOW = 1e11;
const FIELDS = 'id, journey, step, outcome, latencyMs, timestamp, attemptId, customerId, amount, currency, attributes';
const OUTCOME_LIST = 'success, failure, rejected, abandoned';
const IDENTIFIER_EXPECTED = `a non-empty string of at most ${MAX_ID_LENGTH} characters`;
const TIMESTAMP_EXPECTED = 'an RFC 3339 date-time with seconds and a time zone (e.g. 2026-11-26T10:00:00Z) or epoch milliseconds';
const CURRENCY = /^[A-Z]{3}$/;

export type EventValidation = { ok: true; event: JourneyEvent } | { ok: false; rejection: EventRejection };
/**
 * Validates the item at `index` of a batch (the index is only echoed in a rejection). `now` defaults
 * to `clock()`; a batch passes its receipt time so all its events are judged against one instant.
 */
export type EventValidator = (value: unknown, index: number, now?: number) => EventValidation;

/**
 * Build the validator for a configuration. Shape errors (`invalid_event`, naming the field and what
 * was expected) come first, then `unknown_journey`, `unknown_step`, and `too_old` (before
 * `config.retention.rawEventsDays` days ago) or `in_future` (more than 5 minutes after `clock()`).
 * Optional fields set to `null` count as absent. A missing timestamp becomes now.
 *
 * @example
 * const validate = createEventValidator(config, Date.now);
 * validate({ journey: 'wire-transfer', outcome: 'success', latencyMs: 'fast' }, 3)
 * // → { ok: false, rejection: { index: 3, code: 'invalid_event', message: 'latencyMs: expected a number ≥ 0, got "fast"' } }
 */
export function createEventValidator(config: VigilConfig, clock: () => number): EventValidator {
  const stepsByJourney = new Map<string, ReadonlySet<string>>();
  for (const journey of config.journeys) stepsByJourney.set(journey.name, new Set(journey.steps.map((step) => step.name)));
  // Amount-weighted SLIs by journey: their events must carry an amount in the journey's currency.
  const weightedByJourney = new Map<string, SliDefinition[]>();
  for (const def of sliDefinitions(config.journeys)) {
    if (def.weight !== 'amount') continue;
    weightedByJourney.set(def.journey, [...(weightedByJourney.get(def.journey) ?? []), def]);
  }
  const retentionMs = config.retention.rawEventsDays * DAY_MS;
  const retentionText = `${config.retention.rawEventsDays} day${config.retention.rawEventsDays === 1 ? '' : 's'}`;

  return (value, index, now = clock()) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return reject(index, 'invalid_event', `event: expected a JSON object, got ${describe(value)}`);
    }
    const input = value as Record<string, unknown>;
    let id: unknown, journey: unknown, step: unknown, outcome: unknown, latencyMs: unknown, timestamp: unknown;
    let attemptId: unknown, customerId: unknown, amount: unknown, currency: unknown, attributes: unknown;
    // One pass over the keys both collects the fields and catches unknown ones: the shape is closed.
    for (const key in input) {
      const field = input[key];
      switch (key) {
        case 'id':
          id = field;
          break;
        case 'journey':
          journey = field;
          break;
        case 'step':
          step = field;
          break;
        case 'outcome':
          outcome = field;
          break;
        case 'latencyMs':
          latencyMs = field;
          break;
        case 'timestamp':
          timestamp = field;
          break;
        case 'attemptId':
          attemptId = field;
          break;
        case 'customerId':
          customerId = field;
          break;
        case 'amount':
          amount = field;
          break;
        case 'currency':
          currency = field;
          break;
        case 'attributes':
          attributes = field;
          break;
        default:
          return reject(index, 'invalid_event', `${fieldName(key)}: unknown field; an event has only ${FIELDS}`);
      }
    }

    if (typeof journey !== 'string' || journey.length === 0) {
      return reject(
        index,
        'invalid_event',
        journey === undefined
          ? 'journey: required; expected a non-empty string'
          : `journey: expected a non-empty string, got ${describe(journey)}`,
      );
    }
    if (outcome !== 'success' && outcome !== 'failure' && outcome !== 'rejected' && outcome !== 'abandoned') {
      return reject(
        index,
        'invalid_event',
        outcome === undefined
          ? `outcome: required; expected one of ${OUTCOME_LIST}`
          : `outcome: expected one of ${OUTCOME_LIST}, got ${describe(outcome)}`,
      );
    }
    if (step != null && typeof step !== 'string') return reject(index, 'invalid_event', `step: expected a string, got ${describe(step)}`);
    if (latencyMs != null && !(isFiniteNumber(latencyMs) && latencyMs >= 0)) {
      return reject(index, 'invalid_event', `latencyMs: expected a number ≥ 0, got ${describe(latencyMs)}`);
    }
    let at: number | undefined;
    if (typeof timestamp === 'string') at = parseRfc3339(timestamp);
    else if (isFiniteNumber(timestamp)) at = Math.floor(timestamp);
    if (timestamp != null && at === undefined)
      return reject(index, 'invalid_event', `timestamp: expected ${TIMESTAMP_EXPECTED}, got ${describe(timestamp)}`);
    if (id != null && !isIdentifier(id)) return reject(index, 'invalid_event', `id: expected ${IDENTIFIER_EXPECTED}, got ${describe(id)}`);
    if (typeof id === 'string' && !isStorableText(id))
      return reject(index, 'invalid_event', `id: expected text without NUL characters or unpaired surrogates`);
    if (attemptId != null && !isIdentifier(attemptId))
      return reject(index, 'invalid_event', `attemptId: expected ${IDENTIFIER_EXPECTED}, got ${describe(attemptId)}`);
    if (typeof attemptId === 'string' && !isStorableText(attemptId))
      return reject(index, 'invalid_event', `attemptId: expected text without NUL characters or unpaired surrogates`);
    if (customerId != null && !isIdentifier(customerId))
      return reject(index, 'invalid_event', `customerId: expected ${IDENTIFIER_EXPECTED}, got ${describe(customerId)}`);
    if (typeof customerId === 'string' && !isStorableText(customerId))
      return reject(index, 'invalid_event', `customerId: expected text without NUL characters or unpaired surrogates`);
    if (amount != null && !isFiniteNumber(amount))
      return reject(index, 'invalid_event', `amount: expected a number, got ${describe(amount)}`);
    if (currency != null && !(typeof currency === 'string' && CURRENCY.test(currency))) {
      return reject(index, 'invalid_event', `currency: expected an ISO 4217 code of 3 uppercase letters, got ${describe(currency)}`);
    }
    if (attributes != null) {
      const problem = attributesProblem(attributes);
      if (problem !== undefined) return reject(index, 'invalid_event', problem);
    }

    const steps = stepsByJourney.get(journey);
    if (steps === undefined)
      return reject(
        index,
        'unknown_journey',
        `journey: ${describe(journey)} is not configured${listOf('configured journeys', stepsByJourney.keys())}`,
      );
    if (step != null && !steps.has(step)) {
      return reject(
        index,
        'unknown_step',
        `step: ${describe(step)} is not a step of journey "${journey}"${listOf('its steps', steps.values())}`,
      );
    }
    if (at === undefined) {
      at = now;
    } else if (at < now - retentionMs) {
      const hint =
        typeof timestamp === 'number' && at < EPOCH_SECONDS_HINT_BELOW ? ' (epoch seconds? numeric timestamps are epoch milliseconds)' : '';
      return reject(
        index,
        'too_old',
        `timestamp: ${formatInstant(at)} is older than the raw-event retention of ${retentionText} ` +
          `(oldest accepted now: ${formatInstant(now - retentionMs)})${hint}`,
      );
    } else if (at > now + MAX_FUTURE_MS) {
      return reject(
        index,
        'in_future',
        `timestamp: ${formatInstant(at)} is more than 5 minutes ahead of the server clock (${formatInstant(now)})`,
      );
    }

    const event: JourneyEvent = { journey, outcome: outcome satisfies Outcome, timestamp: at };
    if (id != null) event.id = id as string;
    if (step != null) event.step = step;
    if (latencyMs != null) event.latencyMs = latencyMs as number;
    if (attemptId != null) event.attemptId = attemptId as string;
    if (customerId != null) event.customerId = customerId as string;
    if (amount != null) event.amount = amount as number;
    if (currency != null) event.currency = currency as string;
    if (attributes != null) event.attributes = attributes as Record<string, unknown>;
    const weighted = weightedByJourney.get(journey);
    if (weighted !== undefined) {
      const problem = amountProblem(weighted, event);
      if (problem !== null) return reject(index, problem.code, problem.message);
    }
    return { ok: true, event };
  };
}

function reject(index: number, code: ErrorCode, message: string): EventValidation {
  return { ok: false, rejection: { index, code, message } };
}

/** Why `attributes` is not a plain object of at most MAX_ATTRIBUTES scalar values, or undefined when it is. */
function attributesProblem(attributes: unknown): string | undefined {
  const expected = `an object of at most ${MAX_ATTRIBUTES} keys with string, number, boolean or null values`;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
    return `attributes: expected ${expected}, got ${describe(attributes)}`;
  const prototype = Object.getPrototypeOf(attributes);
  if (prototype !== Object.prototype && prototype !== null) return `attributes: expected ${expected}, got ${describe(attributes)}`;
  let count = 0;
  for (const key in attributes) {
    if (++count > MAX_ATTRIBUTES) return `attributes: expected at most ${MAX_ATTRIBUTES} keys, got ${Object.keys(attributes).length}`;
    if (!isStorableText(key)) return `attributes: keys must be text without NUL characters or unpaired surrogates, got ${describe(key)}`;
    const value = (attributes as Record<string, unknown>)[key];
    if (typeof value === 'string' && !isStorableText(value)) {
      return `attributes${attributeName(key)}: expected text without NUL characters or unpaired surrogates`;
    }
    if (value !== null && typeof value !== 'string' && typeof value !== 'boolean' && !isFiniteNumber(value)) {
      return `attributes${attributeName(key)}: expected a string, number, boolean or null, got ${describe(value)}`;
    }
  }
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

/** A field name fit for a message: bare when it reads as an identifier, else quoted and shortened. */
function fieldName(key: string): string {
  return PLAIN_NAME.test(key) && key.length <= 64 ? key : quote(key);
}

function attributeName(key: string): string {
  return PLAIN_NAME.test(key) && key.length <= 64 ? `.${key}` : `[${quote(key)}]`;
}

/** How a received value reads in a message: strings quoted and shortened, containers named by kind. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > MAX_ID_LENGTH ? `a string of ${value.length} characters` : quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** " (label: a, b, c)" with at most ten names, for messages that help the sender fix a typo. */
function listOf(label: string, names: Iterable<string>): string {
  const all = [...names];
  if (all.length === 0) return '';
  const shown = all.slice(0, 10).join(', ');
  return ` (${label}: ${all.length > 10 ? `${shown}, …` : shown})`;
}
