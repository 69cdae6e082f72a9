/** `vigil tolerances`: important business services' disruptions of a year against their impact tolerance (docs/impact-tolerances.md). */
import { Command } from 'commander';
import pc from 'picocolors';
import type { ErrorResponse } from '../../api/common.js';
import type { DisruptionJson, TolerancesResponse } from '../../api/tolerances.js';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import { durationWords } from '../../incidents/impact-tolerance.js';
import { table } from '../format.js';
import { action, authorization, SERVER_OPTION, serverUrl, TOKEN_OPTION } from '../shared.js';

interface TolerancesOptions {
  server?: string;
  token?: string;
  year?: string;
  json?: boolean;
}

/** "2026-11-26 09:12" in the answer's time zone. */
function local(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(Date.parse(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

function level(d: DisruptionJson): string {
  if (d.level === 'breached') return pc.red('breached');
  if (d.level === 'warning') return pc.yellow('past half');
  return 'within';
}

/** The year's summary per service, then each service's disruptions. */
export function renderTolerances(r: TolerancesResponse): string {
  const head = `${pc.bold(`Impact tolerances ${r.year}`)} (${r.timezone})  ${r.from} → ${r.to}\n\n`;
  if (r.services.length === 0)
    return `${head}No journey is an important business service (regulation.importantBusinessService in vigil.yaml).`;
  const summary = table(
    ['SERVICE', 'TOLERANCE', 'DISRUPTIONS', 'LONGEST', 'BREACHED'],
    r.services.map((s) => [
      s.configured ? s.displayName : `${s.displayName} (no longer configured)`,
      s.tolerance ?? '—',
      String(s.disruptions.length),
      s.longest ? durationWords(s.longest.durationSeconds * 1000) : '—',
      s.anyBreached ? pc.red('yes') : 'no',
    ]),
    new Set([2, 3]),
  );
  const details = r.services
    .filter((s) => s.disruptions.length > 0)
    .map((s) => {
      const rows = s.disruptions.map((d) => [
        local(d.start, r.timezone),
        d.end === null ? 'running' : local(d.end, r.timezone),
        durationWords(d.durationSeconds * 1000),
        durationWords(d.toleranceSeconds * 1000),
        d.incidentId,
        level(d),
      ]);
      return `${pc.bold(s.displayName)}\n${table(['START', 'END', 'DURATION', 'TOLERANCE', 'INCIDENT', 'LEVEL'], rows, new Set([2, 3]))}`;
    });
  return `${head}${summary}${details.length > 0 ? `\n\n${details.join('\n\n')}` : ''}`;
}

export function tolerancesCommand(): Command {
  return new Command('tolerances')
    .description("important business services' disruptions of a year against their impact tolerance, the longest, and any breach")
    .option('-y, --year <year>', 'the calendar year in defaults.timezone (default: the current one)')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--json', 'print the answer of the API as JSON')
    .action(
      action(async (opts: TolerancesOptions) => {
        const server = serverUrl(opts.server);
        const target = new URL('/api/v1/regulation/tolerances', server);
        if (opts.year !== undefined) target.searchParams.set('year', opts.year);
        let response: Response;
        try {
          response = await fetch(target, { headers: authorization(opts.token) });
        } catch (cause) {
          throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${server}`, { cause });
        }
        const body = (await response.json()) as TolerancesResponse & Partial<ErrorResponse>;
        if (!response.ok) {
          const code = body.error?.code;
          const known = code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'invalid_query';
          throw new VigilError(known, `${target.href} answered ${response.status}: ${body.error?.message ?? 'no tolerances'}`);
        }
        process.stdout.write(opts.json ? `${JSON.stringify(body, null, 2)}\n` : `${renderTolerances(body)}\n`);
      }),
    );
}
