/**
 * `vigil status`: every SLO's attainment, budget and alert state, from a server or a database file; for SLOs read from
 * Prometheus, how their SLI is being read (docs/cli.md ("vigil status")).
 */
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import type { VigilConfig } from '../../model/config.js';
import type { ErrorResponse } from '../../api/common.js';
import type { JourneySummary, JourneysResponse } from '../../api/journeys.js';
import type { ClusterResponse } from '../../api/cluster.js';
import type { SourceSliJson, SourceStateJson, SourcesResponse } from '../../api/sources.js';
import { toInstantOrNull } from '../../api/common.js';
import { loadReadModel } from '../../app/read-model.js';
import { CONFIG_META_KEY } from '../../app/runtime.js';
import { MINUTES_PER_DAY } from '../../engine/minute-series.js';
import type { SloRegistry } from '../../engine/slo-registry.js';
import { type EpochMinute, MS_PER_MINUTE } from '../../model/minutes.js';
import { openStore } from '../../store/open.js';
import type { SourceStore } from '../../store/store.js';
import { SLO_STATES, type SloState, type SloStatus } from '../../api/slo.js';
import { budget, burn, percent, shorten, sourceStateText, stateText, table } from '../format.js';
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

/**
 * How the SLI of an SLO read from Prometheus is being read (docs/cli.md ("vigil status")). From a server: its reader's
 * state now (whatever `--at`), as `GET /api/v1/sources` gives it. From a database: only what the store holds — the
 * watermark and the newest minute with a figure; the state lives in the memory of the server that reads, so it is null.
 */
export interface StatusSource {
  kind: 'prometheus';
  key: string;
  /** docs/prometheus.md ("States"); null when read from a database. */
  state: SourceStateJson | null;
  /** When the state began; null when read from a database. */
  since: string | null;
  /** Prometheus' error text, or what could not be reached; null otherwise and when read from a database. */
  message: string | null;
  /** While backfilling, how far; null otherwise and when read from a database. */
  progress: SourceSliJson['progress'];
  /** Minutes before it are read for good; null before the first read. */
  watermark: string | null;
  /** The start of the newest minute with a figure; null when none. */
  lastDataAt: string | null;
}

/** One SLO's row: its status, and `source` when its SLI is read from Prometheus. */
type SloRow = SloStatus & { source?: StatusSource };

/** What the table shows of a journey: the wire contract's journey summary, or the same fields read from a database. */
type JourneyStatuses = Pick<JourneySummary, 'name' | 'displayName' | 'tier'> & { slos: SloRow[] };

/** Where the SLOs read from Prometheus are read from, and whether their state is live (a server) or not (a database). */
interface SourcesHeader {
  url: string | null;
  live: boolean;
}

interface Statuses {
  journeys: JourneyStatuses[];
  /** The nodes serving the store, from a server that answers `GET /api/v1/cluster`; null otherwise. */
  cluster?: ClusterResponse | null;
  /** Null when no SLO is read from Prometheus. */
  sources: SourcesHeader | null;
}

async function getFromServer<T>(url: string, path: string, query: Record<string, string>, token: string | undefined, wanted: keyof T) {
  const target = new URL(path, url);
  for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(target, { headers: authorization(token) });
  } catch (cause) {
    throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${url}`, { cause });
  }
  const body = (await response.json()) as Partial<T> & Partial<ErrorResponse>;
  if (!response.ok || body[wanted] === undefined) {
    // The server's own code when it has one (unauthorized: a token is needed), else the query was not usable.
    const code = body.error?.code;
    const known = code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'invalid_query';
    throw new VigilError(known, `${target.href} answered ${response.status}: ${body.error?.message ?? `no ${String(wanted)}`}`);
  }
  return body as T;
}

async function fromServer(url: string, at: string | undefined, token: string | undefined): Promise<Statuses> {
  // Three reads at once. The reader's state is now's: it has no history, so `--at` does not apply to the sources (docs/cli.md
  // ("vigil status")); a server too old to answer /cluster only goes without the nodes' line (docs/scale-out.md ("The nodes")).
  const [{ journeys }, sources, cluster] = await Promise.all([
    getFromServer<JourneysResponse>(url, '/api/v1/journeys', at ? { at } : {}, token, 'journeys'),
    getFromServer<SourcesResponse>(url, '/api/v1/sources', {}, token, 'slis'),
    getFromServer<ClusterResponse>(url, '/api/v1/cluster', {}, token, 'nodes').catch(() => null),
  ]);
  const bySlo = new Map<string, StatusSource>();
  for (const sli of sources.slis) {
    const { key, state, since, message, progress, watermark, lastDataAt } = sli;
    for (const slo of sli.slos)
      bySlo.set(`${sli.journey}/${slo}`, { kind: 'prometheus', key, state, since, message, progress, watermark, lastDataAt });
  }
  return {
    journeys: journeys.map((j) => ({ name: j.name, displayName: j.displayName, tier: j.tier, slos: withSources(j.slos, bySlo) })),
    sources: sources.slis.length > 0 ? { url: sources.prometheus?.url ?? null, live: true } : null,
    cluster,
  };
}

/**
 * One line on the nodes of a PostgreSQL store (docs/cli.md ("vigil status")): how many are live, which leads, and what
 * differs between them, in red; null for a single server.
 * @example renderClusterLine(answer) // '3 nodes live, leader vigil-a/4121; same version and configuration'
 */
export function renderClusterLine(cluster: ClusterResponse | null | undefined): string | null {
  if (!cluster || cluster.mode === 'single') return null;
  const live = cluster.nodes.filter((n) => n.live);
  const gone = cluster.nodes.length - live.length;
  const leader = live.find((n) => n.role === 'leader');
  const head =
    `${live.length} node${live.length === 1 ? '' : 's'} live` +
    (gone > 0 ? ` (${gone} gone)` : '') +
    (leader ? `, leader ${leader.node}` : `, ${pc.yellow('no leader')}`);
  return cluster.agree ? `${head}; same version and configuration` : `${head}; ${pc.red(cluster.differences.join('; '))}`;
}

function withSources(slos: SloStatus[], bySlo: ReadonlyMap<string, StatusSource>): SloRow[] {
  return slos.map((s) => {
    const source = bySlo.get(`${s.journey}/${s.slo}`);
    return source ? { ...s, source } : s;
  });
}

/** The newest stored minute with a figure of an SLI read from Prometheus, looking back a day at a time to its first. */
async function newestStoredMinute(store: SourceStore, key: string, startMinute: EpochMinute, watermark: EpochMinute) {
  // Minutes past the watermark are provisional but stored (docs/prometheus.md ("What Vigil sends")): look from a day past it.
  for (let to = watermark + MINUTES_PER_DAY; to > startMinute; to -= MINUTES_PER_DAY) {
    const newest = (await store.sourceMinutes(key, Math.max(startMinute, to - MINUTES_PER_DAY), to)).at(-1);
    if (newest) return newest.minute;
  }
  return null;
}

/** What a database holds of each SLI read from Prometheus, by `journey/slo`: no state (that is in a server's memory). */
async function storedSources(store: SourceStore, registry: SloRegistry): Promise<Map<string, StatusSource>> {
  const bySlo = new Map<string, StatusSource>();
  for (const def of registry.prometheusSlis) {
    const stored = await store.sourceWatermark(def.key);
    const newest = stored ? await newestStoredMinute(store, def.key, stored.startMinute, stored.watermark) : null;
    const source: StatusSource = {
      kind: 'prometheus',
      key: def.key,
      state: null,
      since: null,
      message: null,
      progress: null,
      watermark: toInstantOrNull(stored ? stored.watermark * MS_PER_MINUTE : null),
      lastDataAt: toInstantOrNull(newest === null ? null : newest * MS_PER_MINUTE),
    };
    for (const ref of registry.allSlos()) if (ref.sli.key === def.key) bySlo.set(`${ref.journey.name}/${ref.slo.name}`, source);
  }
  return bySlo;
}

async function fromDatabase(database: string, configPath: string | undefined, at: string | undefined): Promise<Statuses> {
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
    const bySlo = await storedSources(store.sources, registry);
    return {
      journeys: config.journeys.map((j) => ({
        name: j.name,
        displayName: j.displayName,
        tier: j.tier,
        slos: withSources(
          j.slos.map((s) => registry.status(j.name, s.name, atMs)!),
          bySlo,
        ),
      })),
      sources: bySlo.size > 0 ? { url: config.sources?.prometheus?.url ?? null, live: false } : null,
    };
  } finally {
    await store.close();
  }
}

/** "2026-11-28T02:58:00.000Z" → "2026-11-28 02:58Z". */
const minuteText = (instant: string) => `${instant.slice(0, 16).replace('T', ' ')}Z`;

/** How far a source is stored, in words: its watermark and its newest minute with a figure. */
const readText = (source: StatusSource) =>
  `${source.watermark === null ? 'nothing read for good yet' : `read for good to ${minuteText(source.watermark)}`}, ` +
  `${source.lastDataAt === null ? 'no figure yet' : `newest figure ${minuteText(source.lastDataAt)}`}`;

/** A source's reason without the Prometheus URL the footer already names. */
function reason(source: StatusSource, url: string | null): string | null {
  if (source.message === null) return null;
  return url && source.message.startsWith(`${url}: `) ? source.message.slice(url.length + 2) : source.message;
}

/** The SOURCE cell: `events` for an SLI counted from journey events, else how its Prometheus SLI is read. */
export function sourceCell(source: StatusSource | undefined, url: string | null = null): string {
  if (!source) return pc.dim('events');
  // From a database there is no state, only what the store holds (docs/cli.md ("vigil status")).
  if (source.state === null) return pc.dim(source.watermark === null ? 'never read' : `read to ${minuteText(source.watermark)}`);
  if (source.state === 'backfilling') return sourceStateText(source.state, source.progress ? `${source.progress.percent}%` : null);
  if (source.state === 'prometheus_unreachable' || source.state === 'prometheus_error') {
    const why = reason(source, url);
    return sourceStateText(source.state, why === null ? null : shorten(why, 60));
  }
  return sourceStateText(source.state);
}

/** The status table as text; a SOURCE column when some SLO is read from Prometheus. */
export function renderStatusTable(journeys: JourneyStatuses[], sourcesUrl: string | null = null): string {
  const withSource = journeys.some((j) => j.slos.some((s) => s.source));
  const rows: string[][] = [];
  for (const journey of journeys) {
    journey.slos.forEach((s, i) => {
      const row = [
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
      ];
      if (withSource) row.push(sourceCell(s.source, sourcesUrl));
      rows.push(row);
    });
  }
  const header = ['JOURNEY', 'TIER', 'SLO', 'OBJECTIVE', 'WINDOW', 'ATTAINMENT', 'BUDGET LEFT', 'BURN 1H', 'STATE'];
  return table(withSource ? [...header, 'SOURCE'] : header, rows, new Set([3, 5, 6, 7]));
}

/**
 * The lines under the table about the SLIs read from Prometheus. From a server: each SLI not following, with since when,
 * its watermark, its newest figure and Prometheus' whole message. From a database: what it can and cannot show.
 */
export function renderSourcesFooter(journeys: JourneyStatuses[], header: SourcesHeader): string {
  const slis = new Map<string, { slos: string[]; source: StatusSource }>();
  for (const j of journeys)
    for (const s of j.slos) {
      if (!s.source) continue;
      const entry = slis.get(s.source.key) ?? { slos: [], source: s.source };
      entry.slos.push(`${j.name}/${s.slo}`);
      slis.set(s.source.key, entry);
    }
  const where = `Prometheus${header.url ? ` ${header.url}` : ''}`;
  if (!header.live) {
    const lines = [...slis.values()].map(({ slos, source }) => `  ${slos.join(', ')}: ${readText(source)}`);
    return [
      `${where}, as this database holds it:`,
      ...lines,
      pc.dim('  Whether it is following, lagging, without data or unreachable lives in the memory of the server that reads:'),
      pc.dim('  ask that server (vigil status --server).'),
    ].join('\n');
  }
  const behind = [...slis.values()].filter(({ source }) => source.state !== 'following');
  if (behind.length === 0) return `${where}: ${pc.green(`every SLI following (${slis.size})`)}`;
  const lines = [`${where}: ${slis.size - behind.length} of ${slis.size} SLI${slis.size === 1 ? '' : 's'} following`];
  for (const { slos, source } of behind) {
    lines.push(`  ${slos.join(', ')}: ${sourceStateText(source.state!)} since ${source.since}, ${readText(source)}`);
    if (source.message !== null) lines.push(`    ${source.message}`);
  }
  return lines.join('\n');
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
        const { journeys, sources, cluster } = opts.database
          ? await fromDatabase(opts.database, opts.config, opts.at)
          : await fromServer(serverUrl(opts.server), opts.at, opts.token);
        const slos = journeys.flatMap((j) => j.slos);
        if (opts.json) process.stdout.write(`${JSON.stringify(journeys, null, 2)}\n`);
        else {
          process.stdout.write(`${renderStatusTable(journeys, sources?.url ?? null)}\n`);
          const paging = slos.filter((s) => s.alerts.page).length;
          const ticket = slos.filter((s) => s.alerts.ticket && !s.alerts.page).length;
          const exhausted = slos.filter((s) => s.state === 'exhausted').length;
          process.stdout.write(
            `\n${paging > 0 ? pc.red(`${paging} paging`) : pc.green('nothing paging')}, ${ticket} ticket${ticket === 1 ? '' : 's'}` +
              `, ${exhausted > 0 ? pc.red(`${exhausted} budget${exhausted === 1 ? '' : 's'} exhausted`) : 'no budget exhausted'}\n`,
          );
          if (sources) process.stdout.write(`${renderSourcesFooter(journeys, sources)}\n`);
          const nodes = renderClusterLine(cluster);
          if (nodes) process.stdout.write(`${nodes}\n`);
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
