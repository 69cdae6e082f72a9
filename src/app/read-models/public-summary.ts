/**
 * The public page's data (docs/public-page.md): for each journey marked `public: true`, its state in customer words, its
 * daily success over the last 90 days from the SLO registry's minute aggregates (never a scan of raw events), and the
 * P1–P2 incidents that touched it with their public text. Nothing internal leaves this module: no volumes, services,
 * alert text, customer ids or incident titles.
 */
import { toInstant, toInstantOrNull } from '../../api/common.js';
import type { DayClass, PublicDay, PublicIncident, PublicJourney, PublicState, PublicSummary } from '../../api/public.js';
import type { SloRegistry } from '../../engine/slo-registry.js';
import { wallTime, zonedTimeToUtc } from '../../engine/timezone.js';
import type { JourneySpec } from '../../model/config.js';
import type { Incident, Priority, PublicText } from '../../model/incident.js';
import type { AlertingStore } from '../../store/alerting/alerting-store.js';

/** Days of bars on the page, today included. */
export const PUBLIC_DAYS = 90;
/** A day's class (docs/public-page.md ("The daily bars")): at least this success rate is `good`, at least REDUCED `reduced`. */
export const GOOD_RATE = 0.995;
export const REDUCED_RATE = 0.95;
/** The state is `major` when, over the last MAJOR_MINUTES, at least MAJOR_MIN_ATTEMPTS attempts succeeded below MAJOR_RATE. */
export const MAJOR_MINUTES = 15;
export const MAJOR_MIN_ATTEMPTS = 10;
export const MAJOR_RATE = 0.5;
/** The state is `quiet` when the journey had no attempt over this many minutes (and nothing else is wrong). */
export const QUIET_MINUTES = 60;
/** Incidents read per journey: far more P1–P2 incidents than 90 days of any sane bank hold. */
const MAX_INCIDENTS = 500;

/**
 * A journey's state in customer words (docs/public-page.md ("Customer words")).
 * @example customerWords('disrupted', 'Card payments') // 'Some customers may see failures with card payments. We are working on it.'
 */
export function customerWords(state: PublicState, name: string): string {
  const lower = lowerFirst(name);
  switch (state) {
    case 'operational':
      return 'Working normally';
    case 'degraded':
      return `Working, but a small number of ${lower} may fail`;
    case 'disrupted':
      return `Some customers may see failures with ${lower}. We are working on it.`;
    case 'major':
      return `Major disruption: most ${lower} are failing. We are working on it.`;
    case 'quiet':
      return 'No recent activity to report';
  }
}

/**
 * The line shown for an incident that has no public text: never its internal title.
 * @example genericIncidentText('Card payments', false) // 'We are investigating reduced reliability of card payments.'
 */
export function genericIncidentText(name: string, resolved: boolean): string {
  const lower = lowerFirst(name);
  return resolved ? `Reduced reliability of ${lower}. This has been resolved.` : `We are investigating reduced reliability of ${lower}.`;
}

/** "Card payments" → "card payments", but an acronym ("ATM withdrawals") keeps its capitals. */
function lowerFirst(name: string): string {
  if (/^\p{Lu}{2}/u.test(name)) return name;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * A day's class from its success rate.
 * @example dayClass(0.999) // 'good'
 * @example dayClass(null) // 'none'
 */
export function dayClass(rate: number | null): DayClass {
  if (rate === null) return 'none';
  if (rate >= GOOD_RATE) return 'good';
  if (rate >= REDUCED_RATE) return 'reduced';
  return 'poor';
}

/** Local calendar days ending with today's, oldest first: each its date and its [from, to) in epoch ms (to capped at now). */
export function calendarDays(now: number, timeZone: string, count: number): { date: string; from: number; to: number }[] {
  const today = wallTime(now, timeZone);
  const out: { date: string; from: number; to: number }[] = [];
  for (let back = count - 1; back >= 0; back--) {
    // Date.UTC normalises day underflow across months and years; noon keeps clear of any zone's jump.
    const civil = new Date(Date.UTC(today.year, today.month - 1, today.day - back, 12));
    const [y, m, d] = [civil.getUTCFullYear(), civil.getUTCMonth() + 1, civil.getUTCDate()];
    const next = new Date(Date.UTC(y, m - 1, d + 1, 12));
    const from = zonedTimeToUtc(y, m, d, 0, 0, timeZone);
    const to = Math.min(now, zonedTimeToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone));
    out.push({ date: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, from, to });
  }
  return out;
}

/**
 * The scope a journey's attempts are counted on (docs/public-page.md ("The daily bars")): its whole-journey events, or its
 * last step when it sent none over the range (as docs/value.md ("Attempts")).
 */
function attemptScope(registry: SloRegistry, journey: JourneySpec, fromMinute: number, toMinute: number): string | null {
  const whole = registry.outcomes(journey.name, null, fromMinute, toMinute);
  if (whole.success + whole.failure > 0) return null;
  return journey.steps.at(-1)?.name ?? null;
}

/** The journey's state now (docs/public-page.md ("Customer words")). */
function journeyState(
  registry: SloRegistry,
  journey: JourneySpec,
  step: string | null,
  openIncidents: Incident[],
  now: number,
): PublicState {
  const nowMinute = Math.floor(now / 60_000);
  const recent = registry.outcomes(journey.name, step, nowMinute - MAJOR_MINUTES + 1, nowMinute + 1);
  const decided = recent.success + recent.failure;
  if (openIncidents.some((i) => i.priority === 'P1')) return 'major';
  if (decided >= MAJOR_MIN_ATTEMPTS && recent.success / decided < MAJOR_RATE) return 'major';
  const statuses = journey.slos.map((slo) => registry.status(journey.name, slo.name, now)).filter((s) => s !== undefined);
  if (openIncidents.length > 0 || statuses.some((s) => s.alerts.page)) return 'disrupted';
  if (statuses.some((s) => s.alerts.ticket)) return 'degraded';
  const lastHour = registry.outcomes(journey.name, step, nowMinute - QUIET_MINUTES + 1, nowMinute + 1);
  if (lastHour.success + lastHour.failure + lastHour.rejected + lastHour.abandoned === 0) return 'quiet';
  return 'operational';
}

/** Where the registry's minute aggregates begin: older minutes are not kept (docs/storage.md ("Retention")). */
export function keptFromMs(registry: SloRegistry, now: number): number {
  return (Math.floor(now / 60_000) - registry.historyMinutesNeeded()) * 60_000;
}

/**
 * The public summary at `now`.
 * @example const summary = await publicSummary(runtime.registry, store.alerting, Date.now());
 */
export async function publicSummary(registry: SloRegistry, alerting: AlertingStore | undefined, now: number): Promise<PublicSummary> {
  const timeZone = registry.config.defaults.timezone;
  const days = calendarDays(now, timeZone, PUBLIC_DAYS);
  const rangeFrom = days[0]!.from;
  const keptFrom = keptFromMs(registry, now);
  const journeys: PublicJourney[] = [];
  for (const journey of registry.config.journeys) {
    if (journey.public !== true) continue;
    const name = journey.publicName ?? journey.displayName;
    const step = attemptScope(registry, journey, Math.floor(rangeFrom / 60_000), Math.floor(now / 60_000) + 1);
    const bars: PublicDay[] = days.map((day) => {
      const kept = day.to > keptFrom;
      const counts = registry.outcomes(journey.name, step, Math.floor(day.from / 60_000), Math.ceil(day.to / 60_000));
      const decided = counts.success + counts.failure;
      const successRate = kept && decided > 0 ? counts.success / decided : null;
      return { date: day.date, successRate, class: dayClass(successRate), kept };
    });
    const incidents = alerting ? await touchingIncidents(alerting, journey.name, rangeFrom, now) : [];
    const texts = alerting && incidents.length > 0 ? await alerting.publicTexts(incidents.map((i) => i.id)) : new Map<string, PublicText>();
    const open = incidents.filter((i) => i.resolvedAt === null);
    const state = journeyState(registry, journey, step, open, now);
    journeys.push({
      name,
      state,
      words: customerWords(state, name),
      days: bars,
      incidents: incidents.map((incident) => publicIncident(incident, texts.get(incident.id), name)),
    });
  }
  return { generatedAt: toInstant(now), timezone: timeZone, journeys };
}

/**
 * Incidents open at any time in [from, now] that name the journey and reached P1 or P2 (their peak, else their priority),
 * merged ones left out (the incident they joined stands for them).
 */
async function touchingIncidents(alerting: AlertingStore, journey: string, from: number, now: number): Promise<Incident[]> {
  const found = await alerting.incidents({ journey, from, to: now + 1, limit: MAX_INCIDENTS });
  return found.filter((incident) => incident.mergedInto === null && isPublicPriority(peakPriority(incident)));
}

function peakPriority(incident: Incident): Priority {
  return incident.figures?.peakPriority ?? incident.priority;
}

function isPublicPriority(priority: Priority): boolean {
  return priority === 'P1' || priority === 'P2';
}

function publicIncident(incident: Incident, text: PublicText | undefined, name: string): PublicIncident {
  const resolvedAt = incident.status === 'resolved' ? incident.resolvedAt : null;
  return {
    severity: peakPriority(incident) === 'P1' ? 'major' : 'partial',
    startedAt: toInstant(incident.openedAt),
    resolvedAt: toInstantOrNull(resolvedAt),
    text: text?.text ?? genericIncidentText(name, resolvedAt !== null),
    generic: text === undefined,
    updatedAt: text ? toInstant(text.setAt) : null,
  };
}
