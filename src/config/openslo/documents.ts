/**
 * Reads OpenSLO files: multi-document YAML whose documents are an object or a list of objects, from files and directories
 * (recursively), each object kept with where it sits so every problem can name file, line and column
 * (docs/openslo.md ("Reading files")).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Document, isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { ConfigProblem } from '../load.js';
import { locate, type Position } from '../locate.js';
import { type ConfigPath, describeValue, formatPath } from '../messages.js';
import type { PathProblem } from '../zod-problems.js';
import { type ObjectVerdict, validateObject } from './schema.js';

/** One object of a file, with its place: oslo counts objects per file across documents and list items (`index`). */
export interface SourceObject {
  file: string;
  index: number;
  data: unknown;
  /** The object's path inside its YAML document: [] for a document that is the object, [i] for an item of a list. */
  base: ConfigPath;
  doc: Document;
  lineCounter: LineCounter;
}

/** A validated object: its verdict beside its place. */
export interface CheckedObject extends SourceObject {
  verdict: ObjectVerdict;
}

export interface ReadResult {
  files: string[];
  objects: CheckedObject[];
  /** Problems that stop a file from being read at all: missing paths, YAML syntax, documents that hold no object. */
  problems: ConfigProblem[];
}

/**
 * The line and column of `path` (relative to the object) in its file.
 * @example positionOf(object, ['spec', 'service'], 'value') // { line: 7, column: 12 }
 */
export function positionOf(object: SourceObject, path: ConfigPath, at: 'key' | 'value'): Position {
  return locate(object.doc, object.lineCounter, [...object.base, ...path], at);
}

/** How a problem of an object reads: its kind and name first, so a reader knows which object among many. */
export function objectLabel(
  object: SourceObject | CheckedObject,
  verdict: ObjectVerdict = 'verdict' in object ? object.verdict : validateObject(object.data),
): string {
  const raw = (object.data as { kind?: unknown } | null)?.kind;
  const kind = verdict.ok ? verdict.object.kind : (verdict.kind ?? (typeof raw === 'string' ? raw : undefined));
  const name = verdict.ok ? verdict.object.value.metadata.name : verdict.name;
  return `${kind ?? 'object'}${name !== undefined ? ` '${name}'` : ''}`;
}

/** A path problem of an object as file:line:col with the object and the path named. */
export function placeProblem(object: SourceObject, problem: PathProblem, label = objectLabel(object)): ConfigProblem {
  const { line, column } = positionOf(object, problem.path, problem.at);
  const where = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
  return { file: object.file, line, column, message: `${label}: ${where}${problem.message}` };
}

/**
 * Splits one file's text into its objects (validated), or the problems that keep it from being read.
 * @example readText('apiVersion: openslo/v1\nkind: Service\nmetadata: { name: web }\n', 'web.yaml').objects.length // 1
 */
export function readText(text: string, file: string): { objects: CheckedObject[]; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const problems: ConfigProblem[] = [];
  const objects: CheckedObject[] = [];
  if (!Array.isArray(docs)) return { objects, problems };
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        problems.push({ file, line, column: col, message: `YAML syntax: ${error.message}` });
      }
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS();
    } catch (error) {
      // toJS refuses alias bombs (exponential expansion); report it like a syntax error.
      const { line, col } = lineCounter.linePos(doc.range[0]);
      problems.push({ file, line, column: col, message: `YAML: ${(error as Error).message}` });
      continue;
    }
    if (data === null || data === undefined) continue; // an empty document, or one of comments only
    const add = (item: unknown, base: ConfigPath) => {
      const object: SourceObject = { file, index: objects.length, data: item, base, doc, lineCounter };
      objects.push({ ...object, verdict: validateObject(item) });
    };
    if (isSeq(doc.contents) && Array.isArray(data)) {
      for (const [i, item] of data.entries()) add(item, [i]);
    } else if (isMap(doc.contents)) add(data, []);
    else {
      const { line, col } = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]);
      const message = `expected an OpenSLO object (a mapping with apiVersion, kind, metadata and spec) or a list of them, got ${describeValue(data)}`;
      problems.push({ file, line, column: col, message });
    }
  }
  return { objects, problems };
}

const OPENSLO_FILE = /\.(ya?ml|json)$/;

/** Every `*.yaml`, `*.yml` or `*.json` file under a directory, depth first in name order, hidden entries skipped. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile() && OPENSLO_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * Reads files and directories of OpenSLO documents: a directory contributes every YAML or JSON file below it.
 * Never throws for a missing or unreadable path: the result names it.
 * @example const { objects, problems } = await readPaths(['slos/']);
 */
export async function readPaths(paths: readonly string[]): Promise<ReadResult> {
  const result: ReadResult = { files: [], objects: [], problems: [] };
  for (const path of paths) {
    let files: string[];
    try {
      files = (await stat(path)).isDirectory() ? await filesUnder(path) : [path];
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      result.problems.push({
        file: path,
        line: 0,
        column: 0,
        message: missing ? 'no such file or directory' : `cannot be read: ${(error as Error).message}`,
      });
      continue;
    }
    if (files.length === 0)
      result.problems.push({ file: path, line: 0, column: 0, message: 'the directory holds no *.yaml, *.yml or *.json file' });
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        result.problems.push({ file, line: 0, column: 0, message: `cannot be read: ${(error as Error).message}` });
        continue;
      }
      result.files.push(file);
      const read = readText(text, file);
      result.objects.push(...read.objects);
      result.problems.push(...read.problems);
    }
  }
  return result;
}

/**
 * Every problem of what was read, in file order then by position: those that kept a file from being read, and each
 * invalid object's problems.
 */
export function validationProblems(read: ReadResult): ConfigProblem[] {
  const out = [...read.problems];
  for (const object of read.objects) {
    if (object.verdict.ok) continue;
    const label = objectLabel(object, object.verdict);
    for (const problem of object.verdict.problems) out.push(placeProblem(object, problem, label));
  }
  const order = read.files;
  return out
    .map((problem, i) => ({ problem, i }))
    .sort((a, b) => {
      const byFile = order.indexOf(a.problem.file) - order.indexOf(b.problem.file);
      return byFile || a.problem.line - b.problem.line || a.problem.column - b.problem.column || a.i - b.i;
    })
    .map(({ problem }) => problem);
}
