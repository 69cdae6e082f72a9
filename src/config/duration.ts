/** Parsing of SLO windows (`28d`, `month`) and plain durations (`10m`, `35d`) written in vigil.yaml. */
import type { WindowSpec } from '../model/config.js';

/** A tagged result: parsers in the config layer report problems as values, never by throwing. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const MINUTES_PER_UNIT = { m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 } as const;

/** The longest rolling window: beyond ~13 months raw-event retention and recomputation stop making sense. */
export const MAX_WINDOW_MINUTES = 400 * MINUTES_PER_UNIT.d;

const CALENDAR_UNITS = ['week', 'month', 'quarter'] as const;
// Integers only, no sign, no leading zeros beyond "0" itself, no spaces: `1.5h` or `+2d` is more likely a typo than intent.
const DURATION_PATTERN = /^(0|[1-9][0-9]*)([mhdw])$/;

/**
 * Parses `Nm`, `Nh`, `Nd` or `Nw` (N a positive integer) into minutes.
 * @example parseDurationMinutes('2h') // { ok: true, value: 120 }
 */
export function parseDurationMinutes(text: string): Parsed<number> {
  const match = DURATION_PATTERN.exec(text);
  if (!match) {
    return { ok: false, message: `expected a duration such as 10m, 2h, 35d or 4w, got '${text}'` };
  }
  const amount = Number(match[1]);
  if (amount === 0) return { ok: false, message: `expected a duration greater than zero, got '${text}'` };
  const unit = match[2] as keyof typeof MINUTES_PER_UNIT;
  return { ok: true, value: amount * MINUTES_PER_UNIT[unit] };
}

/**
 * Parses an SLO window: rolling `Nm | Nh | Nd | Nw` (1 minute to 400 days) or calendar `week | month | quarter`.
 * @example parseWindow('28d') // { ok: true, value: { kind: 'rolling', minutes: 40320, text: '28d' } }
 * @example parseWindow('month') // { ok: true, value: { kind: 'calendar', unit: 'month', text: 'month' } }
 */
export function parseWindow(text: string): Parsed<WindowSpec> {
  const calendar = CALENDAR_UNITS.find((unit) => unit === text);
  if (calendar) return { ok: true, value: { kind: 'calendar', unit: calendar, text } };
  if (!DURATION_PATTERN.test(text)) {
    return { ok: false, message: `expected a rolling window (Nm, Nh, Nd or Nw, e.g. 28d) or week, month or quarter, got '${text}'` };
  }
  const minutes = parseDurationMinutes(text);
  if (!minutes.ok) return { ok: false, message: `expected a window of at least 1 minute, got '${text}'` };
  if (minutes.value > MAX_WINDOW_MINUTES) {
    return { ok: false, message: `expected a window of at most 400 days, got '${text}'` };
  }
  return { ok: true, value: { kind: 'rolling', minutes: minutes.value, text } };
}
