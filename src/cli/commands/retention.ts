/** `vigil retention`: retention by failures met, per calendar period, from a running server (docs/retention.md). */
import { Command } from 'commander';
import pc from 'picocolors';
import type { ErrorResponse } from '../../api/common.js';
import type { RetentionCohort, RetentionResponse } from '../../api/retention.js';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import { percent, table } from '../format.js';
import { action, authorization, TOKEN_OPTION } from '../shared.js';

interface RetentionOptions {
  server?: string;
  token?: string;
  journey: string;
  period?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

/** "86.0% of 4,210 (84.9–87.0)", or "—" for an empty cohort. */
function cohort(c: RetentionCohort): string {
  if (c.rate === null) return '—';
  return `${percent(c.rate, 1)} of ${c.customers.toLocaleString('en-GB')} (${((c.low ?? 0) * 100).toFixed(1)}–${percent(c.high, 1)})`;
}

/** The p-value as a reader wants it: "<0.001", two significant figures, or "—". */
function pValue(p: number | null): string {
  if (p === null) return '—';
  return p < 0.001 ? '<0.001' : String(Number(p.toPrecision(2)));
}

/** One row per period (exposed against unexposed), then one per period of retention by failures met, then the reading. */
export function renderRetention(r: RetentionResponse): string {
  const mark = (p: RetentionResponse['periods'][number]) => `${p.period}${p.complete ? '' : ' *'}${p.partialHistory ? ' †' : ''}`;
  const points = (d: number | null) => (d === null ? '—' : `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)} pts`);
  const cohorts = table(
    ['PERIOD', 'EXPOSED RETAINED', 'UNEXPOSED RETAINED', 'DIFFERENCE', 'RR', 'P'],
    r.periods.map((p) => [
      mark(p),
      cohort(p.exposed),
      cohort(p.unexposed),
      points(p.difference),
      p.relativeRisk === null ? '—' : p.relativeRisk.toFixed(3),
      pValue(p.pValue),
    ]),
    new Set([3, 4, 5]),
  );
  const dose = table(
    ['PERIOD', '0 FAILURES', '1', '2-3', '4+'],
    r.periods.map((p) => [
      mark(p),
      ...p.byFailures.map((b) => (b.rate === null ? '—' : `${percent(b.rate, 1)} of ${b.customers.toLocaleString('en-GB')}`)),
    ]),
    new Set([1, 2, 3, 4]),
  );
  const head = `${pc.bold(r.displayName)}  retention by ${r.period} (${r.timezone})  ${r.from} → ${r.to}\n\n`;
  const notes = [
    r.periods.some((p) => !p.complete) ? '* the next period has not ended: its retention can still rise' : '',
    r.periods.some((p) => p.partialHistory) ? `† older than the ${r.rawEventsDays} days of raw events kept: counts may be short` : '',
  ].filter((n) => n !== '');
  return `${head}${cohorts}\n\nRetained by failures met:\n${dose}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}${r.reading ? `\n${r.reading}` : ''}`;
}

export function retentionCommand(): Command {
  return new Command('retention')
    .description('retention of the customers who met failures of a journey against those who did not, per calendar period')
    .requiredOption('-j, --journey <name>', 'the journey whose failures are compared')
    .option('-p, --period <period>', 'month or week: calendar months or ISO weeks in defaults.timezone', 'month')
    .option('--from <time>', 'RFC 3339: the first period is the one holding this instant (default: 5 months or 7 weeks before --to)')
    .option('--to <time>', 'RFC 3339: the last period is the one holding the instant before (default: now)')
    .option('-s, --server <url>', 'a running Vigil server (default: $VIGIL_URL or http://127.0.0.1:8080)')
    .option(...TOKEN_OPTION)
    .option('--json', 'print the answer of the API as JSON')
    .action(
      action(async (opts: RetentionOptions) => {
        const server = opts.server ?? process.env.VIGIL_URL ?? 'http://127.0.0.1:8080';
        const target = new URL('/api/v1/retention', server);
        target.searchParams.set('journey', opts.journey);
        target.searchParams.set('period', opts.period ?? 'month');
        if (opts.from) target.searchParams.set('from', opts.from);
        if (opts.to) target.searchParams.set('to', opts.to);
        let response: Response;
        try {
          response = await fetch(target, { headers: authorization(opts.token) });
        } catch (cause) {
          throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${server}`, { cause });
        }
        const body = (await response.json()) as RetentionResponse & Partial<ErrorResponse>;
        if (!response.ok) {
          const code = body.error?.code;
          const known = code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'invalid_query';
          throw new VigilError(known, `${target.href} answered ${response.status}: ${body.error?.message ?? 'no retention'}`);
        }
        process.stdout.write(opts.json ? `${JSON.stringify(body, null, 2)}\n` : `${renderRetention(body)}\n`);
      }),
    );
}
