/**
 * The project explains itself: code and tests cite docs/ (files and headings that exist), the docs and
 * README link and name only files and headings that exist, and no source line runs past 160 columns.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_COLUMNS = 160;
const TEXT = /\.(ts|tsx|js|mjs|css|html|json|ya?ml|md|sql)$/;
/** A citation of the outside design document, by section sign (written escaped so this file does not match itself). */
const SECTION_CITATION = /\bspec \u00a7|S[P]EC\.md/i;
/** The document's name in capitals ("the S…C table"); lower-case `spec` is an ordinary variable name. */
const SPEC_WORD = /\bS[P]EC\b/;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(rel));
    else out.push(rel);
  }
  return out;
}

const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const sources = [...walk('src'), ...walk('test')].filter((f) => TEXT.test(f));
const docs = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The headings of a markdown file (outside code fences), as text without markup. */
function headings(rel: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of read(rel).split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (m) out.push(m[1]!.replace(/`/g, '').trim());
  }
  return out;
}

/** GitHub's anchors for the headings of a file: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(rel: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const heading of headings(rel)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** `docs/x.md`, optionally followed by ` ("Heading", "Other heading")`, as cited in code and prose. */
const CITATION = /docs\/([a-z0-9-]+\.md)(?: \(((?:"[^"]+"(?:, )?)+)\))?/g;

function citationProblems(rel: string): string[] {
  const problems: string[] = [];
  for (const m of read(rel).matchAll(CITATION)) {
    const target = `docs/${m[1]}`;
    if (!existsSync(path.join(ROOT, target))) {
      problems.push(`${rel}: cites ${target}, which does not exist`);
      continue;
    }
    const known = headings(target);
    for (const [, heading] of (m[2] ?? '').matchAll(/"([^"]+)"/g)) {
      if (!known.includes(heading!)) problems.push(`${rel}: cites ${target} ("${heading}"), which has no such heading`);
    }
  }
  return problems;
}

describe('docs citations', () => {
  it('no source, test or doc cites the outside design document', () => {
    const offenders = [...sources, ...docs].filter((f) => SECTION_CITATION.test(read(f)) || SPEC_WORD.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it('every docs/… file and heading cited in src/, test/ and the README exists', () => {
    // This file cites missing files and headings on purpose, to show the check catches them.
    const problems = [...sources.filter((f) => f !== 'test/docs-citations.test.ts'), ...docs].flatMap(citationProblems);
    expect(problems).toEqual([]);
    // The check is live: the code does cite headings.
    expect([...read('src/engine/alert-pairs.ts').matchAll(CITATION)].some((m) => m[2] !== undefined)).toBe(true);
  });

  it('the citation check catches a missing file and a missing heading', () => {
    const text = 'see docs/slo-maths.md ("Burn rate", "Burn rates") and docs/nowhere.md';
    const found = [...text.matchAll(CITATION)].map((m) => [m[1], m[2]]);
    expect(found).toEqual([
      ['slo-maths.md', '"Burn rate", "Burn rates"'],
      ['nowhere.md', undefined],
    ]);
    expect(headings('docs/slo-maths.md')).toContain('Burn rate');
    expect(headings('docs/slo-maths.md')).not.toContain('Burn rates');
    expect(existsSync(path.join(ROOT, 'docs/nowhere.md'))).toBe(false);
  });

  it('every relative link of the README and docs reaches an existing file and heading', () => {
    const problems: string[] = [];
    for (const rel of docs) {
      for (const [, target] of read(rel).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
        const [file, anchor] = target!.split('#');
        const resolved = file ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), file)) : rel;
        if (!existsSync(path.join(ROOT, resolved))) problems.push(`${rel}: link to ${target}: no file ${resolved}`);
        else if (anchor !== undefined && !anchors(resolved).has(anchor)) problems.push(`${rel}: link to ${target}: no such heading`);
      }
    }
    expect(problems).toEqual([]);
    expect(anchors('docs/api.md').has('get-apiv1incidentsstats')).toBe(true);
  });

  it('every repository path the README and docs name exists', () => {
    const problems: string[] = [];
    for (const rel of docs) {
      for (const [, named] of read(rel).matchAll(/`((?:src|test|docs|bench|bin|\.ci)\/[^`\s]*)`/g)) {
        if (!existsSync(path.join(ROOT, named!))) problems.push(`${rel}: names ${named}, which does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });

  it(`no line of src/ or test/ TypeScript is longer than ${MAX_COLUMNS} characters`, () => {
    const long = sources
      .filter((f) => /\.tsx?$/.test(f))
      .flatMap((f) =>
        read(f)
          .split('\n')
          .flatMap((line, i) => ([...line].length > MAX_COLUMNS ? [`${f}:${i + 1} (${[...line].length})`] : [])),
      );
    expect(long).toEqual([]);
  });
});
