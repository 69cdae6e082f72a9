/** Per-minute aggregation shared by the store backends: what inserted events add to SLI and scope minutes. */
import { type SliDefinition, sliContribution } from '../../engine/sli.js';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent } from '../../model/event.js';
import { type EpochMinute, MS_PER_MINUTE, minuteOf, type ScopeMinute, type SliMinute } from '../../model/minutes.js';

const byJourneyCache = new WeakMap<readonly SliDefinition[], Map<string, SliDefinition[]>>();

/**
 * SLI definitions grouped by journey, so each event is tested only against the SLIs of its journey.
 * Cached per array: ingest passes the same configured array with every batch.
 */
export function definitionsByJourney(slis: readonly SliDefinition[]): Map<string, SliDefinition[]> {
  const cached = byJourneyCache.get(slis);
  if (cached) return cached;
  const map = new Map<string, SliDefinition[]>();
  for (const def of slis) {
    const list = map.get(def.journey);
    if (list) list.push(def);
    else map.set(def.journey, [def]);
  }
  byJourneyCache.set(slis, map);
  return map;
}

interface Counts {
  good: number;
  total: number;
}

/** Adds one event's contribution to a per-minute accumulator of one SLI; events that do not count leave it unchanged. */
export function accumulateSli(
  def: SliDefinition,
  minutes: Map<EpochMinute, Counts>,
  event: Pick<JourneyEvent, 'journey' | 'step' | 'outcome' | 'latencyMs' | 'amount' | 'currency' | 'timestamp'>,
): void {
  const c = sliContribution(def, event);
  if (c.total === 0) return;
  const minute = minuteOf(event.timestamp);
  const acc = minutes.get(minute);
  if (acc) {
    acc.good += c.good;
    acc.total += c.total;
  } else {
    minutes.set(minute, { good: c.good, total: c.total });
  }
}

/**
 * Sums what a batch of inserted events adds to the aggregates. Minutes in which an SLI gets no valid
 * event produce no row, so incremental appends and rebuilds write exactly the same rows.
 */
export class BatchAggregator {
  private readonly sli = new Map<string, Map<EpochMinute, Counts>>();
  private readonly scope = new Map<string, ScopeMinute>();

  add(event: JourneyEvent, defs: readonly SliDefinition[] | undefined): void {
    if (defs) {
      for (const def of defs) {
        let minutes = this.sli.get(def.key);
        if (!minutes) {
          minutes = new Map();
          this.sli.set(def.key, minutes);
        }
        accumulateSli(def, minutes, event);
      }
    }
    const minute = minuteOf(event.timestamp);
    const step = event.step ?? null;
    const scopeKey = `${minute}\u0000${event.journey}\u0000${step ?? ''}`;
    let row = this.scope.get(scopeKey);
    if (!row) {
      row = { journey: event.journey, step, minute, success: 0, failure: 0, rejected: 0, abandoned: 0 };
      this.scope.set(scopeKey, row);
    }
    row[event.outcome] += 1;
  }

  /** SLI increments, sorted by key then minute (a stable order keeps concurrent upserts from deadlocking). */
  sliDeltas(): SliMinute[] {
    const out: SliMinute[] = [];
    for (const [key, minutes] of this.sli) {
      for (const [minute, c] of minutes) out.push({ key, minute, good: c.good, total: c.total });
    }
    return out.sort(compareSliMinutes);
  }

  /** Scope increments, sorted by journey, step, minute. */
  scopeDeltas(): ScopeMinute[] {
    return [...this.scope.values()].sort(compareScopeMinutes);
  }
}

/**
 * Recomputes one SLI from a stream of raw rows of its scope: only the per-minute sums are held, so a
 * rebuild over millions of events needs little memory. Both backends feed it from their own cursor.
 */
export class SliRebuild {
  /** Raw events of the scope seen, counted or not. */
  scanned = 0;
  private readonly minutes = new Map<EpochMinute, Counts>();
  /** One reused event: the scope's journey and step are fixed, only outcome, latency, amount and time change. */
  private readonly event: Pick<JourneyEvent, 'journey' | 'step' | 'outcome' | 'latencyMs' | 'amount' | 'currency' | 'timestamp'>;

  constructor(private readonly def: SliDefinition) {
    this.event = { journey: def.journey, outcome: 'success', timestamp: 0 };
    if (def.step !== null) this.event.step = def.step;
  }

  /** One raw row; `amount` and `currency` matter only to an amount-weighted SLI. */
  add(outcome: Outcome, latencyMs: number | null, timestamp: number, amount: number | null = null, currency: string | null = null): void {
    this.event.outcome = outcome;
    if (latencyMs === null) delete this.event.latencyMs;
    else this.event.latencyMs = latencyMs;
    if (amount === null) delete this.event.amount;
    else this.event.amount = amount;
    if (currency === null) delete this.event.currency;
    else this.event.currency = currency;
    this.event.timestamp = timestamp;
    accumulateSli(this.def, this.minutes, this.event);
    this.scanned++;
  }

  /** The rows to write, ascending by minute. */
  rows(): SliMinute[] {
    const out: SliMinute[] = [];
    for (const [minute, c] of this.minutes) out.push({ key: this.def.key, minute, good: c.good, total: c.total });
    return out.sort((a, b) => a.minute - b.minute);
  }
}

function compareSliMinutes(a: SliMinute, b: SliMinute): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.minute - b.minute;
}

function compareScopeMinutes(a: ScopeMinute, b: ScopeMinute): number {
  if (a.journey !== b.journey) return a.journey < b.journey ? -1 : 1;
  const sa = a.step ?? '';
  const sb = b.step ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.minute - b.minute;
}

/**
 * Where a rebuild starts, given the purge watermark (epoch ms, or null before any purge): the first
 * whole minute whose raw events are all still stored, and that minute's start in ms.
 */
export function rebuildStart(purgedBefore: number | null): { minute: EpochMinute; ms: number } {
  if (purgedBefore === null) return { minute: Number.MIN_SAFE_INTEGER, ms: Number.MIN_SAFE_INTEGER };
  const minute = Math.ceil(purgedBefore / MS_PER_MINUTE);
  return { minute, ms: minute * MS_PER_MINUTE };
}
