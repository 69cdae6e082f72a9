/** Comparing Prometheus rule files by structure (docs/prometheus.md ("Importing Sloth specs")), and running promtool on them. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** Sloth's golden template rendered: `{{ .version }}` is the version, `{{"{{$labels.x}}"}}` is `{{$labels.x}}`. */
export function renderGolden(text: string, version: string): string {
  return text.replace(/\{\{ \.version \}\}/g, version).replace(/\{\{"(\{\{.*?\}\})"\}\}/g, '$1');
}

/** An expression compared as text without whitespace, each decimal literal read as a float64 and printed back. */
export function normaliseExpr(expr: string): string {
  return expr.replace(/\s+/g, '').replace(/\d+\.\d+(?:e[-+]?\d+)?/g, (m) => String(Number(m)));
}

/** Every YAML document of a rule file (plain groups or a PrometheusRule) with each rule's expr normalised. */
export function ruleStructure(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    const js = doc.toJS() as Record<string, unknown>;
    const groups = ((js.spec as Record<string, unknown> | undefined)?.groups ?? js.groups) as { rules: { expr: string }[] }[];
    for (const group of groups) for (const rule of group.rules) rule.expr = normaliseExpr(String(rule.expr));
    return js;
  });
}

export const PROMTOOL = process.env.VIGIL_PROMTOOL ?? '/usr/bin/promtool';
export const PROMETHEUS = process.env.VIGIL_PROMETHEUS ?? '/usr/bin/prometheus';

/**
 * Whether the Prometheus binaries are here. Under CI=true their absence is an error, never a skip (.ci/run installs
 * Debian's `prometheus` package).
 */
export function prometheusBinariesPresent(): boolean {
  const present = existsSync(PROMTOOL) && existsSync(PROMETHEUS);
  if (!present && process.env.CI === 'true')
    throw new Error(`CI=true and ${PROMTOOL} or ${PROMETHEUS} is missing: install Debian's prometheus`);
  return present;
}

/** Run promtool with `args`; its exit code and output. */
export function promtool(args: string[], cwd?: string, timeoutMs = 110_000): { status: number; output: string } {
  const run = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf8', timeout: timeoutMs });
  return { status: run.status ?? -1, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}
