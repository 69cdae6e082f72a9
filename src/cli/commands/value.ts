/** `vigil value`: what unreliability cost a journey over a month, from a running server (docs/value.md). */
import { Command } from 'commander';
import pc from 'picocolors';
import type { ErrorResponse } from '../../api/common.js';
import type { JourneyValueResponse } from '../../api/value.js';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import { formatMoneyTotals } from '../../model/money.js';
import { percent, table } from '../format.js';
import { action, authorization, TOKEN_OPTION, SERVER_OPTION, serverUrl } from '../shared.js';

interface ValueOptions {
  server?: string;
  token?: string;
  journey: string;
  month?: string;
  days?: string;
  json?: boolean;
}

/**
 * The UTC month YYYY-MM as [from, to) in epoch ms; throws invalid_query otherwise.
 * @example monthRange('2026-11') // [Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1)]
 */
export function monthRange(month: string): [number, number] {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new VigilError('invalid_query', `--month: expected YYYY-MM, got ${JSON.stringify(month)}`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return [Date.UTC(year, index, 1), Date.UTC(year, index + 1, 1)];
}

/** The value answer as a table of methods, then the range and the sentence. */
export function renderValue(v: JourneyValueResponse): string {
  const lost = (list: { amount: number; currency: string }[]) => formatMoneyTotals(list) ?? '0';
  const { direct, abandonment, elasticity } = v.methods;
  const rows = [
    [
      'direct',
      direct ? lost(direct.lost) : '—',
      direct ? `${direct.failures.toLocaleString('en-GB')} failed attempts` : (v.reasons.direct ?? ''),
    ],
    [
      'abandonment',
      abandonment ? lost(abandonment.lost) : '—',
      abandonment
        ? `${abandonment.unrecovered.toLocaleString('en-GB')} not recovered within 30m, ` +
          `${abandonment.recovered.toLocaleString('en-GB')} recovered${abandonment.sampled ? ` (from a sample of ${abandonment.classified})` : ''}`
        : (v.reasons.abandonment ?? ''),
    ],
    [
      'elasticity',
      elasticity ? `${lost(elasticity.low)} – ${lost(elasticity.high)}` : '—',
      elasticity
        ? `${elasticity.elasticity.toFixed(2)}% of volume per point (95% ${elasticity.elasticityLow.toFixed(2)}–${elasticity.elasticityHigh.toFixed(2)}), ` +
          `${elasticity.lostAttempts.toLocaleString('en-GB')} attempts lost over ${elasticity.hoursDegraded} degraded hours, r² ${elasticity.r2.toFixed(2)}`
        : (v.reasons.elasticity ?? ''),
    ],
  ];
  const head =
    `${pc.bold(v.displayName)}  ${v.from} → ${v.to}${v.step ? `  (step ${v.step})` : ''}\n` +
    `attempts ${v.attempts.toLocaleString('en-GB')}, failures ${v.failures.toLocaleString('en-GB')}, success ${percent(v.successRate)}` +
    `${v.baselineSuccessRate !== null ? ` (baseline ${percent(v.baselineSuccessRate)})` : ''}\n\n`;
  return `${head}${table(['METHOD', 'LOST', 'HOW'], rows, new Set([1]))}\n\n${v.statement}`;
}

export function valueCommand(): Command {
  return new Command('value')
    .description('what unreliability cost a journey in a month: direct, abandonment and elasticity, the range and the sentence')
    .requiredOption('-j, --journey <name>', 'the journey to value')
    .option('-m, --month <YYYY-MM>', 'the UTC calendar month (default: the last 30 days)')
    .option('--days <n>', 'the last n days (1 to 92) instead of a month')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--json', 'print the answer of the API as JSON')
    .action(
      action(async (opts: ValueOptions) => {
        const server = serverUrl(opts.server);
        const target = new URL(`/api/v1/journeys/${encodeURIComponent(opts.journey)}/value`, server);
        if (opts.month !== undefined && opts.days !== undefined) throw new VigilError('invalid_query', 'give --month or --days, not both');
        if (opts.days !== undefined) {
          const days = Number(opts.days);
          if (!Number.isInteger(days) || days < 1 || days > 92)
            throw new VigilError('invalid_query', `--days: expected a whole number of days from 1 to 92, got ${JSON.stringify(opts.days)}`);
          const now = Date.now();
          target.searchParams.set('from', new Date(now - days * 86_400_000).toISOString());
          target.searchParams.set('to', new Date(now).toISOString());
        }
        if (opts.month) {
          const [from, to] = monthRange(opts.month);
          target.searchParams.set('from', new Date(from).toISOString());
          target.searchParams.set('to', new Date(to).toISOString());
        }
        let response: Response;
        try {
          response = await fetch(target, { headers: authorization(opts.token) });
        } catch (cause) {
          throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${server}`, { cause });
        }
        const body = (await response.json()) as JourneyValueResponse & Partial<ErrorResponse>;
        if (!response.ok) {
          const code = body.error?.code;
          const known = code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'invalid_query';
          throw new VigilError(known, `${target.href} answered ${response.status}: ${body.error?.message ?? 'no value'}`);
        }
        process.stdout.write(opts.json ? `${JSON.stringify(body, null, 2)}\n` : `${renderValue(body)}\n`);
      }),
    );
}
