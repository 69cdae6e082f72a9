/**
 * Prometheus's text exposition format, version 0.0.4 (docs/prometheus.md ("Metrics")): `# HELP` and `# TYPE` per
 * family, then one `name{labels} value` line per sample. Pure.
 */

export interface Sample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: readonly Sample[];
}

/** The media type Prometheus asks for and this text is. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/** A sample value as the format writes it: `NaN`, `+Inf`, `-Inf`, or the number. */
export function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * The families as exposition text; a family without samples still has its HELP and TYPE lines.
 * @example expositionText([{ name: 'up', help: 'Up.', type: 'gauge', samples: [{ labels: { job: 'a' }, value: 1 }] }])
 *   // '# HELP up Up.\n# TYPE up gauge\nup{job="a"} 1\n'
 */
export function expositionText(families: readonly MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      const names = Object.keys(sample.labels);
      const labels = names.length === 0 ? '' : `{${names.map((n) => `${n}="${escapeLabel(sample.labels[n]!)}"`).join(',')}}`;
      out += `${family.name}${labels} ${sampleValue(sample.value)}\n`;
    }
  }
  return out;
}
