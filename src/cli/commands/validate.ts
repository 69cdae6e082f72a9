/** `vigil validate [path]`: checks a vigil.yaml file or directory and lists every problem as file:line:col. */
import { Command } from 'commander';
import { createColors } from 'picocolors';
import { type ConfigProblem, loadConfig } from '../../config/load.js';
import { ERROR_CATALOGUE } from '../../errors/catalogue.js';
import type { VigilConfig } from '../../model/config.js';
import { DEFAULT_CONFIG_PATH } from '../shared.js';
import { PrometheusClient } from '../../app/prometheus-client.js';
import { SloRegistry } from '../../engine/slo-registry.js';
import { minuteOf } from '../../model/minutes.js';
import { seriesMinutes, sliQueries } from '../../prometheus/sli-source.js';

export interface ValidateOptions {
  json?: boolean;
  /** Run each query of the SLIs of kind `prometheus` once against `sources.prometheus` (docs/cli.md ("vigil validate [path]")). */
  checkQueries?: boolean;
  /** The clock the checked minutes end at; now by default. */
  clock?: () => number;
  /** Colour the file and position of each problem; the command turns it on when stdout is a terminal. */
  color?: boolean;
}

/** What a validation run prints and how the process should exit: 0 valid, 1 invalid, 2 not found. */
export interface ValidateOutcome {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

const plural = (count: number, noun: string, nouns = `${noun}s`): string => `${count} ${count === 1 ? noun : nouns}`;

/** Distinct services a configuration knows: the catalogue and every step's dependencies. */
function serviceCount(config: VigilConfig): number {
  const names = new Set(config.services.map((s) => s.name));
  for (const journey of config.journeys) for (const step of journey.steps) for (const service of step.services) names.add(service);
  return names.size;
}

function summary(path: string, files: string[], config: VigilConfig): { label: string; journeys: number; slos: number; services: number } {
  const label = files.length === 1 && files[0] === path ? path : `${path} (${plural(files.length, 'file')})`;
  return {
    label,
    journeys: config.journeys.length,
    slos: config.journeys.reduce((n, j) => n + j.slos.length, 0),
    services: serviceCount(config),
  };
}

type Colors = ReturnType<typeof createColors>;

/** `formatProblem`'s layout, with the file and position coloured when colours are on. */
function problemLine(problem: ConfigProblem, pc: Colors): string {
  const where =
    problem.line > 0 ? `${pc.cyan(problem.file)}${pc.dim(':')}${pc.yellow(`${problem.line}:${problem.column}`)}` : pc.cyan(problem.file);
  return `${where}${pc.dim(':')} ${problem.message}`;
}

/**
 * Validates the configuration at `path` and renders the result, without touching the process.
 * @example const { exitCode, stdout } = await runValidate('vigil.yaml', { json: true });
 */
export async function runValidate(path: string, options: ValidateOptions = {}): Promise<ValidateOutcome> {
  // Explicit rather than picocolors' own detection, so the caller decides (and tests see) what is printed.
  const pc = createColors(options.color ?? false);
  const result = await loadConfig(path);
  if (result.ok) {
    const s = summary(path, result.files, result.config);
    const checks = options.checkQueries ? await checkQueries(result.config, (options.clock ?? Date.now)()) : undefined;
    const exitCode = checks?.some((c) => !c.ok) ? 1 : 0;
    if (options.json) {
      const answer = { ok: exitCode === 0, files: result.files, journeys: s.journeys, slos: s.slos, services: s.services };
      return { exitCode, stdout: `${JSON.stringify(checks ? { ...answer, queries: checks } : answer)}\n`, stderr: '' };
    }
    const check = pc.green('✓');
    const line = `${check} ${s.label}: ${plural(s.journeys, 'journey')}, ${plural(s.slos, 'SLO')}, ${plural(s.services, 'service')}\n`;
    const queryLines = (checks ?? []).map(
      (c) =>
        `${c.ok ? pc.green('✓') : pc.red('✗')} ${c.journey} ${c.side}: ${c.query}: ` +
        `${c.ok ? `${plural(c.points, 'minute')} with a figure in the last ${CHECK_MINUTES}` : `${c.state}: ${c.message}`}\n`,
    );
    return { exitCode, stdout: line + queryLines.join(''), stderr: '' };
  }

  const exitCode = result.code === 'config_not_found' ? 2 : 1;
  if (options.json) {
    const error = { code: result.code, message: ERROR_CATALOGUE[result.code].message };
    return { exitCode, stdout: `${JSON.stringify({ ok: false, error, problems: result.errors }, null, 2)}\n`, stderr: '' };
  }
  if (result.code === 'config_not_found') {
    const detail = result.errors.map((p) => p.message).join('; ');
    const label = `${pc.red('error')} ${pc.dim('[config_not_found]')}`;
    return { exitCode, stdout: '', stderr: `${label} No configuration at ${path}: ${detail}\n` };
  }
  const lines = result.errors.map((problem) => `${problemLine(problem, pc)}\n`).join('');
  const cross = pc.red('✗');
  return { exitCode, stdout: `${lines}${cross} ${path}: ${plural(result.errors.length, 'problem')}\n`, stderr: '' };
}

/** How many minutes `--check-queries` reads, ending at the last whole minute. */
const CHECK_MINUTES = 5;

/** The outcome of one query run by `--check-queries`. */
export type QueryCheck = { journey: string; slos: string[]; side: 'good' | 'bad' | 'total'; query: string } & (
  | { ok: true; points: number }
  | { ok: false; state: 'prometheus_unreachable' | 'prometheus_error'; message: string }
);

/** Runs each query of each SLI of kind `prometheus` once, as the server sends it, over the last few minutes. */
async function checkQueries(config: VigilConfig, now: number): Promise<QueryCheck[]> {
  const spec = config.sources?.prometheus;
  if (!spec) return [];
  const client = new PrometheusClient(spec);
  const registry = new SloRegistry(config);
  const to = minuteOf(now);
  const out: QueryCheck[] = [];
  for (const def of registry.prometheusSlis) {
    const slos = registry
      .allSlos()
      .filter((ref) => ref.sli.key === def.key)
      .map((ref) => ref.slo.name);
    const { side, sideQuery, totalQuery } = sliQueries(def.prometheus ?? { total: '' });
    for (const [which, query] of [
      [side, sideQuery],
      ['total', totalQuery],
    ] as const) {
      const answer = await client.queryRange(query, to - CHECK_MINUTES, to);
      const base = { journey: def.journey, slos, side: which, query };
      out.push(answer.ok ? { ...base, ok: true, points: seriesMinutes(answer.data).size } : { ...base, ...answer });
    }
  }
  return out;
}

/** The `validate` subcommand, for `program.addCommand(validateCommand())`. */
export function validateCommand(): Command {
  return new Command('validate')
    .description('check a vigil.yaml file (or a directory of them) and list every problem with file:line:column')
    .argument('[path]', 'configuration file or directory', DEFAULT_CONFIG_PATH)
    .option('--json', 'print the result as JSON')
    .option('--check-queries', 'run each PromQL query of the SLIs of kind prometheus once against sources.prometheus')
    .action(async (path: string, options: { json?: boolean; checkQueries?: boolean }) => {
      const outcome = await runValidate(path, {
        json: options.json ?? false,
        checkQueries: options.checkQueries ?? false,
        color: process.stdout.isTTY === true && !('NO_COLOR' in process.env),
      });
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}
