/**
 * Same figures on every node (docs/scale-out.md ("Same figures on every node")): each node keeps the aggregates in
 * memory, and every REFRESH_EVERY_MS (and after each of its own appends) reads the aggregate rows changed since the
 * oldest transaction still running at its previous read, and sets them as totals. A batch another node acknowledged
 * is in every node's memory within a refresh period of its commit.
 */
import type { SloRegistry } from '../../engine/slo-registry.js';
import type { AggregateChanges } from '../../store/cluster/postgres-cluster.js';
import type { RuntimeLog } from '../runtime.js';
import { Periodic } from './periodic.js';

export const REFRESH_EVERY_MS = 250;

/** The reads refreshing needs (AggregateChangeReader on PostgreSQL). */
export interface AggregateChangeSource {
  changedSince(watermark: string): Promise<AggregateChanges>;
}

/**
 * Keeps a registry in step with the store's aggregate totals.
 * @example const refresh = new AggregateRefresh({ source: reader, registry: () => runtime.registry, watermark, log }); refresh.start();
 */
export class AggregateRefresh {
  private readonly source: AggregateChangeSource;
  private readonly registry: () => SloRegistry;
  private readonly log: RuntimeLog;
  private watermark: string;
  /** The read in progress, if any. */
  private running: Promise<void> | undefined;
  /** The read that starts after the one in progress: every caller arriving meanwhile shares it. */
  private next: Promise<void> | undefined;
  private periodic: Periodic | undefined;

  constructor(options: { source: AggregateChangeSource; registry: () => SloRegistry; watermark: string; log: RuntimeLog }) {
    this.source = options.source;
    this.registry = options.registry;
    this.watermark = options.watermark;
    this.log = options.log;
  }

  /**
   * Read now: resolves once a read that started after this call has been applied (a read already in progress may
   * have taken its snapshot before the caller's commit, so the caller waits for the next one).
   */
  refreshNow(): Promise<void> {
    if (this.next) return this.next;
    const after = this.running ?? Promise.resolve();
    const read: Promise<void> = after.then(() => {
      if (this.next === read) this.next = undefined;
      this.running = read;
      return this.readOnce().finally(() => {
        if (this.running === read) this.running = undefined;
      });
    });
    this.next = read;
    return read;
  }

  /** Refresh every REFRESH_EVERY_MS until stop(). */
  start(): void {
    this.periodic = new Periodic({
      everyMs: REFRESH_EVERY_MS,
      log: this.log,
      failed: 'cluster: reading the aggregates from the store failed',
      recovered: 'cluster: reading the aggregates from the store again',
      run: () => this.refreshNow(),
    });
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic?.stop();
    await Promise.allSettled([this.running, this.next]);
  }

  private async readOnce(): Promise<void> {
    const changes = await this.source.changedSince(this.watermark);
    const registry = this.registry();
    registry.setSliTotals(changes.sli);
    registry.setScopeTotals(changes.scope);
    this.watermark = changes.watermark;
  }
}
