/**
 * The singleton-work seam (docs/benchmark.md ("One node runs the probes")): work that exactly one node may do at a time
 * when several `vigil serve` processes share a database — the probes and status-page polls, the impact-tolerance
 * watch (docs/impact-tolerances.md ("How it runs")) and the retention purge (docs/storage.md ("Purging old data")).
 * `vigil serve` hands its singleton work to a Leadership: on SQLite the server is its own leader (SingleNodeLeadership:
 * one server per file); on PostgreSQL an advisory lock (AdvisoryLeadership in src/app/cluster/, docs/scale-out.md
 * ("One leader")) starts the work, with alerting and notifications besides, on the node holding the lock, and another
 * node takes over within 30 s when that one dies, with no change to the work itself.
 */

/** Work that must run on one node only: started when this node leads, stopped when it stops leading or closes. */
export interface LeaderWork {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

/** Decides when this node runs its singleton work. */
export interface Leadership {
  /** Begin: start the work now or whenever this node becomes the leader. */
  start(work: readonly LeaderWork[]): void;
  /** Stop all the work this node runs and give up leading. */
  stop(): Promise<void>;
}

/** One node per database: this node always leads, so its work starts at once. */
export class SingleNodeLeadership implements Leadership {
  private running: readonly LeaderWork[] = [];

  start(work: readonly LeaderWork[]): void {
    this.running = work;
    for (const w of work) w.start();
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = [];
    await Promise.all(running.map((w) => w.stop()));
  }
}
