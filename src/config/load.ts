/** Loads vigil.yaml (a file, or a directory of them merged) into a resolved `VigilConfig`, or every problem with file:line:col. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { ErrorCode } from '../errors/catalogue.js';
import type { VigilConfig } from '../model/config.js';
import { locate } from './locate.js';
import { formatPath } from './messages.js';
import { resolveConfig } from './resolve.js';
import { crossFieldProblems, type FileProblem } from './rules.js';
import { type ConfigFile, parseConfigFile } from './schema.js';

/** One problem, positioned 1-based; line and column are 0 when the problem concerns the file as a whole. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type LoadResult =
  | { ok: true; config: VigilConfig; files: string[] }
  | { ok: false; code: Extract<ErrorCode, 'config_invalid' | 'config_not_found'>; errors: ConfigProblem[] };

/** A file's text with its YAML document, kept to turn paths into positions. */
interface Source {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
}

/**
 * `file:line:col: message`, or `file: message` for a problem without a position.
 * @example formatProblem({ file: 'vigil.yaml', line: 14, column: 17, message: 'slos[1].objective: …' }) // 'vigil.yaml:14:17: slos[1].objective: …'
 */
export function formatProblem(problem: ConfigProblem): string {
  return problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

/**
 * Validates and resolves configuration text as if read from `fileName` (used in messages).
 * @example loadConfigFromString('version: vigil/v1\n', 'vigil.yaml') // { ok: true, config: { … }, files: ['vigil.yaml'] }
 */
export function loadConfigFromString(text: string, fileName: string): LoadResult {
  return loadSources([{ file: fileName, text }]);
}

/**
 * Reads a vigil.yaml file, or every `*.yaml`/`*.yml` file of a directory in name order, and validates
 * them as one configuration. Never throws for a missing or invalid configuration: the result says why.
 * @example const result = await loadConfig('./vigil.yaml'); if (!result.ok) result.errors.map(formatProblem)
 */
export async function loadConfig(path: string): Promise<LoadResult> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    return fileFailure(path, error);
  }
  let files = [path];
  if (isDirectory) {
    const entries = await readdir(path, { withFileTypes: true });
    const names = entries
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name) && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
    if (names.length === 0) {
      return {
        ok: false,
        code: 'config_not_found',
        errors: [{ file: path, line: 0, column: 0, message: 'the directory holds no *.yaml or *.yml file' }],
      };
    }
    files = names.map((name) => join(path, name));
  }
  const inputs: { file: string; text: string }[] = [];
  for (const file of files) {
    try {
      inputs.push({ file, text: await readFile(file, 'utf8') });
    } catch (error) {
      return fileFailure(file, error);
    }
  }
  return loadSources(inputs);
}

function fileFailure(file: string, error: unknown): LoadResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return { ok: false, code: 'config_not_found', errors: [{ file, line: 0, column: 0, message: 'no such file or directory' }] };
  }
  return {
    ok: false,
    code: 'config_invalid',
    errors: [{ file, line: 0, column: 0, message: `cannot be read: ${(error as Error).message}` }],
  };
}

/** YAML syntax first; files that parse are checked against the schema and, together, against the cross-field rules. */
function loadSources(inputs: readonly { file: string; text: string }[]): LoadResult {
  const problems: ConfigProblem[] = [];
  const sources = new Map<string, Source>();
  const parsed: ConfigFile[] = [];
  const raw: { file: string; data: unknown }[] = [];

  for (const { file, text } of inputs) {
    const lineCounter = new LineCounter();
    // Merge keys (`<<: *base`) let teams share SLO blocks between journeys; YAML 1.2 leaves them off by default.
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        problems.push({ file, line, column: col, message: `YAML syntax: ${error.message}` });
      }
      continue;
    }
    const source: Source = { file, doc, lineCounter };
    sources.set(file, source);
    let data: unknown;
    try {
      data = doc.toJS();
    } catch (error) {
      // toJS refuses alias bombs (exponential expansion); report it like a syntax error.
      problems.push({ file, line: 1, column: 1, message: `YAML: ${(error as Error).message}` });
      continue;
    }
    raw.push({ file, data });
    const result = parseConfigFile(data);
    if (result.ok) parsed.push(result.value);
    else for (const problem of result.problems) problems.push(positioned(source, { ...problem, file }));
  }

  for (const problem of crossFieldProblems(raw)) {
    const source = sources.get(problem.file);
    if (source) problems.push(positioned(source, problem, sources));
  }

  if (problems.length > 0)
    return {
      ok: false,
      code: 'config_invalid',
      errors: sortProblems(
        problems,
        inputs.map((input) => input.file),
      ),
    };
  return { ok: true, config: resolveConfig(parsed), files: inputs.map((input) => input.file) };
}

function positioned(source: Source, problem: FileProblem, sources?: Map<string, Source>): ConfigProblem {
  const { line, column } = locate(source.doc, source.lineCounter, problem.path, problem.at);
  const where = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
  let message = `${where}${problem.message}`;
  const related = problem.related && sources?.get(problem.related.file);
  if (problem.related && related) {
    const first = locate(related.doc, related.lineCounter, problem.related.path, problem.related.at);
    message += related === source ? ` (first at line ${first.line})` : ` (first at ${related.file}:${first.line}:${first.column})`;
  }
  return { file: source.file, line, column, message };
}

/** In file order, then by position; problems at the same node keep the order they were found in. */
function sortProblems(problems: ConfigProblem[], fileOrder: string[]): ConfigProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => {
      const byFile = fileOrder.indexOf(a.problem.file) - fileOrder.indexOf(b.problem.file);
      return byFile || a.problem.line - b.problem.line || a.problem.column - b.problem.column || a.index - b.index;
    })
    .map(({ problem }) => problem);
}
