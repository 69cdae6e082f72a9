/**
 * The disruptions table on each backend (docs/storage.md ("Disruptions table")): one row per disruption of an important
 * business service. Never edit a released migration: append a new one.
 */

export const SQLITE_DISRUPTIONS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE disruptions (
    id           TEXT PRIMARY KEY,
    journey      TEXT NOT NULL,
    incident_id  TEXT NOT NULL,
    start_at     INTEGER NOT NULL,
    end_at       INTEGER CHECK (end_at IS NULL OR end_at >= start_at),
    paused_at    INTEGER,
    tolerance_ms INTEGER NOT NULL CHECK (tolerance_ms > 0),
    warned_at    INTEGER,
    breached_at  INTEGER
  ) STRICT;
  CREATE INDEX disruptions_start ON disruptions (start_at);
  CREATE INDEX disruptions_journey_start ON disruptions (journey, start_at);
  CREATE INDEX disruptions_running ON disruptions (journey) WHERE end_at IS NULL;
  `,
];

export const POSTGRES_DISRUPTIONS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE disruptions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    journey      TEXT COLLATE "C" NOT NULL,
    incident_id  TEXT COLLATE "C" NOT NULL,
    start_at     BIGINT NOT NULL,
    end_at       BIGINT CHECK (end_at IS NULL OR end_at >= start_at),
    paused_at    BIGINT,
    tolerance_ms BIGINT NOT NULL CHECK (tolerance_ms > 0),
    warned_at    BIGINT,
    breached_at  BIGINT
  );
  CREATE INDEX disruptions_start ON disruptions (start_at);
  CREATE INDEX disruptions_journey_start ON disruptions (journey, start_at);
  CREATE INDEX disruptions_running ON disruptions (journey) WHERE end_at IS NULL;
  `,
];
