/**
 * The benchmark tables on each backend (docs/storage.md ("Benchmark tables")): one row per probe run, and one
 * per status-page component minute that was not operational. Never edit a released migration: append a new one.
 */

export const SQLITE_BENCHMARKS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE probe_results (
    probe      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    owner      TEXT NOT NULL,
    journey    TEXT NOT NULL,
    ok         INTEGER NOT NULL,
    latency_ms INTEGER,
    error      TEXT,
    PRIMARY KEY (probe, at)
  ) STRICT;
  CREATE INDEX probe_results_at ON probe_results (at);
  CREATE TABLE status_minutes (
    owner     TEXT NOT NULL,
    component TEXT NOT NULL,
    minute    INTEGER NOT NULL,
    journey   TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('degraded', 'down')),
    PRIMARY KEY (owner, component, minute)
  ) STRICT;
  CREATE INDEX status_minutes_minute ON status_minutes (minute);
  `,
];

export const POSTGRES_BENCHMARKS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE probe_results (
    probe      TEXT COLLATE "C" NOT NULL,
    at         BIGINT NOT NULL,
    owner      TEXT COLLATE "C" NOT NULL,
    journey    TEXT COLLATE "C" NOT NULL,
    ok         BOOLEAN NOT NULL,
    latency_ms INTEGER,
    error      TEXT,
    PRIMARY KEY (probe, at)
  );
  CREATE INDEX probe_results_at ON probe_results (at);
  CREATE TABLE status_minutes (
    owner     TEXT COLLATE "C" NOT NULL,
    component TEXT COLLATE "C" NOT NULL,
    minute    BIGINT NOT NULL,
    journey   TEXT COLLATE "C" NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('degraded', 'down')),
    PRIMARY KEY (owner, component, minute)
  );
  CREATE INDEX status_minutes_minute ON status_minutes (minute);
  `,
];
