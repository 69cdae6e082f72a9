/** The dashboard's routes and their hash URLs, parsed and built in one place. */
import { type HistoryFilters, historyQuery, parseHistory } from './history.js';

export type Route =
  | { page: 'overview' }
  | { page: 'journey'; journey: string; step: string | null }
  | { page: 'slo'; journey: string; slo: string }
  /** What unreliability cost the journey; `period` is `YYYY-MM` or null for the last 30 days. */
  | { page: 'value'; journey: string; period: string | null }
  | { page: 'retention'; journey: string; period: 'month' | 'week' }
  | { page: 'incidents' }
  | { page: 'incident'; id: string }
  | { page: 'history'; filters: HistoryFilters }
  | { page: 'services' }
  | { page: 'competition' }
  | { page: 'not-found'; hash: string };

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * @example parseRoute('#/journeys/card-payment/slos/success') // { page: 'slo', journey: 'card-payment', slo: 'success' }
 */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decode);
  const params = new URLSearchParams(query);
  if (parts.length === 0) return { page: 'overview' };
  if (parts[0] === 'journeys' && parts.length === 2) return { page: 'journey', journey: parts[1]!, step: params.get('step') };
  if (parts[0] === 'journeys' && parts.length === 3 && parts[2] === 'value')
    return { page: 'value', journey: parts[1]!, period: params.get('period') };
  if (parts[0] === 'journeys' && parts.length === 4 && parts[2] === 'slos') return { page: 'slo', journey: parts[1]!, slo: parts[3]! };
  if (parts[0] === 'journeys' && parts.length === 3 && parts[2] === 'retention')
    return { page: 'retention', journey: parts[1]!, period: params.get('period') === 'week' ? 'week' : 'month' };
  if (parts[0] === 'incidents' && parts.length === 1) return { page: 'incidents' };
  // One incident's own page, however old: what every link to an incident opens.
  if (parts[0] === 'incidents' && parts.length === 2) return { page: 'incident', id: parts[1]! };
  if (parts[0] === 'services' && parts.length === 1) return { page: 'services' };
  if (parts[0] === 'competition' && parts.length === 1) return { page: 'competition' };
  if (parts[0] === 'history' && parts.length === 1) return { page: 'history', filters: parseHistory(params) };
  return { page: 'not-found', hash };
}

const enc = encodeURIComponent;

export const href = {
  overview: (): string => '#/',
  journey: (journey: string, step?: string): string => `#/journeys/${enc(journey)}${step ? `?step=${enc(step)}` : ''}`,
  slo: (journey: string, slo: string): string => `#/journeys/${enc(journey)}/slos/${enc(slo)}`,
  value: (journey: string, period?: string): string => `#/journeys/${enc(journey)}/value${period ? `?period=${enc(period)}` : ''}`,
  retention: (journey: string, period: 'month' | 'week' = 'month'): string =>
    `#/journeys/${enc(journey)}/retention${period === 'week' ? '?period=week' : ''}`,
  incidents: (incident?: string): string => `#/incidents${incident ? `/${enc(incident)}` : ''}`,
  services: (): string => '#/services',
  competition: (): string => '#/competition',
  history: (filters?: HistoryFilters): string => {
    const query = filters ? historyQuery(filters) : '';
    return `#/history${query ? `?${query}` : ''}`;
  },
};
