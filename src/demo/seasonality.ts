/** How demand for a journey varies with local time: daily shape, day of week, paydays. */
import { isPayday, type LocalTime } from './calendar.js';

/** Families of demand: app usage, card spending, account-to-account payments, applications. */
export type DemandKind = 'app' | 'card' | 'payments' | 'onboarding';

/**
 * Relative demand at each local hour (00:00 … 23:00), interpolated linearly between hours.
 * App usage has morning, lunch and evening peaks; card spending peaks at lunch and after work;
 * transfers are an office-hours activity; applications are filled in in the evening.
 */
const HOURLY: Record<DemandKind, readonly number[]> = {
  app: [
    0.1, 0.06, 0.04, 0.03, 0.03, 0.06, 0.2, 0.55, 0.95, 0.9, 0.85, 0.95, 1.15, 1.05, 0.85, 0.8, 0.85, 0.95, 1.05, 1.15, 1.1, 0.9, 0.6, 0.3,
  ],
  card: [
    0.06, 0.04, 0.03, 0.02, 0.02, 0.04, 0.15, 0.45, 0.75, 0.8, 0.9, 1.1, 1.4, 1.2, 0.95, 0.9, 1.0, 1.2, 1.25, 1.05, 0.85, 0.6, 0.35, 0.15,
  ],
  payments: [
    0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.2, 0.6, 1.1, 1.3, 1.25, 1.15, 1.1, 1.05, 1.1, 1.15, 1.05, 0.9, 0.75, 0.65, 0.55, 0.4, 0.25, 0.12,
  ],
  onboarding: [
    0.1, 0.05, 0.03, 0.02, 0.02, 0.04, 0.1, 0.3, 0.6, 0.8, 0.9, 1.0, 1.1, 1.0, 0.95, 0.95, 1.0, 1.1, 1.3, 1.5, 1.5, 1.2, 0.7, 0.3,
  ],
};

/** Sunday … Saturday. Transfers drop at weekends; card spending peaks on Saturday. */
const WEEKLY: Record<DemandKind, readonly number[]> = {
  app: [0.8, 1.05, 1.0, 1.0, 1.0, 1.05, 0.85],
  card: [0.8, 0.9, 0.95, 0.95, 1.0, 1.15, 1.3],
  payments: [0.45, 1.15, 1.05, 1.05, 1.05, 1.2, 0.55],
  onboarding: [1.15, 1.05, 1.0, 1.0, 0.95, 0.85, 0.9],
};

/** Salary day: customers check balances, pay rent and friends, and go shopping. */
const PAYDAY: Record<DemandKind, number> = { app: 1.5, card: 1.3, payments: 1.8, onboarding: 1.0 };

function normalise(curve: readonly number[]): number[] {
  const mean = curve.reduce((sum, x) => sum + x, 0) / curve.length;
  return curve.map((x) => x / mean);
}

const HOURLY_NORMALISED = Object.fromEntries(
  (Object.keys(HOURLY) as DemandKind[]).map((kind) => [kind, normalise(HOURLY[kind])]),
) as Record<DemandKind, number[]>;

/** Demand at a minute of the local day, relative to the day's mean (the curve averages to 1). */
export function dailyFactor(kind: DemandKind, minuteOfDay: number): number {
  const curve = HOURLY_NORMALISED[kind];
  const hour = Math.floor(minuteOfDay / 60) % 24;
  const from = curve[hour] ?? 1;
  const to = curve[(hour + 1) % 24] ?? 1;
  return from + ((to - from) * (minuteOfDay % 60)) / 60;
}

/**
 * Expected demand at a local time relative to the journey's base rate: daily shape × day of week ×
 * payday. Random day-to-day variation is applied by the caller.
 * @example demandFactor('card', { ...saturdayNoon }) > demandFactor('card', { ...tuesdayNoon })
 */
export function demandFactor(kind: DemandKind, time: LocalTime): number {
  const weekly = WEEKLY[kind][time.weekday] ?? 1;
  const payday = isPayday(time) ? PAYDAY[kind] : 1;
  return dailyFactor(kind, time.minuteOfDay) * weekly * payday;
}
