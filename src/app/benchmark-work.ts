/**
 * The benchmark's background work (docs/benchmark.md): the ProbeScheduler runs each probe on its own timer and stores
 * every result; the StatusPagePoller reads each status page's history once, then its summary every 5 minutes. Both are
 * LeaderWork: exactly one node runs them (src/app/leader-work.ts).
 */
import { type ProbeResult, type ProbeSpec, STATUS_PAGE_POLL_MS, type StatusPageSpec } from '../model/benchmark.js';
import { currentStates, incidentMinutes } from '../ingest/statuspage.js';
import type { BenchmarkStore } from '../store/benchmarks/benchmark-store.js';
import type { LeaderWork } from './leader-work.js';
import { runProbe } from './probe-run.js';
import type { RuntimeLog } from './runtime.js';

const MINUTE_MS = 60_000;
/** How far back incidents.json is read on start: the default probe retention. */
const HISTORY_MS = 400 * 86_400_000;
const STATUS_FETCH_TIMEOUT_MS = 10_000;
const MAX_STATUS_BODY_BYTES = 5 * 1024 * 1024;

export interface ProbeSchedulerOptions {
  probes: () => readonly ProbeSpec[];
  store: Pick<BenchmarkStore, 'saveProbeResults'>;
  log: RuntimeLog;
  clock?: () => number;
  /** Told of each stored result (tests wait on it). */
  onResult?: (result: ProbeResult) => void;
  /** Runs one probe; runProbe by default. */
  run?: (spec: ProbeSpec, clock: () => number) => Promise<ProbeResult>;
}

/**
 * Runs each configured probe on its interval, each on its own timer, so a slow target (up to its timeout) delays only
 * its own next run: a probe's next run starts `interval` after the previous one started, or when it ends if later.
 */
export class ProbeScheduler implements LeaderWork {
  readonly name = 'probes';
  private timers = new Map<string, NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private running = false;
  private readonly clock: () => number;

  constructor(private readonly options: ProbeSchedulerOptions) {
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const spec of this.options.probes()) this.schedule(spec, 0);
  }

  private schedule(spec: ProbeSpec, delayMs: number): void {
    if (!this.running) return;
    const timer = setTimeout(() => {
      const startedAt = Date.now();
      const run = this.runOnce(spec).finally(() => {
        this.inFlight.delete(run);
        this.schedule(spec, Math.max(0, startedAt + spec.intervalMs - Date.now()));
      });
      this.inFlight.add(run);
    }, delayMs);
    timer.unref();
    this.timers.set(spec.name, timer);
  }

  private async runOnce(spec: ProbeSpec): Promise<void> {
    const result = await (this.options.run ?? runProbe)(spec, this.clock);
    if (!this.running) return;
    try {
      await this.options.store.saveProbeResults([result]);
      this.options.onResult?.(result);
    } catch (error) {
      this.options.log.warn(`probe ${spec.name}: storing its result failed: ${String(error)}`);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}

/** GETs a Statuspage JSON document, bounded in time and size. */
async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(STATUS_FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`${url} answered ${response.status}`);
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_STATUS_BODY_BYTES) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`${url} is larger than ${MAX_STATUS_BODY_BYTES} bytes`);
  }
  const text = await response.text();
  if (text.length > MAX_STATUS_BODY_BYTES) throw new Error(`${url} is larger than ${MAX_STATUS_BODY_BYTES} bytes`);
  return JSON.parse(text) as unknown;
}

export interface StatusPagePollerOptions {
  pages: () => readonly StatusPageSpec[];
  store: Pick<BenchmarkStore, 'saveStatusMinutes'>;
  log: RuntimeLog;
  clock?: () => number;
  /** Between summary polls; 5 minutes. */
  everyMs?: number;
  /** Told after each poll of a page (tests wait on it). */
  onPoll?: (page: StatusPageSpec, kind: 'history' | 'summary') => void;
}

/**
 * Polls each status page: its incidents.json once at start (the history), then its summary.json every 5 minutes, each
 * poll standing for the minutes since the previous one (the 5 minutes before it for the first).
 */
export class StatusPagePoller implements LeaderWork {
  readonly name = 'status pages';
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private current: Promise<void> | undefined;
  private readonly lastPoll = new Map<string, number>();
  private readonly clock: () => number;

  constructor(private readonly options: StatusPagePollerOptions) {
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = (first: boolean) => {
      this.current = this.pollAll(first).finally(() => {
        if (!this.running) return;
        this.timer = setTimeout(() => tick(false), this.options.everyMs ?? STATUS_PAGE_POLL_MS);
        this.timer.unref();
      });
    };
    tick(true);
  }

  private async pollAll(first: boolean): Promise<void> {
    await Promise.all(this.options.pages().map((page) => this.poll(page, first)));
  }

  /** One page: the history on the first poll, then the current summary. Failures are logged; the next poll tries again. */
  async poll(page: StatusPageSpec, withHistory: boolean): Promise<void> {
    const now = this.clock();
    if (withHistory) {
      try {
        const minutes = incidentMinutes(await getJson(`${page.url}/api/v2/incidents.json`), page, now - HISTORY_MS, now);
        if (this.running) await this.options.store.saveStatusMinutes(minutes);
        this.options.onPoll?.(page, 'history');
      } catch (error) {
        this.options.log.warn(`status page ${page.url}: reading incidents.json failed: ${String(error)}`);
      }
    }
    try {
      const states = currentStates(await getJson(`${page.url}/api/v2/summary.json`), page.components);
      const since = this.lastPoll.get(page.url) ?? now - STATUS_PAGE_POLL_MS;
      this.lastPoll.set(page.url, now);
      const minutes = [];
      for (const [component, state] of states) {
        for (let m = Math.floor(since / MINUTE_MS); m < Math.floor(now / MINUTE_MS); m++)
          minutes.push({ owner: page.owner, component, journey: page.journey, minute: m, state });
      }
      if (this.running) await this.options.store.saveStatusMinutes(minutes);
      this.options.onPoll?.(page, 'summary');
    } catch (error) {
      this.options.log.warn(`status page ${page.url}: reading summary.json failed: ${String(error)}`);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.current?.catch(() => {});
  }
}
