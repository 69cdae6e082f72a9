/** The value view's pure parts (docs/value.md): the periods offered, the figures of each method in words, and the chart's columns. */
import type { JourneyValueAnswer } from './api-types.js';
import type { Columns } from './slo-charts.js';
import { formatAmount } from '../../model/money.js';
import { formatCount } from './format.js';

type Hour = JourneyValueAnswer['hours'][number];
type Money = { amount: number; currency: string };

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A period the month picker offers: `last30` (the default) or a calendar month `YYYY-MM`, in UTC as the API counts. */
export interface ValuePeriod {
  key: string;
  label: string;
  fromMs: number;
  toMs: number;
}

export const DEFAULT_VALUE_PERIOD = 'last30';

/**
 * The periods offered at `nowMs`: the last 30 days, then the current and the `months − 1` previous calendar months (UTC),
 * newest first; the current month ends now.
 * @example valuePeriods(Date.UTC(2026, 10, 27, 9), 2).map((p) => p.key) // ['last30', '2026-11', '2026-10']
 */
export function valuePeriods(nowMs: number, months = 12): ValuePeriod[] {
  const now = new Date(nowMs);
  const out: ValuePeriod[] = [{ key: DEFAULT_VALUE_PERIOD, label: 'Last 30 days', fromMs: nowMs - 30 * DAY_MS, toMs: nowMs }];
  for (let i = 0; i < months; i++) {
    const fromMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1);
    const d = new Date(fromMs);
    const key = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    const toMs = Math.min(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1), nowMs);
    out.push({ key, label: `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`, fromMs, toMs });
  }
  return out;
}

/**
 * The period of a picked key; an unknown key (an old link) is the default.
 * @example valuePeriod('2026-10', Date.UTC(2026, 10, 27)).fromMs // Date.UTC(2026, 9, 1)
 */
export function valuePeriod(key: string | null, nowMs: number): ValuePeriod {
  const all = valuePeriods(nowMs, 12);
  const found = all.find((p) => p.key === key);
  if (found) return found;
  const m = /^(\d{4})-(\d{2})$/.exec(key ?? '');
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    const fromMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
    if (fromMs < nowMs) {
      const toMs = Math.min(Date.UTC(Number(m[1]), Number(m[2]), 1), nowMs);
      return { key: key!, label: `${MONTHS[Number(m[2]) - 1]} ${m[1]}`, fromMs, toMs };
    }
  }
  return all[0]!;
}

/**
 * Amounts in several currencies, never added, written as the boardroom sentence writes them (formatAmount): "£5.4k + €1.2k";
 * "nothing" for an empty list.
 * @example moneyList([{ amount: 5418.9, currency: 'GBP' }]) // "£5.4k"
 */
export function moneyList(list: readonly Money[]): string {
  return list.length === 0 ? 'nothing' : list.map((m) => formatAmount(m.amount, m.currency)).join(' + ');
}

/**
 * The range across the methods, per currency: "£3.1k – £2.7M"; null when no method could be computed.
 * @example rangeText([{ currency: 'GBP', low: 3102.3, high: 2_670_000 }]) // "£3.1k – £2.7M"
 */
export function rangeText(range: JourneyValueAnswer['range']): string | null {
  if (range.length === 0) return null;
  return range
    .map((r) => {
      const low = formatAmount(r.low, r.currency);
      const high = formatAmount(r.high, r.currency);
      return low === high ? low : `${low} – ${high}`;
    })
    .join(' · ');
}

/** One method's card: its figure and how it was reached, or why it could not be computed. */
export interface MethodCard {
  key: 'direct' | 'abandonment' | 'elasticity';
  title: string;
  /** The money lost, or null when the method could not be computed. */
  figure: string | null;
  /** How the figure was reached, in a line; the reason when there is no figure. */
  detail: string;
}

const num = (n: number, digits: number) => Number(n.toFixed(digits)).toString();

/**
 * The three method cards, in the order the docs give them.
 * @example methodCards(value)[2].detail // "4.1% of volume lost per point of success (95%: 3.2–5), r² 0.62 · 37 degraded hours · 2,566,700 attempts lost"
 */
export function methodCards(value: Pick<JourneyValueAnswer, 'methods' | 'reasons'>): MethodCard[] {
  const { direct, abandonment, elasticity } = value.methods;
  return [
    {
      key: 'direct',
      title: 'Direct',
      figure: direct ? moneyList(direct.lost) : null,
      detail: direct
        ? `${formatCount(direct.failures)} failed attempts, each valued as a sale lost for good`
        : (value.reasons.direct ?? 'not computed'),
    },
    {
      key: 'abandonment',
      title: 'Abandonment',
      figure: abandonment ? moneyList(abandonment.lost) : null,
      detail: abandonment
        ? `${formatCount(abandonment.unrecovered)} not retried successfully within 30 min, ${formatCount(abandonment.recovered)} recovered` +
          (abandonment.sampled ? ` (from a sample of ${formatCount(abandonment.classified)})` : '')
        : (value.reasons.abandonment ?? 'not computed'),
    },
    {
      key: 'elasticity',
      title: 'Elasticity',
      figure: elasticity ? `${moneyList(elasticity.lost)} (${moneyList(elasticity.low)} – ${moneyList(elasticity.high)})` : null,
      detail: elasticity
        ? `${num(elasticity.elasticity, 1)}% of volume lost per point of success (95%: ${num(elasticity.elasticityLow, 1)}–` +
          `${num(elasticity.elasticityHigh, 1)}), r² ${num(elasticity.r2, 2)} · ${formatCount(elasticity.hoursDegraded)} degraded hours · ` +
          `${formatCount(elasticity.lostAttempts)} attempts lost`
        : (value.reasons.elasticity ?? 'not computed'),
    },
  ];
}

/**
 * The chart's columns: hour (epoch seconds), attempts, baseline attempts (null without history), success rate in percent
 * (null in an hour without valid events).
 * @example valueColumns([{ at: '1970-01-01T01:00:00.000Z', attempts: 90, baseline: 100, successRate: 0.95, degraded: true }])
 * // [[3600], [90], [100], [95]]
 */
export function valueColumns(hours: readonly Hour[]): Columns {
  return [
    hours.map((h) => Date.parse(h.at) / 1000),
    hours.map((h) => h.attempts),
    hours.map((h) => (h.baseline === null ? null : round(h.baseline))),
    hours.map((h) => (h.successRate === null ? null : round(h.successRate * 100))),
  ];
}

/** A degraded hour whose volume fell below its baseline: the lost volume the chart shades. */
export interface LostHour {
  /** Epoch seconds of the hour's start and end. */
  from: number;
  to: number;
  attempts: number;
  baseline: number;
}

/**
 * The hours to shade: degraded, with a baseline above the volume (the shortfall the elasticity fit reads as lost).
 * @example lostHours(hours).map((h) => h.baseline - h.attempts) // [10]
 */
export function lostHours(hours: readonly Hour[]): LostHour[] {
  return hours
    .filter((h) => h.degraded && h.baseline !== null && h.baseline > h.attempts)
    .map((h) => {
      const from = Date.parse(h.at) / 1000;
      return { from, to: from + HOUR_MS / 1000, attempts: h.attempts, baseline: h.baseline! };
    });
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
