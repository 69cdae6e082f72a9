/**
 * The writes of the EventStore on SQLite (append, rebuild, drop, purge) over one connection: run on
 * the writer thread for a file (sqlite-writer-thread.ts), in the calling thread for `:memory:` and
 * read-only stores. Every write of events and aggregates goes through one instance, so the SLI keys
 * it has registered (knownSliKeys) are never out of step with sli_keys.
 */
import type Database from 'better-sqlite3';
import type { SliDefinition } from '../../engine/sli.js';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent } from '../../model/event.js';
import type { EpochMinute } from '../../model/minutes.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { BatchAggregator, definitionsByJourney, rebuildStart, SliRebuild } from './aggregate.js';
import { EVENT_COLUMNS } from './event-rows.js';
import type { EventToStore } from './packed-events.js';
import type { AppendResult } from './event-store.js';

/** Rows deleted per purge transaction: small enough that ingest never waits long behind a purge. */
const PURGE_CHUNK = 5_000;
/** Events the customer index takes in per transaction (docs/storage.md ("The customer index")). */
export const CUSTOMER_INDEX_STEP = 50_000;
/** Unindexed events past which the writer indexes the customer tail without waiting to be idle. */
export const CUSTOMER_TAIL_MAX = 20_000;
/** Meta key (the meta table) of the purge watermark: raw events before it may be gone. */
const PURGE_WATERMARK = 'events_purged_before';

export interface PurgeCounts {
  events: number;
  sliMinutes: number;
  scopeMinutes: number;
  /** Transactions run. */
  batches: number;
}

/** One bounded step of a purge: what it deleted, and whether nothing older is left. */
export type PurgeStep = PurgeCounts & { done: boolean };

/** One appendEvents call's arguments. */
export interface AppendRequest {
  events: readonly EventToStore[];
  slis: readonly SliDefinition[];
  receivedAt: number;
}

/** The EventStore methods that write, as the reading side delegates them (in this thread or to the writer thread). */
export interface SqliteEventWriter {
  appendEvents(events: readonly JourneyEvent[], slis: readonly SliDefinition[], receivedAt: number): Promise<AppendResult>;
  rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }>;
  dropSli(key: string): Promise<void>;
  /**
   * One step of a purge: chunks of at most 5,000 rows, each its own transaction, stopping after `fullChunks` full ones
   * (done false: call again). The writer thread serves queued appends between steps (docs/storage.md ("Purging old data")).
   */
  purge(eventsBefore: number, aggregatesBefore: EpochMinute, fullChunks?: number): Promise<PurgeStep>;
  /**
   * Brings the customer index up to every event appended so far (docs/storage.md ("The customer index")), so the
   * queries that read it have only a few events to read beside it. Does nothing on a read-only store.
   */
  indexCustomers(): Promise<void>;
  /** Lets pending writes finish, then releases what the writer holds (its thread); the connection is closed by its owner. */
  close(): Promise<void>;
}

/** The purge watermark (epoch ms) kept in meta: raw events before it may have been deleted. */
export function purgeWatermark(connection: SqliteConnection): number | null {
  const row = connection.stmt('SELECT value FROM meta WHERE key = ?').get(PURGE_WATERMARK) as { value: string } | undefined;
  return row === undefined ? null : Number(row.value);
}

/** Streams the raw events of the SLI's scope with fromMs ≤ ts < toMs into a rebuild; only per-minute sums are held. */
export function scanSli(connection: SqliteConnection, def: SliDefinition, fromMs: number, toMs: number): SliRebuild {
  const scan = connection
    .stmt(
      def.step === null
        ? 'SELECT outcome, latency_ms, ts, amount, currency FROM events WHERE journey = ? AND step IS NULL AND ts >= ? AND ts < ?'
        : 'SELECT outcome, latency_ms, ts, amount, currency FROM events WHERE journey = ? AND step = ? AND ts >= ? AND ts < ?',
    )
    .raw(true);
  const params = def.step === null ? [def.journey, fromMs, toMs] : [def.journey, def.step, fromMs, toMs];
  const rebuild = new SliRebuild(def);
  // Rows stream one at a time from the iterator; the writes wait until it is done (one statement at a time).
  for (const row of scan.iterate(...params) as IterableIterator<[Outcome, number | null, number, number | null, string | null]>)
    rebuild.add(row[0], row[1], row[2], row[3], row[4]);
  return rebuild;
}

/**
 * The synchronous writes over one connection. Each method is one IMMEDIATE transaction (purge: one
 * per chunk) and throws what the connection's guard throws (store_unavailable, store_read_only).
 * @example const writes = new SqliteEventWrites(connection); writes.appendEvents(events, slis, Date.now());
 */
export class SqliteEventWrites {
  /** SLI keys known to be in sli_keys, so a batch only touches sli_keys for keys it has not seen. */
  private readonly knownSliKeys = new Set<string>();
  private readonly appendTransaction: Database.Transaction<SqliteEventWrites['appendInTransaction']>;
  private readonly rebuildTransaction: Database.Transaction<SqliteEventWrites['rebuildInTransaction']>;
  private readonly groupTransaction: Database.Transaction<(run: () => AppendResult[]) => AppendResult[]>;

  constructor(private readonly connection: SqliteConnection) {
    this.appendTransaction = connection.db.transaction(this.appendInTransaction.bind(this));
    this.rebuildTransaction = connection.db.transaction(this.rebuildInTransaction.bind(this));
    this.groupTransaction = connection.db.transaction((run: () => AppendResult[]) => run());
  }

  appendEvents(events: readonly EventToStore[], slis: readonly SliDefinition[], receivedAt: number): AppendResult {
    const newDefs = slis.filter((def) => !this.knownSliKeys.has(def.key));
    const result = this.connection.guard(() => this.appendTransaction.immediate(events, slis, newDefs, receivedAt));
    for (const def of newDefs) this.knownSliKeys.add(def.key);
    return result;
  }

  /**
   * Several appends, in order, committed together (group commit, docs/storage.md ("Durability")): one
   * transaction and one fsync for all of them, each with the result it would have had alone, because
   * each runs exactly as appendEvents would, after the ones before it. If that transaction fails,
   * nothing of it is stored and each append runs again on its own, so one batch's failure is its own.
   * @example const [first, second] = writes.appendGroup([{ events, slis, receivedAt }, { events: more, slis, receivedAt }]);
   */
  appendGroup(appends: readonly AppendRequest[]): Array<{ ok: true; value: AppendResult } | { ok: false; error: unknown }> {
    if (appends.length > 1) {
      const newKeys = new Set<string>();
      try {
        const results = this.connection.guard(() =>
          this.groupTransaction.immediate(() =>
            appends.map((a) => {
              const newDefs = a.slis.filter((def) => !this.knownSliKeys.has(def.key) && !newKeys.has(def.key));
              for (const def of newDefs) newKeys.add(def.key);
              return this.appendInTransaction(a.events, a.slis, newDefs, a.receivedAt);
            }),
          ),
        );
        for (const key of newKeys) this.knownSliKeys.add(key);
        return results.map((value) => ({ ok: true, value }));
      } catch {
        // Rolled back as a whole: run them one by one below, so each gets its own outcome.
      }
    }
    return appends.map((a) => {
      try {
        return { ok: true, value: this.appendEvents(a.events, a.slis, a.receivedAt) };
      } catch (error) {
        return { ok: false, error };
      }
    });
  }

  private appendInTransaction(
    events: readonly EventToStore[],
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
        e.attributesJson !== undefined ? e.attributesJson : e.attributes === undefined ? null : JSON.stringify(e.attributes),
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

  /**
   * Events appended after the customer index's watermark (docs/storage.md ("The customer index")): an upper bound, as
   * purged seqs leave gaps.
   */
  customerTail(): number {
    return this.connection.guard(
      () =>
        (
          this.connection.stmt('SELECT (SELECT COALESCE(MAX(seq), 0) FROM events) - (SELECT seq FROM customer_index) AS tail').get() as {
            tail: number;
          }
        ).tail,
    );
  }

  /**
   * Indexes the customers of the events after the watermark, at most `maxEvents` of them, in one transaction: their
   * entries go into customer_events sorted, so the B-tree takes them in order, and the watermark moves past them.
   * OR IGNORE: an entry already there (it cannot be, short of a hand edit) is no reason to fail. Returns the events
   * covered and whether the index has caught up with the events.
   */
  indexCustomers(maxEvents = CUSTOMER_INDEX_STEP): { covered: number; caughtUp: boolean } {
    return this.connection.guard(() =>
      this.connection.db
        .transaction(() => {
          const { wm, top } = this.connection
            .stmt('SELECT (SELECT seq FROM customer_index) AS wm, (SELECT COALESCE(MAX(seq), 0) FROM events) AS top')
            .get() as { wm: number; top: number };
          if (top <= wm) return { covered: 0, caughtUp: true };
          const upTo = Math.min(top, wm + maxEvents);
          this.connection
            .stmt(
              'INSERT OR IGNORE INTO customer_events (customer_id, ts, event_seq) SELECT customer_id, ts, seq FROM events ' +
                "WHERE seq > ? AND seq <= ? AND customer_id IS NOT NULL AND customer_id <> '' ORDER BY customer_id, ts, seq",
            )
            .run(wm, upTo);
          this.connection.stmt('UPDATE customer_index SET seq = ?').run(upTo);
          return { covered: upTo - wm, caughtUp: upTo === top };
        })
        .immediate(),
    );
  }

  /** Indexes every event appended so far, step by step (each step its own transaction). */
  catchUpCustomers(): void {
    while (!this.indexCustomers().caughtUp);
  }

  rebuildSli(def: SliDefinition): { events: number; minutes: number } {
    const result = this.connection.guard(() => this.rebuildTransaction.immediate(def));
    this.knownSliKeys.add(def.key);
    return result;
  }

  private rebuildInTransaction(def: SliDefinition): { events: number; minutes: number } {
    const from = rebuildStart(purgeWatermark(this.connection));
    this.connection.stmt('DELETE FROM sli_minutes WHERE key = ? AND minute >= ?').run(def.key, from.minute);
    const rebuild = scanSli(this.connection, def, from.ms, Number.MAX_SAFE_INTEGER);
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

  dropSli(key: string): void {
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

  purge(eventsBefore: number, aggregatesBefore: EpochMinute, fullChunks = Number.POSITIVE_INFINITY): PurgeStep {
    return this.connection.guard(() => {
      // The watermark goes first: if the purge is interrupted, rebuilds already know which minutes may be incomplete.
      this.connection
        .stmt(
          'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))',
        )
        .run(PURGE_WATERMARK, String(eventsBefore));
      // Per journey through the (journey, ts) index: a separate index on ts alone would cost every insert.
      const journeys = (this.connection.stmt('SELECT DISTINCT journey FROM events').all() as { journey: string }[]).map((r) => r.journey);
      const budget = { full: 0, batches: 0, max: fullChunks };
      let events = 0;
      for (const journey of journeys) {
        events += this.deleteInChunks(
          budget,
          'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE journey = ? AND ts < ? LIMIT ?)',
          eventsBefore,
          journey,
        );
      }
      const sliMinutes = this.deleteInChunks(
        budget,
        'DELETE FROM sli_minutes WHERE (key, minute) IN (SELECT key, minute FROM sli_minutes WHERE minute < ? LIMIT ?)',
        aggregatesBefore,
      );
      const scopeMinutes = this.deleteInChunks(
        budget,
        'DELETE FROM scope_minutes WHERE (journey, step, minute) IN (SELECT journey, step, minute FROM scope_minutes WHERE minute < ? LIMIT ?)',
        aggregatesBefore,
      );
      return { events, sliMinutes, scopeMinutes, batches: budget.batches, done: budget.full < budget.max };
    });
  }

  /**
   * Each chunk commits on its own, so a long purge never holds the write lock for long; once the budget's full chunks
   * are spent, nothing more runs in this step.
   */
  private deleteInChunks(budget: { full: number; batches: number; max: number }, sql: string, before: number, journey?: string): number {
    const statement = this.connection.stmt(sql);
    let deleted = 0;
    while (budget.full < budget.max) {
      const { changes } = journey === undefined ? statement.run(before, PURGE_CHUNK) : statement.run(journey, before, PURGE_CHUNK);
      deleted += changes;
      budget.batches++;
      if (changes < PURGE_CHUNK) return deleted;
      budget.full++;
    }
    return deleted;
  }
}

/**
 * The writes run in the calling thread: for `:memory:` databases (a connection cannot be shared
 * with another thread, and a second one would open another, empty database) and read-only stores.
 * @example const writer = inThreadWriter(connection); await writer.appendEvents(events, slis, Date.now());
 */
export function inThreadWriter(connection: SqliteConnection): SqliteEventWriter {
  const writes = new SqliteEventWrites(connection);
  return {
    appendEvents: async (events, slis, receivedAt) => {
      const result = writes.appendEvents(events, slis, receivedAt);
      if (writes.customerTail() >= CUSTOMER_TAIL_MAX) writes.indexCustomers();
      return result;
    },
    rebuildSli: async (def) => writes.rebuildSli(def),
    dropSli: async (key) => writes.dropSli(key),
    purge: async (eventsBefore, aggregatesBefore, fullChunks) => writes.purge(eventsBefore, aggregatesBefore, fullChunks),
    indexCustomers: async () => {
      if (!connection.readOnly) writes.catchUpCustomers();
    },
    close: async () => undefined,
  };
}
