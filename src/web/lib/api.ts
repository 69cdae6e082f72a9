/** The dashboard's only way to the server: typed GET and POST calls under /api/v1, with the session's read token. */
import type {
  BenchmarkResponse,
  ClusterResponse,
  GateResponse,
  Incident,
  IncidentDetail,
  IncidentsResponse,
  Info,
  JourneyDetail,
  JourneysResponse,
  JourneyValueAnswer,
  NoiseStats,
  RetentionResponse,
  SeriesResponse,
  ServiceRankingResponse,
  SignalsResponse,
  ServicesResponse,
  SloStatus,
  RegulatoryResponse,
  SourcesResponse,
} from './api-types.js';
import { authorizationHeader, forbiddenMessage, type TokenStorage, TokenGate } from './auth.js';

/** An answer other than 2xx; `unavailable` when the endpoint itself does not exist on this server. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  constructor(status: number, code: string | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
  get unavailable(): boolean {
    return this.code === 'route_not_found';
  }
}

/** Relative to the page, so the dashboard works behind a proxy that mounts Vigil under a path. */
const BASE = 'api/v1';

function sessionStore(): TokenStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // a browser that forbids storage throws on the mere access
  }
}

/** The token of this browser session; the TokenPrompt component shows its prompt. */
export const tokenGate = new TokenGate(sessionStore());

/** The answer to a call with the session's token, after the token prompt when the server asks for one. */
async function send(path: string, init?: RequestInit): Promise<Response> {
  let token = tokenGate.token();
  for (;;) {
    const headers = { accept: 'application/json', ...authorizationHeader(token), ...((init?.headers as Record<string, string>) ?? {}) };
    const response = await fetch(`${BASE}${path}`, { ...init, headers });
    // 401: no token, or an unknown one. Wait for the prompt (shared by every call), then retry.
    if (response.status !== 401) return response;
    token = await tokenGate.tokenFor(token);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await send(path, init);
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 403 && error?.code === 'forbidden') throw new ApiError(403, 'forbidden', forbiddenMessage(error.message));
    throw new ApiError(response.status, error?.code ?? null, error?.message ?? `${response.status} ${response.statusText} from ${path}`);
  }
  return body as T;
}

const q = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
};

/** The API's largest page of incidents: a wall screen wants them all, not the default 100. */
const INCIDENT_LIMIT = 1000;

const iso = (ms: number): string => new Date(ms).toISOString();
const enc = encodeURIComponent;

export const api = {
  /** How each SLO read from Prometheus is being read (docs/api.md ("Sources")). */
  sources: () => request<SourcesResponse>('/sources'),
  info: () => request<Info>('/info'),
  /** The nodes serving this store and whether they agree (docs/api.md ("Cluster")). */
  cluster: () => request<ClusterResponse>('/cluster'),
  journeys: () => request<JourneysResponse>('/journeys'),
  journey: (journey: string) => request<JourneyDetail>(`/journeys/${enc(journey)}`),
  sloStatus: (journey: string, slo: string) => request<SloStatus>(`/journeys/${enc(journey)}/slos/${enc(slo)}/status`),
  sloSeries: (journey: string, slo: string, fromMs: number, toMs: number, step?: string) =>
    request<SeriesResponse>(`/journeys/${enc(journey)}/slos/${enc(slo)}/series${q({ from: iso(fromMs), to: iso(toMs), step })}`),
  services: () => request<ServicesResponse>('/services'),
  /** Services by the customer harm behind them over [from, to) (docs/api.md ("Where to invest")). */
  servicesRanking: (fromMs: number, toMs: number) =>
    request<ServiceRankingResponse>(`/services/ranking${q({ from: iso(fromMs), to: iso(toMs) })}`),
  /** The competitor benchmark over [from, to) (docs/benchmark.md ("The benchmark")). */
  benchmark: (fromMs: number, toMs: number) => request<BenchmarkResponse>(`/benchmark${q({ from: iso(fromMs), to: iso(toMs) })}`),
  /** What unreliability cost the journey over [from, to) (docs/value.md). */
  journeyValue: (journey: string, fromMs: number, toMs: number) =>
    request<JourneyValueAnswer>(`/journeys/${enc(journey)}/value${q({ from: iso(fromMs), to: iso(toMs) })}`),
  /** The release gate for one journey (docs/release.md ("The release gate")). */
  gate: (journey: string) => request<GateResponse>(`/gate${q({ journey })}`),
  incidents: async (
    params: { status?: string; journey?: string; fromMs?: number; toMs?: number; limit?: number } = {},
  ): Promise<IncidentsResponse> => {
    const query = q({
      status: params.status,
      journey: params.journey,
      limit: params.limit ?? INCIDENT_LIMIT,
      from: params.fromMs === undefined ? undefined : iso(params.fromMs),
      to: params.toMs === undefined ? undefined : iso(params.toMs),
    });
    return request<IncidentsResponse>(`/incidents${query}`);
  },
  /** One page of the incident history (docs/api.md ("Incident history")): the parameters as history.ts builds them. */
  incidentPage: (params: Record<string, string>) => request<IncidentsResponse>(`/incidents${q(params)}`),
  /** The CSV export of the same filters, as a file (fetched with the token, which a plain link could not send). */
  incidentsCsv: async (params: Record<string, string>): Promise<Blob> => {
    const response = await send(`/incidents${q(params)}`, { headers: { accept: 'text/csv' } });
    if (!response.ok) throw new ApiError(response.status, null, `${response.status} ${response.statusText} from the CSV export`);
    return response.blob();
  },
  /** One incident with its alerts beside its own fields. */
  incident: (id: string) => request<IncidentDetail>(`/incidents/${enc(id)}`),
  /** Its DORA classification, clocks and prefilled report (docs/dora.md ("The report")). */
  regulatory: (id: string) => request<RegulatoryResponse>(`/incidents/${enc(id)}/regulatory`),
  acknowledge: (id: string) =>
    request<Incident>(`/incidents/${enc(id)}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
  resolve: (id: string) =>
    request<Incident>(`/incidents/${enc(id)}/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
  /** A journey's latest signals, newest first (docs/signals.md ("Reading signals")). */
  signals: (journey: string, limit = 20) => request<SignalsResponse>(`/signals${q({ journey, limit })}`),
  retention: (journey: string, period: 'month' | 'week') => request<RetentionResponse>(`/retention${q({ journey, period })}`),
  noise: (fromMs: number, toMs: number) => request<NoiseStats>(`/incidents/stats${q({ from: iso(fromMs), to: iso(toMs) })}`),
};

/**
 * A call whose endpoint may not exist on this server yet (alerting is optional): null when the route is
 * missing, the answer otherwise; other errors propagate.
 */
export async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.unavailable) return null;
    throw error;
  }
}
