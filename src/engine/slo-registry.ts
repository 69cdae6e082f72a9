/**
 * The in-memory reliability state of one configuration: per-minute series of every SLI and every
 * journey scope, and the SLOs evaluated over them. It holds data only; the runtime keeps it in step
 * with the store.
 */
import type { JourneySpec, SliSource, SloSpec, VigilConfig } from '../model/config.js';
import type { OutcomeCounts, ScopeMinute, SliMinute } from '../model/minutes.js';
import type { SloStatus } from '../api/slo.js';

export type { OutcomeCounts };
import type { SloSeriesPoint } from '../api/slo.js';
import { alertWindowsFor } from './alert-pairs.js';
import { evaluateSlo, firingSince, sloHistory } from './evaluate.js';
import { MinuteSeries } from './minute-series.js';
import { type SliDefinition, sliDefinition, sliDefinitions } from './sli.js';
import { sliCorrectionsOf } from './corrections.js';

/** Channels of a scope series. */
export const SCOPE_CHANNELS = { success: 0, failure: 1, rejected: 2, abandoned: 3 } as const;

export function scopeKey(journey: string, step: string | null): string {
  return `${journey}|${step ?? '*'}`;
}

/** An SLO of the configuration with everything needed to evaluate it. */
export interface SloRef {
  journey: JourneySpec;
  slo: SloSpec;
  sli: SliDefinition;
}

/**
 * The series an SLI of a source is kept in. `events`: per-minute good and total counts that the append
 * path and start-up fill from journey events (applySliMinutes). A new source must add its case here:
 * without one this does not compile.
 */
function seriesFor(source: SliSource): MinuteSeries {
  switch (source) {
    case 'events':
    case 'prometheus':
      // `prometheus`: the minutes read from Prometheus, set (not added) by setSliTotals, so re-reading a minute replaces it.
      return new MinuteSeries(2);
    default: {
      const unknown: never = source;
      throw new TypeError(`SLI source '${String(unknown)}' has no reader`);
    }
  }
}

/**
 * Holds the series and evaluates SLOs.
 * @example const reg = new SloRegistry(config); reg.applySliMinutes(rows); reg.status('login', 'success', Date.now())
 */
/** The seasonal baselines (the same hour over the previous 4 weeks, docs/value.md ("Elasticity")) in minutes. */
export const BASELINE_MINUTES = 4 * 7 * 1440;

export class SloRegistry {
  readonly config: VigilConfig;
  readonly slis: SliDefinition[];
  private readonly sliSeries = new Map<string, MinuteSeries>();
  private readonly scopeSeries = new Map<string, MinuteSeries>();
  private readonly slos = new Map<string, SloRef>();

  constructor(config: VigilConfig) {
    this.config = config;
    this.slis = sliDefinitions(config.journeys, config.corrections, config.defaults.timezone);
    for (const def of this.slis) this.sliSeries.set(def.key, seriesFor(def.source));
    for (const journey of config.journeys) {
      const corrections = sliCorrectionsOf(journey.name, config.corrections ?? [], config.defaults.timezone);
      this.scopeSeries.set(scopeKey(journey.name, null), new MinuteSeries(4));
      for (const step of journey.steps) this.scopeSeries.set(scopeKey(journey.name, step.name), new MinuteSeries(4));
      for (const slo of journey.slos)
        this.slos.set(`${journey.name}/${slo.name}`, { journey, slo, sli: sliDefinition(journey, slo, corrections) });
    }
  }

  journey(name: string): JourneySpec | undefined {
    return this.config.journeys.find((j) => j.name === name);
  }

  slo(journey: string, slo: string): SloRef | undefined {
    return this.slos.get(`${journey}/${slo}`);
  }

  allSlos(): SloRef[] {
    return [...this.slos.values()];
  }

  /** Add aggregate increments (from an append) or loaded aggregates (at start-up). */
  applySliMinutes(rows: readonly SliMinute[]): void {
    for (const row of rows) {
      const series = this.sliSeries.get(row.key);
      if (!series) continue;
      series.add(row.minute, 0, row.good);
      series.add(row.minute, 1, row.total);
    }
  }

  applyScopeMinutes(rows: readonly ScopeMinute[]): void {
    for (const row of rows) {
      const series = this.scopeSeries.get(scopeKey(row.journey, row.step));
      if (!series) continue;
      series.add(row.minute, SCOPE_CHANNELS.success, row.success);
      series.add(row.minute, SCOPE_CHANNELS.failure, row.failure);
      series.add(row.minute, SCOPE_CHANNELS.rejected, row.rejected);
      series.add(row.minute, SCOPE_CHANNELS.abandoned, row.abandoned);
    }
  }

  /**
   * Set minutes to exactly these counts: each row replaces what memory has for its minute, so applying the same row
   * twice changes nothing. The totals the store holds (docs/scale-out.md ("Same figures on every node")) and the
   * minutes read from Prometheus (docs/prometheus.md ("Prometheus as an SLI source")) both come in this way.
   */
  setSliTotals(rows: readonly SliMinute[]): void {
    for (const row of rows) {
      const series = this.sliSeries.get(row.key);
      if (!series) continue;
      series.add(row.minute, 0, row.good - series.get(row.minute, 0));
      series.add(row.minute, 1, row.total - series.get(row.minute, 1));
    }
  }

  /** As setSliTotals, for the per-scope outcome counts. */
  setScopeTotals(rows: readonly ScopeMinute[]): void {
    for (const row of rows) {
      const series = this.scopeSeries.get(scopeKey(row.journey, row.step));
      if (!series) continue;
      for (const outcome of ['success', 'failure', 'rejected', 'abandoned'] as const) {
        const channel = SCOPE_CHANNELS[outcome];
        series.add(row.minute, channel, row[outcome] - series.get(row.minute, channel));
      }
    }
  }

  /** The SLIs counted from events: what the append path and the event store aggregate. */
  get eventSlis(): SliDefinition[] {
    return this.slis.filter((d) => d.source === 'events');
  }

  /** The SLIs read from Prometheus. */
  get prometheusSlis(): SliDefinition[] {
    return this.slis.filter((d) => d.source === 'prometheus');
  }

  /** Clear one SLI's series (before reloading it after a rebuild). */
  resetSli(key: string): void {
    if (this.sliSeries.has(key)) this.sliSeries.set(key, new MinuteSeries(2));
  }

  /** The series of an SLI (for bulk loading and benchmarks). */
  sliSeriesOf(key: string): MinuteSeries | undefined {
    return this.sliSeries.get(key);
  }

  status(journey: string, slo: string, atMs: number): SloStatus | undefined {
    const ref = this.slo(journey, slo);
    if (!ref) return undefined;
    return evaluateSlo({
      journey: ref.journey,
      slo: ref.slo,
      series: this.sliSeries.get(ref.sli.key)!,
      atMs,
      timeZone: this.config.defaults.timezone,
    });
  }

  /** When an SLO's page or ticket alert started to hold, searching back from `atMs` (see `firingSince`). */
  firingSince(journey: string, slo: string, severity: 'page' | 'ticket', atMs: number): number {
    const ref = this.slo(journey, slo);
    if (!ref) return atMs;
    const series = this.sliSeries.get(ref.sli.key)!;
    return firingSince({ journey: ref.journey, slo: ref.slo, series, atMs, timeZone: this.config.defaults.timezone }, severity);
  }

  /** Every SLO's status at one instant, in configuration order. */
  statuses(atMs: number): SloStatus[] {
    const out: SloStatus[] = [];
    for (const ref of this.slos.values()) {
      out.push(
        evaluateSlo({
          journey: ref.journey,
          slo: ref.slo,
          series: this.sliSeries.get(ref.sli.key)!,
          atMs,
          timeZone: this.config.defaults.timezone,
        }),
      );
    }
    return out;
  }

  history(journey: string, slo: string, fromMs: number, toMs: number, stepMs: number): SloSeriesPoint[] | undefined {
    const ref = this.slo(journey, slo);
    if (!ref) return undefined;
    return sloHistory({
      slo: ref.slo,
      series: this.sliSeries.get(ref.sli.key)!,
      timeZone: this.config.defaults.timezone,
      fromMs,
      toMs,
      stepMs,
    });
  }

  /** Outcome counts of a scope over minutes [fromMinute, toMinute). */
  outcomes(journey: string, step: string | null, fromMinute: number, toMinute: number): OutcomeCounts {
    const series = this.scopeSeries.get(scopeKey(journey, step));
    const out = new Float64Array(4);
    series?.sums(fromMinute, toMinute, out);
    return { success: out[0]!, failure: out[1]!, rejected: out[2]!, abandoned: out[3]! };
  }

  /**
   * Minute → count of one outcome of a scope over minutes [fromMinute, toMinute); minutes with none are left out. Days
   * without the outcome are skipped whole, so the cost follows the minutes that had it.
   */
  outcomeMinutes(
    journey: string,
    step: string | null,
    outcome: keyof OutcomeCounts,
    fromMinute: number,
    toMinute: number,
  ): Map<number, number> {
    const series = this.scopeSeries.get(scopeKey(journey, step));
    const out = new Map<number, number>();
    if (!series) return out;
    const channel = SCOPE_CHANNELS[outcome];
    const sums = new Float64Array(4);
    for (let day = fromMinute; day < toMinute; day += 1440) {
      const end = Math.min(day + 1440, toMinute);
      if (series.sums(day, end, sums)[channel] === 0) continue;
      for (let m = day; m < end; m++) {
        const n = series.get(m, channel);
        if (n !== 0) out.set(m, n);
      }
    }
    return out;
  }

  /** Forget everything before `minute` (aggregate retention). */
  dropBefore(minute: number): void {
    for (const s of this.sliSeries.values()) s.dropBefore(minute);
    for (const s of this.scopeSeries.values()) s.dropBefore(minute);
  }

  /**
   * Minutes of history the SLOs over one SLI need: their longest window (a calendar quarter counts 92 days) plus their
   * longest burn window: what a backfill from Prometheus reads (docs/prometheus.md ("Prometheus as an SLI source")).
   */
  sliHistoryMinutes(key: string): number {
    let minutes = 0;
    for (const { slo, sli } of this.slos.values()) {
      if (sli.key !== key) continue;
      const window = slo.window.kind === 'rolling' ? slo.window.minutes : { week: 7, month: 31, quarter: 92 }[slo.window.unit] * 1440;
      const burn = Math.max(0, ...alertWindowsFor(slo).map((pair) => pair.longMinutes));
      minutes = Math.max(minutes, window + burn);
    }
    return minutes;
  }

  /** Minutes of history any SLO may need: its longest window plus the longest burn window (3 d by default). */
  historyMinutesNeeded(): number {
    let longest = 0;
    let longestBurn = 3 * 1440;
    for (const { slo } of this.slos.values()) {
      for (const pair of alertWindowsFor(slo)) longestBurn = Math.max(longestBurn, pair.longMinutes);
      const minutes =
        slo.window.kind === 'rolling'
          ? slo.window.minutes
          : slo.window.unit === 'quarter'
            ? 92 * 1440
            : slo.window.unit === 'month'
              ? 31 * 1440
              : 7 * 1440;
      longest = Math.max(longest, minutes);
    }
    return Math.max(longest, this.config.retention.rawEventsDays * 1440) + longestBurn + 1440;
  }

  /**
   * Minutes of minute aggregates the store keeps (docs/storage.md ("Purging old data")): the history the engine loads,
   * plus the 4-week baselines an analysis of its oldest period compares with (docs/value.md), so a purge never takes
   * what a window or a baseline reads.
   */
  aggregateMinutesKept(): number {
    return this.historyMinutesNeeded() + BASELINE_MINUTES;
  }
}
