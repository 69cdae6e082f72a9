/**
 * The event tables on each backend, as ordered migrations (docs/storage.md, "Tables"). Never edit a
 * released migration: append a new one. Version 1 is what the single-list schema's migration 1 created.
 */

export const SQLITE_EVENTS_MIGRATIONS: readonly string[] = [
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
  // 2: a day's failures for the value endpoint (docs/value.md ("Abandonment")), and a customer's events in time order:
  // their successes after a failure (abandonment) and whether they came back (docs/retention.md ("Cost")).
  `
  CREATE INDEX events_journey_outcome_ts ON events (journey, outcome, ts);
  CREATE INDEX events_customer_ts ON events (customer_id, ts) WHERE customer_id IS NOT NULL;
  `,
  // 3: the customer index leaves the append path (docs/storage.md ("The customer index")). events_customer_ts cost each
  // append a scattered index insert, most of the bytes a batch writes; customer_events holds the same (customer, ts)
  // entries, filled by the writer thread in bulk and sorted, up to the watermark customer_index.seq: every event with
  // seq <= it has its entry, and queries read the events after it directly. Filled here from the old index, then dropped.
  `
  CREATE TABLE customer_events (
    customer_id TEXT NOT NULL,
    ts          INTEGER NOT NULL,
    event_seq   INTEGER NOT NULL,
    PRIMARY KEY (customer_id, ts, event_seq)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE customer_index (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq INTEGER NOT NULL
  ) STRICT;
  INSERT INTO customer_events (customer_id, ts, event_seq)
    SELECT customer_id, ts, seq FROM events WHERE customer_id IS NOT NULL AND customer_id <> '' ORDER BY customer_id, ts, seq;
  INSERT INTO customer_index (one, seq) VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM events));
  DROP INDEX events_customer_ts;
  -- Every delete of an event (the purge) takes its entry with it, and never leaves the watermark above the highest seq
  -- left: SQLite gives a new row MAX(seq) + 1, which must be above the watermark to be indexed.
  CREATE TRIGGER events_customer_delete AFTER DELETE ON events WHEN old.customer_id IS NOT NULL AND old.customer_id <> ''
  BEGIN
    DELETE FROM customer_events WHERE customer_id = old.customer_id AND ts = old.ts AND event_seq = old.seq;
  END;
  CREATE TRIGGER events_customer_watermark AFTER DELETE ON events WHEN old.seq > (SELECT COALESCE(MAX(seq), 0) FROM events)
  BEGIN
    UPDATE customer_index SET seq = MIN(seq, (SELECT COALESCE(MAX(seq), 0) FROM events));
  END;
  `,
];

/** Identifiers use the "C" collation: byte order, as in SQLite, and cheaper to index than a locale's. */
export const POSTGRES_EVENTS_MIGRATIONS: readonly string[] = [
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
  // 2: a day's failures for the value endpoint (docs/value.md ("Abandonment")), and a customer's events in time order:
  // their successes after a failure (abandonment) and whether they came back (docs/retention.md ("Cost")).
  `
  CREATE INDEX events_journey_outcome_ts ON events (journey, outcome, ts);
  CREATE INDEX events_customer_ts ON events (customer_id, ts) WHERE customer_id IS NOT NULL;
  `,
  // 3: every aggregate row carries the id of the transaction that last changed it, so each node of a cluster re-reads
  // only what changed since its previous read (docs/scale-out.md ("Same figures on every node")). A trigger stamps it,
  // so every writer (appends, rebuilds) is covered. PostgreSQL only: a SQLite file has one node.
  `
  CREATE FUNCTION vigil_stamp_changed_xid() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.changed_xid := pg_current_xact_id();
    RETURN NEW;
  END
  $$;
  ALTER TABLE sli_minutes ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
  ALTER TABLE scope_minutes ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
  CREATE TRIGGER sli_minutes_changed_xid BEFORE UPDATE ON sli_minutes FOR EACH ROW EXECUTE FUNCTION vigil_stamp_changed_xid();
  CREATE TRIGGER scope_minutes_changed_xid BEFORE UPDATE ON scope_minutes FOR EACH ROW EXECUTE FUNCTION vigil_stamp_changed_xid();
  CREATE INDEX sli_minutes_changed_xid ON sli_minutes (changed_xid);
  CREATE INDEX scope_minutes_changed_xid ON scope_minutes (changed_xid);
  `,
];
