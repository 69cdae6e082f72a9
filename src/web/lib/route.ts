/** The dashboard's routes and their hash URLs, parsed and built in one place. */

export type Route =
  | { page: 'overview' }
  | { page: 'journey'; journey: string; step: string | null }
  | { page: 'slo'; journey: string; slo: string }
  | { page: 'incidents'; incident: string | null }
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
  if (parts[0] === 'journeys' && parts.length === 4 && parts[2] === 'slos') return { page: 'slo', journey: parts[1]!, slo: parts[3]! };
  if (parts[0] === 'incidents' && parts.length <= 2) return { page: 'incidents', incident: parts[1] ?? null };
  return { page: 'not-found', hash };
}

const enc = encodeURIComponent;

export const href = {
  overview: (): string => '#/',
  journey: (journey: string, step?: string): string => `#/journeys/${enc(journey)}${step ? `?step=${enc(step)}` : ''}`,
  slo: (journey: string, slo: string): string => `#/journeys/${enc(journey)}/slos/${enc(slo)}`,
  incidents: (incident?: string): string => `#/incidents${incident ? `/${enc(incident)}` : ''}`,
};
