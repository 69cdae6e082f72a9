/**
 * A conservative static check that a service-rule regular expression cannot backtrack catastrophically
 * (docs/configuration.md ("Regular expressions")): it refuses shapes that can, and some that merely might.
 */

/** One open group while scanning: what its contents hold so far. */
interface Group {
  quantified: boolean;
  alternation: boolean;
}

/**
 * Why a pattern could take exponential time on some label, or null when its shape is safe. Refused:
 * a quantified group that contains a quantifier (`(a+)+`, `(a*b?)*`), a repeated group that contains
 * alternation (`(a|aa)+`, whose branches may overlap), backreferences (`\1`, `\k<name>`) and
 * lookarounds (`(?=…)`, `(?<!…)`). Character classes and escapes are read as single atoms.
 * @example regexHazard('(a+)+$') // 'a quantifier applied to a group that itself contains a quantifier (at offset 4) can backtrack exponentially'
 * @example regexHazard('core-(ledger|payments)-\\d+') // null
 */
export function regexHazard(source: string): string | null {
  const stack: Group[] = [{ quantified: false, alternation: false }];
  /** The group just closed, while a quantifier may still follow it. */
  let closed: Group | null = null;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const quantifier = quantifierAt(source, i);
    if (quantifier !== null) {
      const repeats = quantifier.unbounded || quantifier.max > 1;
      if (closed && repeats && closed.quantified) {
        return `a quantifier applied to a group that itself contains a quantifier (at offset ${i}) can backtrack exponentially`;
      }
      if (closed && quantifier.unbounded && closed.alternation) {
        return `a repeated group containing alternation (at offset ${i}) can backtrack exponentially when its branches overlap`;
      }
      stack[stack.length - 1]!.quantified = true;
      closed = null;
      i = quantifier.end;
      // A lazy or possessive-looking suffix belongs to the quantifier.
      if (source[i] === '?') i++;
      continue;
    }
    closed = null;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return `a backreference (at offset ${i}) is not allowed`;
      i += 2;
    } else if (c === '[') {
      i = classEnd(source, i);
    } else if (c === '(') {
      if (source.startsWith('(?=', i) || source.startsWith('(?!', i) || source.startsWith('(?<=', i) || source.startsWith('(?<!', i)) {
        return `a lookaround (at offset ${i}) is not allowed`;
      }
      stack.push({ quantified: false, alternation: false });
      i++;
    } else if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : null;
      if (group) {
        const parent = stack[stack.length - 1]!;
        parent.quantified ||= group.quantified;
        parent.alternation ||= group.alternation;
        closed = group;
      }
      i++;
    } else {
      if (c === '|') stack[stack.length - 1]!.alternation = true;
      i++;
    }
  }
  return null;
}

/** The quantifier starting at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), or null. */
function quantifierAt(source: string, i: number): { unbounded: boolean; max: number; end: number } | null {
  const c = source[i];
  if (c === '*' || c === '+') return { unbounded: true, max: Number.POSITIVE_INFINITY, end: i + 1 };
  if (c === '?') return { unbounded: false, max: 1, end: i + 1 };
  if (c !== '{') return null;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!match) return null;
  const max = match[2] === undefined ? Number(match[1]) : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
  return { unbounded: max === Number.POSITIVE_INFINITY, max, end: i + match[0].length };
}

/** Index just past the character class opening at `i`. */
function classEnd(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === '^') j++;
  if (source[j] === ']') j++;
  while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}
