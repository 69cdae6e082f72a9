/** One step of alerting: what a payload, a tick or a transition touched, and what to notify. */
import type { Correlator, CorrelationResult, TransitionResult } from '../incidents/correlate.js';
import type { IncomingAlert } from '../model/alert.js';
import type { Incident } from '../model/incident.js';
import type { IncidentChange } from '../notify/build.js';

/** What one step of alerting touched: alerts, incidents (opened, resolved) and notifications to send. */
export class Step {
  private readonly alerts = new Set<string>();
  private readonly incidents = new Set<string>();
  private readonly toReassess = new Set<string>();
  readonly opened = new Set<string>();
  private readonly resolved = new Set<string>();
  readonly notifications = new Map<string, IncidentChange>();
  private readonly correlator: Correlator;

  constructor(correlator: Correlator) {
    this.correlator = correlator;
  }

  receive(incoming: IncomingAlert, receivedAt: number): CorrelationResult {
    const result = this.correlator.receive(incoming, receivedAt);
    this.alerts.add(result.alert.key);
    for (const incident of result.incidents) this.incidents.add(incident.id);
    // A merged-away incident's alerts moved to the survivor: they changed. Other alerts of a touched incident did not.
    for (const key of result.moved) this.alerts.add(key);
    if (result.opened) this.opened.add(result.opened);
    return result;
  }

  settle(now: number, recovered: (incident: Incident) => boolean): void {
    for (const incident of this.correlator.settle(now, recovered)) {
      this.incidents.add(incident.id);
      this.resolved.add(incident.id);
    }
  }

  /** Re-measure this incident's impact; it is stored only if that changes it. */
  reassess(id: string): void {
    this.toReassess.add(id);
  }

  /** Record a change to an incident made outside `receive`, `settle` and `transition`. */
  changed(id: string): void {
    this.incidents.add(id);
  }

  isChanged(id: string): boolean {
    return this.incidents.has(id);
  }

  /** Incidents whose impact to measure: those changed, and those to re-assess. */
  toAssess(): string[] {
    return [...new Set([...this.incidents, ...this.toReassess])];
  }

  transition(change: (c: Correlator) => TransitionResult): TransitionResult {
    const result = change(this.correlator);
    if (result.ok) this.incidents.add(result.incident.id);
    return result;
  }

  notify(id: string, kind: IncidentChange): void {
    // An incident opened and resolved in one step needs no notification at all.
    if (kind === 'resolved' && this.opened.has(id)) {
      this.notifications.delete(id);
      return;
    }
    this.notifications.set(id, kind);
  }

  alertKeys(): string[] {
    return [...this.alerts];
  }

  incidentIds(): string[] {
    return [...this.incidents];
  }

  resolvedIds(): string[] {
    return [...this.resolved];
  }
}
