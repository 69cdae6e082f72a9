/**
 * The one append path (docs/storage.md ("Durability")): store a batch durably, then fold what it
 * added into the aggregates kept in memory, then tell whoever listens (the alerting loop). The HTTP
 * ingest, `vigil ingest`, the demo and every other writer go through it, so memory never differs
 * from the store by a batch that one of them forgot to apply.
 */
import type { SliDefinition } from '../engine/sli.js';
import type { JourneyEvent } from '../model/event.js';
import type { ScopeMinute, SliMinute } from '../model/minutes.js';
import type { AppendResult, EventStore } from '../store/store.js';

/** The store method appending needs. */
export type EventAppendStore = Pick<EventStore, 'appendEvents'>;

/** What is kept in memory from the aggregates (the SLO registry). */
export interface AggregateSink {
  applySliMinutes(rows: readonly SliMinute[]): void;
  applyScopeMinutes(rows: readonly ScopeMinute[]): void;
}

export type AppendListener = (result: AppendResult) => void;

/**
 * Where ingest writes validated events: the append path itself, or the NATS JetStream queue in front of it
 * (docs/nats.md). `inserted` has one entry per event, false for a duplicate found at once.
 */
export interface EventWriter {
  append(events: readonly JourneyEvent[], receivedAt: number): Promise<{ inserted: readonly boolean[] }>;
}

/**
 * Appends batches of validated events.
 * @example
 * const append = new AppendEvents({ store, slis: registry.slis, memory: registry });
 * const { inserted } = await append.append(events, Date.now());
 */
export class AppendEvents {
  private readonly store: EventAppendStore;
  private slis: readonly SliDefinition[];
  private memory: AggregateSink | undefined;
  private refresh: (() => Promise<void>) | undefined;
  private readonly listeners: AppendListener[] = [];
  /** Appends started and not yet applied; `exclusive` waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Set while `exclusive` work runs: appends wait for it. */
  private gate: Promise<void> | undefined;

  constructor(options: { store: EventAppendStore; slis: readonly SliDefinition[]; memory?: AggregateSink }) {
    this.store = options.store;
    this.slis = options.slis;
    this.memory = options.memory;
  }

  /**
   * Store the batch (duplicates by id are skipped) and, once it is durable, apply its aggregate
   * increments in memory and notify listeners. When the store refuses, nothing is applied and the
   * promise rejects: memory stays exactly as it was.
   */
  async append(events: readonly JourneyEvent[], receivedAt: number): Promise<AppendResult> {
    while (this.gate) await this.gate;
    const work = this.store.appendEvents(events, this.slis, receivedAt).then(async (result) => {
      if (this.refresh) {
        // The batch is durable: a failed read only delays memory until the next periodic one, never fails the append.
        await this.refresh().catch(() => undefined);
        return result;
      }
      this.memory?.applySliMinutes(result.sliDeltas);
      this.memory?.applyScopeMinutes(result.scopeDeltas);
      return result;
    });
    this.inFlight.add(work);
    try {
      const result = await work;
      for (const listener of this.listeners) listener(result);
      return result;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /**
   * Run `work` with no append in progress and none starting until it ends (a configuration reload
   * rebuilds the registry from the store meanwhile, docs/cli.md ("Signals")).
   * @example await append.exclusive(async () => { … append.reconfigure(registry.slis, registry); });
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.gate) await this.gate;
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    try {
      await Promise.allSettled([...this.inFlight]);
      return await work();
    } finally {
      this.gate = undefined;
      open();
    }
  }

  /** Aggregate into these SLIs and this memory from the next append on. */
  reconfigure(slis: readonly SliDefinition[], memory: AggregateSink | undefined): void {
    this.slis = slis;
    this.memory = memory;
  }

  /**
   * Several nodes on one database (docs/scale-out.md ("Same figures on every node")): memory follows the store's
   * totals instead of this node's increments, which could count a batch twice (once as read, once as added). After each
   * durable append, `refresh` reads the totals changed since the last read; the append answers once it has.
   */
  followStore(refresh: () => Promise<void>): void {
    this.refresh = refresh;
  }

  /** Called after each durable append; a listener must not throw (the events are stored already). */
  onAppended(listener: AppendListener): void {
    this.listeners.push(listener);
  }
}
