/**
 * The HTTP server of the alert and incident tests, in one place: the real IncidentManager over a real
 * runtime and SQLite store (in a temporary directory), with the clock fixed at NOW and, optionally,
 * incidents and alerts already stored as the manager keeps them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AccessOptions } from '../../src/app/access-control.js';
import { vigilApi } from '../../src/app/api.js';
import { IncidentManager } from '../../src/app/incident-manager.js';
import { VigilRuntime } from '../../src/app/runtime.js';
import { loadConfigFromString } from '../../src/config/load.js';
import type { Alert } from '../../src/model/alert.js';
import type { Incident } from '../../src/model/incident.js';
import { buildServer } from '../../src/server/app.js';
import type { RequestGuardOptions } from '../../src/server/request-guard.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

export const NOW = Date.parse('2026-11-26T10:00:30Z');

const CONFIG = `version: vigil/v1
journeys:
  - name: wire-transfer
    tier: critical
    steps:
      - { name: initiate, services: [payments-api, fraud-check] }
      - { name: confirm, services: [payments-api, core-ledger], critical: true }
    slos:
      - { name: success, objective: 99.9, window: 28d, sli: { kind: success } }
  - name: login
    tier: core
    steps:
      - { name: authenticate, services: [auth-gateway] }
    slos:
      - { name: success, objective: 99.5, window: 28d, sli: { kind: success } }
`;

export interface IncidentServer {
  app: FastifyInstance;
  store: Store;
  /** Where the store is: the SQLite file, or the PostgreSQL URL given. */
  location: string;
  /** The incident service the routes use; null when the server was built without one. */
  manager: IncidentManager | null;
  close(): Promise<void>;
}

const silent = { info: () => {}, warn: () => {} };

/**
 * Start (not listen) a server; `seed` is written to the store before the manager loads its state from it.
 * @example const { app, close } = await startIncidentServer({ seed: { incidents: [sampleIncident('inc-1')] } });
 */
export async function startIncidentServer(
  options: {
    seed?: { incidents?: Incident[]; alerts?: Alert[] };
    withIncidents?: boolean;
    guard?: RequestGuardOptions;
    access?: AccessOptions;
    /** Where the server logs (JSON lines), at warn unless `level` says otherwise; default: no logging. */
    log?: { write(line: string): void; level?: string };
    /** Another store than a fresh SQLite file, e.g. a PostgreSQL URL, with its schema. */
    database?: { location: string; schema?: string };
  } = {},
): Promise<IncidentServer> {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error('test configuration does not load');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-incident-server-'));
  const location = options.database?.location ?? join(dir, 'vigil.db');
  const store = await openStore(location, options.database?.schema ? { schema: options.database.schema } : {});
  const runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => NOW });
  if (options.seed)
    await store.alerting.saveAlerting({ incidents: options.seed.incidents ?? [], alerts: options.seed.alerts ?? [], outbox: [] });
  const manager = options.withIncidents === false ? null : await IncidentManager.start(runtime, silent);
  const app = await buildServer({
    api: vigilApi(runtime, manager ?? undefined, options.access),
    ...(options.guard && { guard: options.guard }),
    ...(options.log ? { logger: { level: options.log.level ?? 'warn', stream: options.log } } : {}),
  });
  return {
    app,
    store,
    location,
    manager,
    async close() {
      await app.close();
      await manager?.stop();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A stored incident as the IncidentManager keeps it. */
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
    alertKeys: [`alertmanager:${id}`],
    alertCount: 1,
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
    timeline: [{ at: NOW - 120_000, kind: 'opened', message: 'opened by CoreLedgerDown on core-ledger', alertKey: `alertmanager:${id}` }],
    ...overrides,
  };
}

/** The stored alert `alertmanager:<incidentId>` that opened `incident`. */
export function sampleAlert(incident: Incident, overrides: Partial<Alert> = {}): Alert {
  return {
    key: `alertmanager:${incident.id}`,
    source: 'alertmanager',
    status: 'firing',
    name: 'CoreLedgerDown',
    summary: 'core-ledger is down',
    severity: 'critical',
    service: 'core-ledger',
    labels: { alertname: 'CoreLedgerDown', service: 'core-ledger' },
    annotations: { summary: 'core-ledger is down' },
    startsAt: incident.openedAt,
    endsAt: null,
    firstReceivedAt: incident.openedAt + 10_000,
    lastReceivedAt: NOW - 10_000,
    flaps: 0,
    stages: incident.stages,
    incidentId: incident.id,
    ...overrides,
  };
}
