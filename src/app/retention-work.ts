/**
 * The retention purge as singleton work (src/app/leader-work.ts): only the leading node deletes old data, at start and
 * then every hour, each kind in small transactions (docs/storage.md ("Purging old data")). Stopping (losing the lead,
 * closing) lets the kind being purged finish and skips the rest.
 */
import type { LeaderWork } from './leader-work.js';
import type { PurgeSummary, RuntimeLog } from './runtime.js';

export const PURGE_EVERY_MS = 60 * 60_000;

export interface RetentionWorkOptions {
  /** One purge of every kind (VigilRuntime.purgeExpired); it stops between kinds once the signal is aborted. */
  purge: (signal: AbortSignal) => Promise<PurgeSummary[]>;
  log: RuntimeLog;
  /** How often it runs after the first run at start; an hour unless a test says otherwise. */
  everyMs?: number;
  /** Told of each finished purge (tests wait on it). */
  onPurged?: (summaries: PurgeSummary[]) => void;
}

export class RetentionWork implements LeaderWork {
  readonly name = 'retention';
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly options: RetentionWorkOptions) {}

  start(): void {
    if (this.timer) return;
    this.abort = new AbortController();
    this.timer = setInterval(() => this.kick(), this.options.everyMs ?? PURGE_EVERY_MS);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort?.abort();
    await this.running;
  }

  /** A run still going when the next is due is not doubled: that turn is skipped. */
  private kick(): void {
    if (this.running || !this.abort) return;
    const signal = this.abort.signal;
    this.running = this.options
      .purge(signal)
      .then((summaries) => this.options.onPurged?.(summaries))
      .catch((error: unknown) => this.options.log.warn(`retention purge failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
      });
  }
}
