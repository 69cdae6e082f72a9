/** The release parts of the dashboard (docs/release.md): deployment and correction marks on the SLO charts, the gate in one line, policy states. */
import type { GateResponse, SeriesCorrection, SeriesDeployment } from './api-types.js';
import { formatPercent } from './format.js';

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * A link the dashboard may open: http and https only (a `javascript:` or `data:` URL from a pipeline is shown as text, never a link).
 * @example safeUrl('https://ci.example/run/2211') // 'https://ci.example/run/2211'
 * @example safeUrl('javascript:alert(1)') // null
 */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * What a deployment spent of the budget in words: "33% of budget"; "no events" when nothing was allowed in the window.
 * @example spentText(0.3312) // "33% of budget"
 */
export function spentText(consumed: number | null): string {
  if (consumed === null) return 'spend unknown: no events';
  return `${formatPercent(consumed, consumed !== 0 && Math.abs(consumed) < 0.1 ? 1 : 0)} of budget`;
}

export interface DeploymentMarker {
  id: string;
  /** Epoch seconds of the start, on the chart's time axis. */
  at: number;
  /** The label drawn on the chart: "2.14.0 · 33% of budget". */
  label: string;
  version: string;
  service: string;
  author: string | null;
  description: string | null;
  /** The run's link when it is http(s), else null. */
  url: string | null;
  /** The attribution interval, epoch ms. */
  fromMs: number;
  toMs: number;
  consumed: number | null;
  baseline: number | null;
  excess: number | null;
}

/**
 * The deployments of a series as markers on the burn-down, oldest first; those that started before the range are
 * pinned to its start (their interval still runs into it).
 * @example deploymentMarkers(series.deployments, from, to).map((m) => m.label) // ["2.14.0 · 33% of budget"]
 */
export function deploymentMarkers(deployments: readonly SeriesDeployment[], fromMs: number, toMs: number): DeploymentMarker[] {
  return deployments
    .map((d) => ({ d, start: Date.parse(d.startedAt) }))
    .filter(({ start }) => start <= toMs)
    .map(({ d, start }) => ({
      id: d.id,
      at: seconds(Math.max(start, fromMs)),
      label: `${d.version} · ${spentText(d.consumed)}`,
      version: d.version,
      service: d.service,
      author: d.author,
      description: d.description,
      url: safeUrl(d.url),
      fromMs: Date.parse(d.attribution.from),
      toMs: Date.parse(d.attribution.to),
      consumed: d.consumed,
      baseline: d.baseline,
      excess: d.excess,
    }))
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

/** A shaded span on a chart's time axis with its name. */
export interface ChartBand {
  /** Epoch seconds, clamped to the chart's range. */
  from: number;
  to: number;
  label: string;
  title: string;
}

/**
 * Corrections (maintenance windows) meeting [fromMs, toMs] as bands labelled with their names.
 * @example correctionBands([{ name: 'ledger-upgrade', from, to, reason: null }], f, t)[0].label // "ledger-upgrade"
 */
export function correctionBands(corrections: readonly SeriesCorrection[], fromMs: number, toMs: number): ChartBand[] {
  return corrections
    .map((c) => ({ c, from: Date.parse(c.from), to: Date.parse(c.to) }))
    .filter(({ from, to }) => from <= toMs && to >= fromMs)
    .map(({ c, from, to }) => ({
      from: seconds(Math.max(from, fromMs)),
      to: seconds(Math.min(to, toMs)),
      label: c.name,
      title: `${c.name}: events left out of every figure${c.reason ? ` (${c.reason})` : ''}`,
    }))
    .sort((a, b) => a.from - b.from);
}

/**
 * Rows for labels on a chart so that none prints over another: each label (its left edge `x` and `width`, in pixels)
 * takes the first row whose last label ends `gap` pixels left of it; beyond `maxRows` it gets null (drawn without a label).
 * The same first-fit the incident markers use (slo-charts.ts layoutMarkers).
 * @example labelRows([{ x: 0, width: 100 }, { x: 50, width: 100 }, { x: 120, width: 40 }], 2) // [0, 1, 0]
 */
export function labelRows(labels: readonly { x: number; width: number }[], maxRows = 2, gap = 4): (number | null)[] {
  const rows: (number | null)[] = labels.map(() => null);
  const order = labels.map((l, i) => ({ ...l, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const rowEnds: number[] = [];
  for (const l of order) {
    let row = rowEnds.findIndex((end) => end + gap <= l.x);
    if (row === -1 && rowEnds.length < maxRows) row = rowEnds.push(0) - 1;
    if (row === -1) continue;
    rowEnds[row] = l.x + l.width;
    rows[l.i] = row;
  }
  return rows;
}

/** A budget-policy state shown with an icon and a word (never colour alone); unknown names from a custom policy read neutral. */
export interface PolicyStyle {
  icon: string;
  label: string;
  className: string;
}

const POLICY: Readonly<Record<string, PolicyStyle>> = {
  healthy: { icon: '✓', label: 'Healthy', className: 'lvl-ok' },
  caution: { icon: '▲', label: 'Caution', className: 'lvl-ticket' },
  frozen: { icon: '■', label: 'Frozen', className: 'lvl-exhausted' },
};

/**
 * @example policyStyle('frozen') // { icon: '■', label: 'Frozen', className: 'lvl-exhausted' }
 * @example policyStyle('hold') // { icon: '◆', label: 'Hold', className: 'lvl-nodata' }
 */
export function policyStyle(state: string): PolicyStyle {
  return POLICY[state] ?? { icon: '◆', label: `${state.charAt(0).toUpperCase()}${state.slice(1)}`, className: 'lvl-nodata' };
}

const DECISION_WORD: Record<GateResponse['decision'], string> = {
  allow: 'allowed',
  warn: 'allowed with a warning',
  deny: 'denied',
  cannot_decide: 'cannot be decided',
};

/**
 * The product manager's answer for one SLO, in one line (docs/release.md ("The release gate")): the decision, this SLO's
 * margin in words and its state; the exception that turned a deny into an allow, when there is one.
 * @example gateLine(gate, 'wire-transfer', 'success')
 * // "Release: allowed — the budget absorbs 412 more failed attempts, or 9 minutes of full outage, at today's volume (healthy)."
 */
export function gateLine(gate: GateResponse, journey: string, slo: string): string {
  const word = DECISION_WORD[gate.decision];
  const mine = gate.journeys.find((j) => j.journey === journey)?.slos.find((s) => s.slo === slo);
  const exception = gate.exception ? ` by exception (${gate.exception.author}: ${gate.exception.reason})` : '';
  if (!mine) return `Release: ${word}${exception}${gate.reasons.length > 0 ? ` — ${gate.reasons[0]}` : ''}.`;
  return `Release: ${word}${exception} — ${mine.margin.text} (${mine.state}).`;
}
