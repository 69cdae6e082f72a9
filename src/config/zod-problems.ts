/** Turns a zod schema's verdict on one parsed YAML document into problems at paths, worded for the document's author. */
import * as z from 'zod';
import { type ConfigPath, configErrorMap, unknownKeyMessage } from './messages.js';

/** A problem at a path of one document; `at: 'key'` points at the mapping key rather than its value. */
export interface PathProblem {
  path: ConfigPath;
  at: 'key' | 'value';
  message: string;
}

export type SchemaVerdict<T> = { ok: true; value: T } | { ok: false; problems: PathProblem[] };

/**
 * Parses `data` with `schema`: one problem per offending node, unknown keys one by one with the allowed keys (and the closest
 * one when a key looks misspelt), problems a schema words twice for one node (two failed checks) reported once.
 * @example schemaProblems(z.strictObject({ a: z.string() }), { b: 1 }) // { ok: false, problems: [{ path: ['a'], … }, { path: ['b'], at: 'key', … }] }
 */
export function schemaProblems<S extends z.ZodType>(schema: S, data: unknown): SchemaVerdict<z.output<S>> {
  // Unknown keys arrive as one issue per mapping; remember each mapping's allowed keys to word one problem per key.
  const allowedKeys = new Map<unknown, string[]>();
  const result = schema.safeParse(data, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys' && issue.inst instanceof z.ZodObject) {
        allowedKeys.set(issue.keys, Object.keys(issue.inst.shape));
        return 'unknown key';
      }
      return configErrorMap(issue);
    },
  });
  if (result.success) return { ok: true, value: result.data };
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: PathProblem) => {
    const key = JSON.stringify(problem);
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  for (const issue of result.error.issues) {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys.get(issue.keys) ?? [];
      for (const key of issue.keys) add({ path: [...path, key], at: 'key', message: unknownKeyMessage(key, allowed) });
    } else if (issue.code === 'invalid_key') {
      add({ path, at: 'key', message: issue.issues[0]?.message ?? issue.message });
    } else {
      add({ path, at: 'value', message: issue.message });
    }
  }
  return { ok: false, problems };
}
