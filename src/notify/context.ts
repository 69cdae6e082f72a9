/** What every notification payload builder is given, and the wording they share. */
import { formatCount } from '../incidents/reason.js';
import type { NotificationTarget, Routing } from '../model/config.js';
import type { Stage } from '../model/alert.js';
import type { Incident } from '../model/incident.js';
import { formatMoneyTotals } from '../model/money.js';

/**
 * What happened to an incident. `classified`: it became major under DORA (docs/dora.md ("Notifications")).
 * `tolerance_warning` and `tolerance_breached`: an important business service it touches has been disrupted for half its
 * impact tolerance, or longer than it (docs/impact-tolerances.md ("Warning and breach")).
 */
export type IncidentChange =
  | 'opened'
  | 'escalated'
  | 'acknowledged'
  | 'resolved'
  | 'classified'
  | 'tolerance_warning'
  | 'tolerance_breached';

/** Whether a change is an impact-tolerance warning or breach. */
export function isToleranceChange(change: IncidentChange): change is 'tolerance_warning' | 'tolerance_breached' {
  return change === 'tolerance_warning' || change === 'tolerance_breached';
}

export interface PayloadContext {
  change: IncidentChange;
  routing: Routing;
  target: NotificationTarget;
  /** When the notification is made (epoch ms). */
  now: number;
  /** Link to the incident: absolute when notifications.externalUrl is set, else a path. */
  incidentUrl: string;
  timezone: string;
  /** For a tolerance warning or breach: its words, as on the incident's timeline. */
  note?: string;
  /** For an incident classified major under DORA: "DORA: major — initial notification due by 14:32" (docs/dora.md ("Notifications")). */
  dora?: string;
}

/** "wire-transfer › confirm", or the journey name for a whole-journey stage. */
export function stageText(stage: Stage): string {
  return stage.step === null ? stage.journey : `${stage.journey} › ${stage.step}`;
}

/** Customers affected, or null when the impact has not been assessed. */
export function customersText(incident: Incident): string | null {
  return incident.impact ? formatCount(incident.impact.customersAffected) : null;
}

/** "€38k/h", "€38k/h + £2.1k/h" (one amount per currency, never summed), "none", or null when the impact has not been assessed. */
export function valueAtRiskText(incident: Incident): string | null {
  if (!incident.impact) return null;
  return formatMoneyTotals(incident.impact.valueAtRiskPerHour, '/h') ?? 'none';
}

/** "26 Nov 2026, 09:58 (Europe/London)". */
export function localTime(ms: number, timezone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  return `${text} (${timezone})`;
}

/**
 * "P1 incident opened: <reason>", the one line every target can show; for a major incident under DORA followed by its
 * reporting clock: "… · DORA: major — initial notification due by 14:32" (`extra`); for a tolerance warning or breach,
 * "P1 incident: " and its words (`extra`).
 */
export function headline(incident: Incident, change: IncidentChange, extra?: string): string {
  if (isToleranceChange(change)) return `${incident.priority} incident: ${extra ?? change.replace('_', ' ')}`;
  const dora = extra;
  const merged = change === 'resolved' && incident.mergedInto ? ` (merged into ${incident.mergedInto})` : '';
  const what = change === 'classified' ? 'classified major under DORA' : change;
  return `${incident.priority} incident ${what}${merged}: ${incident.reason || incident.title}${dora ? ` · ${dora}` : ''}`;
}

/** The headline of a payload: with the tolerance words or the DORA clock its context carries. */
export function headlineOf(incident: Incident, context: PayloadContext): string {
  return headline(incident, context.change, isToleranceChange(context.change) ? context.note : context.dora);
}
