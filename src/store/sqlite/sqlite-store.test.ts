/** The SQLite store on real temp files: every contract suite, plus what only SQLite has (pragmas, the file, read-only opens, upgrades). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { SliDefinition } from '../../engine/sli.js';
import type { Alert } from '../../model/alert.js';
import type { Incident } from '../../model/incident.js';
import { CAPABILITIES } from '../capabilities.js';
import { runStoreContracts } from '../contracts.test-suite.js';
import { openStore } from '../open.js';
import type { Store } from '../store.js';
import { SqliteConnection } from './connection.js';
import { MIGRATIONS as LEGACY_MIGRATIONS, migrateSqlite as migrateLegacy } from './legacy-schema.fixture.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sqlite-store-'));
let files = 0;
const freshPath = (): string => path.join(root, `store-${++files}.db`);
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

runStoreContracts('sqlite', async () => {
  const file = freshPath();
  const opened = [await openStore(file)];
  return {
    store: opened[0]!,
    reopen: async (options) => {
      const store = await openStore(file, options);
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    },
  };
});

const SLI: SliDefinition = {
  key: 'pay|*|success|abandoned:ok',
  source: 'events',
  journey: 'pay',
  step: null,
  kind: 'success',
  abandonedIsBad: false,
};
const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

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
  stages: [{ journey: 'pay', step: null }],
  incidentId: 'inc-1',
};
const INCIDENT: Incident = {
  id: 'inc-1',
  status: 'open',
  priority: 'P1',
  reason: 'pay failing',
  title: 'pay failing',
  journeys: ['pay'],
  stages: [{ journey: 'pay', step: null }],
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

/** A file as the single-list schema code left it (schema_version 2), holding events, aggregates, an alert, an incident and meta. */
function legacyFile(): string {
  const file = freshPath();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrateLegacy(db, file);
  db.prepare("INSERT INTO events (id, journey, outcome, ts, received_at) VALUES ('old', 'pay', 'success', ?, ?)").run(T0, T0);
  db.prepare('INSERT INTO sli_keys (key, definition, materialised_at) VALUES (?, ?, ?)').run(SLI.key, JSON.stringify(SLI), T0);
  db.prepare('INSERT INTO sli_minutes (key, minute, good, total) VALUES (?, ?, 1, 1)').run(SLI.key, T0 / 60_000);
  db.prepare("INSERT INTO scope_minutes VALUES ('pay', '', ?, 1, 0, 0, 0)").run(T0 / 60_000);
  db.prepare("INSERT INTO meta (key, value) VALUES ('config', '{\"journeys\":[]}')").run();
  db.prepare('INSERT INTO alerts (key, status, incident_id, first_received_at, starts_at, data) VALUES (?, ?, ?, ?, ?, ?)').run(
    ALERT.key,
    'firing',
    'inc-1',
    T0,
    T0,
    JSON.stringify(ALERT),
  );
  db.prepare(
    'INSERT INTO incidents (id, status, priority, opened_at, resolved_at, paged, merged_into, journeys, data) VALUES (?, ?, ?, ?, NULL, 1, NULL, ?, ?)',
  ).run('inc-1', 'open', 'P1', T0, '["pay"]', JSON.stringify(INCIDENT));
  db.close();
  return file;
}

async function expectLegacyContents(store: Store): Promise<void> {
  expect((await store.events.events({ from: T0, to: T0 + 1 })).map((e) => e.id)).toEqual(['old']);
  expect(await store.events.materialisedSliKeys()).toEqual([SLI.key]);
  expect(await store.events.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER)).toEqual([
    { key: SLI.key, minute: T0 / 60_000, good: 1, total: 1 },
  ]);
  expect(await store.events.scopeMinutes(0, Number.MAX_SAFE_INTEGER)).toHaveLength(1);
  expect(await store.meta.getMeta('config')).toBe('{"journeys":[]}');
  // Alerting migration 6 starts the incidents it finds at version 1.
  expect(await store.alerting.openAlerting()).toEqual({ incidents: [{ ...INCIDENT, version: 1 }], alerts: [ALERT] });
}

function appliedVersions(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT capability, MAX(version) AS version FROM schema_migrations GROUP BY capability').all() as {
    capability: string;
    version: number;
  }[];
  db.close();
  return Object.fromEntries(rows.map((r) => [r.capability, r.version]));
}

describe('SQLite store specifics', () => {
  it('runs in WAL mode with synchronous=FULL, foreign keys and a busy timeout', async () => {
    const file = freshPath();
    await (await openStore(file)).close();
    // A second connection sees the persistent journal mode; the per-connection pragmas are checked on a writer's own.
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const connection = new SqliteConnection(file);
    expect(connection.db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(connection.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(connection.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    connection.close();
  });

  it('keeps events, aggregates and meta when the file is reopened', async () => {
    const file = freshPath();
    const first = await openStore(file);
    await first.events.appendEvents(
      [
        { id: 'a', journey: 'pay', outcome: 'success', timestamp: T0 },
        { id: 'b', journey: 'pay', outcome: 'failure', timestamp: T0 + 1 },
      ],
      [SLI],
      T0,
    );
    await first.meta.setMeta('k', 'v');
    await first.close();
    await first.close(); // closing twice is harmless

    const second = await openStore(file);
    expect(await second.events.countEvents()).toBe(2);
    expect(await second.meta.getMeta('k')).toBe('v');
    expect(await second.events.materialisedSliKeys()).toEqual([SLI.key]);
    const again = await second.events.appendEvents([{ id: 'a', journey: 'pay', outcome: 'failure', timestamp: T0 }], [SLI], T0);
    expect(again.inserted).toEqual([false]);
    expect(await second.events.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER)).toEqual([
      { key: SLI.key, minute: T0 / 60_000, good: 1, total: 2 },
    ]);
    await second.close();
  });

  it('records each capability’s migrations in schema_migrations, and tells older Vigils to upgrade', async () => {
    const file = freshPath();
    await (await openStore(file)).close();
    expect(appliedVersions(file)).toEqual(
      Object.fromEntries(
        await Promise.all(Object.entries(CAPABILITIES).map(async ([name, c]) => [name, (await c.sqlite()).migrations.length])),
      ),
    );
    // The single-list code reads meta.schema_version: it must refuse this file rather than misread it.
    const db = new Database(file);
    expect(() => migrateLegacy(db, file)).toThrow(
      expect.objectContaining({ code: 'store_unavailable', message: expect.stringContaining('Upgrade Vigil') }),
    );
    db.close();
  });

  it('upgrades in place a file written by the single-list schema code: everything it held reads back', async () => {
    const file = legacyFile();
    const store = await openStore(file);
    expect(appliedVersions(file)).toEqual({
      meta: 1,
      events: 3,
      alerting: 6,
      tokens: 1,
      deployments: 1,
      corrections: 1,
      signals: 1,
      benchmarks: 1,
      disruptions: 1,
      sources: 1,
    });
    await expectLegacyContents(store);
    // Events migration 2 indexed the upgraded table in place (docs/storage.md ("Tables")).
    const db = new Database(file, { readonly: true });
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_journey_%' ORDER BY name").all();
    db.close();
    expect(indexes).toEqual([{ name: 'events_journey_outcome_ts' }, { name: 'events_journey_ts' }]);
    // Alerting migration 2 added the public texts beside the incident it kept.
    await store.alerting.setPublicText(INCIDENT.id, { text: 'Card payments were failing.', setBy: 'comms', setAt: T0 });
    expect((await store.alerting.publicTexts([INCIDENT.id])).get(INCIDENT.id)?.text).toBe('Card payments were failing.');
    // And it is writable as usual.
    await store.events.appendEvents([{ id: 'new', journey: 'pay', outcome: 'failure', timestamp: T0 + 1 }], [SLI], T0);
    expect(await store.events.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER)).toEqual([
      { key: SLI.key, minute: T0 / 60_000, good: 1, total: 2 },
    ]);
    await store.close();
    // Reopening finds nothing left to do.
    const again = await openStore(file);
    expect(await again.events.countEvents()).toBe(2);
    await again.close();
  });

  it('upgrades a file written at single-list version 1: its events stay, the alerting tables arrive', async () => {
    const file = freshPath();
    const v1 = new Database(file);
    v1.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
    v1.exec(LEGACY_MIGRATIONS[0]!);
    v1.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', '1')").run();
    v1.prepare("INSERT INTO events (id, journey, outcome, ts, received_at) VALUES ('old', 'pay', 'success', ?, ?)").run(T0, T0);
    v1.close();

    const store = await openStore(file);
    expect(appliedVersions(file)).toEqual({
      meta: 1,
      events: 3,
      alerting: 6,
      tokens: 1,
      deployments: 1,
      corrections: 1,
      signals: 1,
      benchmarks: 1,
      disruptions: 1,
      sources: 1,
    });
    expect((await store.events.events({ from: T0, to: T0 + 1 })).map((e) => e.id)).toEqual(['old']);
    const message = {
      id: 'm',
      target: 't',
      dedupKey: 'd',
      payload: '{}',
      createdAt: T0,
      attempts: 0,
      nextAttemptAt: T0,
      deliveredAt: null,
      lastError: null,
    };
    await store.alerting.saveAlerting({ alerts: [], incidents: [], outbox: [message] });
    expect(await store.alerting.outboxDue(T0, 1)).toEqual([message]);
    await store.close();
  });

  it('reports a missing directory as store_unavailable naming the path', async () => {
    const missing = path.join(root, 'no-such-dir', 'vigil.db');
    await expect(openStore(missing)).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining(missing) });
  });

  it('reports a file that is not a database as store_unavailable', async () => {
    const junk = freshPath();
    fs.writeFileSync(junk, 'this is not a database, it is a shopping list '.repeat(200));
    await expect(openStore(junk)).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining(junk) });
  });

  it('refuses a file where a capability is at a version newer than this Vigil knows', async () => {
    const file = freshPath();
    await (await openStore(file)).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (capability, version, applied_at) VALUES ('events', 999, 0)").run();
    db.close();
    await expect(openStore(file)).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('999') });
    await expect(openStore(file, { readOnly: true })).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining('999'),
    });
  });

  it('refuses a single-list file at a version it never had', async () => {
    const file = freshPath();
    const db = new Database(file);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT; INSERT INTO meta VALUES ('schema_version', '999')");
    db.close();
    await expect(openStore(file)).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('999') });
  });

  it('answers store_unavailable once closed', async () => {
    const store = await openStore(freshPath());
    await store.close();
    await expect(store.events.countEvents()).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('works in memory for throwaway stores', async () => {
    const store = await openStore(':memory:');
    await store.events.appendEvents([{ journey: 'pay', outcome: 'success', timestamp: T0 }], [SLI], T0);
    expect(await store.events.countEvents()).toBe(1);
    await store.close();
  });
});

describe('SQLite read-only opens', () => {
  it('read a file closed cleanly (no -wal or -shm left) without changing a byte of it', async () => {
    const file = freshPath();
    const writer = await openStore(file);
    await writer.events.appendEvents([{ id: 'a', journey: 'pay', outcome: 'success', timestamp: T0 }], [SLI], T0);
    await writer.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const before = sha256(file);
    const reader = await openStore(file, { readOnly: true });
    expect(await reader.events.countEvents()).toBe(1);
    await expect(reader.events.rebuildSli(SLI)).rejects.toMatchObject({ code: 'store_read_only' });
    await reader.close();
    expect(sha256(file)).toBe(before);
  });

  it('read what a writer still holding the file has committed to its WAL', async () => {
    const file = freshPath();
    const writer = await openStore(file);
    await writer.events.appendEvents([{ id: 'a', journey: 'pay', outcome: 'success', timestamp: T0 }], [SLI], T0);
    const reader = await openStore(file, { readOnly: true });
    expect(await reader.events.countEvents()).toBe(1);
    await writer.events.appendEvents([{ id: 'b', journey: 'pay', outcome: 'success', timestamp: T0 }], [SLI], T0);
    expect(await reader.events.countEvents()).toBe(2);
    await reader.close();
    await writer.close();
  });

  it('refuse a file that does not exist, and do not create it', async () => {
    const file = freshPath();
    await expect(openStore(file, { readOnly: true })).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining(file),
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuse a schema older than the code with store_outdated, and leave the file as it was', async () => {
    const file = legacyFile();
    const before = sha256(file);
    await expect(openStore(file, { readOnly: true })).rejects.toMatchObject({
      code: 'store_outdated',
      message: expect.stringContaining('vigil serve'),
    });
    expect(sha256(file)).toBe(before);
    // Once a writer has migrated it, it reads.
    await (await openStore(file)).close();
    const reader = await openStore(file, { readOnly: true });
    await expectLegacyContents(reader);
    await reader.close();
  });
});
