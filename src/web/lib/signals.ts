/** Customer signals on the dashboard (docs/signals.md): the blind-spot sentence of the paradox banner and the stream's wording. */
import type { Signal, SignalStatus } from './api-types.js';

/** What the banner needs of a journey. */
export interface BlindSpotJourney {
  displayName: string;
  signals?: SignalStatus | undefined;
}

/**
 * The banner's blind-spot sentence, or null when no journey has one: "Customers complain about Statements;
 * no SLI shows it". Up to three journeys are named, the rest counted.
 * @example blindSpotMessage([{ displayName: 'Statements', signals: { …, blindSpot: true } }]) // 'Customers complain about Statements; no SLI shows it'
 */
export function blindSpotMessage(journeys: readonly BlindSpotJourney[]): string | null {
  const names = journeys.filter((j) => j.signals?.blindSpot).map((j) => j.displayName);
  if (names.length === 0) return null;
  const shown = names.slice(0, 3);
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  const list = shown.length === 1 || more ? shown.join(', ') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `Customers complain about ${list}${more}; no SLI shows ${names.length === 1 ? 'it' : 'them'}`;
}

/**
 * The status line of a journey's signals: the last hour against the baseline, and what that means.
 * @example signalStatusText({ lastHour: 12, baseline: 3, minSpike: 10, spiking: true, blindSpot: true })
 * // '12 in the last hour against a usual 3 (same hour, last 4 weeks): spiking, and no SLI shows it'
 */
export function signalStatusText(status: SignalStatus): string {
  const usual = Number.isInteger(status.baseline) ? String(status.baseline) : status.baseline.toFixed(2);
  const head = `${status.lastHour} in the last hour against a usual ${usual} (same hour, last 4 weeks)`;
  if (status.blindSpot) return `${head}: spiking, and no SLI shows it`;
  if (status.spiking) return `${head}: spiking, and the SLOs or infrastructure show it too`;
  return `${head}: no spike (a spike is at least 3 × the usual and at least ${status.minSpike})`;
}

/** How a signal's origin reads: its source, and the keyword that mapped it when one did. */
export function signalOrigin(signal: Pick<Signal, 'source' | 'keyword' | 'count'>): string {
  const count = signal.count > 1 ? ` × ${signal.count}` : '';
  return `${signal.source}${count}${signal.keyword ? ` · matched “${signal.keyword}”` : ''}`;
}
