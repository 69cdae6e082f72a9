/** The EventStore on SQLite: a batch is one IMMEDIATE transaction on the shared connection (WAL, synchronous=FULL). */
import type Database from 'better-sqlite3';
import type { SliDefinition } from '../../engine/sli.js';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent, StoredEvent } from '../../model/event.js';
import { type EpochMinute, MS_PER_MINUTE, type ScopeMinute, type SliMinute } from '../../model/minutes.js';
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { BatchAggregator, definitionsByJourney, rebuildStart, SliRebuild } from './aggregate.js';
import { checkedLimit, EVENT_COLUMNS, type EventRow, eventQueryWhere, storedEventFromRow } from './event-rows.js';
import type { AppendResult, EventQuery, EventStore } from './event-store.js';
import { SQLITE_EVENTS_MIGRATIONS } from './schema.js';

/** Rows deleted per purge transaction: small enough that ingest never waits long behind a purge. */
const PURGE_CHUNK = 5_000;
/** Meta key (the meta table) of the purge watermark: raw events before it may be gone. */
const PURGE_WATERMARK = 'events_purged_before';

interface ScopeRow {
  journey: string;
  step: string;
  minute: number;
  success: number;
  failure: number;
  rejected: number;
  abandoned: number;
}

class SqliteEvents implements EventStore {
  /** SLI keys known to be in sli_keys, so a batch only touches sli_keys for keys it has not seen. */
  private readonly knownSliKeys = new Set<string>();
  private readonly appendTransaction: Database.Transaction<SqliteEvents['appendInTransaction']>;
  private readonly rebuildTransaction: Database.Transaction<SqliteEvents['rebuildInTransaction']>;
  private readonly fromEventsTransaction: Database.Transaction<SqliteEvents['fromEventsInTransaction']>;

  constructor(private readonly connection: SqliteConnection) {
    this.appendTransaction = connection.db.transaction(this.appendInTransaction.bind(this));
    this.rebuildTransaction = connection.db.transaction(this.rebuildInTransaction.bind(this));
    this.fromEventsTransaction = connection.db.transaction(this.fromEventsInTransaction.bind(this));
  }

  async appendEvents(events: readonly JourneyEvent[], slis: readonly SliDefinition[], receivedAt: number): Promise<AppendResult> {
    const newDefs = slis.filter((def) => !this.knownSliKeys.has(def.key));
    const result = this.connection.guard(() => this.appendTransaction.immediate(events, slis, newDefs, receivedAt));
    for (const def of newDefs) this.knownSliKeys.add(def.key);
    return result;
  }

  private appendInTransaction(
    events: readonly JourneyEvent[],
    slis: readonly SliDefinition[],
    newDefs: readonly SliDefinition[],
    receivedAt: number,
  ): AppendResult {
    if (newDefs.length > 0) {
      // A key born into an empty store is complete by construction; otherwise only rebuildSli may vouch for it.
      const empty = this.connection.stmt('SELECT NOT EXISTS (SELECT 1 FROM events) AS empty').get() as { empty: number };
      const registerKey = this.connection.stmt(
        'INSERT INTO sli_keys (key, definition, materialised_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
      );
      for (const def of newDefs) registerKey.run(def.key, JSON.stringify(def), empty.empty === 1 ? receivedAt : null);
    }

    const insertEvent = this.connection.stmt(
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    const defsByJourney = definitionsByJourney(slis);
    const aggregator = new BatchAggregator();
    const inserted = new Array<boolean>(events.length);
    const journeysTouched = new Set<string>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const info = insertEvent.run(
        e.id ?? null,
        e.journey,
        e.step ?? null,
        e.outcome,
        e.latencyMs ?? null,
        e.timestamp,
        e.attemptId ?? null,
        e.customerId ?? null,
        e.amount ?? null,
        e.currency ?? null,
        e.attributes === undefined ? null : JSON.stringify(e.attributes),
        receivedAt,
      );
      const stored = info.changes === 1;
      inserted[i] = stored;
      if (stored) {
        aggregator.add(e, defsByJourney.get(e.journey));
        journeysTouched.add(e.journey);
      }
    }

    const sliDeltas = aggregator.sliDeltas();
    const upsertSli = this.connection.stmt(
      'INSERT INTO sli_minutes (key, minute, good, total) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (key, minute) DO UPDATE SET good = good + excluded.good, total = total + excluded.total',
    );
    for (const d of sliDeltas) upsertSli.run(d.key, d.minute, d.good, d.total);

    const scopeDeltas = aggregator.scopeDeltas();
    const upsertScope = this.connection.stmt(
      'INSERT INTO scope_minutes (journey, step, minute, success, failure, rejected, abandoned) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (journey, step, minute) DO UPDATE SET success = success + excluded.success, failure = failure + excluded.failure, ' +
        'rejected = rejected + excluded.rejected, abandoned = abandoned + excluded.abandoned',
    );
    for (const s of scopeDeltas) upsertScope.run(s.journey, s.step ?? '', s.minute, s.success, s.failure, s.rejected, s.abandoned);

    if (journeysTouched.size > 0) {
      // A materialised SLI of a touched journey that this batch did not aggregate is no longer up to date.
      this.connection
        .stmt(
          'UPDATE sli_keys SET materialised_at = NULL WHERE materialised_at IS NOT NULL ' +
            "AND json_extract(definition, '$.journey') IN (SELECT value FROM json_each(?)) AND key NOT IN (SELECT value FROM json_each(?))",
        )
        .run(JSON.stringify([...journeysTouched]), JSON.stringify(slis.map((d) => d.key)));
    }
    return { inserted, sliDeltas, scopeDeltas };
  }

  async materialisedSliKeys(): Promise<string[]> {
    return this.connection.guard(() =>
      (this.connection.stmt('SELECT key FROM sli_keys WHERE materialised_at IS NOT NULL ORDER BY key').all() as { key: string }[]).map(
        (r) => r.key,
      ),
    );
  }

  async rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }> {
    const result = this.connection.guard(() => this.rebuildTransaction.immediate(def));
    this.knownSliKeys.add(def.key);
    return result;
  }

  private rebuildInTransaction(def: SliDefinition): { events: number; minutes: number } {
    const from = rebuildStart(this.purgeWatermark());
    this.connection.stmt('DELETE FROM sli_minutes WHERE key = ? AND minute >= ?').run(def.key, from.minute);
    const rebuild = this.scan(def, from.ms, Number.MAX_SAFE_INTEGER);
    const rows = rebuild.rows();
    const insert = this.connection.stmt('INSERT INTO sli_minutes (key, minute, good, total) VALUES (?, ?, ?, ?)');
    for (const r of rows) insert.run(r.key, r.minute, r.good, r.total);
    this.connection
      .stmt(
        'INSERT INTO sli_keys (key, definition, materialised_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET definition = excluded.definition, materialised_at = excluded.materialised_at',
      )
      .run(def.key, JSON.stringify(def), Date.now());
    return { events: rebuild.scanned, minutes: rows.length };
  }

  async sliMinutesFromEvents(def: SliDefinition, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]> {
    // A deferred transaction: one snapshot for the watermark, the kept aggregates and the raw events, and no write lock.
    return this.connection.guard(() => this.fromEventsTransaction.deferred(def, fromMinute, toMinute));
  }

  private fromEventsInTransaction(def: SliDefinition, fromMinute: EpochMinute, toMinute: EpochMinute): SliMinute[] {
    const start = rebuildStart(this.purgeWatermark());
    // Minutes a rebuild keeps (their raw events may be partly purged) come from the aggregates, the rest from raw events.
    const kept = this.connection
      .stmt('SELECT key, minute, good, total FROM sli_minutes WHERE key = ? AND minute >= ? AND minute < ? ORDER BY minute')
      .all(def.key, fromMinute, Math.min(toMinute, start.minute)) as SliMinute[];
    // Clamped: minute bounds such as Number.MAX_SAFE_INTEGER would overflow a BIGINT once in ms.
    const fromMs = Math.max(fromMinute * MS_PER_MINUTE, start.ms, Number.MIN_SAFE_INTEGER);
    const toMs = Math.min(toMinute * MS_PER_MINUTE, Number.MAX_SAFE_INTEGER);
    const computed = fromMs < toMs ? this.scan(def, fromMs, toMs).rows() : [];
    return [...kept, ...computed];
  }

  /** Streams the raw events of the SLI's scope with fromMs ≤ ts < toMs into a rebuild; only per-minute sums are held. */
  private scan(def: SliDefinition, fromMs: number, toMs: number): SliRebuild {
    const scan = this.connection
      .stmt(
        def.step === null
          ? 'SELECT outcome, latency_ms, ts FROM events WHERE journey = ? AND step IS NULL AND ts >= ? AND ts < ?'
          : 'SELECT outcome, latency_ms, ts FROM events WHERE journey = ? AND step = ? AND ts >= ? AND ts < ?',
      )
      .raw(true);
    const params = def.step === null ? [def.journey, fromMs, toMs] : [def.journey, def.step, fromMs, toMs];
    const rebuild = new SliRebuild(def);
    // Rows stream one at a time from the iterator; the writes wait until it is done (one statement at a time).
    for (const row of scan.iterate(...params) as IterableIterator<[Outcome, number | null, number]>) rebuild.add(row[0], row[1], row[2]);
    return rebuild;
  }

  async dropSli(key: string): Promise<void> {
    this.connection.guard(() =>
      this.connection.db
        .transaction(() => {
          this.connection.stmt('DELETE FROM sli_minutes WHERE key = ?').run(key);
          this.connection.stmt('DELETE FROM sli_keys WHERE key = ?').run(key);
        })
        .immediate(),
    );
    this.knownSliKeys.delete(key);
  }

  async sliMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]> {
    return this.connection.guard(
      () =>
        this.connection
          .stmt('SELECT key, minute, good, total FROM sli_minutes WHERE key = ? AND minute >= ? AND minute < ? ORDER BY minute')
          .all(key, fromMinute, toMinute) as SliMinute[],
    );
  }

  async scopeMinutes(fromMinute: EpochMinute, toMinute: EpochMinute, journey?: string): Promise<ScopeMinute[]> {
    const columns = 'journey, step, minute, success, failure, rejected, abandoned';
    const rows = this.connection.guard(
      () =>
        (journey === undefined
          ? this.connection
              .stmt(`SELECT ${columns} FROM scope_minutes WHERE minute >= ? AND minute < ? ORDER BY minute, journey, step`)
              .all(fromMinute, toMinute)
          : this.connection
              .stmt(`SELECT ${columns} FROM scope_minutes WHERE journey = ? AND minute >= ? AND minute < ? ORDER BY minute, step`)
              .all(journey, fromMinute, toMinute)) as ScopeRow[],
    );
    return rows.map((r) => ({ ...r, step: r.step === '' ? null : r.step }));
  }

  async events(query: EventQuery): Promise<StoredEvent[]> {
    const where = eventQueryWhere(query, () => '?');
    const limit = checkedLimit(query.limit);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.sql} ORDER BY ts, seq${limit === undefined ? '' : ' LIMIT ?'}`;
    const params = limit === undefined ? where.params : [...where.params, limit];
    return this.connection.guard(() => (this.connection.stmt(sql).all(...params) as EventRow[]).map(storedEventFromRow));
  }

  async distinctCustomers(query: EventQuery): Promise<number> {
    const where = eventQueryWhere(query, () => '?');
    const sql = `SELECT COUNT(DISTINCT customer_id) AS n FROM events WHERE ${where.sql} AND customer_id IS NOT NULL AND customer_id <> ''`;
    return this.connection.guard(() => (this.connection.stmt(sql).get(...where.params) as { n: number }).n);
  }

  async newestEventTimestamp(): Promise<number | null> {
    return this.connection.guard(
      () =>
        (
          this.connection
            .stmt(
              'SELECT MAX((SELECT MAX(ts) FROM events e WHERE e.journey = j.journey)) AS ts FROM (SELECT DISTINCT journey FROM events) j',
            )
            .get() as {
            ts: number | null;
          }
        ).ts,
    );
  }

  async countEvents(): Promise<number> {
    return this.connection.guard(() => (this.connection.stmt('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n);
  }

  async purge(eventsBefore: number, aggregatesBefore: EpochMinute): Promise<{ events: number; sliMinutes: number; scopeMinutes: number }> {
    return this.connection.guard(() => {
      // The watermark goes first: if the purge is interrupted, rebuilds already know which minutes may be incomplete.
      this.connection
        .stmt(
          'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))',
        )
        .run(PURGE_WATERMARK, String(eventsBefore));
      // Per journey through the (journey, ts) index: a separate index on ts alone would cost every insert.
      const journeys = (this.connection.stmt('SELECT DISTINCT journey FROM events').all() as { journey: string }[]).map((r) => r.journey);
      let events = 0;
      for (const journey of journeys) {
        events += this.deleteInChunks(
          'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE journey = ? AND ts < ? LIMIT ?)',
          eventsBefore,
          journey,
        );
      }
      const sliMinutes = this.deleteInChunks(
        'DELETE FROM sli_minutes WHERE (key, minute) IN (SELECT key, minute FROM sli_minutes WHERE minute < ? LIMIT ?)',
        aggregatesBefore,
      );
      const scopeMinutes = this.deleteInChunks(
        'DELETE FROM scope_minutes WHERE (journey, step, minute) IN (SELECT journey, step, minute FROM scope_minutes WHERE minute < ? LIMIT ?)',
        aggregatesBefore,
      );
      return { events, sliMinutes, scopeMinutes };
    });
  }

  /** Each chunk commits on its own, so a long purge never holds the write lock for long. */
  private deleteInChunks(sql: string, before: number, journey?: string): number {
    const statement = this.connection.stmt(sql);
    let deleted = 0;
    for (;;) {
      const { changes } = journey === undefined ? statement.run(before, PURGE_CHUNK) : statement.run(journey, before, PURGE_CHUNK);
      deleted += changes;
      if (changes < PURGE_CHUNK) return deleted;
    }
  }

  private purgeWatermark(): number | null {
    const row = this.connection.stmt('SELECT value FROM meta WHERE key = ?').get(PURGE_WATERMARK) as { value: string } | undefined;
    return row === undefined ? null : Number(row.value);
  }
}

/** The events capability's SQLite module, registered in capabilities.ts. */
export const sqliteEvents: CapabilityBackend<SqliteConnection, EventStore> = {
  migrations: SQLITE_EVENTS_MIGRATIONS,
  open: (connection) => new SqliteEvents(connection),
};
