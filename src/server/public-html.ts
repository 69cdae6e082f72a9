/**
 * The public page as HTML (docs/public-page.md): server-rendered, no script, one inline stylesheet allowed by its hash,
 * bars as inline SVG with a text alternative per day, every text escaped.
 */
import type { DayClass, PublicDay, PublicIncident, PublicJourney, PublicState, PublicSummary } from '../api/public.js';
import { escapeHtml } from './html.js';
import { styleHashSource } from './security-headers.js';

/** Okabe–Ito colours, as on the dashboard: bluish green, orange, vermillion; grey for no data. */
export const PUBLIC_STYLE = [
  ':root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de}',
  '@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--line:#30363d}}',
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:var(--bg);color:var(--fg);line-height:1.5}',
  'main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 3rem}',
  'h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:0}h3{font-size:1rem;margin:1rem 0 .25rem}',
  '.updated,.note,.legend,.range{color:var(--muted);font-size:.875rem}',
  '.journey{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1.25rem 0}',
  '.head{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between}',
  '.state{font-weight:600;margin:0}.state::before{content:"";display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em}',
  '.operational::before{background:#009E73}.degraded::before{background:#E69F00}.disrupted::before{background:#E69F00;border-radius:0}',
  '.major::before{background:#D55E00;border-radius:0;transform:rotate(45deg)}.quiet::before{background:#8c959f}',
  '.bars{display:block;width:100%;height:3rem;margin:.75rem 0 .25rem}',
  '.good{fill:#009E73}.reduced{fill:#E69F00}.poor{fill:#D55E00}.none{fill:#8c959f;fill-opacity:.35}',
  '.range{display:flex;justify-content:space-between}',
  '.legend span{white-space:nowrap;margin-right:1rem}',
  '.incidents{list-style:none;padding:0;margin:0}.incidents li{border-top:1px solid var(--line);padding:.5rem 0}',
  '.incidents p{margin:.25rem 0 0;white-space:pre-line}',
].join('');

/** The page's policy: no script, no fetch, nothing embedded; only its own inline stylesheet (docs/public-page.md ("Serving")). */
export const PUBLIC_CSP = [
  "default-src 'none'",
  `style-src ${styleHashSource(PUBLIC_STYLE)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BAR_WIDTH = 8;
const BAR_GAP = 2;
const BAR_HEIGHT = 40;
/** Height of a bar by class: the class reads without colour too. */
const HEIGHTS: Readonly<Record<DayClass, number>> = { good: 40, reduced: 28, poor: 16, none: 6 };
const STATE_LABELS: Readonly<Record<PublicState, string>> = {
  operational: 'Working normally',
  degraded: 'Minor issues',
  disrupted: 'Partial disruption',
  major: 'Major disruption',
  quiet: 'Quiet',
};

/**
 * A success rate as a percentage rounded down to a tenth, so 99.96% never shows as 100%.
 * @example percent(0.9925) // '99.2%'
 * @example percent(1) // '100%'
 */
export function percent(rate: number): string {
  if (rate >= 1) return '100%';
  return `${(Math.floor(rate * 1000 + 1e-9) / 10).toFixed(1)}%`;
}

/** "2026-11-12" → "12 Nov". */
function shortDate(date: string): string {
  const [, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1]}`;
}

/**
 * A day's text alternative.
 * @example dayText({ date: '2026-11-12', successRate: 0.992, class: 'reduced', kept: true }) // '12 Nov: 99.2% of attempts succeeded'
 */
export function dayText(day: PublicDay): string {
  if (!day.kept) return `${shortDate(day.date)}: no data (older than the figures kept)`;
  if (day.successRate === null) return `${shortDate(day.date)}: no data`;
  return `${shortDate(day.date)}: ${percent(day.successRate)} of attempts succeeded`;
}

function instantText(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

function bars(journey: PublicJourney, index: number): string {
  const width = journey.days.length * (BAR_WIDTH + BAR_GAP) - BAR_GAP;
  const items = journey.days.map((day, i) => {
    const height = HEIGHTS[day.class];
    const text = escapeHtml(dayText(day));
    return (
      `<g role="listitem" aria-label="${text}"><title>${text}</title>` +
      `<rect class="${day.class}" x="${i * (BAR_WIDTH + BAR_GAP)}" y="${BAR_HEIGHT - height}" width="${BAR_WIDTH}" height="${height}"/></g>`
    );
  });
  const label = escapeHtml(`Daily success of ${journey.name} over the last ${journey.days.length} days`);
  return (
    `<svg class="bars" id="bars-${index}" viewBox="0 0 ${width} ${BAR_HEIGHT}" preserveAspectRatio="none" role="list" aria-label="${label}">` +
    `${items.join('')}</svg>`
  );
}

function incidentItem(incident: PublicIncident, timeZone: string): string {
  const label = incident.severity === 'major' ? 'Major disruption' : 'Partial disruption';
  const when = incident.resolvedAt
    ? `${escapeHtml(instantText(incident.startedAt, timeZone))} – resolved ${escapeHtml(instantText(incident.resolvedAt, timeZone))}`
    : `since ${escapeHtml(instantText(incident.startedAt, timeZone))} – ongoing`;
  return `<li><strong>${label}</strong> <span class="note">${when}</span><p>${escapeHtml(incident.text)}</p></li>`;
}

/** The short label before the words, unless the words begin with it ("Major disruption: most … are failing"). */
function stateLabel(journey: PublicJourney): string {
  const label = STATE_LABELS[journey.state];
  return journey.words.startsWith(label) ? '' : `<span class="label">${label}:</span> `;
}

function journeySection(journey: PublicJourney, index: number, timeZone: string): string {
  const first = journey.days[0];
  const incidents =
    journey.incidents.length === 0
      ? `<p class="note">No major or partial disruption in the last ${journey.days.length} days.</p>`
      : `<ul class="incidents">${journey.incidents.map((i) => incidentItem(i, timeZone)).join('')}</ul>`;
  return (
    `<section class="journey" aria-labelledby="journey-${index}">` +
    `<div class="head"><h2 id="journey-${index}">${escapeHtml(journey.name)}</h2>` +
    `<p class="state ${journey.state}" data-state="${journey.state}">${stateLabel(journey)}${escapeHtml(journey.words)}</p></div>` +
    bars(journey, index) +
    `<div class="range"><span>${first ? escapeHtml(shortDate(first.date)) : ''}</span><span>Today</span></div>` +
    `<h3>Incidents</h3>${incidents}</section>`
  );
}

const LEGEND =
  '<p class="legend"><span>Tall green bar: at least 99.5% of attempts succeeded</span>' +
  '<span>Shorter orange bar: 95% to 99.5%</span><span>Short red bar: under 95%</span>' +
  '<span>Stub grey bar: no data</span></p>';

/**
 * The whole page.
 * @example const html = renderPublicPage(await api.publicPage.summary());
 */
export function renderPublicPage(summary: PublicSummary): string {
  const sections =
    summary.journeys.length === 0
      ? '<p>No service is published on this page yet.</p>'
      : summary.journeys.map((journey, i) => journeySection(journey, i, summary.timezone)).join('');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Service status</title>' +
    `<style>${PUBLIC_STYLE}</style></head><body><main><h1>Service status</h1>` +
    `<p class="updated">Updated <time datetime="${escapeHtml(summary.generatedAt)}">` +
    `${escapeHtml(instantText(summary.generatedAt, summary.timezone))}</time> (${escapeHtml(summary.timezone)} time). ` +
    'Each bar is one day: the share of attempts that succeeded.</p>' +
    `${LEGEND}${sections}</main></body></html>`
  );
}
