/**
 * What `GET /metrics` exports (docs/prometheus.md ("Metrics")): counters of what this process took in since it started —
 * each SLO's good and bad events, each journey's and step's outcomes, ingest results, alerts received, rows purged — and gauges
 * read from the engine at scrape time: each SLO's window figures, SLI, remaining budget, burn rates and alert state.
 */
import { SLO_STATES } from '../api/slo.js';
import { unitScale } from '../engine/sli.js';
import { SOURCE_STATES } from './prometheus-sources.js';
import type { IncomingAlert } from '../model/alert.js';
import type { OutcomeCounts, ScopeMinute, SliMinute } from '../model/minutes.js';
import { expositionText, type MetricFamily, type Sample } from '../prometheus/exposition.js';
import type { IncidentService, ReceiveSummary } from './incident-service.js';
import type { IngestResult } from './ingest-events.js';
import type { PurgedKind, VigilRuntime } from './runtime.js';
import type { QueueProgress } from '../queue/nats-queue.js';
import type { ClusterResponse } from '../api/cluster.js';

const OUTCOMES: readonly (keyof OutcomeCounts)[] = ['success', 'failure', 'rejected', 'abandoned'];
/** Every kind a purge counts, always exported (0 until something goes) so rate() has a series from the start. */
const PURGED_KINDS: readonly PurgedKind[] = ['events', 'aggregates', 'signals', 'probes', 'outbox', 'incidents', 'alerts'];

/** Counters kept since the process started; the gauges are read from the runtime at each scrape. */
export class VigilMetrics {
  /** SLI key → good and total units appended since start. */
  private readonly sli = new Map<string, { good: number; total: number }>();
  /** `journey|step` → outcome counts appended since start (step `''` for whole-journey events). */
  private readonly scopes = new Map<string, { journey: string; step: string; counts: Record<keyof OutcomeCounts, number> }>();
  private readonly ingest = { requests: 0, accepted: 0, duplicates: 0, rejected: 0 };
  private readonly alerts = new Map<string, number>();

  constructor(
    private readonly runtime: Pick<VigilRuntime, 'registry' | 'clock' | 'append' | 'purgedRowCounts'> &
      Partial<Pick<VigilRuntime, 'prometheus'>>,
    private readonly version: string,
    /** With `vigil serve --queue`: the queue's progress, exported as `vigil_queue_*` (docs/nats.md ("Watching it")). */
    private readonly queue?: () => QueueProgress,
    /** The nodes serving the store, exported as `vigil_cluster_*` (docs/scale-out.md ("The nodes")). */
    private readonly cluster?: () => ClusterResponse,
  ) {
    runtime.append.onAppended((result) => {
      this.addSli(result.sliDeltas);
      this.addScopes(result.scopeDeltas);
    });
  }

  private addSli(rows: readonly SliMinute[]): void {
    for (const row of rows) {
      const c = this.sli.get(row.key) ?? { good: 0, total: 0 };
      c.good += row.good;
      c.total += row.total;
      this.sli.set(row.key, c);
    }
  }

  private addScopes(rows: readonly ScopeMinute[]): void {
    for (const row of rows) {
      const step = row.step ?? '';
      const key = `${row.journey}|${step}`;
      const c = this.scopes.get(key) ?? { journey: row.journey, step, counts: { success: 0, failure: 0, rejected: 0, abandoned: 0 } };
      for (const o of OUTCOMES) c.counts[o] += row[o];
      this.scopes.set(key, c);
    }
  }

  /** Count one answer of the event ingest (`POST /api/v1/events`) and pass it on. */
  countIngest(result: IngestResult): IngestResult {
    this.ingest.requests++;
    this.ingest.accepted += result.accepted;
    this.ingest.duplicates += result.duplicates;
    this.ingest.rejected += result.rejectedCount;
    return result;
  }

  /** Count alerts received by their source. */
  countAlerts(alerts: readonly IncomingAlert[]): void {
    for (const a of alerts) this.alerts.set(a.source, (this.alerts.get(a.source) ?? 0) + 1);
  }

  /** The families at `atMs` (the runtime's clock by default), as exposition text. */
  text(atMs = this.runtime.clock()): string {
    return expositionText(this.families(atMs));
  }

  /** Every family, SLO gauges evaluated at `atMs`. */
  families(atMs: number): MetricFamily[] {
    const registry = this.runtime.registry;
    const events: Sample[] = [];
    const good: Sample[] = [];
    const total: Sample[] = [];
    const objective: Sample[] = [];
    const sli: Sample[] = [];
    const remaining: Sample[] = [];
    const burn: Sample[] = [];
    const firing: Sample[] = [];
    const state: Sample[] = [];
    const sourceStates: Sample[] = [];
    const read = new Map((this.runtime.prometheus?.statuses() ?? []).map((s) => [s.key, s.state]));
    const statuses = new Map(registry.statuses(atMs).map((s) => [`${s.journey}/${s.slo}`, s]));
    for (const ref of registry.allSlos()) {
      const ids = { journey: ref.journey.name, slo: ref.slo.name };
      const scale = unitScale(ref.slo.sli);
      const c = this.sli.get(ref.sli.key) ?? { good: 0, total: 0 };
      // An SLI read from Prometheus takes in no events: its counters are Prometheus' own, so it has no event counter
      // here (a constant 0 would read as no traffic); its state says how the reading goes (docs/prometheus.md ("Metrics")).
      if (ref.sli.source === 'prometheus') {
        const current = read.get(ref.sli.key) ?? 'waiting';
        for (const st of SOURCE_STATES) sourceStates.push({ labels: { ...ids, state: st }, value: current === st ? 1 : 0 });
      } else {
        events.push(
          { labels: { ...ids, result: 'good' }, value: c.good / scale },
          { labels: { ...ids, result: 'bad' }, value: (c.total - c.good) / scale },
        );
      }
      const s = statuses.get(`${ids.journey}/${ids.slo}`)!;
      good.push({ labels: ids, value: s.good });
      total.push({ labels: ids, value: s.total });
      objective.push({ labels: ids, value: s.objective / 100 });
      if (s.sli !== null) sli.push({ labels: ids, value: s.sli });
      remaining.push({ labels: ids, value: s.errorBudget.remaining });
      for (const [window, rate] of Object.entries(s.burnRates)) if (rate !== null) burn.push({ labels: { ...ids, window }, value: rate });
      firing.push(
        { labels: { ...ids, severity: 'page' }, value: s.alerts.page ? 1 : 0 },
        { labels: { ...ids, severity: 'ticket' }, value: s.alerts.ticket ? 1 : 0 },
      );
      for (const st of SLO_STATES) state.push({ labels: { ...ids, state: st }, value: s.state === st ? 1 : 0 });
    }
    const journeyOutcomes: Sample[] = [];
    const stepOutcomes: Sample[] = [];
    for (const journey of registry.config.journeys) {
      for (const step of [null, ...journey.steps.map((s) => s.name)]) {
        const c = this.scopes.get(`${journey.name}|${step ?? ''}`)?.counts;
        for (const outcome of OUTCOMES) {
          const value = c?.[outcome] ?? 0;
          if (step === null) journeyOutcomes.push({ labels: { journey: journey.name, outcome }, value });
          else stepOutcomes.push({ labels: { journey: journey.name, step, outcome }, value });
        }
      }
    }
    return [
      {
        name: 'vigil_build_info',
        help: 'The running Vigil version; always 1.',
        type: 'gauge',
        samples: [{ labels: { version: this.version }, value: 1 }],
      },
      {
        name: 'vigil_slo_events_total',
        help: "Valid events of each SLO's SLI taken in since this process started, by result (amounts for a value-weighted SLI).",
        type: 'counter',
        samples: events,
      },
      {
        name: 'vigil_slo_window_good',
        help: "Good events (or slices, or amounts) in the SLO's window, as the status API says.",
        type: 'gauge',
        samples: good,
      },
      {
        name: 'vigil_slo_window_total',
        help: "Valid events (or slices, or amounts) in the SLO's window, as the status API says.",
        type: 'gauge',
        samples: total,
      },
      { name: 'vigil_slo_objective_ratio', help: "The SLO's objective as a ratio (99.9% is 0.999).", type: 'gauge', samples: objective },
      {
        name: 'vigil_slo_sli_ratio',
        help: "The SLI over the SLO's window; absent while the window holds no valid event.",
        type: 'gauge',
        samples: sli,
      },
      {
        name: 'vigil_slo_error_budget_remaining_ratio',
        help: 'The share of the error budget left over the window (1 untouched, negative when overspent).',
        type: 'gauge',
        samples: remaining,
      },
      {
        name: 'vigil_slo_burn_rate',
        help: 'The burn rate over each window; absent while a window holds no valid event.',
        type: 'gauge',
        samples: burn,
      },
      {
        name: 'vigil_slo_alert_firing',
        help: "1 while the SLO's page or ticket burn-rate alert fires, else 0.",
        type: 'gauge',
        samples: firing,
      },
      { name: 'vigil_slo_state', help: "1 for the SLO's budget state, 0 for the others.", type: 'gauge', samples: state },
      {
        name: 'vigil_slo_source_state',
        help: 'For an SLO read from Prometheus: 1 for the state of its reading, 0 for the others.',
        type: 'gauge',
        samples: sourceStates,
      },
      {
        name: 'vigil_journey_outcomes_total',
        help: 'Whole-journey events taken in since this process started, by outcome.',
        type: 'counter',
        samples: journeyOutcomes,
      },
      {
        name: 'vigil_step_outcomes_total',
        help: 'Step events taken in since this process started, by outcome.',
        type: 'counter',
        samples: stepOutcomes,
      },
      {
        name: 'vigil_ingest_requests_total',
        help: 'Bodies posted to the event ingest since this process started.',
        type: 'counter',
        samples: [{ labels: {}, value: this.ingest.requests }],
      },
      {
        name: 'vigil_ingest_events_total',
        help: 'Events posted to the event ingest since this process started, by result.',
        type: 'counter',
        samples: [
          { labels: { result: 'accepted' }, value: this.ingest.accepted },
          { labels: { result: 'duplicate' }, value: this.ingest.duplicates },
          { labels: { result: 'rejected' }, value: this.ingest.rejected },
        ],
      },
      {
        name: 'vigil_alerts_received_total',
        help: 'Technical alerts received on the alert webhooks since this process started, by source.',
        type: 'counter',
        samples: [...this.alerts.entries()].sort().map(([source, value]) => ({ labels: { source }, value })),
      },
      {
        name: 'vigil_purged_rows_total',
        help: 'Rows deleted by the retention purge since this process started (on the leading node), by kind.',
        type: 'counter',
        samples: PURGED_KINDS.map((kind) => ({ labels: { kind }, value: this.runtime.purgedRowCounts().get(kind) ?? 0 })),
      },
      ...(this.queue ? queueFamilies(this.queue()) : []),
      ...(this.cluster ? clusterFamilies(this.cluster()) : []),
    ];
  }
}

/** The `vigil_cluster_*` families (docs/scale-out.md ("The nodes")). */
function clusterFamilies(c: ClusterResponse): MetricFamily[] {
  const live = c.nodes.filter((n) => n.live).length;
  return [
    {
      name: 'vigil_cluster_nodes',
      help: 'Nodes serving this store, as this node last read them: live (heard from within 20 s) or gone (not forgotten yet).',
      type: 'gauge',
      samples: [
        { labels: { state: 'live' }, value: live },
        { labels: { state: 'gone' }, value: c.nodes.length - live },
      ],
    },
    {
      name: 'vigil_cluster_agree',
      help: '1 when every live node runs the same version with the same configuration, else 0.',
      type: 'gauge',
      samples: [{ labels: {}, value: c.agree ? 1 : 0 }],
    },
  ];
}

/** The `vigil_queue_*` families of NATS JetStream ingest (docs/nats.md ("Watching it")). */
function queueFamilies(q: QueueProgress): MetricFamily[] {
  return [
    {
      name: 'vigil_queue_connected',
      help: '1 while this node is connected to NATS, else 0.',
      type: 'gauge',
      samples: [{ labels: {}, value: q.connected ? 1 : 0 }],
    },
    {
      name: 'vigil_queue_pending',
      help: 'Batches in the ingest stream that no node has stored and acknowledged yet (at the last poll, every 2 s).',
      type: 'gauge',
      samples: q.pending === undefined ? [] : [{ labels: {}, value: q.pending }],
    },
    {
      name: 'vigil_queue_batches_total',
      help: 'Batches this node published to JetStream (confirmed), consumed into the store (acknowledged), or had refused by the store.',
      type: 'counter',
      samples: [
        { labels: { result: 'published' }, value: q.published },
        { labels: { result: 'consumed' }, value: q.consumed },
        { labels: { result: 'retried' }, value: q.retried },
      ],
    },
    {
      name: 'vigil_queue_events_total',
      help: 'Events of the batches this node consumed: new to the store, or already stored (a redelivery or a repeated id).',
      type: 'counter',
      samples: [
        { labels: { result: 'stored' }, value: q.eventsStored },
        { labels: { result: 'duplicate' }, value: q.eventsDuplicate },
      ],
    },
  ];
}

/** The incident service with every alert it receives counted; everything else is passed through. */
export function countingIncidents(inner: IncidentService, metrics: VigilMetrics): IncidentService {
  const receiveAlerts = async (alerts: IncomingAlert[], receivedAt: number): Promise<ReceiveSummary> => {
    const summary = await inner.receiveAlerts(alerts, receivedAt);
    metrics.countAlerts(alerts);
    return summary;
  };
  // Every other member is the service's own, so a capability added to IncidentService later is never dropped here.
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'receiveAlerts') return receiveAlerts;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
