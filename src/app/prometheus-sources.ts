/**
 * Reads the SLIs of kind `prometheus` (docs/prometheus.md ("Prometheus as an SLI source")): on start each SLI's history
 * is backfilled with `query_range` in chunks of at most a week, from its watermark when a previous run left one; from
 * then on, every minute, the minutes since the watermark are read again. A minute is read for good (the watermark
 * passes it) once `settle` minutes have gone by since it ended; until then it is provisional and read again at each
 * tick, so late scrapes are absorbed. What is read is stored (the `sources` capability) and set into the SLO registry
 * through the same series that events feed, so budgets, burn rates, alerts, incidents and the gate use it unchanged.
 *
 * Nothing is ever a silent zero: a minute without a `total` point is a gap (no row, counted in `gapMinutes`); minutes
 * Prometheus did not answer for are not read at all — the watermark stays, and they are read once it answers again.
 * Singleton work (src/app/leader-work.ts): one node reads.
 */
import { correctedMinutes, type SliDefinition } from '../engine/sli.js';
import type { SloRegistry } from '../engine/slo-registry.js';
import type { PrometheusSourceSpec, VigilConfig } from '../model/config.js';
import { type EpochMinute, minuteOf } from '../model/minutes.js';
import { chunks, gapRanges, readMinutes, seriesMinutes, sliQueries } from '../prometheus/sli-source.js';
import type { SourceStore } from '../store/store.js';
import { SourceStateJson } from '../api/sources.js';
import type { LeaderWork } from './leader-work.js';
import { PrometheusClient } from './prometheus-client.js';

/** The reading states, as the wire names them (docs/prometheus.md ("States")). */
export const SOURCE_STATES = SourceStateJson.options;
export type SourceState = (typeof SOURCE_STATES)[number];

/** A settled minute without data more recent than this many minutes makes the state `lagging`; older, `no_data`. */
export const LAGGING_MINUTES = 15;
/** How many recent gap ranges a status lists. */
const RECENT_GAPS = 10;

/** The reading state of one SLI of kind `prometheus`. */
export interface SourceStatus {
  key: string;
  journey: string;
  /** The SLOs over this SLI. */
  slos: string[];
  /** The PromQL sent (docs/prometheus.md ("What Vigil sends")). */
  queries: { good?: string; bad?: string; total: string };
  state: SourceState;
  /** When the state began (epoch ms). */
  since: number;
  /** Prometheus' error text, or what could not be reached; on a node that does not lead, a note saying so; else null. */
  message: string | null;
  /** While backfilling: minutes [fromMinute, toMinute) to read, read up to readTo. */
  progress: { fromMinute: EpochMinute; toMinute: EpochMinute; readTo: EpochMinute } | null;
  /** Minutes before it are read for good; null before the first read. */
  watermark: EpochMinute | null;
  /** The newest minute with a figure; null when none was read. */
  lastDataMinute: EpochMinute | null;
  /** Settled minutes of the read history without a `total` point. */
  gapMinutes: number;
  /** The most recent gaps this process saw, as [from, to) minute ranges, oldest first. */
  recentGaps: [EpochMinute, EpochMinute][];
  /** Minutes whose good fell outside [0, total] and were clamped (docs/prometheus.md ("Gaps and odd figures")). */
  clampedMinutes: number;
}

/** What the reader needs from the running system, read at each use (a reload swaps the registry). */
export interface SourceHost {
  config(): VigilConfig;
  registry(): SloRegistry;
  /** Run work with no event append or reload in progress (AppendEvents.exclusive). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export interface PrometheusSourcesOptions {
  host: SourceHost;
  store: SourceStore;
  clock?: () => number;
  log?: { info(message: string): void; warn(message: string): void };
  env?: NodeJS.ProcessEnv;
  fetcher?: typeof fetch;
  /** How often to look for new minutes; 10 s. */
  intervalMs?: number;
}

interface Tracked {
  status: SourceStatus;
  startMinute: EpochMinute | null;
  /** The minute up to which the last successful read went (exclusive): nothing new before the clock passes it. */
  readThrough: EpochMinute | null;
  gaps: EpochMinute[];
}

/**
 * The Prometheus SLI reader, started by `vigil serve` as singleton work.
 * @example const reader = new PrometheusSources({ host, store: store.sources }); reader.start(); reader.statuses();
 */
export class PrometheusSources implements LeaderWork {
  readonly name = 'prometheus-sources';
  private readonly host: SourceHost;
  private readonly store: SourceStore;
  private readonly clock: () => number;
  private readonly log: NonNullable<PrometheusSourcesOptions['log']>;
  private readonly env: NodeJS.ProcessEnv;
  private readonly fetcher: typeof fetch | undefined;
  private readonly intervalMs: number;
  private readonly tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  private following: Promise<void> | undefined;
  /** Per SLI, on a node that does not lead: the stored watermark at its last look (minutes before it are final). */
  private readonly followedTo = new Map<string, EpochMinute>();

  constructor(options: PrometheusSourcesOptions) {
    this.host = options.host;
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? { info: () => {}, warn: () => {} };
    this.env = options.env ?? process.env;
    this.fetcher = options.fetcher;
    this.intervalMs = options.intervalMs ?? 10_000;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * With several nodes (docs/scale-out.md ("Same figures on every node")): while this node does not lead, every interval
   * set in memory the minutes the leading node stored since the last look, so every node shows the same figures; the
   * state is then judged from what is stored. Stops with stopFollowing(); leading (start()) takes precedence.
   */
  startFollowing(): void {
    if (this.followTimer) return;
    this.followTimer = setInterval(() => void this.followTick(), this.intervalMs);
    this.followTimer.unref();
  }

  async stopFollowing(): Promise<void> {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = undefined;
    await this.following;
  }

  /** One look at the store on a node that does not lead; nothing while this node leads or a look is running. */
  followTick(): Promise<void> {
    if (this.timer || this.following) return this.following ?? Promise.resolve();
    this.following = this.followAll().finally(() => {
      this.following = undefined;
    });
    return this.following;
  }

  private async followAll(): Promise<void> {
    const spec = this.host.config().sources?.prometheus;
    const registry = this.host.registry();
    if (!spec) return;
    for (const def of registry.prometheusSlis) {
      try {
        await this.followSli(def, registry, spec.settleMinutes);
      } catch (error) {
        this.log.warn(`prometheus source ${def.key}: reading the leading node's minutes failed (retrying): ${String(error)}`);
      }
    }
  }

  private async followSli(def: SliDefinition, registry: SloRegistry, settleMinutes: number): Promise<void> {
    const t = this.trackedOf(def, registry);
    const stored = await this.store.sourceWatermark(def.key);
    if (!stored) {
      this.setState(t, 'waiting', 'read by the leading node; nothing stored yet');
      return;
    }
    const current = minuteOf(this.clock());
    // The first look goes back an hour before the stored watermark: minutes finalised since this node loaded them at start.
    const from = Math.max(this.followedTo.get(def.key) ?? stored.watermark - 60, current - registry.sliHistoryMinutes(def.key));
    const key = def.key;
    await this.host.exclusive(async () => {
      const found = new Map((await this.store.sourceMinutes(key, from, current)).map((m) => [m.minute, m]));
      // A minute not stored is a gap (docs/prometheus.md ("Gaps and odd figures")): zero, as on the reading node.
      const rows = Array.from(
        { length: Math.max(0, current - from) },
        (_, i) => found.get(from + i) ?? { key, minute: from + i, good: 0, total: 0 },
      );
      const now = this.host.registry();
      const ref = now.prometheusSlis.find((d) => d.key === key);
      if (ref) now.setSliTotals(correctedMinutes(ref, rows));
      const newest = [...found.values()].at(-1)?.minute;
      if (newest !== undefined && newest > (t.status.lastDataMinute ?? -Infinity)) t.status.lastDataMinute = newest;
    });
    this.followedTo.set(key, stored.watermark);
    t.status.watermark = stored.watermark;
    const settledEnd = current - settleMinutes;
    this.judge(t, settledEnd, 'read by the leading node', 'the leading node has stored no samples for these queries');
  }

  /** following, lagging or no_data from the newest minute with a figure against the settled end; `note` as the message. */
  private judge(t: Tracked, settledEnd: EpochMinute, note: string | null, noneYet: string): void {
    const last = t.status.lastDataMinute;
    if (last !== null && last >= settledEnd - 1) this.setState(t, 'following', note);
    else if (last !== null && last >= settledEnd - LAGGING_MINUTES) this.setState(t, 'lagging', note);
    else this.setState(t, 'no_data', last === null ? noneYet : note);
  }

  /** Read what is new for every SLI of kind `prometheus`, one after the other; a tick still running is not doubled. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.readAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The state of every configured SLI of kind `prometheus`, in configuration order. */
  statuses(): SourceStatus[] {
    const registry = this.host.registry();
    return registry.prometheusSlis.map((def) => ({ ...this.trackedOf(def, registry).status }));
  }

  private trackedOf(def: SliDefinition, registry: SloRegistry): Tracked {
    let t = this.tracked.get(def.key);
    if (!t) {
      const slos = registry
        .allSlos()
        .filter((ref) => ref.sli.key === def.key)
        .map((ref) => ref.slo.name);
      const { side, sideQuery, totalQuery } = sliQueries(def.prometheus ?? { total: '' });
      t = {
        status: {
          key: def.key,
          journey: def.journey,
          slos,
          queries: { [side]: sideQuery, total: totalQuery },
          state: 'waiting',
          since: this.clock(),
          message: null,
          progress: null,
          watermark: null,
          lastDataMinute: null,
          gapMinutes: 0,
          recentGaps: [],
          clampedMinutes: 0,
        },
        startMinute: null,
        readThrough: null,
        gaps: [],
      };
      this.tracked.set(def.key, t);
    }
    return t;
  }

  private setState(t: Tracked, state: SourceState, message: string | null = null): void {
    if (t.status.state !== state || t.status.message !== message) {
      if (state === 'prometheus_unreachable' || state === 'prometheus_error')
        this.log.warn(`prometheus source ${t.status.key}: ${state}: ${message ?? ''}`);
      else if (t.status.state === 'prometheus_unreachable' || t.status.state === 'prometheus_error')
        this.log.info(`prometheus source ${t.status.key}: ${state} again`);
      t.status = { ...t.status, state, since: t.status.state === state ? t.status.since : this.clock(), message };
    }
  }

  private async readAll(): Promise<void> {
    const spec = this.host.config().sources?.prometheus;
    const registry = this.host.registry();
    if (!spec) return;
    const client = new PrometheusClient(spec, this.env, this.fetcher);
    for (const def of registry.prometheusSlis) {
      try {
        await this.readSli(def, registry, spec, client);
      } catch (error) {
        // The store refused (or another surprise): nothing was applied in memory, the watermark stays; retried next tick.
        this.log.warn(`prometheus source ${def.key}: ${String(error)}`);
      }
    }
  }

  private async readSli(def: SliDefinition, registry: SloRegistry, spec: PrometheusSourceSpec, client: PrometheusClient): Promise<void> {
    const t = this.trackedOf(def, registry);
    const current = minuteOf(this.clock());
    const failing = t.status.state === 'prometheus_unreachable' || t.status.state === 'prometheus_error';
    if (t.readThrough === current && !failing) return;
    const earliest = current - registry.sliHistoryMinutes(def.key);
    if (t.startMinute === null) {
      const stored = await this.store.sourceWatermark(def.key);
      t.startMinute = stored?.startMinute ?? earliest;
      t.status.watermark = stored?.watermark ?? null;
      if (stored) {
        const recent = await this.store.sourceMinutes(def.key, stored.watermark - 1440, stored.watermark);
        t.status.lastDataMinute = recent.at(-1)?.minute ?? null;
      }
    }
    const startMinute = t.startMinute;
    const from = Math.max(t.status.watermark ?? startMinute, earliest);
    const settledEnd = current - spec.settleMinutes;
    const parts = chunks(from, current);
    const { side, sideQuery, totalQuery } = sliQueries(def.prometheus ?? { total: '' });
    for (const [a, b] of parts) {
      if (parts.length > 1) {
        t.status.progress = { fromMinute: from, toMinute: current, readTo: a };
        this.setState(t, 'backfilling');
      }
      const total = await client.queryRange(totalQuery, a, b);
      const other = total.ok ? await client.queryRange(sideQuery, a, b) : total;
      if (!total.ok || !other.ok) {
        const failed = !total.ok ? total : (other as Extract<typeof other, { ok: false }>);
        this.setState(t, failed.state, failed.message);
        return;
      }
      const read = readMinutes(side, seriesMinutes(other.data), seriesMinutes(total.data), a, b);
      const watermark = Math.max(t.status.watermark ?? startMinute, Math.min(b, settledEnd));
      const key = def.key;
      await this.host.exclusive(async () => {
        await this.store.saveSourceRead({ key, fromMinute: a, toMinute: b, minutes: read.minutes, startMinute, watermark });
        const rows = [...read.minutes.map((m) => ({ key, ...m })), ...read.gaps.map((minute) => ({ key, minute, good: 0, total: 0 }))];
        // The registry in force now (a reload may have swapped it), whose definition carries the corrections in force.
        const now = this.host.registry();
        const ref = now.prometheusSlis.find((d) => d.key === key);
        if (ref) now.setSliTotals(correctedMinutes(ref, rows));
      });
      t.status.watermark = watermark;
      t.status.clampedMinutes += read.clamped;
      const newest = read.minutes.at(-1)?.minute;
      if (newest !== undefined && newest > (t.status.lastDataMinute ?? -Infinity)) t.status.lastDataMinute = newest;
      t.gaps = [...t.gaps.filter((m) => m < a), ...read.gaps.filter((m) => m < watermark)].slice(-10_000);
    }
    t.readThrough = current;
    t.status.progress = null;
    t.status.recentGaps = gapRanges(t.gaps).slice(-RECENT_GAPS);
    const watermark = t.status.watermark ?? startMinute;
    const readFrom = Math.max(startMinute, earliest);
    t.status.gapMinutes = Math.max(0, watermark - readFrom - (await this.store.countSourceMinutes(def.key, readFrom, watermark)));
    this.judge(t, settledEnd, null, 'Prometheus has no samples for these queries');
  }
}
