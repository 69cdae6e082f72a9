/**
 * Work a node of several repeats in the background (docs/scale-out.md): reading the aggregates, the corrections of other
 * nodes, and saying who it is. Never two runs at once; one warning when it starts failing and one note when it works
 * again, so a database away for a while does not flood the log.
 */
import type { RuntimeLog } from '../runtime.js';

export interface PeriodicOptions {
  everyMs: number;
  log: RuntimeLog;
  /** Logged as a warning, with the error, when a run fails after one that did not. */
  failed: string;
  /** Logged as a note when a run works after one that failed. */
  recovered: string;
  run: () => Promise<void>;
}

/**
 * @example const beat = new Periodic({ everyMs: 5_000, log, failed: 'saying who I am failed', recovered: 'saying it again', run }); beat.start();
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;

  constructor(private readonly options: PeriodicOptions) {}

  /** Run every `everyMs` until stop(); first at once when `now`. */
  start(now = false): void {
    if (now) this.tick();
    this.timer = setInterval(() => this.tick(), this.options.everyMs);
    this.timer.unref();
  }

  /** No run starts after this; resolves once the one in progress, if any, has ended. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    const { log, failed, recovered, run } = this.options;
    this.running = run()
      .then(
        () => {
          if (this.failing) log.info(recovered);
          this.failing = false;
        },
        (error: unknown) => {
          if (!this.failing) log.warn(`${failed} (retrying): ${String(error)}`);
          this.failing = true;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
