/**
 * Small pieces of Prometheus's own text conventions that rule files are written in (docs/prometheus.md ("Rules")):
 * durations as Prometheus prints them, numbers as Go's `%g` prints them, and label filters as Prometheus's `LabelSet` prints them.
 */

const MS = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

/**
 * A duration as Prometheus writes it: years and weeks only when they divide it exactly, then days, hours, minutes,
 * seconds and milliseconds.
 * @example promDuration(28 * 1440 * 60_000) // '4w'
 * @example promDuration(30 * 1440 * 60_000) // '30d'
 * @example promDuration(36 * 3_600_000) // '1d12h'
 */
export function promDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const) {
    const mult = MS[unit];
    if ((unit === 'y' || unit === 'w') && rest % mult !== 0) continue;
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      rest -= v * mult;
    }
  }
  return out;
}

const DURATION_PART = /(\d+)(ms|y|w|d|h|m|s)/y;

/**
 * Milliseconds of a Prometheus duration (`5m`, `1h30m`, `4w`), or undefined when it is not one. Units must come
 * in decreasing order and once each, as Prometheus requires.
 * @example parsePromDuration('1d12h') // 129600000
 * @example parsePromDuration('12') // undefined
 */
export function parsePromDuration(text: string): number | undefined {
  if (text === '' || text === '0') return text === '0' ? 0 : undefined;
  const order = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let ms = 0;
  let last = -1;
  DURATION_PART.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    DURATION_PART.lastIndex = at;
    const match = DURATION_PART.exec(text);
    if (!match) return undefined;
    const unit = match[2] as keyof typeof MS;
    const index = order.indexOf(unit);
    if (index <= last) return undefined;
    last = index;
    ms += Number(match[1]) * MS[unit];
    at = DURATION_PART.lastIndex;
  }
  return ms;
}

/**
 * A number as Go's `%g` (and `%v` of a float64) prints it: the shortest digits that read back as the same float64, in
 * exponent form when the exponent is below −4 or at least 6, as Go does for the shortest form.
 * @example goFloat(0.9990000000000001) // '0.9990000000000001'
 * @example goFloat(30) // '30'
 * @example goFloat(0.00001) // '1e-05'
 */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exp = value.toExponential(); // shortest digits, e.g. '1.234e-5'
  const [mantissa, e] = exp.split('e') as [string, string];
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    const abs = Math.abs(exponent);
    return `${mantissa}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const negative = value < 0 ? '-' : '';
  if (exponent < 0) return `${negative}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${negative}${digits}${'0'.repeat(exponent + 1 - digits.length)}`;
  return `${negative}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** A label value quoted as Go's `%q` quotes a string made of printable characters. */
export function quoteLabelValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/**
 * A label matcher set as Prometheus prints a `LabelSet`: names sorted, `name="value"` joined by `, `.
 * @example labelFilter({ sloth_slo: 'a', sloth_id: 'svc-a' }) // '{sloth_id="svc-a", sloth_slo="a"}'
 */
export function labelFilter(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${quoteLabelValue(labels[n]!)}`).join(', ')}}`;
}

/** A valid Prometheus label name (the classic character set). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
