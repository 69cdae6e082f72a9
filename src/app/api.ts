/**
 * What the HTTP server may use, and nothing more: read models, the ingest and incident use cases,
 * the clock. Built once per server from the running system, so routes never reach into the store or
 * the configuration themselves (docs/architecture.md).
 */
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import type { ReloadResponse } from '../api/admin.js';
import type { Info, Ready } from '../api/server-info.js';
import type { ServiceRankingResponse, ServicesResponse } from '../api/services.js';
import type { SeriesResponse, SloAlertsResponse } from '../api/slo.js';
import { toInstant } from '../api/common.js';
import { VigilError } from '../errors/catalogue.js';
import type { IncidentService } from './incident-service.js';
import { AccessControl, type AccessOptions } from './access-control.js';
import type { EventIngestor } from './ingest-events.js';
import type { TraceIngestor } from './ingest-traces.js';
import { JourneyViews } from './read-models/journey-views.js';
import { ReleaseViews } from './read-models/release-views.js';
import { serviceRanking } from './read-models/service-ranking.js';
import { SignalViews } from './read-models/signal-views.js';
import { SignalIngestor } from './ingest-signals.js';
import { serviceViews } from './read-models/service-views.js';
import { firingSloAlerts } from './read-models/slo-alerts.js';
import { journeyValue } from './read-models/journey-value.js';
import type { JourneyValueResponse } from '../api/value.js';
import type { RetentionResponse } from '../api/retention.js';
import { type RetentionQuery, retention } from './read-models/retention.js';
import { CONFIG_META_KEY, type VigilRuntime } from './runtime.js';
import { Corrections } from './corrections.js';
import { PublicPage } from './public-page.js';
import type { BenchmarkResponse } from '../api/benchmark.js';
import { benchmark } from './read-models/benchmark-views.js';
import { ToleranceViews } from './read-models/tolerance-views.js';
import { sourcesAnswer } from './read-models/source-views.js';
import type { SourcesResponse } from '../api/sources.js';
import type { ClusterResponse } from '../api/cluster.js';
import { clusterAnswer } from './read-models/cluster-view.js';
import { configFingerprint } from './cluster/config-fingerprint.js';
import { countingIncidents, VigilMetrics } from './metrics.js';
import type { NatsQueue } from '../queue/nats-queue.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface VigilApi {
  /** The server's now, epoch ms. */
  clock(): number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  info(): Info;
  /** Throws `store_unavailable` when the store does not answer. */
  ready(): Promise<Ready>;
  ingest: Pick<EventIngestor, 'ingest'>;
  /** OTLP/HTTP trace exports → journey events (docs/opentelemetry.md). */
  traces: Pick<TraceIngestor, 'ingest'>;
  journeys: JourneyViews;
  sloAlerts(at: number): SloAlertsResponse;
  services(): ServicesResponse;
  /** Services ranked by the customer harm behind them over [from, to) (docs/value.md ("Where to invest")). Throws invalid_query. */
  servicesRanking(from: number, to: number): Promise<ServiceRankingResponse>;
  /** Alerts in and the incident API; absent when the server runs without alerting. */
  incidents?: IncidentService;
  /** Who may call which endpoint: the tokens and their scopes (docs/access.md). */
  access: AccessControl;
  /** Re-read vigil.yaml and switch to it (docs/cli.md ("Signals")); absent when not served from a file. Throws config_invalid. */
  reload?: () => Promise<ReloadResponse>;
  /** What unreliability cost a journey over [from, to) (docs/value.md). Throws journey_not_found, invalid_query. */
  journeyValue(journey: string, from: number, to: number): Promise<JourneyValueResponse>;
  /** Deployments, the budget policy and the release gate (docs/release.md). */
  release: ReleaseViews;
  /**
   * One SLO's series with the deployments of its range and what each spent (docs/api.md ("Reading SLOs")).
   * Throws journey_not_found, slo_not_found, invalid_query.
   */
  sloSeries(journey: string, slo: string, from: number, to: number, stepMs: number | undefined): Promise<SeriesResponse>;
  /** Corrections (docs/slo-maths.md ("Corrections")): the list, and adding one, which recomputes history. */
  corrections: Corrections;
  /** Customer signals: posted (scope ingest), listed, and each journey's rate and blind spot (docs/signals.md). */
  signals: { ingest: Pick<SignalIngestor, 'ingest'>; views: SignalViews };
  /** Retention by failures met, per calendar period (docs/retention.md). Throws journey_not_found, invalid_query. */
  retention(query: RetentionQuery): Promise<RetentionResponse>;
  /** The public page's summary (cached 15 s) and incidents' public texts (docs/public-page.md). */
  publicPage: PublicPage;
  /** The competitor benchmark over [from, to) (docs/benchmark.md ("The benchmark")). */
  benchmark(from: number, to: number): Promise<BenchmarkResponse>;
  /** Impact tolerances: the yearly list and the running clocks on the journey answers (docs/impact-tolerances.md). */
  tolerances: ToleranceViews;
  /** How each SLI of kind `prometheus` is being read (docs/api.md ("Sources")). */
  sources(): SourcesResponse;
  /** What `GET /metrics` exports, in Prometheus's text format (docs/prometheus.md ("Metrics")). */
  metrics: Pick<VigilMetrics, 'text'>;
  /**
   * The nodes serving this store and whether they agree (docs/api.md ("Cluster")): this server alone on SQLite; `vigil
   * serve` replaces it on PostgreSQL with what the nodes say of themselves.
   */
  cluster(): ClusterResponse;
}

/**
 * The API facade over a running system. Without `access` options the server is open while no token
 * exists, as on a loopback address (docs/access.md ("Without tokens")).
 * @example const app = await buildServer({ api: vigilApi(runtime, manager) });
 */
export function vigilApi(
  runtime: VigilRuntime,
  incidents?: IncidentService,
  access: AccessOptions = { openWhenNoTokens: true },
  reload?: () => Promise<ReloadResponse>,
  queue?: Pick<NatsQueue, 'progressNow'>,
): VigilApi {
  // The configuration and registry are read through the runtime at each call: a reload swaps them (docs/cli.md ("Signals")).
  const { store } = runtime;
  const size = () => ({ journeys: runtime.config.journeys.length, slos: runtime.registry.allSlos().length });
  let views = { registry: runtime.registry, journeys: new JourneyViews(runtime.registry) };
  const journeyViews = () => {
    if (views.registry !== runtime.registry) views = { registry: runtime.registry, journeys: new JourneyViews(runtime.registry) };
    return views.journeys;
  };
  const release = new ReleaseViews(() => runtime.registry, store.deployments);
  const metrics = new VigilMetrics(runtime, VERSION, queue ? () => queue.progressNow() : undefined, () => api.cluster());
  const self = { node: `${hostname()}/${process.pid}`, url: null, version: VERSION, startedAt: Date.now() };
  // Alerts received through the API are counted for /metrics; the service itself is unchanged.
  const counted = incidents ? countingIncidents(incidents, metrics) : undefined;
  const api: VigilApi = {
    clock: runtime.clock,
    get maxBodyBytes() {
      return runtime.config.ingest.maxBodyBytes;
    },
    info: () => ({ version: VERSION, timezone: runtime.config.defaults.timezone, ...size(), now: toInstant(runtime.clock()) }),
    ready: async () => {
      try {
        await store.meta.getMeta(CONFIG_META_KEY);
      } catch (cause) {
        throw new VigilError('store_unavailable', 'The store does not answer', { cause });
      }
      // With NATS ingest, a node that cannot reach NATS cannot acknowledge events: not ready (docs/nats.md ("Failure modes")).
      if (queue && !queue.progressNow().connected) throw new VigilError('queue_unavailable', 'This node is not connected to NATS');
      return { status: 'ready', store: store.backend, ...size() };
    },
    ingest: { ingest: async (body, contentType) => metrics.countIngest(await runtime.ingestor.ingest(body, contentType)) },
    traces: { ingest: (body, encoding) => runtime.traceIngestor.ingest(body, encoding) },
    get journeys() {
      return journeyViews();
    },
    sloAlerts: (at) => firingSloAlerts(runtime.registry, at),
    services: () => serviceViews(runtime.config, incidents?.firingTechnicalAlerts?.() ?? []),
    servicesRanking: (from, to) => serviceRanking(runtime.registry, store.events, store.alerting, from, to),
    ...(counted ? { incidents: counted } : {}),
    access: new AccessControl(store.tokens, access),
    ...(reload ? { reload } : {}),
    journeyValue: (journey, from, to) => journeyValue(runtime.registry, store.events, journey, from, to),
    release,
    sloSeries: async (journey, slo, from, to, stepMs) => {
      const deployments = await release.seriesDeployments(journey, slo, from, to, runtime.clock());
      return journeyViews().series(journey, slo, from, to, stepMs, deployments);
    },
    corrections: new Corrections(runtime, incidents),
    publicPage: new PublicPage(runtime, incidents),
    benchmark: (from, to) => benchmark(runtime.config, runtime.registry, store.benchmarks, from, to),
    tolerances: new ToleranceViews(() => runtime.config, store.disruptions),
    signals: {
      ingest: new SignalIngestor(() => runtime.config, store.signals, runtime.clock),
      views: new SignalViews(
        () => runtime.config,
        store.signals,
        () => incidents?.firingTechnicalAlerts?.() ?? [],
      ),
    },
    retention: (query) => retention(runtime.config, store.events, query, runtime.clock()),
    sources: () => sourcesAnswer(runtime.config, runtime.prometheus.statuses()),
    metrics,
    cluster: () => clusterAnswer({ mode: 'single', self: { ...self, config: configFingerprint(runtime.config) }, now: runtime.clock() }),
  };
  return api;
}
