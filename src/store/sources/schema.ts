/**
 * The sources tables on each backend (docs/storage.md ("Sources tables")): minutes read from Prometheus, one row per
 * SLI and minute with a figure, and one watermark row per SLI. Never edit a released migration: append a new one.
 */

export const SQLITE_SOURCES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE source_minutes (
    sli_key TEXT NOT NULL,
    minute  INTEGER NOT NULL,
    good    REAL NOT NULL CHECK (good >= 0),
    total   REAL NOT NULL CHECK (total >= good),
    PRIMARY KEY (sli_key, minute)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX source_minutes_minute ON source_minutes (minute);
  CREATE TABLE source_watermarks (
    sli_key      TEXT PRIMARY KEY,
    start_minute INTEGER NOT NULL,
    watermark    INTEGER NOT NULL CHECK (watermark >= start_minute)
  ) STRICT;
  `,
];

export const POSTGRES_SOURCES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE source_minutes (
    sli_key TEXT COLLATE "C" NOT NULL,
    minute  BIGINT NOT NULL,
    good    DOUBLE PRECISION NOT NULL CHECK (good >= 0),
    total   DOUBLE PRECISION NOT NULL CHECK (total >= good),
    PRIMARY KEY (sli_key, minute)
  );
  CREATE INDEX source_minutes_minute ON source_minutes (minute);
  CREATE TABLE source_watermarks (
    sli_key      TEXT COLLATE "C" PRIMARY KEY,
    start_minute BIGINT NOT NULL,
    watermark    BIGINT NOT NULL CHECK (watermark >= start_minute)
  );
  `,
];
