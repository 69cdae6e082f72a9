/**
 * The ingest bench's SQLite floor (docs/capacity.md ("The ceiling and the floor")): what a layout of one row per event
 * costs the writer alone. better-sqlite3 on a fresh file in WAL mode with synchronous=FULL, the events table of events
 * migrations 1 and 2 (src/store/events/schema.ts), one INSERT per event, one transaction per batch; no HTTP, no parse,
 * no validation, no aggregates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EVENT_COLUMNS } from '../store/events/event-rows.js';
import { SQLITE_EVENTS_MIGRATIONS } from '../store/events/schema.js';

/** One events row's values, in EVENT_COLUMNS order. */
type Row = [
  string,
  string,
  string | null,
  string,
  number | null,
  number,
  string | null,
  string | null,
  number | null,
  string | null,
  string | null,
  number,
];

/** A statement of a migration, found by `pattern`; throws if the migration no longer has it, so the floor never drifts silently. */
function statement(migration: number, pattern: RegExp): string {
  const found = pattern.exec(SQLITE_EVENTS_MIGRATIONS[migration]!);
  if (!found) throw new Error(`events migration ${migration + 1} has no statement matching ${pattern}`);
  return found[0];
}

/**
 * The events table's DDL: as migration 1 creates it, or without its one index (the UNIQUE on id) when `indexes` is
 * false; with them, also the indexes the events table has today: (journey, ts) of migration 1 and (journey, outcome, ts)
 * of migration 2 (migration 2's index on customer_id is gone since migration 3, which fills a table of its own in bulk).
 */
export function floorSchema(indexes: boolean): string[] {
  const table = statement(0, /CREATE TABLE events \([\s\S]*?\) STRICT;/);
  if (!indexes) {
    const unindexed = table.replace(/^(\s*id\s+TEXT) UNIQUE,$/m, '$1,');
    if (unindexed === table) throw new Error('events migration 1 no longer declares id TEXT UNIQUE');
    return [unindexed];
  }
  return [
    table,
    statement(0, /CREATE INDEX events_journey_ts ON events \(journey, ts\);/),
    statement(1, /CREATE INDEX events_journey_outcome_ts [^;]*;/),
  ];
}

/** The rows of NDJSON bodies as the writer would insert them (attributes as JSON text, timestamps in epoch ms). */
export function floorRows(bodies: readonly string[], receivedAt: number): Row[][] {
  return bodies.map((body) =>
    body.split('\n').map((line) => {
      const e = JSON.parse(line) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      const num = (v: unknown) => (typeof v === 'number' ? v : null);
      return [
        String(e.id),
        String(e.journey),
        text(e.step),
        String(e.outcome),
        num(e.latencyMs),
        Date.parse(String(e.timestamp)),
        text(e.attemptId),
        text(e.customerId),
        num(e.amount),
        text(e.currency),
        e.attributes === undefined ? null : JSON.stringify(e.attributes),
        receivedAt,
      ];
    }),
  );
}

/**
 * Events per second of inserting every batch of `batches` (one transaction and one fsync of the WAL each) into a fresh
 * file with the events table of floorSchema(indexes); the rows are made before the clock starts.
 * @example const perSecond = sqliteFloor(floorRows(bodies, Date.now()), true);
 */
export function sqliteFloor(batches: readonly Row[][], indexes: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-floor-'));
  const db = new Database(join(dir, 'floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    for (const ddl of floorSchema(indexes)) db.exec(ddl);
    const insert = db.prepare(
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${indexes ? ' ON CONFLICT (id) DO NOTHING' : ''}`,
    );
    let stored = 0;
    const append = db.transaction((rows: readonly Row[]) => {
      for (const row of rows) stored += insert.run(...row).changes;
    });
    const t0 = performance.now();
    for (const rows of batches) append(rows);
    const seconds = (performance.now() - t0) / 1000;
    const events = batches.reduce((n, rows) => n + rows.length, 0);
    if (stored !== events) throw new Error(`the floor stored ${stored} of ${events} events`);
    return events / seconds;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
