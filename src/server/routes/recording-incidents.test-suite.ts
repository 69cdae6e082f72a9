/**
 * Test support for the alert and incident routes: an IncidentService that records what the HTTP layer
 * asks of it, and a server over a real runtime and SQLite file with a fixed clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfigFromString } from '../../config/load.js';
import { VigilError } from '../../errors/catalogue.js';
import type { Alert, IncomingAlert } from '../../model/alert.js';
import type { Incident, IncidentQuery, NoiseStats } from '../../model/incident.js';
import type { IncidentService, ReceiveSummary } from '../../app/incident-service.js';
import { VigilRuntime } from '../../app/runtime.js';
import { openStore } from '../../store/open.js';
import { buildServer } from '../app.js';

export const NOW = Date.parse('2026-11-26T10:00:30Z');

export type Call =
  | { method: 'receiveAlerts'; alerts: IncomingAlert[]; receivedAt: number }
  | { method: 'listIncidents'; query: IncidentQuery }
  | { method: 'incident'; id: string }
  | { method: 'acknowledge' | 'resolve'; id: string; at: number; by: string | undefined }
  | { method: 'stats'; from: number; to: number };

/** Keeps incidents in memory and records every call; transitions follow the documented rules. */
export class RecordingIncidentService implements IncidentService {
  readonly calls: Call[] = [];
  readonly incidents = new Map<string, { incident: Incident; alerts: Alert[] }>();
  private readonly seen = new Set<string>();

  async receiveAlerts(alerts: IncomingAlert[], receivedAt: number): Promise<ReceiveSummary> {
    this.calls.push({ method: 'receiveAlerts', alerts, receivedAt });
    let created = 0;
    for (const alert of alerts) {
      const key = `${alert.source}:${alert.sourceKey}`;
      if (!this.seen.has(key)) created++;
      this.seen.add(key);
    }
    return { received: alerts.length, created, updated: alerts.length - created, incidents: [] };
  }

  async listIncidents(query: IncidentQuery): Promise<Incident[]> {
    this.calls.push({ method: 'listIncidents', query });
    return [...this.incidents.values()].map((entry) => entry.incident).filter((i) => !query.status || query.status.includes(i.status));
  }

  async incident(id: string): Promise<{ incident: Incident; alerts: Alert[] } | null> {
    this.calls.push({ method: 'incident', id });
    return this.incidents.get(id) ?? null;
  }

  async acknowledge(id: string, at: number, by?: string): Promise<Incident> {
    this.calls.push({ method: 'acknowledge', id, at, by });
    const incident = this.existing(id);
    if (incident.status !== 'open')
      throw new VigilError('invalid_transition', `Incident ${id} is ${incident.status}; only an open incident can be acknowledged`);
    Object.assign(incident, { status: 'acknowledged', acknowledgedAt: at });
    return incident;
  }

  async resolve(id: string, at: number, by?: string): Promise<Incident> {
    this.calls.push({ method: 'resolve', id, at, by });
    const incident = this.existing(id);
    if (incident.status === 'resolved') throw new VigilError('invalid_transition', `Incident ${id} is already resolved`);
    Object.assign(incident, { status: 'resolved', resolvedAt: at });
    return incident;
  }

  async stats(from: number, to: number): Promise<NoiseStats> {
    this.calls.push({ method: 'stats', from, to });
    const incidentsOpened = this.incidents.size;
    const alertsReceived = this.seen.size;
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      alertsReceived,
      incidentsOpened,
      incidentsPaged: [...this.incidents.values()].filter((e) => e.incident.paged).length,
      compressionRatio: alertsReceived > 0 ? 1 - incidentsOpened / alertsReceived : null,
    };
  }

  private existing(id: string): Incident {
    const found = this.incidents.get(id);
    if (!found) throw new VigilError('incident_not_found', `No incident has id '${id}'`);
    return found.incident;
  }
}

const CONFIG = `version: vigil/v1
journeys:
  - name: wire-transfer
    tier: critical
    steps:
      - { name: initiate, services: [payments-api, fraud-check] }
      - { name: confirm, services: [payments-api, core-ledger], critical: true }
    slos:
      - { name: success, objective: 99.9, window: 28d, sli: { kind: success } }
`;

/** A server with the incident routes over a real runtime (SQLite in a temporary directory) and the clock at NOW. */
export async function startRouteServer(
  incidents: IncidentService | undefined,
): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error('test configuration does not load');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-routes-'));
  const store = await openStore(join(dir, 'vigil.db'));
  const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  const app = await buildServer({ runtime, ...(incidents && { incidents }) });
  return {
    app,
    async close() {
      await app.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A stored incident as the IncidentManager would keep it. */
export function sampleIncident(id: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    status: 'open',
    priority: 'P1',
    reason: 'wire-transfer confirm step failing for 2,140 customers, €38k/h at risk',
    title: 'Wire transfer: confirm failing',
    journeys: ['wire-transfer'],
    stages: [{ journey: 'wire-transfer', step: 'confirm' }],
    services: ['core-ledger'],
    alertKeys: ['alertmanager:5f2d6a8e1c3b4d7f'],
    lastAlertAt: NOW - 120_000,
    openedAt: NOW - 120_000,
    acknowledgedAt: null,
    resolvedAt: null,
    paged: true,
    impact: {
      customerImpact: true,
      maxBurnRate: 31.2,
      customersAffected: 2140,
      failuresPerHour: 8450,
      valueAtRiskPerHour: [{ amount: 38025, currency: 'EUR' }],
      tier: 'critical',
      criticalStage: true,
      assessedAt: NOW - 60_000,
    },
    mergedFrom: [],
    mergedInto: null,
    timeline: [{ at: NOW - 120_000, kind: 'opened', message: 'Opened by CoreLedgerDown', alertKey: 'alertmanager:5f2d6a8e1c3b4d7f' }],
    ...overrides,
  };
}
