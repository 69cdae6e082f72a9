/**
 * The running system: a store and the in-memory engine state kept in step with it. Start-up
 * reconciles the configured SLIs with what the store has materialised (rebuilding new or changed
 * ones from raw events, docs/slo-maths.md ("Changing an SLO")), loads the aggregates, and wires ingest to both;
 * its retention purge (purgeExpired) is run by the leader (RetentionWork).
 */
import { SloRegistry } from '../engine/slo-registry.js';
import { MINUTES_PER_DAY } from '../engine/minute-series.js';
import { minuteOf } from '../model/minutes.js';
import { correctedMinutes } from '../engine/sli.js';
import type { CorrectionSpec, VigilConfig } from '../model/config.js';
import type { StoredCorrection } from '../store/corrections/correction-store.js';
import type { Store } from '../store/store.js';
import { AppendEvents, type EventWriter } from './append-events.js';
import { PrometheusSources } from './prometheus-sources.js';
import { EventIngestor } from './ingest-events.js';
import { TraceIngestor } from './ingest-traces.js';
import { type RetentionKind, retentionDays } from '../model/config.js';

export interface RuntimeLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RuntimeOptions {
  config: VigilConfig;
  store: Store;
  clock?: () => number;
  log?: RuntimeLog;
  /** Called while rebuilding SLIs from history: done and total SLIs, and the SLI key. */
  onRebuild?: (done: number, total: number, key: string) => void;
  /**
   * Where ingest (events and OTLP traces) writes: the append path by default; with `vigil serve --queue`, the
   * NATS JetStream queue, which a consumer empties into the append path (docs/nats.md).
   */
  ingestWriter?: EventWriter;
}

const silentLog: RuntimeLog = { info: () => {}, warn: () => {} };
const TRIM_EVERY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/** What a purge deletes, as counted in vigil_purged_rows_total{kind} (`aggregates`: minute aggregates of SLIs and scopes). */
export type PurgedKind = 'events' | 'aggregates' | 'signals' | 'probes' | 'outbox' | 'incidents' | 'alerts';
const PURGED_WHAT: Record<PurgedKind, string> = {
  events: 'raw events',
  aggregates: 'minute aggregates',
  signals: 'signals',
  probes: 'probe results and status minutes',
  outbox: 'delivered notifications',
  incidents: 'resolved incidents (with their alerts, public text, DORA flags and classification)',
  alerts: 'alerts',
};

/** One kind's purge: rows deleted, transactions run (0 when counted with another kind's), and the cut-off (epoch ms). */
export interface PurgeSummary {
  kind: PurgedKind;
  rows: number;
  batches: number;
  before: number;
}

/** Meta key under which the configuration in force is kept, so tools can read a database file alone. */
export const CONFIG_META_KEY = 'config';

/** What changes together when the configuration is reloaded: read through the runtime at each use, never kept. */
interface ConfiguredState {
  config: VigilConfig;
  registry: SloRegistry;
  ingestor: EventIngestor;
  /** OTLP trace exports (docs/opentelemetry.md): built from the same configuration as `ingestor`, swapped with it. */
  traceIngestor: TraceIngestor;
}

/** A stored correction as the configuration model holds it. */
function correctionSpecOf(c: StoredCorrection): CorrectionSpec {
  return {
    name: c.name,
    journeys: [...c.journeys],
    ...(c.reason !== null && { reason: c.reason }),
    source: 'api',
    kind: 'once',
    from: c.from,
    to: c.to,
  };
}

export class VigilRuntime {
  readonly store: Store;
  readonly clock: () => number;
  /** The one append path: every writer of events goes through it. */
  readonly append: AppendEvents;
  /**
   * The reader of SLIs of kind `prometheus` (docs/prometheus.md ("Prometheus as an SLI source")): kept here so its states
   * outlive a restart of the singleton work; `vigil serve` starts it as singleton work.
   */
  readonly prometheus: PrometheusSources;
  private readonly log: RuntimeLog;
  private readonly ingestWriter: EventWriter | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  private readonly purgedRows = new Map<PurgedKind, number>();
  private state: ConfiguredState;
  /** Corrections added through the API (docs/slo-maths.md ("Corrections")), stored; in force beside those of vigil.yaml. */
  private apiCorrections: CorrectionSpec[];
  /** The last change to apiCorrections queued (inCorrectionsTurn). */
  private correctionsTurn: Promise<unknown> = Promise.resolve();

  private constructor(options: RuntimeOptions, stored: readonly StoredCorrection[]) {
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silentLog;
    this.ingestWriter = options.ingestWriter;
    this.apiCorrections = stored.map(correctionSpecOf);
    const config = this.withApiCorrections(options.config);
    const registry = new SloRegistry(config);
    this.append = new AppendEvents({ store: this.store.events, slis: registry.eventSlis, memory: registry });
    this.state = { config, registry, ...this.ingestorsFor(config) };
    this.prometheus = new PrometheusSources({
      host: { config: () => this.config, registry: () => this.registry, exclusive: (work) => this.append.exclusive(work) },
      store: this.store.sources,
      clock: this.clock,
      log: this.log,
    });
  }

  /**
   * Whether other nodes may share this store and run another configuration for a while: PostgreSQL. Then aggregates
   * this node stops using are left for them (docs/scale-out.md ("What every node must share")).
   */
  private get sharedByNodes(): boolean {
    return this.store.backend === 'postgres';
  }

  /** The configuration with the corrections of vigil.yaml first, then those added through the API. */
  private withApiCorrections(config: VigilConfig): VigilConfig {
    // Unchanged (the same object) when there is nothing to add or replace, so a reload swaps in exactly what was loaded.
    if (this.apiCorrections.length === 0 && !config.corrections?.some((c) => c.source === 'api')) return config;
    const { corrections: given, ...rest } = config;
    const corrections = [...(given ?? []).filter((c) => c.source === 'config'), ...this.apiCorrections];
    return corrections.length > 0 ? { ...rest, corrections } : rest;
  }

  /** The configuration in force; a reload replaces it (with the registry and the ingestor) in one step. */
  get config(): VigilConfig {
    return this.state.config;
  }

  get registry(): SloRegistry {
    return this.state.registry;
  }

  get ingestor(): EventIngestor {
    return this.state.ingestor;
  }

  get traceIngestor(): TraceIngestor {
    return this.state.traceIngestor;
  }

  private ingestorsFor(config: VigilConfig): { ingestor: EventIngestor; traceIngestor: TraceIngestor } {
    const options = { config, append: this.ingestWriter ?? this.append, clock: this.clock };
    return { ingestor: new EventIngestor(options), traceIngestor: new TraceIngestor(options) };
  }

  /**
   * Open the runtime over a migrated store: reconcile SLIs, load aggregates.
   * @example const runtime = await VigilRuntime.start({ config, store: await openStore('vigil.db') });
   */
  static async start(options: RuntimeOptions): Promise<VigilRuntime> {
    const runtime = new VigilRuntime(options, await options.store.corrections.listCorrections());
    const materialised = await runtime.rebuildMissing(runtime.registry, options.onRebuild);
    await runtime.dropRemoved(runtime.registry, materialised);
    await runtime.load(runtime.registry);
    await runtime.saveSnapshot(options.config);
    return runtime;
  }

  /**
   * Switch to a new configuration (docs/cli.md ("Signals")). A new registry is built off to the side —
   * new or changed SLIs recomputed from raw events, aggregates loaded from the store — while appends wait
   * (so none is applied to one registry and missed by the other); then the configuration, registry and
   * ingestor are swapped in one synchronous step, `onSwap` runs in that same step, and SLIs no longer
   * configured are dropped. On any error before the swap, the old configuration stays in force. The corrections
   * added through the API stay in force beside those of the new configuration.
   * @example await runtime.reconfigure(newConfig, () => outbox.setTargets(notificationsOf(newConfig).targets));
   */
  async reconfigure(given: VigilConfig, onSwap?: () => void): Promise<{ recomputed: string[]; dropped: string[] }> {
    let config = given;
    const changed = await this.append.exclusive(async () => {
      config = this.withApiCorrections(given);
      const registry = new SloRegistry(config);
      const materialised = await this.rebuildMissing(registry);
      await this.load(registry);
      const keys = new Set(registry.slis.map((d) => d.key));
      const recomputed = [...keys].filter((key) => !materialised.has(key));
      // On PostgreSQL other nodes' SLIs are materialised too: what this node stops using is what its registry had.
      const before = this.sharedByNodes ? new Set(this.registry.slis.map((d) => d.key)) : materialised;
      const dropped = [...before].filter((key) => !keys.has(key));
      this.state = { config, registry, ...this.ingestorsFor(config) };
      this.append.reconfigure(registry.eventSlis, registry);
      onSwap?.();
      await this.dropRemoved(registry, materialised).catch((error: unknown) =>
        this.log.warn(`reload: dropping the aggregates of removed SLIs failed (retried at the next start): ${String(error)}`),
      );
      return { recomputed, dropped };
    });
    await this.saveSnapshot(config);
    return changed;
  }

  /**
   * Store a correction added through the API and put it in force: the SLIs of its journeys get new keys and are
   * recomputed from raw events through `reconfigure`, so appends racing it are counted once (docs/slo-maths.md
   * ("Corrections")). False, with nothing changed, when a stored correction already has its name. `around` runs the
   * switch, as the incident manager's `reconfigure` does so that no alerting step sees two registries.
   * @example await runtime.addCorrection({ name: 'ledger-upgrade', journeys: ['wire-transfer'], from, to, reason: null, author: 'ana', createdAt: now })
   */
  async addCorrection(
    correction: StoredCorrection,
    around: (swap: () => Promise<void>) => Promise<void> = (swap) => swap(),
  ): Promise<{ added: boolean; recomputed: string[] }> {
    return this.inCorrectionsTurn(async () => {
      if (!(await this.store.corrections.addCorrection(correction))) return { added: false, recomputed: [] };
      this.apiCorrections = [...this.apiCorrections, correctionSpecOf(correction)];
      let recomputed: string[] = [];
      await around(async () => {
        ({ recomputed } = await this.reconfigure(this.config));
      });
      return { added: true, recomputed };
    });
  }

  /**
   * Several nodes on one database (docs/scale-out.md ("Corrections on every node")): puts in force the stored corrections
   * this node does not hold yet (added through another node's API), as addCorrection does on the node that took them:
   * their journeys' SLIs get new keys, recomputed from raw events unless already materialised. If the switch fails,
   * nothing changes and the next call tries again. Returns the names put in force and the SLIs recomputed.
   * @example const { adopted } = await runtime.adoptStoredCorrections((swap) => incidents.reconfigure(swap));
   */
  async adoptStoredCorrections(
    around: (swap: () => Promise<void>) => Promise<void> = (swap) => swap(),
  ): Promise<{ adopted: string[]; recomputed: string[] }> {
    return this.inCorrectionsTurn(async () => {
      const known = new Set(this.apiCorrections.map((c) => c.name));
      const fresh = (await this.store.corrections.listCorrections()).filter((c) => !known.has(c.name));
      if (fresh.length === 0) return { adopted: [], recomputed: [] };
      const before = this.apiCorrections;
      this.apiCorrections = [...before, ...fresh.map(correctionSpecOf)];
      let recomputed: string[] = [];
      try {
        await around(async () => {
          ({ recomputed } = await this.reconfigure(this.config));
        });
      } catch (error) {
        // The registry in force is still the one without them (reconfigure swaps last): so is the list.
        if (this.config.corrections?.every((c) => c.source !== 'api' || known.has(c.name)) ?? true) this.apiCorrections = before;
        throw error;
      }
      return { adopted: fresh.map((c) => c.name), recomputed };
    });
  }

  /** Changes to the corrections added through the API run one at a time: an add here, an adoption of another node's. */
  private inCorrectionsTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.correctionsTurn.then(work, work);
    this.correctionsTurn = run.catch(() => undefined);
    return run;
  }

  /** The snapshot serves tools that read the database alone; notification targets hold secrets
   * (PagerDuty routing keys, Opsgenie keys, Slack and Teams webhook URLs) and stay out of it. */
  private async saveSnapshot(config: VigilConfig): Promise<void> {
    const { notifications: _secrets, ...snapshot } = config;
    await this.store.meta.setMeta(CONFIG_META_KEY, JSON.stringify(snapshot));
  }

  /**
   * Purge everything past retention (docs/configuration.md ("Retention")), kind by kind, each in small transactions
   * (docs/storage.md ("Purging old data")): raw events and the aggregates no window or baseline needs, signals, probe
   * results, delivered notifications, whole resolved incidents, then loose alerts. Nothing an open incident or a running
   * impact-tolerance clock needs goes: raw events and aggregates from the start of the oldest of those stay, and
   * incidents with a running clock stay. Leader-only work (RetentionWork); an aborted signal stops it between kinds.
   * @example const purged = await runtime.purgeExpired(); // [{ kind: 'events', rows: 12000, batches: 3, before: … }, …]
   */
  async purgeExpired(signal?: AbortSignal): Promise<PurgeSummary[]> {
    const now = this.clock();
    const days = retentionDays(this.config);
    const cut = (kind: RetentionKind) => now - days[kind] * DAY_MS;
    const running = await this.store.disruptions.runningDisruptions();
    const { incidents: open } = await this.store.alerting.openAlerting();
    // The oldest moment an open incident or a running clock may still read: raw events and aggregates from there stay.
    const needed = Math.min(...open.map((i) => i.openedAt), ...running.map((d) => d.startAt));
    const eventsBefore = Math.min(cut('rawEvents'), needed);
    const aggregatesBefore = Math.min(minuteOf(now) - this.registry.aggregateMinutesKept(), minuteOf(needed));
    const done: PurgeSummary[] = [];
    const record = (summary: PurgeSummary) => {
      done.push(summary);
      this.purgedRows.set(summary.kind, (this.purgedRows.get(summary.kind) ?? 0) + summary.rows);
      if (summary.rows > 0) {
        this.log.info(
          `retention: deleted ${summary.rows} ${PURGED_WHAT[summary.kind]} older than ${new Date(summary.before).toISOString()} ` +
            `in ${summary.batches} transaction${summary.batches === 1 ? '' : 's'}`,
        );
      }
    };
    const steps: Array<() => Promise<void>> = [
      async () => {
        const events = await this.store.events.purge(eventsBefore, aggregatesBefore);
        this.registry.dropBefore(minuteOf(now) - this.registry.historyMinutesNeeded() - MINUTES_PER_DAY);
        record({ kind: 'events', rows: events.events, batches: events.batches, before: eventsBefore });
        // Minutes read from Prometheus are aggregates too (docs/prometheus.md ("Prometheus as an SLI source")).
        const sourceMinutes = await this.store.sources.purgeSourceMinutes(aggregatesBefore);
        const aggregates = events.sliMinutes + events.scopeMinutes + sourceMinutes;
        record({ kind: 'aggregates', rows: aggregates, batches: 0, before: aggregatesBefore * 60_000 });
      },
      async () => record({ kind: 'signals', ...(await this.store.signals.purgeSignals(cut('signals'))), before: cut('signals') }),
      async () => record({ kind: 'probes', ...(await this.store.benchmarks.purgeBenchmarks(cut('probes'))), before: cut('probes') }),
      async () => record({ kind: 'outbox', ...(await this.store.alerting.purgeOutbox(cut('outbox'))), before: cut('outbox') }),
      async () => {
        const keep = running.map((d) => d.incidentId);
        const incidents = await this.store.alerting.purgeIncidents(cut('incidents'), { keep });
        record({ kind: 'incidents', rows: incidents.rows, batches: incidents.batches, before: cut('incidents') });
        const alerts = await this.store.alerting.purgeAlerts(cut('alerts'));
        record({ kind: 'alerts', rows: alerts.rows + incidents.alerts, batches: alerts.batches, before: cut('alerts') });
      },
    ];
    for (const step of steps) {
      if (signal?.aborted) break;
      await step();
    }
    return done;
  }

  /** Rows purged since this process started, by kind (vigil_purged_rows_total, docs/prometheus.md ("Metrics")). */
  purgedRowCounts(): ReadonlyMap<PurgedKind, number> {
    return this.purgedRows;
  }

  /**
   * Trim the in-memory minutes no window or baseline needs, now and then every hour until close(). Every node does
   * this for itself; deleting from the store is leader-only work (RetentionWork, which trims as it purges).
   */
  startTrimming(): void {
    const trim = () => this.registry.dropBefore(minuteOf(this.clock()) - this.registry.historyMinutesNeeded() - MINUTES_PER_DAY);
    trim();
    this.trimTimer = setInterval(trim, TRIM_EVERY_MS);
    this.trimTimer.unref();
  }

  async close(): Promise<void> {
    if (this.trimTimer) clearInterval(this.trimTimer);
    await this.prometheus.stop();
    await this.store.close();
  }

  /** Reconcile, part one: rebuild from raw events the SLIs the store has not materialised. Returns what it had. */
  private async rebuildMissing(registry: SloRegistry, onRebuild?: RuntimeOptions['onRebuild']): Promise<Set<string>> {
    const materialised = new Set(await this.store.events.materialisedSliKeys());
    const missing = registry.eventSlis.filter((d) => !materialised.has(d.key));
    for (const [i, def] of missing.entries()) {
      onRebuild?.(i, missing.length, def.key);
      const rebuilt = await this.store.events.rebuildSli(def);
      this.log.info(`recomputed ${def.key} from ${rebuilt.events} retained events (${rebuilt.minutes} minutes)`);
    }
    if (missing.length > 0) onRebuild?.(missing.length, missing.length, '');
    return materialised;
  }

  /**
   * Reconcile, part two: drop the aggregates of SLIs no longer configured (a changed SLI has a new key). Not on PostgreSQL:
   * other nodes of the store may still run a configuration with them (a rolling reload, a correction not yet taken), and
   * deleting their rows would leave those nodes reading increments as totals. There they stay, marked incomplete by the
   * first append of their journey that does not count them, and go with age in the retention purge
   * (docs/scale-out.md ("What every node must share"), docs/storage.md ("Purging old data")).
   */
  private async dropRemoved(registry: SloRegistry, materialised: ReadonlySet<string>): Promise<void> {
    if (this.sharedByNodes) return;
    const configured = new Set(registry.slis.map((d) => d.key));
    for (const key of materialised) {
      if (!configured.has(key)) await this.store.events.dropSli(key);
    }
    // Minutes read from Prometheus for SLIs no longer configured (a changed query is a new key): docs/prometheus.md.
    for (const { key } of await this.store.sources.sourceWatermarks()) {
      if (!configured.has(key)) await this.store.sources.dropSource(key);
    }
  }

  private async load(registry: SloRegistry): Promise<void> {
    // Up to a day ahead: accepted events may be a few minutes in the future, and clocks drift.
    const toMinute = minuteOf(this.clock()) + MINUTES_PER_DAY;
    const fromMinute = minuteOf(this.clock()) - registry.historyMinutesNeeded();
    for (const def of registry.eventSlis) {
      registry.applySliMinutes(await this.store.events.sliMinutes(def.key, fromMinute, toMinute));
    }
    // SLIs read from Prometheus: the minutes read so far (docs/prometheus.md ("Prometheus as an SLI source")).
    for (const def of registry.prometheusSlis) {
      registry.setSliTotals(correctedMinutes(def, await this.store.sources.sourceMinutes(def.key, fromMinute, toMinute)));
    }
    registry.applyScopeMinutes(await this.store.events.scopeMinutes(fromMinute, toMinute));
  }
}
