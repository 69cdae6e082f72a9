/**
 * Retention by failures met (docs/retention.md): for each calendar period of the range, the store's counts of the
 * journey's customers by failures met and by whether they came back, turned into cohorts by the pure src/value/retention.
 */
import { toInstant } from '../../api/common.js';
import type { RetentionResponse } from '../../api/retention.js';
import { VigilError } from '../../errors/catalogue.js';
import type { VigilConfig } from '../../model/config.js';
import type { EventStore } from '../../store/store.js';
import { periodFigures, periodLabel, type RetentionUnit, retentionSentence, retentionSpans } from '../../value/retention.js';

const DAY_MS = 86_400_000;
/** The most periods one call reads (one query each). */
export const MAX_RETENTION_PERIODS = 60;
/** Without `from`: the last six months, or the last eight weeks, up to `to`. */
const DEFAULT_SPAN_DAYS: Record<RetentionUnit, number> = { month: 153, week: 49 };

export interface RetentionQuery {
  journey: string;
  period: RetentionUnit;
  from?: number;
  to?: number;
}

/**
 * The period the reading is about (docs/retention.md ("Reading it")): the latest complete one in which both cohorts have
 * customers; failing one, the latest whose next period has begun (its reading says "so far"); else none.
 * @example periodToRead([{ complete: false, end: '2026-11-01T00:00:00Z', difference: -0.1 }], Date.parse('2026-11-20T00:00:00Z'))
 */
export function periodToRead<P extends { complete: boolean; end: string; difference: number | null }>(
  periods: readonly P[],
  now: number,
): P | undefined {
  const newestFirst = [...periods].reverse();
  return (
    newestFirst.find((p) => p.complete && p.difference !== null) ??
    newestFirst.find((p) => Date.parse(p.end) <= now && p.difference !== null)
  );
}

/** The retention answer for `query` at `now`. Throws journey_not_found, invalid_query. */
export async function retention(
  config: VigilConfig,
  store: Pick<EventStore, 'retentionCounts'>,
  query: RetentionQuery,
  now: number,
): Promise<RetentionResponse> {
  const journey = config.journeys.find((j) => j.name === query.journey);
  if (!journey) throw new VigilError('journey_not_found', `No journey named '${query.journey}' is configured`);
  const timeZone = config.defaults.timezone;
  const to = query.to ?? now;
  const from = query.from ?? to - DEFAULT_SPAN_DAYS[query.period] * DAY_MS;
  if (from >= to) throw new VigilError('invalid_query', 'from must be before to');
  let spans: ReturnType<typeof retentionSpans>;
  try {
    spans = retentionSpans(query.period, from, to, timeZone, MAX_RETENTION_PERIODS);
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new VigilError('invalid_query', `A call reads at most ${MAX_RETENTION_PERIODS} periods: narrow from and to`, { cause });
  }
  const keptFrom = now - config.retention.rawEventsDays * DAY_MS;
  const periods: RetentionResponse['periods'] = [];
  for (const span of spans) {
    const counts = await store.retentionCounts({
      journey: journey.name,
      from: span.start,
      to: span.end,
      nextFrom: span.end,
      nextTo: span.nextEnd,
    });
    periods.push({
      period: span.label,
      start: toInstant(span.start),
      end: toInstant(span.end),
      nextEnd: toInstant(span.nextEnd),
      complete: span.nextEnd <= now,
      partialHistory: span.start < keptFrom,
      ...periodFigures(counts),
    });
  }
  const read = periodToRead(periods, now);
  const reading = read
    ? retentionSentence(
        journey.name,
        read.period,
        periodLabel(query.period, Date.parse(read.end), timeZone),
        read.difference!,
        read.pValue,
        !read.complete,
      )
    : null;
  return {
    journey: journey.name,
    displayName: journey.displayName,
    period: query.period,
    timezone: timeZone,
    from: toInstant(from),
    to: toInstant(to),
    rawEventsDays: config.retention.rawEventsDays,
    periods,
    reading,
  };
}
