/**
 * The corrections table on each backend (docs/storage.md ("Corrections table")). A correction's journeys are a JSON
 * array in a text column. Never edit a released migration: append a new one.
 */

export const SQLITE_CORRECTIONS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE corrections (
    name       TEXT PRIMARY KEY,
    journeys   TEXT NOT NULL,
    from_ms    INTEGER NOT NULL,
    to_ms      INTEGER NOT NULL,
    reason     TEXT,
    author     TEXT,
    created_at INTEGER NOT NULL
  ) STRICT;
  `,
];

export const POSTGRES_CORRECTIONS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE corrections (
    name       TEXT COLLATE "C" PRIMARY KEY,
    journeys   TEXT NOT NULL,
    from_ms    BIGINT NOT NULL,
    to_ms      BIGINT NOT NULL,
    reason     TEXT,
    author     TEXT,
    created_at BIGINT NOT NULL
  );
  `,
];
