/** Competitor benchmarks (docs/benchmark.md): HTTP probes and Atlassian Statuspage v2 sites, per owner and journey. */

/** The owner name of our own probes. */
export const SELF_OWNER = 'self';

/** One HTTP probe of `benchmarks.probes` (docs/configuration.md ("benchmarks")). */
export interface ProbeSpec {
  name: string;
  /** `self` for our own service, else a competitor's name. */
  owner: string;
  journey: string;
  url: string;
  method: 'GET' | 'HEAD';
  intervalMs: number;
  timeoutMs: number;
  /** The status expected; absent: any 2xx. */
  expectStatus?: number;
  /** Text the body must contain (read up to 1 MiB). */
  bodyContains?: string;
}

/** One status page of `benchmarks.statusPages`. */
export interface StatusPageSpec {
  owner: string;
  /** The site's base URL; `/api/v2/summary.json` and `/api/v2/incidents.json` are read under it. */
  url: string;
  /** Component names (as the page names them) that stand for the journey. */
  components: string[];
  journey: string;
}

export interface BenchmarksSpec {
  probes: ProbeSpec[];
  statusPages: StatusPageSpec[];
}

/** One probe run as stored. */
export interface ProbeResult {
  probe: string;
  owner: string;
  journey: string;
  /** When the run started, epoch ms. */
  at: number;
  ok: boolean;
  /** Time to the answer (and the body, when one is checked), ms; null when no answer came. */
  latencyMs: number | null;
  /** Why the run failed (`timeout`, `status 503`, `body mismatch`, `tls CERT_HAS_EXPIRED`, …); null when ok. */
  error: string | null;
}

/** A Statuspage component status that Vigil counts; operational minutes are not stored. */
export type ComponentState = 'degraded' | 'down';

/** One minute of one status-page component that was not operational. */
export interface StatusMinute {
  owner: string;
  component: string;
  journey: string;
  /** Epoch minute. */
  minute: number;
  state: ComponentState;
}

export const DEFAULT_PROBE_INTERVAL_MS = 60_000;
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
export const STATUS_PAGE_POLL_MS = 5 * 60_000;
/** Probe results and status-page minutes are kept this long unless `retention.probes` says otherwise. */
export const DEFAULT_PROBE_RETENTION_DAYS = 400;
