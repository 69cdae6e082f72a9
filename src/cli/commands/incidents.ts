/** `vigil incidents`: the incidents of a running server as a readable table (or JSON). */
import { Command } from 'commander';
import pc from 'picocolors';
import { ERROR_CATALOGUE, type ErrorCode, VigilError } from '../../errors/catalogue.js';
import type { IncidentJson } from '../../api/incidents.js';
import { formatMoneyTotals } from '../../model/money.js';
import { table } from '../format.js';
import { action, authorization, TOKEN_OPTION, SERVER_OPTION, serverUrl } from '../shared.js';

export interface IncidentsOptions {
  server?: string;
  token?: string;
  status?: string;
  journey?: string;
  priority?: string;
  limit?: string;
  json?: boolean;
}

const REASON_MAX = 90;

/** GET /api/v1/incidents with the given filters; the server validates them. */
export async function fetchIncidents(server: string, options: IncidentsOptions): Promise<IncidentJson[]> {
  const url = new URL('/api/v1/incidents', server);
  for (const name of ['status', 'journey', 'priority', 'limit'] as const) {
    const value = options[name];
    if (value) url.searchParams.set(name, value);
  }
  let response: Response;
  try {
    response = await fetch(url, { headers: authorization(options.token) });
  } catch (cause) {
    throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${server}`, { cause });
  }
  const body = (await response.json().catch(() => ({}))) as { incidents?: IncidentJson[]; error?: { code: string; message: string } };
  if (!response.ok || !body.incidents) {
    const message = `${url.href} answered ${response.status}: ${body.error?.message ?? 'no incidents list'}`;
    const code = body.error?.code;
    // Pass on the server's own code (a typo in --status is invalid_query), else say the server is not usable.
    throw new VigilError(code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'store_unavailable', message);
  }
  return body.incidents;
}

function priorityText(priority: IncidentJson['priority']): string {
  if (priority === 'P1') return pc.bold(pc.red(priority));
  if (priority === 'P2') return pc.red(priority);
  if (priority === 'P3') return pc.yellow(priority);
  return pc.dim(priority);
}

function statusText(status: IncidentJson['status']): string {
  if (status === 'open') return pc.red('● open');
  if (status === 'acknowledged') return pc.yellow('◐ acknowledged');
  return pc.green('✓ resolved');
}

/** "2026-11-26 09:58" in the local time zone of the machine running the command. */
export function localMinute(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** "wire-transfer › confirm, login"; journeys alone when no stage is known. */
const STAGES_MAX = 60;

function stagesText(incident: IncidentJson): string {
  if (incident.stages.length === 0) return incident.journeys.join(', ') || pc.dim('no journey');
  const text = incident.stages.map((s) => (s.step === null ? s.journey : `${s.journey} › ${s.step}`)).join(', ');
  // Shared services touch many stages: keep the column readable and say how many more there are.
  if (text.length <= STAGES_MAX) return text;
  const shown: string[] = [];
  for (const s of incident.stages) {
    const name = s.step === null ? s.journey : `${s.journey} › ${s.step}`;
    if ([...shown, name].join(', ').length > STAGES_MAX - 10) break;
    shown.push(name);
  }
  return `${shown.join(', ')} +${incident.stages.length - shown.length} more`;
}

/** Value at risk per hour, every currency on its own ("€600/h + £500/h"); a dash when none or not assessed. */
function valueText(incident: IncidentJson): string {
  return (incident.impact && formatMoneyTotals(incident.impact.valueAtRiskPerHour, '/h')) ?? pc.dim('—');
}

/** The incident table as text (colours, when enabled, never carry meaning alone). */
export function renderIncidentTable(incidents: IncidentJson[]): string {
  const rows = incidents.map((incident) => [
    incident.id,
    priorityText(incident.priority),
    statusText(incident.status),
    localMinute(incident.openedAt),
    stagesText(incident),
    String(incident.alertCount),
    valueText(incident),
    incident.reason.length > REASON_MAX ? `${incident.reason.slice(0, REASON_MAX - 1)}…` : incident.reason,
  ]);
  return table(['ID', 'PRI', 'STATUS', 'OPENED', 'JOURNEYS / STAGES', 'ALERTS', 'AT RISK', 'REASON'], rows, new Set([5]));
}

/**
 * Under the table, one line per incident classified major under DORA with its next reporting clock, in the server's zone
 * (docs/dora.md ("Where it shows")); empty when none is.
 * @example doraLines([incident]) // 'inc-2f6c1a9e  DORA: major — initial notification due by 14:32'
 */
export function doraLines(incidents: IncidentJson[]): string {
  return incidents
    .filter((i) => i.dora !== undefined)
    .map((i) => {
      const line = i.dora!.line;
      const overdue = i.dora!.next?.state === 'overdue';
      return `${i.id}  ${overdue ? pc.bold(pc.red(line)) : pc.bold(line)}`;
    })
    .join('\n');
}

/** The line under the table: how many incidents are open and how many of those page. */
export function incidentsSummary(incidents: IncidentJson[]): string {
  const open = incidents.filter((i) => i.status === 'open');
  const acknowledged = incidents.filter((i) => i.status === 'acknowledged').length;
  const paging = open.filter((i) => i.paged).length;
  const head = open.length > 0 ? pc.red(`${open.length} open`) : pc.green('nothing open');
  return `${head}${paging > 0 ? ` (${paging} paged)` : ''}, ${acknowledged} acknowledged, ${incidents.length} shown`;
}

/**
 * GET one incident path (its detail, or its review as Markdown or JSON) from a running server.
 * @example await fetchIncidentText('http://127.0.0.1:8080', 'inc-1', { review: true }, undefined)
 */
export async function fetchIncidentText(
  server: string,
  id: string,
  opts: { review?: boolean; regulatory?: boolean; json?: boolean },
  token?: string,
): Promise<string> {
  if (opts.review && opts.regulatory) throw new VigilError('invalid_query', '--review and --regulatory: choose one');
  const report = opts.review || opts.regulatory;
  const path = `/api/v1/incidents/${encodeURIComponent(id)}${opts.review ? '/review' : opts.regulatory ? '/regulatory' : ''}`;
  const url = new URL(path, server);
  if (report && !opts.json) url.searchParams.set('format', opts.review ? 'md' : 'markdown');
  let response: Response;
  try {
    response = await fetch(url, { headers: authorization(token) });
  } catch (cause) {
    throw new VigilError('store_unavailable', `Cannot reach a Vigil server at ${server}`, { cause });
  }
  const text = await response.text();
  if (!response.ok) {
    let error: { code?: string; message?: string } = {};
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
    } catch {}
    const code = error.code;
    throw new VigilError(
      code !== undefined && code in ERROR_CATALOGUE ? (code as ErrorCode) : 'store_unavailable',
      `${url.href} answered ${response.status}: ${error.message ?? 'no incident'}`,
    );
  }
  return report && !opts.json ? text : `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
}

/**
 * `vigil incidents show ID [--review | --regulatory] [--json]`: one incident, its review, or its DORA classification and
 * report (Markdown, or JSON with --json).
 */
function showCommand(): Command {
  return new Command('show')
    .description(
      'one incident as JSON; with --review its review, with --regulatory its DORA classification and report (Markdown, or JSON with --json)',
    )
    .argument('<id>', 'the incident id')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--review', 'the post-incident review: figures, durations and timeline')
    .option('--regulatory', 'the DORA classification: criteria, decision, reporting clocks and the prefilled report')
    .option('--json', 'print JSON')
    .action(
      action(
        async (
          id: string,
          opts: { server?: string; token?: string; review?: boolean; regulatory?: boolean; json?: boolean },
          command: Command,
        ) => {
          // `vigil incidents` has --server and --token too, and takes them wherever they stand: `show ID --server URL` too.
          const parent = command.parent?.opts<{ server?: string; token?: string }>();
          const token = opts.token ?? parent?.token;
          process.stdout.write(await fetchIncidentText(serverUrl(opts.server ?? parent?.server), id, opts, token));
        },
      ),
    );
}

export function incidentsCommand(): Command {
  return new Command('incidents')
    .addCommand(showCommand())
    .description('list incidents of a running server: priority, status, journeys and stages, alerts, reason')
    .option(...SERVER_OPTION)
    .option(...TOKEN_OPTION)
    .option('--status <list>', 'only these statuses, comma-separated: open, acknowledged, resolved')
    .option('--journey <name>', 'only incidents touching this journey')
    .option('--priority <list>', 'only these priorities, comma-separated: P1, P2, P3, P4')
    .option('--limit <n>', 'at most this many, newest first (default 100)')
    .option('--json', 'print the incidents as JSON')
    .action(
      action(async (opts: IncidentsOptions) => {
        const incidents = await fetchIncidents(serverUrl(opts.server), opts);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(incidents, null, 2)}\n`);
          return;
        }
        if (incidents.length === 0) {
          process.stdout.write(`${pc.green('No incidents')} match.\n`);
          return;
        }
        const dora = doraLines(incidents);
        process.stdout.write(`${renderIncidentTable(incidents)}\n${dora ? `\n${dora}\n` : ''}\n${incidentsSummary(incidents)}\n`);
      }),
    );
}
