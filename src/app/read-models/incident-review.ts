/** The incident review (docs/alerting.md ("Incident review")): timeline and figures, as JSON and as Markdown for a post-incident review. */
import { toInstant, toInstantOrNull } from '../../api/common.js';
import type { IncidentReviewResponse, ReviewDurations } from '../../api/incidents.js';
import type { Incident } from '../../model/incident.js';
import { formatMoney } from '../../model/money.js';
import { figuresJson } from './incident-views.js';

const seconds = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : Math.max(0, Math.round((to - from) / 1000));

/**
 * The review of an incident at `at` (epoch ms): its figures and the durations of detecting, acknowledging and resolving it.
 * @example incidentReview(incident, 14, Date.now()).durations.timeToDetect // 120
 */
export function incidentReview(incident: Incident, alertCount: number, at: number): IncidentReviewResponse {
  const figures = incident.figures ?? null;
  const start = figures?.firstFailureAt ?? incident.openedAt;
  const durations: ReviewDurations = {
    timeToDetect:
      figures?.firstFailureAt == null ? null : seconds(figures.firstFailureAt, Math.max(figures.firstFailureAt, incident.openedAt)),
    timeToAcknowledge: seconds(incident.openedAt, incident.acknowledgedAt),
    timeToResolve: seconds(incident.openedAt, incident.resolvedAt),
    duration: seconds(start, incident.resolvedAt ?? at),
  };
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    priority: incident.priority,
    reason: incident.reason,
    journeys: incident.journeys,
    stages: incident.stages,
    services: incident.services,
    openedAt: toInstant(incident.openedAt),
    acknowledgedAt: toInstantOrNull(incident.acknowledgedAt),
    resolvedAt: toInstantOrNull(incident.resolvedAt),
    figures: figures ? figuresJson(figures) : null,
    durations,
    alertCount,
    timeline: incident.timeline.map((entry) => ({ ...entry, at: toInstant(entry.at) })),
    generatedAt: toInstant(at),
  };
}

/** "1 h 04 min", "12 min", "45 s", or "—". */
export function durationWords(totalSeconds: number | null): string {
  if (totalSeconds === null) return '—';
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.round(totalSeconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/**
 * The review as Markdown: a summary table of the figures, then the timeline (UTC).
 * @example reviewMarkdown(incidentReview(incident, 14, Date.now())).startsWith('# Incident review: ') // true
 */
export function reviewMarkdown(review: IncidentReviewResponse): string {
  const f = review.figures;
  const d = review.durations;
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows: [string, string][] = [
    ['Incident', review.id],
    ['Status', review.status],
    ['Priority', `${review.priority}${f && f.peakPriority !== review.priority ? ` (peak ${f.peakPriority})` : ''}`],
    ['Reason', review.reason],
    ['Journeys', review.journeys.join(', ') || '—'],
    ['Stages', review.stages.map((s) => (s.step === null ? s.journey : `${s.journey} · ${s.step}`)).join(', ') || '—'],
    ['Services', review.services.join(', ') || '—'],
    ['Alerts', String(review.alertCount)],
    ['First failure', f?.firstFailureAt ?? '—'],
    ['Opened', review.openedAt],
    ['Acknowledged', review.acknowledgedAt ?? '—'],
    ['Resolved', review.resolvedAt ?? '—'],
    ['Time to detect', durationWords(d.timeToDetect)],
    ['Time to acknowledge', durationWords(d.timeToAcknowledge)],
    ['Time to resolve', durationWords(d.timeToResolve)],
    ['Duration', durationWords(d.duration)],
    ['Customers who failed', f ? count.format(f.customersFailed) : '—'],
    ['Failed attempts', f ? count.format(f.failedAttempts) : '—'],
    ['Value lost', f ? f.valueLost.map(formatMoney).join(', ') || 'none measured' : '—'],
    ['Peak burn rate', f?.peakBurnRate != null ? `${count.format(f.peakBurnRate)}×` : '—'],
    ['Peak failures per hour', f ? count.format(f.peakFailuresPerHour) : '—'],
    ['Measured over', f ? `${f.from} – ${f.to}` : '—'],
  ];
  const lines = [
    `# Incident review: ${review.title}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    '## Timeline',
    '',
    '| at (UTC) | what | |',
    '|---|---|---|',
    ...review.timeline.map((t) => `| ${t.at} | ${t.kind} | ${cell(t.message)} |`),
    '',
    `Generated ${review.generatedAt} by Vigil.`,
    '',
  ];
  return lines.join('\n');
}
