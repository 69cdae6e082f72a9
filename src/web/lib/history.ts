/** The incident history view's filters: kept in the URL, turned into GET /api/v1/incidents parameters (docs/api.md ("Incident history")). */

export const HISTORY_RANGES = ['24h', '7d', '30d', '90d', 'all'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
export const HISTORY_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const HISTORY_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const HISTORY_PAGE_SIZE = 50;

export interface HistoryFilters {
  journey: string;
  priority: string[];
  status: string[];
  range: HistoryRange;
  /** Free text over title, reason and services. */
  q: string;
  /** The cursor of the page shown ('' for the first) and how many incidents came before it. */
  cursor: string;
  skip: number;
}

export const DEFAULT_HISTORY: HistoryFilters = { journey: '', priority: [], status: [], range: '30d', q: '', cursor: '', skip: 0 };

const RANGE_MS: Record<Exclude<HistoryRange, 'all'>, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
};

const list = <T extends string>(value: string | null, allowed: readonly T[]): T[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v): v is T => (allowed as readonly string[]).includes(v));

/**
 * The filters of a `#/history?…` query string; unknown values fall back to the defaults.
 * @example parseHistory(new URLSearchParams('priority=P1,P9&range=7d')) // { …DEFAULT_HISTORY, priority: ['P1'], range: '7d' }
 */
export function parseHistory(params: URLSearchParams): HistoryFilters {
  const range = params.get('range');
  const skip = Number(params.get('skip') ?? '0');
  return {
    journey: params.get('journey') ?? '',
    priority: list(params.get('priority'), HISTORY_PRIORITIES),
    status: list(params.get('status'), HISTORY_STATUSES),
    range: (HISTORY_RANGES as readonly string[]).includes(range ?? '') ? (range as HistoryRange) : DEFAULT_HISTORY.range,
    q: params.get('q') ?? '',
    cursor: params.get('cursor') ?? '',
    skip: Number.isSafeInteger(skip) && skip > 0 ? skip : 0,
  };
}

/**
 * The query string of the filters, defaults left out (so `#/history` is the default view).
 * @example historyQuery({ ...DEFAULT_HISTORY, q: 'ledger' }) // 'q=ledger'
 */
export function historyQuery(filters: HistoryFilters): string {
  const params = new URLSearchParams();
  if (filters.journey) params.set('journey', filters.journey);
  if (filters.priority.length > 0) params.set('priority', filters.priority.join(','));
  if (filters.status.length > 0) params.set('status', filters.status.join(','));
  if (filters.range !== DEFAULT_HISTORY.range) params.set('range', filters.range);
  if (filters.q) params.set('q', filters.q);
  if (filters.cursor) params.set('cursor', filters.cursor);
  if (filters.skip > 0) params.set('skip', String(filters.skip));
  return params.toString();
}

/**
 * The parameters of GET /api/v1/incidents for these filters at `nowMs`; `csv` leaves out the page (the export holds every match).
 * @example incidentParams({ ...DEFAULT_HISTORY, range: '24h' }, 86_400_000).from // '1970-01-01T00:00:00.000Z'
 */
export function incidentParams(filters: HistoryFilters, nowMs: number, csv = false): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.journey) params['journey'] = filters.journey;
  if (filters.priority.length > 0) params['priority'] = filters.priority.join(',');
  if (filters.status.length > 0) params['status'] = filters.status.join(',');
  if (filters.range !== 'all') params['from'] = new Date(nowMs - RANGE_MS[filters.range]).toISOString();
  if (filters.q.trim()) params['q'] = filters.q.trim();
  if (csv) params['format'] = 'csv';
  else {
    params['limit'] = String(HISTORY_PAGE_SIZE);
    if (filters.cursor) params['cursor'] = filters.cursor;
  }
  return params;
}

/**
 * "51–100 of 212": where the page sits among the matches.
 * @example pageLabel(50, 50, 212) // '51–100 of 212'
 */
export function pageLabel(skip: number, shown: number, total: number): string {
  if (shown === 0) return `0 of ${total}`;
  return `${skip + 1}–${skip + shown} of ${total}`;
}
