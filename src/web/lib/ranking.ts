/**
 * The Where to invest page (docs/value.md ("Where to invest")): each ranked service as the cells it shows, with a verdict
 * that tells harm from noise.
 */
import type { RankedService } from './api-types.js';
import { formatCount, formatMoney, formatPercent } from './format.js';

/** `harm`: customers failed at its steps; `loud`: alerts but no failed attempt; `quiet`: neither. */
export type Verdict = 'harm' | 'loud' | 'quiet';

export interface RankingRow {
  rank: number;
  name: string;
  tier: string;
  failed: string;
  /** Value lost per currency, never added: "€16 + £3"; a dash when none. */
  lost: string;
  /** The largest share of an SLO's budget spent, with its SLO; a dash when none. */
  budget: string;
  budgetSlo: string | null;
  incidents: number;
  alerts: number;
  verdict: Verdict;
  /** One line for a screen reader and a tooltip: "12 alerts, 0 failed attempts". */
  summary: string;
}

/**
 * The cells of one ranked service.
 * @example rankingRow({ rank: 3, name: 'noisy', tier: 'critical', failedAttempts: 0, valueLost: [], slos: [], incidents: [], alerts: 12,
 *   pinnedAt: [] }).summary // '12 alerts, 0 failed attempts'
 */
export function rankingRow(s: RankedService): RankingRow {
  const worst = s.slos.reduce<RankedService['slos'][number] | null>(
    (w, x) => (x.spent !== null && x.spent > 0 && (w === null || x.spent > (w.spent ?? 0)) ? x : w),
    null,
  );
  const failed = Math.round(s.failedAttempts * 10) / 10;
  const verdict: Verdict = s.failedAttempts > 0 ? 'harm' : s.alerts > 0 ? 'loud' : 'quiet';
  return {
    rank: s.rank,
    name: s.name,
    tier: s.tier ?? '—',
    failed: formatCount(failed),
    lost: s.valueLost.length === 0 ? '—' : s.valueLost.map((m) => formatMoney(m.amount, m.currency)).join(' + '),
    budget: worst ? formatPercent(worst.spent, 1) : '—',
    budgetSlo: worst ? `${worst.journey} / ${worst.slo}` : null,
    incidents: s.incidents.length,
    alerts: s.alerts,
    verdict,
    summary: `${formatCount(s.alerts)} alert${s.alerts === 1 ? '' : 's'}, ${formatCount(failed)} failed attempt${failed === 1 ? '' : 's'}`,
  };
}
