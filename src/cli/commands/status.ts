/** `vigil status`: every SLO's attainment, budget and alert state, from a server or a database file. */
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import type { VigilConfig } from '../../model/config.js';
import type { ErrorResponse } from '../../api/common.js';
import type { JourneySummary, JourneysResponse } from '../../api/journeys.js';
import { loadReadModel } from '../../app/read-model.js';
import { CONFIG_META_KEY } from '../../app/runtime.js';
import { openStore } from '../../store/open.js';
import { SLO_STATES, type SloState } from '../../api/slo.js';
import { budget, burn, percent, stateText, table } from '../format.js';
import { action, authorization, loadConfigOrThrow, TOKEN_OPTION, serverUrl } from '../shared.js';

interface StatusOptions {
  server?: string;
  token?: string;
  database?: string;
  config?: string;
  at?: string;
  json?: boolean;
  failOn?: FailOn;
}

/** The states `--fail-on` accepts; each also fails on every worse state (docs/cli.md ("vigil status")). */
export const FAIL_ON = ['ticket', 'page', 'exhausted'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * The SLOs in `threshold`'s state or a worse one, in `SLO_STATES` order (insufficient data, ok, at risk, ticket,
 * page, exhausted).
 * @example failing([{ slo: 'success', state: 'exhausted' }], 'page') // [{ slo: 'success', state: 'exhausted' }]
 */
export function failing<T extends { state: SloState }>(slos: T[], threshold: FailOn): T[] {
  const floor = SLO_STATES.indexOf(threshold);
  return slos.filter((s) => SLO_STATES.indexOf(s.state) >= floor);
}

/** What the table shows of a journey: the wire contract's journey summary, or the same fields read from a database. */
type JourneyStatuses = Pick<JourneySummary, 'name' | 'displayName' | 'tier' | 'slos'>;

async function fromServer(url: string, at: string | undefined, token: string | undefined): Promise<JourneyStatuses[]> {
  const target = new URL('/api/v1/journeys', url);
  if (at) target.searchParams.set('at', at);
  let response: Response;
  try {
    response = await fetch(target, { headers: authorization(token) });
  } catch (cause) {
    throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${url}`, { cause });
  }
  const body = (await response.json()) as Partial<JourneysResponse> & Partial<ErrorResponse>;
  if (!response.ok || !body.journeys) {
    // The server's own code when it has one (unauthorized: a token is needed), else the query was not usable.
    const code = body.error?.code;
    const known = code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'invalid_query';
    throw new VigilError(known, `${target.href} answered ${response.status}: ${body.error?.message ?? 'no journeys'}`);
  }
  return body.journeys;
}

async function fromDatabase(database: string, configPath: string | undefined, at: string | undefined): Promise<JourneyStatuses[]> {
  // Reading never writes: the store is opened read-only and nothing is reconciled (docs/storage.md).
  const store = await openStore(database, { readOnly: true });
  try {
    let config: VigilConfig;
    if (configPath) config = await loadConfigOrThrow(configPath);
    else {
      const saved = await store.meta.getMeta(CONFIG_META_KEY);
      if (!saved)
        throw new VigilError(
          'config_not_found',
          `${database} holds no configuration yet (no server has run on it); give one with --config`,
        );
      config = JSON.parse(saved) as VigilConfig;
    }
    const registry = await loadReadModel({ config, store });
    const atMs = at ? Date.parse(at) : Date.now();
    if (Number.isNaN(atMs)) throw new VigilError('invalid_query', `--at: expected an RFC 3339 time, got ${JSON.stringify(at)}`);
    return config.journeys.map((j) => ({
      name: j.name,
      displayName: j.displayName,
      tier: j.tier,
      slos: j.slos.map((s) => registry.status(j.name, s.name, atMs)!),
    }));
  } finally {
    await store.close();
  }
}

/** The status table as text. */
export function renderStatusTable(journeys: JourneyStatuses[]): string {
  const rows: string[][] = [];
  for (const journey of journeys) {
    journey.slos.forEach((s, i) => {
      rows.push([
        i === 0 ? pc.bold(journey.name) : '',
        i === 0 ? pc.dim(journey.tier) : '',
        s.slo,
        `${s.objective}%`,
        s.window,
        percent(s.attainment),
        // Too few events: the figure stands, marked, rather than hidden or read as a verdict.
        s.state === 'insufficient_data' && s.total > 0
          ? `${budget(s.errorBudget.remaining)}${pc.dim('?')}`
          : budget(s.errorBudget.remaining),
        burn(s.burnRates['1h']),
        stateText(s.state),
      ]);
    });
  }
  return table(
    ['JOURNEY', 'TIER', 'SLO', 'OBJECTIVE', 'WINDOW', 'ATTAINMENT', 'BUDGET LEFT', 'BURN 1H', 'STATE'],
    rows,
    new Set([3, 5, 6, 7]),
  );
}

export function statusCommand(): Command {
  return new Command('status')
    .description('show every SLO: attainment, error budget left, 1h burn rate, page/ticket')
    .option('-s, --server <url>', 'a running Vigil server (default when no --database: http://127.0.0.1:8080)')
    .option(...TOKEN_OPTION)
    .option('-d, --database <location>', 'read a database file (or postgres:// URL) directly instead of a server')
    .option('-c, --config <path>', 'with --database: the configuration (default: the one the last server stored)')
    .option('--at <time>', 'evaluate at this RFC 3339 instant instead of now')
    .option('--json', 'print the statuses as JSON')
    .addOption(new Option('--fail-on <state>', 'exit with 1 when any SLO is in this state or a worse one').choices(FAIL_ON))
    .action(
      action(async (opts: StatusOptions) => {
        const journeys = opts.database
          ? await fromDatabase(opts.database, opts.config, opts.at)
          : await fromServer(serverUrl(opts.server), opts.at, opts.token);
        const slos = journeys.flatMap((j) => j.slos);
        if (opts.json) process.stdout.write(`${JSON.stringify(journeys, null, 2)}\n`);
        else {
          process.stdout.write(`${renderStatusTable(journeys)}\n`);
          const paging = slos.filter((s) => s.alerts.page).length;
          const ticket = slos.filter((s) => s.alerts.ticket && !s.alerts.page).length;
          const exhausted = slos.filter((s) => s.state === 'exhausted').length;
          process.stdout.write(
            `\n${paging > 0 ? pc.red(`${paging} paging`) : pc.green('nothing paging')}, ${ticket} ticket${ticket === 1 ? '' : 's'}` +
              `, ${exhausted > 0 ? pc.red(`${exhausted} budget${exhausted === 1 ? '' : 's'} exhausted`) : 'no budget exhausted'}\n`,
          );
        }
        if (opts.failOn) {
          const hit = failing(slos, opts.failOn);
          if (hit.length > 0) {
            // On stderr, so that --json output stays parseable.
            process.stderr.write(`--fail-on ${opts.failOn}: ${hit.map((s) => `${s.journey}/${s.slo} ${s.state}`).join(', ')}\n`);
            process.exitCode = 1;
          }
        }
      }),
    );
}
