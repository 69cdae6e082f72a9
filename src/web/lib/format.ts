/** Number, money and time formatting for the dashboard: one place, so every page says figures the same way. */
import type { Money } from '../../model/money.js';

const LOCALE = 'en-GB';
const count = new Intl.NumberFormat(LOCALE);
const MINUS = '\u2212';

/** Decimals an objective is written with: 99.95 → 2, 99 → 0. */
export function objectiveDecimals(objective: number): number {
  const text = String(objective);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * A ratio (0.9991) as a percentage, truncated rather than rounded so that a near miss never reads as
 * a hit: 0.99996 with 2 decimals is "99.99%", not "100.00%". null is "—".
 * @example formatPercent(0.71234, 1) // "71.2%"
 */
export function formatPercent(ratio: number | null | undefined, decimals = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const scale = 10 ** decimals;
  // The epsilon absorbs binary noise (0.29 * 100 = 28.999…) before truncating.
  const scaled = ratio * 100 * scale;
  const truncated = (scaled < 0 ? Math.ceil(scaled - 1e-6) : Math.floor(scaled + 1e-6)) / scale;
  const text = Math.abs(truncated).toFixed(decimals);
  return `${truncated < 0 ? MINUS : ''}${text}%`;
}

/**
 * An SLI or attainment against its objective: one decimal more than the objective has (at least 2),
 * so 99.95 shows as 99.953%.
 * @example formatSli(0.99953, 99.95) // "99.953%"
 */
export function formatSli(ratio: number | null | undefined, objective: number): string {
  return formatPercent(ratio, Math.min(4, Math.max(2, objectiveDecimals(objective) + 1)));
}

/** Error budget remaining (1 = untouched, negative = overspent) with one decimal: "16.1%", "−76.8%". */
export function formatBudget(remaining: number | null | undefined): string {
  return formatPercent(remaining, 1);
}

/** A burn rate as a multiple of the sustainable rate: "2.1×"; "—" when there were no events. */
export function formatBurn(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  if (rate === 0) return '0×';
  if (rate >= 100) return `${Math.round(rate)}×`;
  return `${rate.toFixed(rate >= 10 ? 1 : 2)}×`;
}

/** A burn-rate factor as written in docs/slo-maths.md ("Alert pairs"): 13.44, 5.6, 0.9333. */
export function formatFactor(factor: number): string {
  return String(Number(factor.toFixed(4)));
}

/** A count with thousands separators: 2,140. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : count.format(n);
}

/**
 * Money, compact: "£38.2k", "€1.3m", "£950". Without a currency the amount alone.
 * @example formatMoney(38_200, 'GBP') // "£38.2k"
 */
export function formatMoney(amount: number, currency: string | null | undefined): string {
  const options: Intl.NumberFormatOptions = { notation: 'compact', maximumFractionDigits: amount >= 1000 ? 1 : 0 };
  if (currency) {
    try {
      return new Intl.NumberFormat(LOCALE, { ...options, style: 'currency', currency }).format(amount);
    } catch {
      // An unknown ISO code: show the code rather than fail the page.
      return `${new Intl.NumberFormat(LOCALE, options).format(amount)} ${currency}`;
    }
  }
  return new Intl.NumberFormat(LOCALE, options).format(amount);
}

/**
 * Money to the minor unit, with thousands separators, for figures that must add up: "£2,510.01".
 * @example formatExactMoney(2510.01, 'GBP') // "£2,510.01"
 */
export function formatExactMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).format(amount);
  } catch {
    return `${count.format(amount)} ${currency}`;
  }
}

/**
 * Value at risk per hour, one amount per currency and never a sum: "€600/h + £500/h"; a dash when none.
 * @example formatValueAtRisk([{ amount: 38_200, currency: 'GBP' }]) // "£38.2k/h"
 */
export function formatValueAtRisk(totals: readonly Money[] | null | undefined): string {
  if (!totals || totals.length === 0) return '—';
  return totals.map((m) => `${formatMoney(m.amount, m.currency)}/h`).join(' + ');
}

/** A duration in words, to the minute: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Formatters of instants in one time zone (the server's configured one), built once per zone. */
export interface TimeFormat {
  timeZone: string;
  /** "14:05" */
  clock(ms: number): string;
  /** "26 Nov, 14:05" */
  dateTime(ms: number): string;
  /** "26 Nov" */
  date(ms: number): string;
  /** The zone's short name at that instant: "GMT", "CET". */
  zoneName(ms: number): string;
}

/**
 * Time formatters for a zone; an unknown zone falls back to UTC rather than breaking the page.
 * @example timeFormat('Europe/London').clock(Date.UTC(2026, 6, 1, 12)) // "13:00"
 */
export function timeFormat(timeZone: string): TimeFormat {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat(LOCALE, { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const clock = new Intl.DateTimeFormat(LOCALE, { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dateTime = new Intl.DateTimeFormat(LOCALE, {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const date = new Intl.DateTimeFormat(LOCALE, { timeZone: zone, day: 'numeric', month: 'short' });
  const name = new Intl.DateTimeFormat(LOCALE, { timeZone: zone, timeZoneName: 'short' });
  return {
    timeZone: zone,
    clock: (ms) => clock.format(ms),
    dateTime: (ms) => dateTime.format(ms),
    date: (ms) => date.format(ms),
    zoneName: (ms) => name.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? zone,
  };
}
