/**
 * One HTTP probe run (docs/benchmark.md ("Probes")): the request, its redirects, the status and body checks, and the
 * reason a run failed, worded from the error's cause code.
 */
import type { ProbeResult, ProbeSpec } from '../model/benchmark.js';

/** Redirects followed before a run fails with `too many redirects`. */
export const MAX_REDIRECTS = 5;
/** How much of a body is read when looking for `expect.bodyContains`. */
export const MAX_BODY_BYTES = 1024 * 1024;

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|HOSTNAME_MISMATCH)/;

/** The code of a fetch failure's cause (undici wraps the socket's error), if any. */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Why a request failed, in a few stable words: `timeout after 10s`, `connection refused`, `tls CERT_HAS_EXPIRED`,
 * `dns ENOTFOUND`, `connection reset`, or `network <code or message>`.
 * @example failureReason(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 10_000) // 'connection refused'
 */
export function failureReason(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs / 1000}s`;
  const code = causeCode(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_CLOSED') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `dns ${code}`;
  if (code !== undefined && TLS_CODES.test(code)) return `tls ${code}`;
  if (code !== undefined) return `network ${code}`;
  const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return `network ${message.slice(0, 200)}`;
}

/** Reads at most MAX_BODY_BYTES of the body, stopping as soon as `text` is found; true when it was. */
async function bodyContains(response: Response, text: string): Promise<boolean> {
  const reader = response.body?.getReader();
  if (!reader) return false;
  const decoder = new TextDecoder();
  let seen = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return seen.includes(text);
      const room = MAX_BODY_BYTES - bytes;
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      bytes += chunk.byteLength;
      seen += decoder.decode(chunk, { stream: bytes < MAX_BODY_BYTES });
      if (seen.includes(text)) return true;
      if (bytes >= MAX_BODY_BYTES) return false;
      // Keep only the tail a match could still start in.
      seen = seen.slice(Math.max(0, seen.length - text.length + 1));
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * Runs a probe once: `method` on its URL, following at most 5 redirects, within its timeout (the whole run, body
 * included); ok when the status is the expected one (any 2xx by default) and the body holds `bodyContains`.
 * Never throws: every failure is a result with its reason.
 * @example await runProbe(spec, Date.now) // { probe: 'our-login', ok: true, latencyMs: 84, error: null, … }
 */
export async function runProbe(spec: ProbeSpec, clock: () => number = Date.now): Promise<ProbeResult> {
  const at = clock();
  const started = performance.now();
  const elapsed = () => Math.max(0, Math.round(performance.now() - started));
  const result = (ok: boolean, latencyMs: number | null, error: string | null): ProbeResult => ({
    probe: spec.name,
    owner: spec.owner,
    journey: spec.journey,
    at,
    ok,
    latencyMs,
    error,
  });
  const signal = AbortSignal.timeout(spec.timeoutMs);
  try {
    let url = spec.url;
    let response: Response;
    for (let hop = 0; ; hop++) {
      response = await fetch(url, { method: spec.method, redirect: 'manual', signal, headers: { 'user-agent': 'vigil-probe/1' } });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || location === null) break;
      await response.body?.cancel().catch(() => {});
      if (hop === MAX_REDIRECTS) return result(false, elapsed(), `too many redirects (more than ${MAX_REDIRECTS})`);
      url = new URL(location, url).href;
    }
    const statusOk =
      spec.expectStatus !== undefined ? response.status === spec.expectStatus : response.status >= 200 && response.status <= 299;
    if (!statusOk) {
      await response.body?.cancel().catch(() => {});
      return result(false, elapsed(), `status ${response.status}`);
    }
    if (spec.bodyContains !== undefined && spec.method === 'GET') {
      const found = await bodyContains(response, spec.bodyContains);
      if (!found) return result(false, elapsed(), 'body mismatch');
    } else await response.body?.cancel().catch(() => {});
    return result(true, elapsed(), null);
  } catch (error) {
    const reason = failureReason(signal.aborted ? signal.reason : error, spec.timeoutMs);
    return result(false, reason.startsWith('timeout') ? null : elapsed(), reason);
  }
}
