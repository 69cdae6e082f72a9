/**
 * Test fixture: the SQLite schema code as released before per-capability migrations (one list,
 * meta.schema_version counting those applied), kept verbatim so tests can build such a file and upgrade it.
 */
import type { Database } from 'better-sqlite3';
import { VigilError } from '../../errors/catalogue.js';

/** Migration n (1-based) is MIGRATIONS[n - 1]. Never edit a released migration: append a new one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT UNIQUE,
    journey     TEXT NOT NULL,
    step        TEXT,
    -- OR, not IN: SQLite builds an ephemeral index for an IN list on every insert, a quarter of its cost.
    outcome     TEXT NOT NULL CHECK (outcome = 'success' OR outcome = 'failure' OR outcome = 'rejected' OR outcome = 'abandoned'),
    latency_ms  REAL CHECK (latency_ms >= 0),
    ts          INTEGER NOT NULL,
    attempt_id  TEXT,
    customer_id TEXT,
    amount      REAL,
    currency    TEXT,
    attributes  TEXT,
    received_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX events_journey_ts ON events (journey, ts);

  CREATE TABLE sli_keys (
    key             TEXT PRIMARY KEY,
    definition      TEXT NOT NULL,
    materialised_at INTEGER
  ) STRICT;

  CREATE TABLE sli_minutes (
    key    TEXT NOT NULL,
    minute INTEGER NOT NULL,
    good   INTEGER NOT NULL,
    total  INTEGER NOT NULL,
    PRIMARY KEY (key, minute)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX sli_minutes_minute ON sli_minutes (minute);

  CREATE TABLE scope_minutes (
    journey   TEXT NOT NULL,
    step      TEXT NOT NULL,
    minute    INTEGER NOT NULL,
    success   INTEGER NOT NULL,
    failure   INTEGER NOT NULL,
    rejected  INTEGER NOT NULL,
    abandoned INTEGER NOT NULL,
    PRIMARY KEY (journey, step, minute)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX scope_minutes_minute ON scope_minutes (minute);
  `,
  // 2: alerting (docs/storage.md ("Alerting tables")). `data` holds the whole object as JSON; the other columns are copies to filter on.
  `
  CREATE TABLE alerts (
    key               TEXT PRIMARY KEY,
    status            TEXT NOT NULL CHECK (status = 'firing' OR status = 'resolved'),
    incident_id       TEXT,
    first_received_at INTEGER NOT NULL,
    starts_at         INTEGER NOT NULL,
    data              TEXT NOT NULL
  ) STRICT;
  CREATE INDEX alerts_incident_id ON alerts (incident_id);
  CREATE INDEX alerts_first_received_at ON alerts (first_received_at);
  -- Start-up reloads the firing alerts; a partial index keeps that off a scan of every alert ever received.
  CREATE INDEX alerts_firing ON alerts (starts_at) WHERE status = 'firing';

  CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status = 'open' OR status = 'acknowledged' OR status = 'resolved'),
    priority    TEXT NOT NULL CHECK (priority = 'P1' OR priority = 'P2' OR priority = 'P3' OR priority = 'P4'),
    opened_at   INTEGER NOT NULL,
    resolved_at INTEGER,
    paged       INTEGER NOT NULL CHECK (paged = 0 OR paged = 1),
    merged_into TEXT,
    journeys    TEXT NOT NULL,
    data        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX incidents_status ON incidents (status);
  CREATE INDEX incidents_opened_at ON incidents (opened_at);

  -- seq, an alias of the rowid that VACUUM keeps, orders messages created in the same millisecond.
  CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    target          TEXT NOT NULL,
    dedup_key       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT
  ) STRICT;
  CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
  `,
];

/**
 * Applies the migrations not yet applied, each in its own IMMEDIATE transaction so two processes
 * opening the same file cannot both apply one. Refuses a file written by a newer Vigil.
 */
export function migrateSqlite(db: Database, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
  const readVersion = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'");
  const writeVersion = db.prepare(
    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const apply = db.transaction(() => {
    const current = Number(readVersion.get()?.value ?? 0);
    if (current > MIGRATIONS.length) {
      throw new VigilError(
        'store_unavailable',
        `The SQLite database at ${path} has schema version ${current}; this Vigil knows up to ${MIGRATIONS.length}. Upgrade Vigil.`,
      );
    }
    if (current === MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[current]!);
    writeVersion.run(String(current + 1));
    return true;
  });
  while (apply.immediate()) {
    // one migration per transaction until none is left
  }
}
