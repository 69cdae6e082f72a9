/** The embedded Store: one SQLite file through better-sqlite3, WAL with synchronous=FULL for durable batches. */
import fs from 'node:fs';
import nodePath from 'node:path';
import Database from 'better-sqlite3';
import type { SliDefinition } from '../../engine/sli.js';
import { VigilError } from '../../errors/catalogue.js';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent } from '../../model/event.js';
import { BatchAggregator, definitionsByJourney, rebuildStart, SliRebuild } from '../aggregate.js';
import { checkedLimit, EVENT_COLUMNS, type EventRow, eventQueryWhere, storedEventFromRow } from '../event-rows.js';
import type { Alert } from '../../model/alert.js';
import type { Incident, IncidentQuery } from '../../model/incident.js';
import type { OutboxMessage } from '../../model/notification.js';
import type { AlertingChanges, AppendResult, EpochMinute, EventQuery, ScopeMinute, SliMinute, Store, StoredEvent } from '../store.js';
import { SqliteAlerting } from './alerting.js';
import { unavailable } from './errors.js';
import { migrateSqlite } from './schema.js';

/** Rows deleted per purge transaction: small enough that ingest never waits long behind a purge. */
const PURGE_CHUNK = 5_000;
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

/**
 * A Store over one SQLite file (`:memory:` for throwaway stores). Opening never creates tables:
 * call `migrate()` (openStore does).
 * @example const store = new SqliteStore('./vigil.db'); await store.migrate();
 */
export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** SLI keys known to be in sli_keys, so a batch only touches sli_keys for keys it has not seen. */
  private readonly knownSliKeys = new Set<string>();
  private readonly appendTransaction: Database.Transaction<SqliteStore['appendInTransaction']>;
  private readonly rebuildTransaction: Database.Transaction<SqliteStore['rebuildInTransaction']>;
  private readonly alerting: SqliteAlerting;

  constructor(path: string) {
    this.path = path;
    const inMemory = path === ':memory:' || path === '';
    if (!inMemory && !path.startsWith('file:')) {
      const dir = nodePath.dirname(nodePath.resolve(path));
      if (!fs.existsSync(dir)) {
        throw new VigilError('store_unavailable', `Cannot open the SQLite database at ${path}: the directory ${dir} does not exist.`);
      }
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      // FULL: the WAL is fsynced at every commit, so an acknowledged batch survives power loss, not just a crash.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      this.db = db;
      this.appendTransaction = db.transaction(this.appendInTransaction.bind(this));
      this.rebuildTransaction = db.transaction(this.rebuildInTransaction.bind(this));
      this.alerting = new SqliteAlerting({ db, stmt: (sql) => this.stmt(sql), guard: (fn) => this.guard(fn) });
    } catch (cause) {
      db?.close();
      throw new VigilError('store_unavailable', `Cannot open the SQLite database at ${path}: ${(cause as Error).message}`, { cause });
    }
  }

  async migrate(): Promise<void> {
    this.guard(() => migrateSqlite(this.db, this.path));
  }

  /** Closes the file; safe to call more than once. */
  async close(): Promise<void> {
    this.closeSync();
  }

  /** Synchronous close, for exit handlers that cannot await. */
  closeSync(): void {
    if (this.db.open) this.db.close();
  }

  async appendEvents(events: readonly JourneyEvent[], slis: readonly SliDefinition[], receivedAt: number): Promise<AppendResult> {
    const newDefs = slis.filter((def) => !this.knownSliKeys.has(def.key));
    const result = this.guard(() => this.appendTransaction.immediate(events, slis, newDefs, receivedAt));
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
      const empty = this.stmt('SELECT NOT EXISTS (SELECT 1 FROM events) AS empty').get() as { empty: number };
      const registerKey = this.stmt(
        'INSERT INTO sli_keys (key, definition, materialised_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
      );
      for (const def of newDefs) registerKey.run(def.key, JSON.stringify(def), empty.empty === 1 ? receivedAt : null);
    }

    const insertEvent = this.stmt(
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
    const upsertSli = this.stmt(
      'INSERT INTO sli_minutes (key, minute, good, total) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (key, minute) DO UPDATE SET good = good + excluded.good, total = total + excluded.total',
    );
    for (const d of sliDeltas) upsertSli.run(d.key, d.minute, d.good, d.total);

    const scopeDeltas = aggregator.scopeDeltas();
    const upsertScope = this.stmt(
      'INSERT INTO scope_minutes (journey, step, minute, success, failure, rejected, abandoned) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (journey, step, minute) DO UPDATE SET success = success + excluded.success, failure = failure + excluded.failure, ' +
        'rejected = rejected + excluded.rejected, abandoned = abandoned + excluded.abandoned',
    );
    for (const s of scopeDeltas) upsertScope.run(s.journey, s.step ?? '', s.minute, s.success, s.failure, s.rejected, s.abandoned);

    if (journeysTouched.size > 0) {
      // A materialised SLI of a touched journey that this batch did not aggregate is no longer up to date.
      this.stmt(
        'UPDATE sli_keys SET materialised_at = NULL WHERE materialised_at IS NOT NULL ' +
          "AND json_extract(definition, '$.journey') IN (SELECT value FROM json_each(?)) AND key NOT IN (SELECT value FROM json_each(?))",
      ).run(JSON.stringify([...journeysTouched]), JSON.stringify(slis.map((d) => d.key)));
    }
    return { inserted, sliDeltas, scopeDeltas };
  }

  async materialisedSliKeys(): Promise<string[]> {
    return this.guard(() =>
      (this.stmt('SELECT key FROM sli_keys WHERE materialised_at IS NOT NULL ORDER BY key').all() as { key: string }[]).map((r) => r.key),
    );
  }

  async rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }> {
    const result = this.guard(() => this.rebuildTransaction.immediate(def));
    this.knownSliKeys.add(def.key);
    return result;
  }

  private rebuildInTransaction(def: SliDefinition): { events: number; minutes: number } {
    const from = rebuildStart(this.purgeWatermark());
    this.stmt('DELETE FROM sli_minutes WHERE key = ? AND minute >= ?').run(def.key, from.minute);
    const scan = this.stmt(
      def.step === null
        ? 'SELECT outcome, latency_ms, ts FROM events WHERE journey = ? AND step IS NULL AND ts >= ?'
        : 'SELECT outcome, latency_ms, ts FROM events WHERE journey = ? AND step = ? AND ts >= ?',
    ).raw(true);
    const params = def.step === null ? [def.journey, from.ms] : [def.journey, def.step, from.ms];
    const rebuild = new SliRebuild(def);
    // Rows stream one at a time from the iterator; the writes wait until it is done (one statement at a time).
    for (const row of scan.iterate(...params) as IterableIterator<[Outcome, number | null, number]>) rebuild.add(row[0], row[1], row[2]);
    const rows = rebuild.rows();
    const insert = this.stmt('INSERT INTO sli_minutes (key, minute, good, total) VALUES (?, ?, ?, ?)');
    for (const r of rows) insert.run(r.key, r.minute, r.good, r.total);
    this.stmt(
      'INSERT INTO sli_keys (key, definition, materialised_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET definition = excluded.definition, materialised_at = excluded.materialised_at',
    ).run(def.key, JSON.stringify(def), Date.now());
    return { events: rebuild.scanned, minutes: rows.length };
  }

  async dropSli(key: string): Promise<void> {
    this.guard(() =>
      this.db
        .transaction(() => {
          this.stmt('DELETE FROM sli_minutes WHERE key = ?').run(key);
          this.stmt('DELETE FROM sli_keys WHERE key = ?').run(key);
        })
        .immediate(),
    );
    this.knownSliKeys.delete(key);
  }

  async sliMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]> {
    return this.guard(
      () =>
        this.stmt('SELECT key, minute, good, total FROM sli_minutes WHERE key = ? AND minute >= ? AND minute < ? ORDER BY minute').all(
          key,
          fromMinute,
          toMinute,
        ) as SliMinute[],
    );
  }

  async scopeMinutes(fromMinute: EpochMinute, toMinute: EpochMinute, journey?: string): Promise<ScopeMinute[]> {
    const columns = 'journey, step, minute, success, failure, rejected, abandoned';
    const rows = this.guard(
      () =>
        (journey === undefined
          ? this.stmt(`SELECT ${columns} FROM scope_minutes WHERE minute >= ? AND minute < ? ORDER BY minute, journey, step`).all(
              fromMinute,
              toMinute,
            )
          : this.stmt(`SELECT ${columns} FROM scope_minutes WHERE journey = ? AND minute >= ? AND minute < ? ORDER BY minute, step`).all(
              journey,
              fromMinute,
              toMinute,
            )) as ScopeRow[],
    );
    return rows.map((r) => ({ ...r, step: r.step === '' ? null : r.step }));
  }

  async events(query: EventQuery): Promise<StoredEvent[]> {
    const where = eventQueryWhere(query, () => '?');
    const limit = checkedLimit(query.limit);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.sql} ORDER BY ts, seq${limit === undefined ? '' : ' LIMIT ?'}`;
    const params = limit === undefined ? where.params : [...where.params, limit];
    return this.guard(() => (this.stmt(sql).all(...params) as EventRow[]).map(storedEventFromRow));
  }

  async distinctCustomers(query: EventQuery): Promise<number> {
    const where = eventQueryWhere(query, () => '?');
    const sql = `SELECT COUNT(DISTINCT customer_id) AS n FROM events WHERE ${where.sql} AND customer_id IS NOT NULL AND customer_id <> ''`;
    return this.guard(() => (this.stmt(sql).get(...where.params) as { n: number }).n);
  }

  async newestEventTimestamp(): Promise<number | null> {
    return this.guard(
      () =>
        (
          this.stmt(
            'SELECT MAX((SELECT MAX(ts) FROM events e WHERE e.journey = j.journey)) AS ts FROM (SELECT DISTINCT journey FROM events) j',
          ).get() as {
            ts: number | null;
          }
        ).ts,
    );
  }

  async countEvents(): Promise<number> {
    return this.guard(() => (this.stmt('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n);
  }

  async purge(eventsBefore: number, aggregatesBefore: EpochMinute): Promise<{ events: number; sliMinutes: number; scopeMinutes: number }> {
    return this.guard(() => {
      // The watermark goes first: if the purge is interrupted, rebuilds already know which minutes may be incomplete.
      this.stmt(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))',
      ).run(PURGE_WATERMARK, String(eventsBefore));
      // Per journey through the (journey, ts) index: a separate index on ts alone would cost every insert.
      const journeys = (this.stmt('SELECT DISTINCT journey FROM events').all() as { journey: string }[]).map((r) => r.journey);
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

  async getMeta(key: string): Promise<string | null> {
    return this.guard(() => (this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null);
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.guard(() =>
      this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value),
    );
  }

  // Alerts, incidents and the outbox (AlertingStore) live in alerting.ts.
  saveAlerting(changes: AlertingChanges): Promise<void> {
    return this.alerting.saveAlerting(changes);
  }
  alert(key: string): Promise<Alert | null> {
    return this.alerting.alert(key);
  }
  alerts(query: { incidentId?: string; keys?: string[] }): Promise<Alert[]> {
    return this.alerting.alerts(query);
  }
  openAlerting(): Promise<{ incidents: Incident[]; alerts: Alert[] }> {
    return this.alerting.openAlerting();
  }
  incident(id: string): Promise<Incident | null> {
    return this.alerting.incident(id);
  }
  incidents(query: IncidentQuery): Promise<Incident[]> {
    return this.alerting.incidents(query);
  }
  alertingCounts(from: number, to: number): Promise<{ alertsReceived: number; incidentsOpened: number; incidentsPaged: number }> {
    return this.alerting.alertingCounts(from, to);
  }
  outboxDue(now: number, limit: number): Promise<OutboxMessage[]> {
    return this.alerting.outboxDue(now, limit);
  }
  updateOutbox(message: OutboxMessage): Promise<void> {
    return this.alerting.updateOutbox(message);
  }

  /** Each chunk commits on its own, so a long purge never holds the write lock for long. */
  private deleteInChunks(sql: string, before: number, journey?: string): number {
    const statement = this.stmt(sql);
    let deleted = 0;
    for (;;) {
      const { changes } = journey === undefined ? statement.run(before, PURGE_CHUNK) : statement.run(journey, before, PURGE_CHUNK);
      deleted += changes;
      if (changes < PURGE_CHUNK) return deleted;
    }
  }

  private purgeWatermark(): number | null {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(PURGE_WATERMARK) as { value: string } | undefined;
    return row === undefined ? null : Number(row.value);
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a database call, turning "the file is busy, gone or full" into store_unavailable. */
  private guard<R>(fn: () => R): R {
    try {
      return fn();
    } catch (cause) {
      throw unavailable(cause, this.path);
    }
  }
}
