/**
 * Atlassian Statuspage v2 answers read into component minutes (docs/benchmark.md ("Status pages")): the current status
 * of each component from `/api/v2/summary.json`, and the history from `/api/v2/incidents.json`. Pure: no HTTP here.
 */
import * as z from 'zod';
import type { ComponentState, StatusMinute, StatusPageSpec } from '../model/benchmark.js';

const MINUTE_MS = 60_000;

/** The component statuses of Statuspage v2 and what Vigil counts them as (operational and unknown ones count as nothing). */
export function componentState(status: string): ComponentState | null {
  if (status === 'partial_outage' || status === 'major_outage') return 'down';
  if (status === 'degraded_performance') return 'degraded';
  return null;
}

const Component = z.looseObject({ name: z.string(), status: z.string() });
const Summary = z.looseObject({ components: z.array(Component) });
const AffectedComponent = z.looseObject({ name: z.string(), new_status: z.string() });
const IncidentUpdate = z.looseObject({
  created_at: z.string(),
  affected_components: z.array(AffectedComponent).nullish(),
});
const Incident = z.looseObject({
  created_at: z.string(),
  resolved_at: z.string().nullish(),
  impact: z.string().nullish(),
  components: z.array(z.looseObject({ name: z.string() })).nullish(),
  incident_updates: z.array(IncidentUpdate).nullish(),
});
const Incidents = z.looseObject({ incidents: z.array(Incident) });

/** Thrown for an answer that is not the Statuspage v2 shape. */
export class StatusPageShapeError extends Error {}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The configured components' current states from a summary.json body; components operational (or absent) are left out.
 * @example currentStates({ components: [{ name: 'Payments', status: 'major_outage' }] }, ['Payments']) // Map { 'Payments' → 'down' }
 */
export function currentStates(body: unknown, components: readonly string[]): Map<string, ComponentState> {
  const parsed = Summary.safeParse(body);
  if (!parsed.success) throw new StatusPageShapeError('summary.json: expected { components: [{ name, status }] }');
  const out = new Map<string, ComponentState>();
  for (const wanted of components) {
    for (const c of parsed.data.components) {
      const state = sameName(c.name, wanted) ? componentState(c.status) : null;
      if (state) out.set(wanted, state);
    }
  }
  return out;
}

/** The minutes [from, to) touch: from the minute holding `from` to the minute holding the last instant before `to`. */
function minutesOf(from: number, to: number): number[] {
  const out: number[] = [];
  for (let m = Math.floor(from / MINUTE_MS); m * MINUTE_MS < to; m++) out.push(m);
  return out;
}

const time = (text: string | null | undefined): number | null => {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
};

/**
 * The minutes each configured component was down or degraded according to incidents.json, within [notBefore, now)
 * (docs/benchmark.md ("Status pages")). For an incident whose updates carry `affected_components`, each
 * component takes the `new_status` of each update from that update's time until its next change, and goes back to
 * operational when the incident is resolved (or stays as it is until now while it is not). Otherwise each of the
 * incident's `components` counts from `created_at` to `resolved_at` (or now) as down when the incident's impact is major
 * or critical, and as degraded when it is minor or none.
 */
export function incidentMinutes(body: unknown, page: StatusPageSpec, notBefore: number, now: number): StatusMinute[] {
  const parsed = Incidents.safeParse(body);
  if (!parsed.success) throw new StatusPageShapeError('incidents.json: expected { incidents: [{ created_at, … }] }');
  const out: StatusMinute[] = [];
  const add = (component: string, from: number, to: number, state: ComponentState | null) => {
    if (!state) return;
    for (const minute of minutesOf(Math.max(from, notBefore), Math.min(to, now)))
      out.push({ owner: page.owner, component, journey: page.journey, minute, state });
  };
  for (const incident of parsed.data.incidents) {
    const created = time(incident.created_at);
    if (created === null) continue;
    const end = time(incident.resolved_at) ?? now;
    const updates = (incident.incident_updates ?? [])
      .map((u) => ({ at: time(u.created_at), affected: u.affected_components ?? [] }))
      .filter((u): u is { at: number; affected: z.infer<typeof AffectedComponent>[] } => u.at !== null)
      .sort((a, b) => a.at - b.at);
    const detailed = updates.some((u) => u.affected.length > 0);
    for (const component of page.components) {
      if (detailed) {
        let since = 0;
        let state: ComponentState | null = null;
        for (const update of updates) {
          const change = update.affected.find((a) => sameName(a.name, component));
          if (!change) continue;
          add(component, since, Math.min(update.at, end), state);
          since = update.at;
          state = componentState(change.new_status);
        }
        add(component, since, end, state);
      } else if ((incident.components ?? []).some((c) => sameName(c.name, component))) {
        add(component, created, end, incident.impact === 'major' || incident.impact === 'critical' ? 'down' : 'degraded');
      }
    }
  }
  return out;
}
