/**
 * The running system: a store and the in-memory engine state kept in step with it. Start-up
 * reconciles the configured SLIs with what the store has materialised (rebuilding new or changed
 * ones from raw events, docs/slo-maths.md ("Changing an SLO")), loads the aggregates, and wires ingest to both.
 */
import { SloRegistry } from '../engine/slo-registry.js';
import { MINUTES_PER_DAY } from '../engine/minute-series.js';
import { minuteOf } from '../model/minutes.js';
import type { VigilConfig } from '../model/config.js';
import type { Store } from '../store/store.js';
import { AppendEvents } from './append-events.js';
import { EventIngestor } from './ingest-events.js';

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
}

const silentLog: RuntimeLog = { info: () => {}, warn: () => {} };
const PURGE_EVERY_MS = 60 * 60_000;

/** Meta key under which the configuration in force is kept, so tools can read a database file alone. */
export const CONFIG_META_KEY = 'config';

export class VigilRuntime {
  readonly config: VigilConfig;
  readonly store: Store;
  readonly registry: SloRegistry;
  readonly clock: () => number;
  /** The one append path: every writer of events goes through it. */
  readonly append: AppendEvents;
  readonly ingestor: EventIngestor;
  private readonly log: RuntimeLog;
  private purgeTimer: NodeJS.Timeout | undefined;

  private constructor(options: RuntimeOptions) {
    this.config = options.config;
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silentLog;
    this.registry = new SloRegistry(this.config);
    this.append = new AppendEvents({ store: this.store.events, slis: this.registry.slis, memory: this.registry });
    this.ingestor = new EventIngestor({ config: this.config, append: this.append, clock: this.clock });
  }

  /**
   * Open the runtime over a migrated store: reconcile SLIs, load aggregates, start retention.
   * @example const runtime = await VigilRuntime.start({ config, store: await openStore('vigil.db') });
   */
  static async start(options: RuntimeOptions): Promise<VigilRuntime> {
    const runtime = new VigilRuntime(options);
    await runtime.reconcile(options.onRebuild);
    await runtime.load();
    // The snapshot serves tools that read the database alone; notification targets hold secrets
    // (PagerDuty routing keys, Slack webhook URLs) and stay out of it.
    const { notifications: _secrets, ...snapshot } = options.config;
    await options.store.meta.setMeta(CONFIG_META_KEY, JSON.stringify(snapshot));
    return runtime;
  }

  /** Delete raw events past retention and aggregates older than any window needs; hourly while serving. */
  async purgeExpired(): Promise<void> {
    const now = this.clock();
    const eventsBefore = now - this.config.retention.rawEventsDays * 86_400_000;
    const aggregatesBefore = minuteOf(now) - this.registry.historyMinutesNeeded();
    const purged = await this.store.events.purge(eventsBefore, aggregatesBefore);
    this.registry.dropBefore(aggregatesBefore - MINUTES_PER_DAY);
    if (purged.events > 0)
      this.log.info(`retention: deleted ${purged.events} raw events older than ${new Date(eventsBefore).toISOString()}`);
  }

  /** Purge now and then every hour until close(). */
  startRetention(): void {
    void this.purgeExpired().catch((error: unknown) => this.log.warn(`retention purge failed: ${String(error)}`));
    this.purgeTimer = setInterval(() => {
      void this.purgeExpired().catch((error: unknown) => this.log.warn(`retention purge failed: ${String(error)}`));
    }, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  async close(): Promise<void> {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    await this.store.close();
  }

  private async reconcile(onRebuild?: RuntimeOptions['onRebuild']): Promise<void> {
    const materialised = new Set(await this.store.events.materialisedSliKeys());
    const configured = new Set(this.registry.slis.map((d) => d.key));
    for (const key of materialised) {
      if (!configured.has(key)) await this.store.events.dropSli(key);
    }
    const missing = this.registry.slis.filter((d) => !materialised.has(d.key));
    for (const [i, def] of missing.entries()) {
      onRebuild?.(i, missing.length, def.key);
      const rebuilt = await this.store.events.rebuildSli(def);
      this.log.info(`recomputed ${def.key} from ${rebuilt.events} retained events (${rebuilt.minutes} minutes)`);
    }
    if (missing.length > 0) onRebuild?.(missing.length, missing.length, '');
  }

  private async load(): Promise<void> {
    // Up to a day ahead: accepted events may be a few minutes in the future, and clocks drift.
    const toMinute = minuteOf(this.clock()) + MINUTES_PER_DAY;
    const fromMinute = minuteOf(this.clock()) - this.registry.historyMinutesNeeded();
    for (const def of this.registry.slis) {
      this.registry.applySliMinutes(await this.store.events.sliMinutes(def.key, fromMinute, toMinute));
    }
    this.registry.applyScopeMinutes(await this.store.events.scopeMinutes(fromMinute, toMinute));
  }
}
