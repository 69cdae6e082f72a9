/**
 * Leadership by PostgreSQL advisory lock (docs/scale-out.md ("One leader")): every node tries the lock every
 * RETRY_EVERY_MS; the one holding it advertises its URL and runs the leader work; it checks its session at the same
 * pace, and stops the work at once when the session fails. PostgreSQL releases the lock of a dead process's session,
 * so another node takes over within one retry period once the server sees the connection close.
 */
import { type ClusterSessionOptions, LeaderLock } from '../../store/cluster/postgres-cluster.js';
import type { Leadership, LeaderWork } from '../leader-work.js';
import type { RuntimeLog } from '../runtime.js';

export const RETRY_EVERY_MS = 2_000;

export type Role = 'leader' | 'follower';

export interface AdvisoryLeadershipOptions {
  session: ClusterSessionOptions;
  /** Where this node answers, for the others to forward leader-only writes to. */
  url: string;
  /** This node's name (in logs and the leader row). */
  node: string;
  log: RuntimeLog;
  clock?: () => number;
  /** Runs before the work starts on becoming the leader (re-read state another leader may have changed). */
  onLead?: () => Promise<void>;
  /** Runs every retry period while following (keep read-only state fresh). */
  onFollow?: () => Promise<void>;
}

/**
 * @example const leadership = new AdvisoryLeadership({ session: { url }, url: server.url, node, log }); leadership.start(work);
 */
export class AdvisoryLeadership implements Leadership {
  private readonly options: AdvisoryLeadershipOptions;
  private work: readonly LeaderWork[] = [];
  private lock: LeaderLock | undefined;
  /** The work running now (empty while following). */
  private running: readonly LeaderWork[] = [];
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  /** The step in progress (taking the lock, or checking it). */
  private stepping: Promise<void> | undefined;

  constructor(options: AdvisoryLeadershipOptions) {
    this.options = options;
  }

  role(): Role {
    return this.lock ? 'leader' : 'follower';
  }

  start(work: readonly LeaderWork[]): void {
    this.work = work;
    this.started = true;
    const step = () => {
      if (!this.started) return;
      this.stepping = this.step()
        .catch((error: unknown) => this.options.log.warn(`cluster: leadership step failed (retrying): ${String(error)}`))
        .finally(() => {
          this.stepping = undefined;
          if (this.started) this.timer = setTimeout(step, RETRY_EVERY_MS);
        });
    };
    step();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    await this.stepping;
    await this.stopLeading('stopping');
  }

  private async step(): Promise<void> {
    if (this.lock) {
      try {
        await this.lock.check();
      } catch (error) {
        await this.stopLeading(`its lock session failed: ${String(error)}`);
      }
      return;
    }
    const lock = await LeaderLock.tryTake(this.options.session, (error) => {
      if (this.lock === lock) void this.stopLeading(`its lock session failed: ${error.message}`);
    });
    if (!lock) {
      await this.options.onFollow?.();
      return;
    }
    this.lock = lock;
    try {
      const since = (this.options.clock ?? Date.now)();
      await lock.advertise(this.options.url, this.options.node, since);
      await this.options.onLead?.();
    } catch (error) {
      await this.stopLeading(`it could not take over: ${String(error)}`);
      return;
    }
    if (this.lock !== lock || !this.started) return;
    this.options.log.info(`cluster: ${this.options.node} leads (alerting, notifications, probes and retention run here)`);
    this.running = this.work;
    for (const w of this.running) w.start();
  }

  /** Stop the work (each stops its timers at once) and give the lock up. */
  private async stopLeading(why: string): Promise<void> {
    const lock = this.lock;
    const running = this.running;
    this.lock = undefined;
    this.running = [];
    if (!lock) return;
    if (why !== 'stopping') this.options.log.warn(`cluster: ${this.options.node} stops leading: ${why}`);
    await Promise.allSettled(running.map((w) => w.stop()));
    await lock.release();
  }
}
