/**
 * `vigil services`: the infrastructure view from a running server — every service with the stages that need it and its
 * firing alerts; with `--ranking`, services by the customer harm behind them (docs/cli.md ("vigil services")).
 */
import { Command } from 'commander';
import pc from 'picocolors';
import type { ServiceRankingResponse, ServicesResponse } from '../../api/services.js';
import { VigilError } from '../../errors/catalogue.js';
import { formatMoneyTotals } from '../../model/money.js';
import { table } from '../format.js';
import { action, TOKEN_OPTION, SERVER_OPTION, serverUrl } from '../shared.js';
import { callServer } from './gate.js';

interface ServicesOptions {
  server?: string;
  token?: string;
  ranking?: boolean;
  from?: string;
  to?: string;
  json?: boolean;
}

/**
 * A --from / --to value as RFC 3339 for the query; throws invalid_query otherwise.
 * @example instantOption('2026-11-01', '--from') // '2026-11-01T00:00:00.000Z'
 */
export function instantOption(text: string, name: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (Number.isNaN(ms))
    throw new VigilError('invalid_query', `${name}: expected an RFC 3339 time or a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return new Date(ms).toISOString();
}

/** A count with at most one decimal (shared failures may be fractions of an attempt). */
function count(n: number): string {
  return (Math.round(n * 10) / 10).toLocaleString('en-GB');
}

/** The worst budget share a service spent on an SLO, with the SLO. */
function worstSpend(s: ServiceRankingResponse['services'][number]): string {
  const worst = s.slos.reduce<(typeof s.slos)[number] | null>(
    (w, x) => (x.spent !== null && (w === null || x.spent > w.spent!) ? x : w),
    null,
  );
  return worst === null || worst.spent === 0 ? '—' : `${(worst.spent! * 100).toFixed(1)}% ${worst.journey}/${worst.slo}`;
}

/** The ranking as a table, rank first; a loud service with no harm reads "12 alerts, 0 failed". */
export function renderRanking(r: ServiceRankingResponse): string {
  const rows = r.services.map((s) => [
    String(s.rank),
    s.name,
    s.tier ?? '—',
    count(s.failedAttempts),
    formatMoneyTotals(s.valueLost) ?? '0',
    worstSpend(s),
    String(s.incidents.length),
    String(s.alerts),
  ]);
  const head = `${pc.bold('Where to invest')}  ${r.from} → ${r.to}  (by tier, then value lost)\n\n`;
  const note = '\n\nFailures at a step are shared between its services unless an incident pins them on one (docs: value.md).';
  const header = ['#', 'SERVICE', 'TIER', 'FAILED', 'VALUE LOST', 'WORST BUDGET SPENT', 'INCIDENTS', 'ALERTS'];
  return `${head}${table(header, rows, new Set([0, 3, 4, 6, 7]))}${note}`;
}

/** The infrastructure view as a table. */
export function renderServices(r: ServicesResponse): string {
  const rows = r.services.map((s) => [
    s.name,
    s.tier ?? '—',
    s.owner ?? '—',
    s.stages.map((st) => `${st.journey}/${st.step ?? '*'}`).join(', ') || '—',
    String(s.firingAlerts),
  ]);
  return table(['SERVICE', 'TIER', 'OWNER', 'STAGES', 'FIRING'], rows, new Set([4]));
}

export function servicesCommand(): Command {
  return new Command('services')
    .description('services, the journey stages that need them and their firing alerts; --ranking: ordered by the customer harm behind them')
    .option('--ranking', 'rank services by failed attempts, value lost and budget spent at the steps that depend on them')
    .option('--from <time>', 'start of the ranking period, RFC 3339 or YYYY-MM-DD (default: 30 days before --to)')
    .option('--to <time>', 'end of the ranking period (default: now)')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--json', 'print the answer of the API as JSON')
    .action(
      action(async (opts: ServicesOptions) => {
        const server = serverUrl(opts.server);
        if (!opts.ranking && (opts.from !== undefined || opts.to !== undefined))
          throw new VigilError('invalid_query', '--from and --to apply to --ranking only');
        if (!opts.ranking) {
          const answer = await callServer<ServicesResponse>(server, 'GET', '/api/v1/services', opts.token);
          process.stdout.write(opts.json ? `${JSON.stringify(answer, null, 2)}\n` : `${renderServices(answer)}\n`);
          return;
        }
        const query = new URLSearchParams();
        if (opts.from !== undefined) query.set('from', instantOption(opts.from, '--from'));
        if (opts.to !== undefined) query.set('to', instantOption(opts.to, '--to'));
        const path = `/api/v1/services/ranking${query.size > 0 ? `?${query}` : ''}`;
        const answer = await callServer<ServiceRankingResponse>(server, 'GET', path, opts.token);
        process.stdout.write(opts.json ? `${JSON.stringify(answer, null, 2)}\n` : `${renderRanking(answer)}\n`);
      }),
    );
}
