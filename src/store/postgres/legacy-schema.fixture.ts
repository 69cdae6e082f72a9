/**
 * Test fixture: the PostgreSQL schema code as released before per-capability migrations (one list,
 * meta.schema_version counting those applied), kept verbatim so tests can build such a schema and upgrade it.
 */
import type { PoolClient } from 'pg';
import { VigilError } from '../../errors/catalogue.js';

/**
 * Identifiers use the "C" collation: byte order, as in SQLite, and cheaper to index than a locale's.
 * Migration n (1-based) is MIGRATIONS[n - 1]. Never edit a released migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          TEXT COLLATE "C" UNIQUE,
    journey     TEXT COLLATE "C" NOT NULL,
    step        TEXT COLLATE "C",
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'rejected', 'abandoned')),
    latency_ms  DOUBLE PRECISION CHECK (latency_ms >= 0),
    ts          BIGINT NOT NULL,
    attempt_id  TEXT,
    customer_id TEXT,
    amount      DOUBLE PRECISION,
    currency    TEXT,
    attributes  JSONB,
    received_at BIGINT NOT NULL
  );
  CREATE INDEX events_journey_ts ON events (journey, ts);
  CREATE INDEX events_ts ON events (ts);

  CREATE TABLE sli_keys (
    key             TEXT COLLATE "C" PRIMARY KEY,
    definition      JSONB NOT NULL,
    materialised_at BIGINT
  );

  CREATE TABLE sli_minutes (
    key    TEXT COLLATE "C" NOT NULL,
    minute BIGINT NOT NULL,
    good   BIGINT NOT NULL,
    total  BIGINT NOT NULL,
    PRIMARY KEY (key, minute)
  );
  CREATE INDEX sli_minutes_minute ON sli_minutes (minute);

  CREATE TABLE scope_minutes (
    journey   TEXT COLLATE "C" NOT NULL,
    step      TEXT COLLATE "C" NOT NULL,
    minute    BIGINT NOT NULL,
    success   BIGINT NOT NULL,
    failure   BIGINT NOT NULL,
    rejected  BIGINT NOT NULL,
    abandoned BIGINT NOT NULL,
    PRIMARY KEY (journey, step, minute)
  );
  CREATE INDEX scope_minutes_minute ON scope_minutes (minute);
  `,
  // 2: alerting (docs/storage.md ("Alerting tables")). `data` holds the whole object as JSON text (json keeps it verbatim, unlike jsonb);
  // the other columns are copies to filter on.
  `
  CREATE TABLE alerts (
    key               TEXT COLLATE "C" PRIMARY KEY,
    status            TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
    incident_id       TEXT COLLATE "C",
    first_received_at BIGINT NOT NULL,
    starts_at         BIGINT NOT NULL,
    data              JSON NOT NULL
  );
  CREATE INDEX alerts_incident_id ON alerts (incident_id);
  CREATE INDEX alerts_first_received_at ON alerts (first_received_at);
  -- Start-up reloads the firing alerts; a partial index keeps that off a scan of every alert ever received.
  CREATE INDEX alerts_firing ON alerts (starts_at) WHERE status = 'firing';

  CREATE TABLE incidents (
    id          TEXT COLLATE "C" PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    priority    TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
    opened_at   BIGINT NOT NULL,
    resolved_at BIGINT,
    paged       BOOLEAN NOT NULL,
    merged_into TEXT COLLATE "C",
    journeys    JSONB NOT NULL,
    data        JSON NOT NULL
  );
  CREATE INDEX incidents_status ON incidents (status);
  CREATE INDEX incidents_opened_at ON incidents (opened_at);

  -- seq orders messages created in the same millisecond.
  CREATE TABLE outbox (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT COLLATE "C" NOT NULL UNIQUE,
    target          TEXT NOT NULL,
    dedup_key       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    last_error      TEXT
  );
  CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
  `,
];

/** Serialises concurrent migrations of the same schema (several Vigil processes starting at once). */
const MIGRATION_LOCK = "pg_advisory_xact_lock(hashtext(current_schema() || '.vigil.migrate'))";

/** Applies the migrations not yet applied, all in one transaction; refuses a schema written by a newer Vigil. */
export async function migratePostgres(client: PoolClient, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT ${MIGRATION_LOCK}`);
    await client.query('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const { rows } = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'");
    const current = Number(rows[0]?.value ?? 0);
    if (current > MIGRATIONS.length) {
      throw new VigilError(
        'store_unavailable',
        `The PostgreSQL schema at ${where} has schema version ${current}; this Vigil knows up to ${MIGRATIONS.length}. Upgrade Vigil.`,
      );
    }
    for (let version = current; version < MIGRATIONS.length; version++) await client.query(MIGRATIONS[version]!);
    if (current < MIGRATIONS.length) {
      await client.query(
        "INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(MIGRATIONS.length)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
