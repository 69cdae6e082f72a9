/** Test helper: strips the common indentation of a template literal so YAML cases can sit indented in test tables. */

/**
 * Dedents a template literal and drops its first and last blank lines.
 * @example yaml`
 *   version: vigil/v1
 * ` === 'version: vigil/v1\n'
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw
    .replace(/^\n/, '')
    .replace(/\n[ \t]*$/, '')
    .split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0));
  return `${lines.map((line) => line.slice(indent)).join('\n')}\n`;
}
