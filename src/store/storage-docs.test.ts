/**
 * docs/storage.md against the code: its SQL examples run as written on both backends against a store
 * holding alerting state, every source file it cites exists, and it lists every registered capability.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../model/alert.js';
import type { Incident } from '../model/incident.js';
import { CAPABILITIES } from './capabilities.js';
import { openStore } from './open.js';
import { types } from './postgres/connection.js';
import type { AlertingChanges } from './store.js';

const DOC = new URL('../../docs/storage.md', import.meta.url);
const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

/** Every statement of every ```sql block, comments dropped. */
function docStatements(): string[] {
  const text = fs.readFileSync(DOC, 'utf8');
  const blocks = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((block) => block.split(';'))
    .map((sql) => sql.replace(/^--.*$/gm, '').trim())
    .filter((sql) => sql.length > 0);
}

const ALERT: Alert = {
  key: 'alertmanager:fp-1',
  source: 'alertmanager',
  status: 'firing',
  name: 'HighErrorRate',
  summary: 'payments-api 5xx',
  severity: 'critical',
  service: 'payments-api',
  labels: {},
  annotations: {},
  startsAt: T0,
  endsAt: null,
  firstReceivedAt: T0,
  lastReceivedAt: T0,
  flaps: 0,
  stages: [{ journey: 'pay', step: 'confirm' }],
  incidentId: 'inc-1',
};
const INCIDENT: Incident = {
  id: 'inc-1',
  status: 'open',
  priority: 'P1',
  reason: 'pay confirm failing',
  title: 'pay: confirm failing',
  journeys: ['pay'],
  stages: [{ journey: 'pay', step: 'confirm' }],
  services: ['payments-api'],
  alertKeys: [ALERT.key],
  alertCount: 1,
  lastAlertAt: T0,
  openedAt: T0,
  acknowledgedAt: null,
  resolvedAt: null,
  paged: true,
  impact: null,
  mergedFrom: [],
  mergedInto: null,
  timeline: [],
};
const STATE: AlertingChanges = {
  alerts: [ALERT],
  incidents: [INCIDENT],
  outbox: [
    {
      id: 'm1',
      target: 'oncall',
      dedupKey: 'inc-1',
      payload: '{}',
      createdAt: T0,
      attempts: 2,
      nextAttemptAt: T0,
      deliveredAt: null,
      lastError: 'HTTP 503',
    },
  ],
};

/** Each example's rows: one of each kind of thing STATE holds. */
function expectExampleRows(results: Record<string, unknown>[][]): void {
  expect(results).toEqual([
    [{ id: 'm1', target: 'oncall', attempts: 2, next_attempt_at: T0, last_error: 'HTTP 503' }],
    [{ id: 'inc-1', status: 'open', priority: 'P1', opened_at: T0 }],
    [{ key: ALERT.key, incident_id: 'inc-1', starts_at: T0 }],
  ]);
}

describe('docs/storage.md references', () => {
  const text = fs.readFileSync(DOC, 'utf8');

  it('cites only source files that exist', () => {
    const cited = [...text.matchAll(/`([\w.-]+\/[\w./-]+\.ts)`/g)].map((m) => m[1]!);
    expect(cited.length).toBeGreaterThan(5);
    const root = new URL('../../', import.meta.url);
    expect(cited.filter((file) => !fs.existsSync(new URL(file, root)))).toEqual([]);
  });

  it('lists every registered capability in its capabilities table', () => {
    for (const name of Object.keys(CAPABILITIES)) expect(text).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });
});

describe('docs/storage.md SQL examples', () => {
  it('has the examples this test expects', () => {
    expect(docStatements()).toHaveLength(3);
  });

  it('run on SQLite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-storage-docs-'));
    try {
      const file = path.join(dir, 'vigil.db');
      const store = await openStore(file);
      await store.alerting.saveAlerting(STATE);
      await store.close();
      const db = new Database(file, { readonly: true });
      expectExampleRows(docStatements().map((sql) => db.prepare(sql).all() as Record<string, unknown>[]));
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const url = process.env.VIGIL_TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL examples');
  it.skipIf(!url)('run on PostgreSQL (skipped without VIGIL_TEST_DATABASE_URL)', async () => {
    const schema = `vigil_docs_${process.pid}_${randomBytes(4).toString('hex')}`;
    // The store's own column types: BIGINT epoch ms come back as numbers.
    const admin = new pg.Client({ connectionString: url, types });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      const store = await openStore(url!, { schema });
      await store.alerting.saveAlerting(STATE);
      await store.close();
      await admin.query(`SET search_path TO ${schema}`);
      const results: Record<string, unknown>[][] = [];
      for (const sql of docStatements()) results.push((await admin.query(sql)).rows);
      expectExampleRows(results);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
