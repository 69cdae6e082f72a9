/** Incidents as CSV (docs/api.md ("Incident history")): RFC 4180 quoting, cells that a spreadsheet would run as a formula defused. */
import { toInstant, toInstantOrNull } from '../../api/common.js';
import type { Incident, IncidentQuery } from '../../model/incident.js';

/** The columns of the export, in order. */
export const INCIDENT_CSV_COLUMNS = [
  'id',
  'status',
  'priority',
  'title',
  'reason',
  'journeys',
  'services',
  'openedAt',
  'acknowledgedAt',
  'resolvedAt',
  'paged',
  'customersAffected',
  'failuresPerHour',
  'maxBurnRate',
  'valueAtRiskPerHour',
  'mergedInto',
] as const;

/** The most rows one export holds; a narrower filter reaches the rest. */
export const MAX_CSV_ROWS = 50_000;
const PAGE = 1000;

/**
 * One CSV cell. Text starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
 * before reading a formula) gets a leading apostrophe, so that a title an alert sender chose cannot run
 * as a formula in whoever opens the export; then a cell holding a comma, quote or line break is quoted.
 * @example csvCell('=HYPERLINK("x")') // '"\'=HYPERLINK(""x"")"'
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * One incident as a CSV line (CRLF-terminated), in the order of INCIDENT_CSV_COLUMNS.
 * @example incidentCsvLine(incident) // 'inc-1,open,P1,Ledger down,…\r\n'
 */
export function incidentCsvLine(incident: Incident): string {
  const impact = incident.impact;
  const cells: (string | number | boolean | null)[] = [
    incident.id,
    incident.status,
    incident.priority,
    incident.title,
    incident.reason,
    incident.journeys.join(' '),
    incident.services.join(' '),
    toInstant(incident.openedAt),
    toInstantOrNull(incident.acknowledgedAt),
    toInstantOrNull(incident.resolvedAt),
    incident.paged,
    impact?.customersAffected ?? null,
    impact?.failuresPerHour ?? null,
    impact === null || impact.maxBurnRate === null || !Number.isFinite(impact.maxBurnRate) ? null : impact.maxBurnRate,
    impact?.valueAtRiskPerHour.map((m) => `${m.amount} ${m.currency}`).join(' ') ?? null,
    incident.mergedInto,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * The CSV export of every incident matching the query's filters (at most `query.limit`, else MAX_CSV_ROWS),
 * newest first, header line first; read page by page so that memory holds one page at a time.
 * @example for await (const chunk of incidentsCsv(query, (q) => store.alerting.incidents(q))) reply.raw.write(chunk)
 */
export async function* incidentsCsv(query: IncidentQuery, list: (query: IncidentQuery) => Promise<Incident[]>): AsyncGenerator<string> {
  yield `${INCIDENT_CSV_COLUMNS.join(',')}\r\n`;
  let left = Math.min(query.limit ?? MAX_CSV_ROWS, MAX_CSV_ROWS);
  let after = query.after;
  while (left > 0) {
    const size = Math.min(PAGE, left);
    const page = await list({ ...query, limit: size, ...(after && { after }) });
    if (page.length > 0) yield page.map(incidentCsvLine).join('');
    if (page.length < size) return;
    left -= page.length;
    const last = page.at(-1)!;
    after = { openedAt: last.openedAt, id: last.id };
  }
}
