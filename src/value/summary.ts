/**
 * The range across the value methods and the boardroom sentence (docs/value.md ("The range and the sentence")).
 */
import type { Money } from '../model/money.js';
import { formatAmount } from '../model/money.js';

/** The low and high of every method that could be computed, per currency. */
export interface CurrencyRange {
  currency: string;
  low: number;
  high: number;
}

export interface MethodFigures {
  direct: Money[] | null;
  abandonment: Money[] | null;
  /** The interval's ends (central estimate between them). */
  elasticity: { lost: Money[]; low: Money[]; high: Money[] } | null;
}

/**
 * Per currency, the lowest and highest amount any computed method gives (elasticity by its interval).
 * @example valueRange({ direct: [{ amount: 5, currency: 'EUR' }], abandonment: [{ amount: 3, currency: 'EUR' }], elasticity: null })
 * // [{ currency: 'EUR', low: 3, high: 5 }]
 */
export function valueRange(m: MethodFigures): CurrencyRange[] {
  const lists: Money[][] = [];
  if (m.direct) lists.push(m.direct);
  if (m.abandonment) lists.push(m.abandonment);
  if (m.elasticity) lists.push(m.elasticity.low, m.elasticity.high);
  const currencies = [...new Set(lists.flat().map((x) => x.currency))].sort();
  return currencies.map((currency) => {
    // A method that gives nothing in a currency lost nothing in it.
    const amounts = lists.map((list) => list.find((x) => x.currency === currency)?.amount ?? 0);
    return { currency, low: Math.min(...amounts), high: Math.max(...amounts) };
  });
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The period in words, in UTC: "in November 2026" for a whole calendar month, else "from 3 to 17 November 2026" or
 * "from 20 October to 3 November 2026" (the end is the last day the period touches).
 * @example periodWords(Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1)) // 'in November 2026'
 */
export function periodWords(from: number, to: number): string {
  const a = new Date(from);
  const b = new Date(to - 1);
  const wholeMonth = a.getUTCDate() === 1 && from % 86_400_000 === 0 && to === Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 1);
  if (wholeMonth) return `in ${MONTHS[a.getUTCMonth()]} ${a.getUTCFullYear()}`;
  const day = (d: Date) => d.getUTCDate();
  const month = (d: Date) => MONTHS[d.getUTCMonth()]!;
  if (a.getUTCFullYear() !== b.getUTCFullYear())
    return `from ${day(a)} ${month(a)} ${a.getUTCFullYear()} to ${day(b)} ${month(b)} ${b.getUTCFullYear()}`;
  if (a.getUTCMonth() !== b.getUTCMonth()) return `from ${day(a)} ${month(a)} to ${day(b)} ${month(b)} ${b.getUTCFullYear()}`;
  return `from ${day(a)} to ${day(b)} ${month(b)} ${b.getUTCFullYear()}`;
}

const amounts = (list: Money[]): string => (list.length === 0 ? '0' : list.map((m) => formatAmount(m.amount, m.currency)).join(' + '));

export interface StatementInput {
  /** The journey's display name, lower-cased in the sentence ("card payment"). */
  journey: string;
  from: number;
  to: number;
  /** Points of success lost against the baseline (null when there is no baseline). */
  dropPoints: number | null;
  /** The period's failure share, 0..1 (null without attempts). */
  failureShare: number | null;
  methods: MethodFigures;
  range: CurrencyRange[];
}

/**
 * The boardroom sentence: "A 0.5-point drop in card payment success cost between £3.1k and £2.7M in November 2026
 * (direct £5.4k, abandonment £3.1k, elasticity £1.9M–£2.7M)." A method that could not be computed says so.
 * @example boardroomSentence({ journey: 'Card payment', from, to, dropPoints: 0.5, failureShare: 0.005, methods, range })
 */
export function boardroomSentence(s: StatementInput): string {
  const name = s.journey.toLowerCase();
  const period = periodWords(s.from, s.to);
  if (s.range.length === 0) {
    if (s.failureShare === null) return `No ${name} attempts ${period}: nothing to value.`;
    return `No value could be put on ${name} failures ${period}: no method had what it needs.`;
  }
  const subject =
    s.dropPoints !== null && s.dropPoints >= 0.05
      ? `A ${s.dropPoints.toFixed(1)}-point drop in ${name} success`
      : `${name.charAt(0).toUpperCase()}${name.slice(1)} failures (${((s.failureShare ?? 0) * 100).toFixed(2)}% of attempts)`;
  const cost = s.range
    .map((r) =>
      formatAmount(r.low, r.currency) === formatAmount(r.high, r.currency)
        ? formatAmount(r.low, r.currency)
        : `between ${formatAmount(r.low, r.currency)} and ${formatAmount(r.high, r.currency)}`,
    )
    .join(' and ');
  const parts: string[] = [];
  parts.push(s.methods.direct ? `direct ${amounts(s.methods.direct)}` : 'direct: no value');
  parts.push(s.methods.abandonment ? `abandonment ${amounts(s.methods.abandonment)}` : 'abandonment: not computed');
  parts.push(
    s.methods.elasticity
      ? `elasticity ${amounts(s.methods.elasticity.low)}–${amounts(s.methods.elasticity.high)}`
      : 'elasticity: not enough history',
  );
  return `${subject} cost ${cost} ${period} (${parts.join(', ')}).`;
}
