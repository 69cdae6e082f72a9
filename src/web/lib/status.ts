/** Alert states as the dashboard shows them: always an icon and a word beside the colour (colour-blind safe). */
import type { SloStatus } from './api-types.js';
import { formatBudget, formatCount, formatExactMoney } from './format.js';

export type Level = 'exhausted' | 'page' | 'ticket' | 'warn' | 'ok' | 'insufficient' | 'nodata';

export interface LevelStyle {
  icon: string;
  label: string;
  /** CSS class carrying the Okabe–Ito colour. */
  className: string;
}

export const LEVELS: Readonly<Record<Level, LevelStyle>> = {
  exhausted: { icon: '■', label: 'Budget exhausted', className: 'lvl-exhausted' },
  page: { icon: '●', label: 'Page', className: 'lvl-page' },
  ticket: { icon: '▲', label: 'Ticket', className: 'lvl-ticket' },
  warn: { icon: '◆', label: 'At risk', className: 'lvl-warn' },
  ok: { icon: '✓', label: 'OK', className: 'lvl-ok' },
  insufficient: { icon: '◌', label: 'Not enough data yet', className: 'lvl-nodata' },
  nodata: { icon: '○', label: 'No data', className: 'lvl-nodata' },
};

/** How urgent a level is, for sorting: page first. */
export const LEVEL_RANK: Readonly<Record<Level, number>> = { exhausted: 6, page: 5, ticket: 4, warn: 3, ok: 2, insufficient: 1, nodata: 0 };

/**
 * The level of one SLO, from the state the engine computed (docs/slo-maths.md ("Budget states")): a spent budget
 * is `exhausted`, never OK; too few events is "not enough data yet" (or "no data" with none at all).
 * @example sloLevel({ state: 'exhausted', total: 1000 }) // 'exhausted'
 */
export function sloLevel(status: Pick<SloStatus, 'state' | 'total'>): Level {
  switch (status.state) {
    case 'exhausted':
      return 'exhausted';
    case 'page':
      return 'page';
    case 'ticket':
      return 'ticket';
    case 'at_risk':
      return 'warn';
    case 'insufficient_data':
      return status.total === 0 ? 'nodata' : 'insufficient';
    case 'ok':
      return 'ok';
  }
}

/**
 * The error budget left as the dashboard shows it: the figure, or "not enough data yet" when the engine says
 * the window holds too few events for the figure to mean anything (one failure early in a month reads −150 %).
 * @example budgetText({ state: 'insufficient_data', errorBudget: { allowed: 0.4, consumed: 1, remaining: -1.5 } }) // 'not enough data yet'
 */
export function budgetText(status: Pick<SloStatus, 'state' | 'errorBudget'>): string {
  return status.state === 'insufficient_data' ? 'not enough data yet' : formatBudget(status.errorBudget.remaining);
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

/**
 * A figure of an SLO status in its unit (docs/slo-maths.md ("Value-weighted SLIs")): money with the currency when
 * the SLO is amount-weighted, else a count.
 * @example sloFigure({ unit: 'amount', currency: 'GBP' }, 2510.01) // "£2,510.01"
 * @example sloFigure({ unit: 'events' }, 2140) // "2,140"
 */
export function sloFigure(status: Pick<SloStatus, 'unit' | 'currency'>, n: number): string {
  return status.unit === 'amount' && status.currency ? formatExactMoney(n, status.currency) : formatCount(n);
}
