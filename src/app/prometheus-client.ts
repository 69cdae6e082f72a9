/**
 * The HTTP side of reading SLIs from Prometheus (docs/prometheus.md ("Prometheus as an SLI source")): `query_range`
 * requests with the configured URL, bearer token and timeout, each answer classified as data, Prometheus refusing the
 * query (`prometheus_error`, with its text) or Prometheus not answering (`prometheus_unreachable`).
 */
import type { PrometheusSourceSpec } from '../model/config.js';
import type { EpochMinute } from '../model/minutes.js';
import { type RangeData, rangeParams } from '../prometheus/sli-source.js';

export type RangeAnswer =
  | { ok: true; data: RangeData }
  | { ok: false; state: 'prometheus_unreachable' | 'prometheus_error'; message: string };

/** The text of an error and of its cause (fetch hides ECONNREFUSED in `cause`). */
function errorText(error: unknown): string {
  const own = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  return cause && !own.includes(cause) ? `${own}: ${cause}` : own;
}

/**
 * Talks to one Prometheus server.
 * @example const answer = await new PrometheusClient(spec).queryRange('sum(increase(x_total[1m]))', 100, 160);
 */
export class PrometheusClient {
  private readonly token: string | undefined;

  constructor(
    private readonly spec: PrometheusSourceSpec,
    env: NodeJS.ProcessEnv = process.env,
    private readonly fetcher: typeof fetch = fetch,
  ) {
    this.token = spec.bearerTokenEnv === undefined ? undefined : env[spec.bearerTokenEnv];
  }

  /** Read minutes [fromMinute, toMinute) of `query` with one point per minute (a POST, so long queries fit). */
  async queryRange(query: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<RangeAnswer> {
    const { start, end, step } = rangeParams(fromMinute, toMinute);
    const body = new URLSearchParams({ query, start: String(start), end: String(end), step: `${step}s` });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.token !== undefined) headers['authorization'] = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await this.fetcher(`${this.spec.url}/api/v1/query_range`, {
        method: 'POST',
        headers,
        body: body.toString(),
        signal: AbortSignal.timeout(this.spec.timeoutMs),
      });
    } catch (error) {
      return { ok: false, state: 'prometheus_unreachable', message: `${this.spec.url}: ${errorText(error)}` };
    }
    let parsed: { status?: string; data?: RangeData; errorType?: string; error?: string };
    try {
      parsed = (await response.json()) as typeof parsed;
    } catch (error) {
      // A proxy's error page, or a server that is not Prometheus: nothing was answered about the query.
      const state = response.status >= 500 || response.ok ? 'prometheus_unreachable' : 'prometheus_error';
      return { ok: false, state, message: `${this.spec.url}: HTTP ${response.status}, not a Prometheus answer (${errorText(error)})` };
    }
    if (parsed.status === 'success' && parsed.data && Array.isArray(parsed.data.result)) {
      if (parsed.data.resultType === 'matrix') return { ok: true, data: parsed.data };
      // A range query answers a matrix: anything else is not a figure Vigil can read, and is said so with its state.
      return { ok: false, state: 'prometheus_error', message: `${this.spec.url}: expected a matrix answer, got ${parsed.data.resultType}` };
    }
    const text = parsed.error ?? `HTTP ${response.status}`;
    return { ok: false, state: 'prometheus_error', message: parsed.errorType ? `${parsed.errorType}: ${text}` : text };
  }
}
