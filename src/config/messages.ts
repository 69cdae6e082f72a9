/** Wording of configuration problems: "expected X, got Y" in YAML's terms (mapping, list), not JavaScript's. */
import type * as z from 'zod';

/** A path into the YAML document, e.g. ['journeys', 0, 'slos', 1, 'objective']. */
export type ConfigPath = readonly (string | number)[];

/** `journeys[0].slos[1].objective`; the empty path is the document itself. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** How a YAML value reads back to its author: strings quoted, containers by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `'${shown}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  return typeof value;
}

/** "expected <what>, got <value>", or "missing; expected <what>" when the key is absent. */
export function expected(what: string, input: unknown): string {
  return input === undefined ? `missing; expected ${what}` : `expected ${what}, got ${describeValue(input)}`;
}

/** A zod error option that words every issue of a schema (type and checks alike) as `expected <what>`. */
export function expecting(what: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => expected(what, issue.input) };
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/**
 * The fallback error map for schema issues that carry no wording of their own; unknown keys are
 * worded by the caller, which splits them into one problem per key.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return expected(TYPE_NAMES[issue.expected] ?? issue.expected, issue.input);
    case 'invalid_value':
      return expected(issue.values.map((v) => `'${String(v)}'`).join(' or '), issue.input);
    case 'too_small':
      return issue.origin === 'array'
        ? expected(`a list of at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`, issue.input)
        : expected(`a value ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`, issue.input);
    case 'too_big':
      return expected(`a value ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`, issue.input);
    default:
      return undefined;
  }
};

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The message for an unknown key: the allowed keys, and the closest one when it looks like a typo. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const lower = key.toLowerCase();
  const closest = allowed
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance)[0];
  const hint = closest && closest.distance <= Math.max(1, Math.floor(key.length / 3)) ? ` (did you mean '${closest.candidate}'?)` : '';
  return `unknown key '${key}'${hint}; expected one of: ${allowed.join(', ')}`;
}
