/** Finds where a config path sits in a YAML document, so every problem can name its line and column. */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { ConfigPath } from './messages.js';

export interface Position {
  line: number;
  column: number;
}

/**
 * The 1-based line and column of the node at `path`: its key when `at` is 'key', else its value.
 * A path that runs past the document (a missing key) stops at the deepest node that exists, which
 * is the mapping the key is missing from.
 * @example locate(doc, lineCounter, ['journeys', 0, 'name'], 'value') // { line: 3, column: 11 }
 */
export function locate(doc: Document, lineCounter: LineCounter, path: ConfigPath, at: 'key' | 'value'): Position {
  let node: Node | null = (doc.contents as Node | null) ?? null;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length && node; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    let next: Node | null = null;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      const value = (pair.value as Node | null) ?? null;
      // An empty value (`objective:`) has no useful range of its own: point at its key instead.
      if (last && (at === 'key' || !value?.range || isEmptyScalar(value))) {
        next = key;
      } else {
        next = value;
        if (!next) offset = key.range?.[0] ?? offset;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = (node.items[segment] as Node | undefined) ?? null;
    }
    if (!next) break;
    node = isAlias(next) && !last ? ((next.resolve(doc) as Node | undefined) ?? null) : next;
    offset = next.range?.[0] ?? offset;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}
