/**
 * The signals table on each backend (docs/storage.md ("Signals table")). Hourly counts per journey are
 * read from the index on (at, journey, count), which holds every column the sum needs.
 * Never edit a released migration: append a new one.
 */

export const SQLITE_SIGNALS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE signals (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    journey     TEXT,
    keyword     TEXT,
    text        TEXT,
    count       INTEGER NOT NULL,
    received_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX signals_at ON signals (at, journey, count);
  CREATE INDEX signals_journey_at ON signals (journey, at);
  `,
];

export const POSTGRES_SIGNALS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE signals (
    id          TEXT COLLATE "C" PRIMARY KEY,
    source      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    journey     TEXT COLLATE "C",
    keyword     TEXT,
    text        TEXT,
    count       BIGINT NOT NULL,
    received_at BIGINT NOT NULL
  );
  CREATE INDEX signals_at ON signals (at, journey, count);
  CREATE INDEX signals_journey_at ON signals (journey, at);
  `,
];
