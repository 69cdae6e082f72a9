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
 * Appends batches of validated events.
 * @example
 * const append = new AppendEvents({ store, slis: registry.slis, memory: registry });
 * const { inserted } = await append.append(events, Date.now());
 */
export class AppendEvents {
  private readonly store: EventAppendStore;
  private readonly slis: readonly SliDefinition[];
  private readonly memory: AggregateSink | undefined;
  private readonly listeners: AppendListener[] = [];

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
    const result = await this.store.appendEvents(events, this.slis, receivedAt);
    this.memory?.applySliMinutes(result.sliDeltas);
    this.memory?.applyScopeMinutes(result.scopeDeltas);
    for (const listener of this.listeners) listener(result);
    return result;
  }

  /** Called after each durable append; a listener must not throw (the events are stored already). */
  onAppended(listener: AppendListener): void {
    this.listeners.push(listener);
  }
}
