/**
 * The alerting tables (alerts, incidents, outbox) on each backend, as ordered migrations (docs/storage.md,
 * "Tables"). `data` holds the whole object as JSON; the other columns are copies to filter on. Never edit
 * a released migration: append a new one. Version 1 is what the single-list schema's migration 2 created.
 */

export const SQLITE_ALERTING_MIGRATIONS: readonly string[] = [
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
  // 2: the public text of an incident (docs/public-page.md ("Public text")), apart from its data so the incident manager's
  // upserts never overwrite it.
  `
  CREATE TABLE incident_public_texts (
    incident_id TEXT PRIMARY KEY,
    text        TEXT NOT NULL,
    set_by      TEXT,
    set_at      INTEGER NOT NULL
  ) STRICT;
  `,
  // 3: DORA classification (docs/dora.md ("What Vigil keeps")): the person flags of an incident, each as last set, and the
  // moment it first became major, written once. Apart from the incident's data so the incident manager's upserts never touch them.
  `
  CREATE TABLE incident_regulatory_flags (
    incident_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    value       TEXT,
    set_by      TEXT,
    set_at      INTEGER NOT NULL,
    note        TEXT,
    PRIMARY KEY (incident_id, name)
  ) STRICT;
  CREATE TABLE incident_classifications (
    incident_id   TEXT PRIMARY KEY,
    classified_at INTEGER NOT NULL,
    basis         TEXT NOT NULL CHECK (basis = 'thresholds' OR basis = 'recurring'),
    reason        TEXT NOT NULL
  ) STRICT;
  `,
  // 4: retention (docs/storage.md ("Purging old data")): resolved incidents by resolution time, merges to follow, delivered messages.
  `
  CREATE INDEX incidents_resolved_at ON incidents (resolved_at) WHERE status = 'resolved';
  CREATE INDEX incidents_merged_into ON incidents (merged_into) WHERE merged_into IS NOT NULL;
  CREATE INDEX outbox_delivered_at ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
  `,
  // 5: claims on outbox messages (docs/scale-out.md ("Notifications once")): the node sending a message holds it until
  // claimed_until, so a node that starts leading meanwhile does not send it again.
  `
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
  `,
];

/** PostgreSQL keeps `data` as json (verbatim text, unlike jsonb). */
export const POSTGRES_ALERTING_MIGRATIONS: readonly string[] = [
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
  // 2: the public text of an incident, as on SQLite.
  `
  CREATE TABLE incident_public_texts (
    incident_id TEXT COLLATE "C" PRIMARY KEY,
    text        TEXT NOT NULL,
    set_by      TEXT,
    set_at      BIGINT NOT NULL
  );
  `,
  // 3: DORA classification, as on SQLite.
  `
  CREATE TABLE incident_regulatory_flags (
    incident_id TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    value       JSON,
    set_by      TEXT,
    set_at      BIGINT NOT NULL,
    note        TEXT,
    PRIMARY KEY (incident_id, name)
  );
  CREATE TABLE incident_classifications (
    incident_id   TEXT COLLATE "C" PRIMARY KEY,
    classified_at BIGINT NOT NULL,
    basis         TEXT NOT NULL CHECK (basis IN ('thresholds', 'recurring')),
    reason        TEXT NOT NULL
  );
  `,
  // 4: retention, as on SQLite.
  `
  CREATE INDEX incidents_resolved_at ON incidents (resolved_at) WHERE status = 'resolved';
  CREATE INDEX incidents_merged_into ON incidents (merged_into) WHERE merged_into IS NOT NULL;
  CREATE INDEX outbox_delivered_at ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
  `,
  // 5: claims on outbox messages (docs/scale-out.md ("Notifications once")): the node sending a message holds it until
  // claimed_until, so a node that starts leading meanwhile does not send it again.
  `
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until BIGINT;
  `,
];
