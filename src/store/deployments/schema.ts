/**
 * The deployments and gate_exceptions tables on each backend (docs/storage.md ("Tables")). A
 * deployment's journeys are a JSON array in a text column. Never edit a released migration: append a new one.
 */

export const SQLITE_DEPLOYMENTS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE deployments (
    id          TEXT PRIMARY KEY,
    service     TEXT NOT NULL,
    version     TEXT NOT NULL,
    environment TEXT,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    description TEXT,
    author      TEXT,
    url         TEXT,
    journeys    TEXT NOT NULL,
    received_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX deployments_started ON deployments (started_at);
  CREATE TABLE gate_exceptions (
    id         TEXT PRIMARY KEY,
    journey    TEXT,
    service    TEXT,
    until      INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  `,
];

export const POSTGRES_DEPLOYMENTS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE deployments (
    id          TEXT COLLATE "C" PRIMARY KEY,
    service     TEXT COLLATE "C" NOT NULL,
    version     TEXT NOT NULL,
    environment TEXT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    description TEXT,
    author      TEXT,
    url         TEXT,
    journeys    TEXT NOT NULL,
    received_at BIGINT NOT NULL
  );
  CREATE INDEX deployments_started ON deployments (started_at);
  CREATE TABLE gate_exceptions (
    id         TEXT COLLATE "C" PRIMARY KEY,
    journey    TEXT COLLATE "C",
    service    TEXT COLLATE "C",
    until      BIGINT NOT NULL,
    reason     TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  `,
];
