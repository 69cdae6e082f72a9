/** Alert states as the dashboard shows them: always an icon and a word beside the colour (colour-blind safe). */
import type { SloStatus } from './api-types.js';

export type Level = 'page' | 'ticket' | 'warn' | 'ok' | 'nodata';

export interface LevelStyle {
  icon: string;
  label: string;
  /** CSS class carrying the Okabe–Ito colour. */
  className: string;
}

export const LEVELS: Readonly<Record<Level, LevelStyle>> = {
  page: { icon: '●', label: 'Page', className: 'lvl-page' },
  ticket: { icon: '▲', label: 'Ticket', className: 'lvl-ticket' },
  warn: { icon: '◆', label: 'At risk', className: 'lvl-warn' },
  ok: { icon: '✓', label: 'OK', className: 'lvl-ok' },
  nodata: { icon: '○', label: 'No data', className: 'lvl-nodata' },
};

/** How urgent a level is, for sorting: page first. */
export const LEVEL_RANK: Readonly<Record<Level, number>> = { page: 4, ticket: 3, warn: 2, ok: 1, nodata: 0 };

/**
 * The level of one SLO: page or ticket when an alert pair fires; `warn` (at risk) when the error budget is
 * spent or the last hour burned it faster than sustainable (burn > 1) without an alert yet; no data when
 * the window holds no event.
 */
export function sloLevel(status: Pick<SloStatus, 'alerts' | 'total' | 'burnRates' | 'errorBudget'>): Level {
  if (status.alerts.page) return 'page';
  if (status.alerts.ticket) return 'ticket';
  if (status.total === 0) return 'nodata';
  const burn = status.burnRates['1h'];
  if (status.errorBudget.remaining <= 0 || (burn !== null && burn > 1)) return 'warn';
  return 'ok';
}

/** The worst level among several. */
export function worstLevel(levels: Level[]): Level {
  let worst: Level = 'nodata';
  for (const level of levels) if (LEVEL_RANK[level] > LEVEL_RANK[worst]) worst = level;
  return worst;
}

/** The level of a step or journey success rate against an objective (percent). */
export function successLevel(rate: number | null, objective: number): Level {
  if (rate === null) return 'nodata';
  const allowedFailure = 1 - objective / 100;
  const failure = 1 - rate;
  // Failing ten times faster than the objective allows is a page-worthy rate; above it at all, a burn.
  if (failure > allowedFailure * 10 && failure > 0.01) return 'page';
  if (failure > allowedFailure) return 'warn';
  return 'ok';
}
