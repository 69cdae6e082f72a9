/**
 * A light check that a text is shaped like a PromQL expression: not empty, brackets balanced and strings closed. Vigil
 * has no PromQL parser; `promtool check rules` is the full check of a written rule file (docs/prometheus.md ("What differs from Sloth")).
 */

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * The first shape problem of `expr`, or undefined when it has none.
 * @example checkPromqlShape('sum(rate(x[5m])') // 'unclosed ( at 4'
 */
export function checkPromqlShape(expr: string): string | undefined {
  if (expr.trim() === '') return 'the expression is empty';
  const stack: { ch: string; at: number }[] = [];
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      const start = i;
      i++;
      while (i < expr.length && expr[i] !== ch) {
        if (expr[i] === '\\' && ch !== '`') i++;
        i++;
      }
      if (i >= expr.length) return `unterminated string at ${start + 1}`;
      continue;
    }
    if (ch === '#') {
      while (i < expr.length && expr[i] !== '\n') i++;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') stack.push({ ch, at: i });
    else if (ch in PAIRS) {
      const open = stack.pop();
      if (!open || open.ch !== PAIRS[ch]) return `unexpected ${ch} at ${i + 1}`;
    }
  }
  const open = stack.pop();
  return open ? `unclosed ${open.ch} at ${open.at + 1}` : undefined;
}
