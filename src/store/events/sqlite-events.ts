/**
 * The EventStore on SQLite. Reads run on the store's connection; writes (a batch is one IMMEDIATE
 * transaction, WAL, synchronous=FULL) run on the writer thread's own connection for a file, in this
 * thread for `:memory:` and read-only stores (docs/storage.md ("Durability")).
 */
import type Database from 'better-sqlite3';
import type { SliDefinition } from '../../engine/sli.js';
import type { JourneyEvent, StoredEvent } from '../../model/event.js';
import { type EpochMinute, MS_PER_MINUTE, type ScopeMinute, type SliMinute } from '../../model/minutes.js';
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { rebuildStart } from './aggregate.js';
import {
  type BucketAmountRow,
  type BucketCountRow,
  bucketsFromRows,
  checkedAttribute,
  checkedBucket,
  checkedLimit,
  EVENT_COLUMNS,
  type EventRow,
  eventQueryWhere,
  judgeable,
  storedEventFromRow,
} from './event-rows.js';
import type { AppendResult, EventBucket, EventQuery, EventStore, FailureToJudge, RetentionCount, RetentionQuery } from './event-store.js';
import { SQLITE_EVENTS_MIGRATIONS } from './schema.js';
import { inThreadWriter, type PurgeCounts, purgeWatermark, type SqliteEventWriter, scanSli } from './sqlite-event-writes.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

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
 * The events after the customer index's watermark, with a customer (docs/storage.md ("The customer index")): read in the
 * same statement as customer_events, so together they are every event with a customer, as of that statement.
 * MATERIALIZED: read once per statement, and SQLite indexes it for the probes when it is worth it.
 */
const CUSTOMER_TAIL = `customer_tail AS MATERIALIZED (SELECT seq AS event_seq, customer_id, ts FROM events
  WHERE seq > (SELECT seq FROM customer_index) AND customer_id IS NOT NULL AND customer_id <> '')`;

/**
 * Retention counts in one pass: the journey's customers of N from (journey, ts), then one probe of
 * customer_events (customer_id, ts) per customer for N+1, and of the unindexed tail (docs/retention.md ("Cost")). The
 * probe sits in a subquery: grouped by directly, SQLite would evaluate it twice per customer.
 */
const RETENTION_SQL = `
  WITH ${CUSTOMER_TAIL}
  SELECT failures, retained, COUNT(*) AS customers
  FROM (SELECT a.failures AS failures,
               (EXISTS (SELECT 1 FROM customer_events n
                        WHERE n.customer_id = a.customer_id AND n.ts >= @nextFrom AND n.ts < @nextTo)
                OR EXISTS (SELECT 1 FROM customer_tail t
                           WHERE t.customer_id = a.customer_id AND t.ts >= @nextFrom AND t.ts < @nextTo)) AS retained
        FROM (SELECT customer_id, SUM(outcome = 'failure') AS failures
              FROM events
              WHERE journey = @journey AND ts >= @from AND ts < @to AND customer_id IS NOT NULL AND customer_id <> ''
              GROUP BY customer_id) a) c
  GROUP BY failures, retained
  ORDER BY failures, retained`;

/**
 * Per failure (json_each's key is its index in the list sent), whether a success of the journey and step followed
 * within the window: a seek on customer_events (customer_id, ts), each entry checked against its event by seq, and the
 * same over the unindexed tail.
 */
const RECOVERIES_SQL = `
  WITH ${CUSTOMER_TAIL}
  SELECT f.key AS i FROM json_each(@failures) f
  WHERE EXISTS (SELECT 1 FROM customer_events c JOIN events e ON e.seq = c.event_seq
                WHERE c.customer_id = f.value ->> 0 AND c.ts > f.value ->> 1 AND c.ts <= (f.value ->> 1) + @windowMs
                  AND e.journey = @journey AND e.outcome = 'success' AND e.step IS @step)
     OR EXISTS (SELECT 1 FROM customer_tail c JOIN events e ON e.seq = c.event_seq
                WHERE c.customer_id = f.value ->> 0 AND c.ts > f.value ->> 1 AND c.ts <= (f.value ->> 1) + @windowMs
                  AND e.journey = @journey AND e.outcome = 'success' AND e.step IS @step)`;

class SqliteEvents implements EventStore {
  private readonly fromEventsTransaction: Database.Transaction<SqliteEvents['fromEventsInTransaction']>;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly writer: SqliteEventWriter,
  ) {
    this.fromEventsTransaction = connection.db.transaction(this.fromEventsInTransaction.bind(this));
  }

  appendEvents(events: readonly JourneyEvent[], slis: readonly SliDefinition[], receivedAt: number): Promise<AppendResult> {
    return this.writer.appendEvents(events, slis, receivedAt);
  }

  rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }> {
    return this.writer.rebuildSli(def);
  }

  dropSli(key: string): Promise<void> {
    return this.writer.dropSli(key);
  }

  /** Step by step, one full chunk per request, so the writer thread serves the appends queued meanwhile between steps. */
  async purge(eventsBefore: number, aggregatesBefore: EpochMinute): Promise<PurgeCounts> {
    const total: PurgeCounts = { events: 0, sliMinutes: 0, scopeMinutes: 0, batches: 0 };
    for (;;) {
      const step = await this.writer.purge(eventsBefore, aggregatesBefore, 1);
      total.events += step.events;
      total.sliMinutes += step.sliMinutes;
      total.scopeMinutes += step.scopeMinutes;
      total.batches += step.batches;
      if (step.done) return total;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async materialisedSliKeys(): Promise<string[]> {
    return this.connection.guard(() =>
      (this.connection.stmt('SELECT key FROM sli_keys WHERE materialised_at IS NOT NULL ORDER BY key').all() as { key: string }[]).map(
        (r) => r.key,
      ),
    );
  }

  async sliMinutesFromEvents(def: SliDefinition, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]> {
    // A deferred transaction: one snapshot for the watermark, the kept aggregates and the raw events, and no write lock.
    return this.connection.guard(() => this.fromEventsTransaction.deferred(def, fromMinute, toMinute));
  }

  private fromEventsInTransaction(def: SliDefinition, fromMinute: EpochMinute, toMinute: EpochMinute): SliMinute[] {
    const start = rebuildStart(purgeWatermark(this.connection));
    // Minutes a rebuild keeps (their raw events may be partly purged) come from the aggregates, the rest from raw events.
    const kept = this.connection
      .stmt('SELECT key, minute, good, total FROM sli_minutes WHERE key = ? AND minute >= ? AND minute < ? ORDER BY minute')
      .all(def.key, fromMinute, Math.min(toMinute, start.minute)) as SliMinute[];
    // Clamped: minute bounds such as Number.MAX_SAFE_INTEGER would overflow a BIGINT once in ms.
    const fromMs = Math.max(fromMinute * MS_PER_MINUTE, start.ms, Number.MIN_SAFE_INTEGER);
    const toMs = Math.min(toMinute * MS_PER_MINUTE, Number.MAX_SAFE_INTEGER);
    const computed = fromMs < toMs ? scanSli(this.connection, def, fromMs, toMs).rows() : [];
    return [...kept, ...computed];
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
    // One outcome of one journey (a day's failures for the value endpoint): without statistics SQLite would walk all the
    // journey's events of the period on events_journey_ts; this index reads only that outcome's, already in (ts, seq) order.
    const index = query.journey !== undefined && query.outcomes?.length === 1 ? ' INDEXED BY events_journey_outcome_ts' : '';
    const sql = `SELECT ${EVENT_COLUMNS} FROM events${index} WHERE ${where.sql} ORDER BY ts, seq${limit === undefined ? '' : ' LIMIT ?'}`;
    const params = limit === undefined ? where.params : [...where.params, limit];
    return this.connection.guard(() => (this.connection.stmt(sql).all(...params) as EventRow[]).map(storedEventFromRow));
  }

  async recoveries(journey: string, step: string | null, failures: readonly FailureToJudge[], windowMs: number): Promise<boolean[]> {
    const judged = judgeable(failures);
    const recovered = new Array<boolean>(failures.length).fill(false);
    if (judged.length === 0) return recovered;
    await this.writer.indexCustomers();
    const rows = this.connection.guard(
      () =>
        this.connection
          .stmt(RECOVERIES_SQL)
          .all({ failures: JSON.stringify(judged.map((j) => [j.customerId, j.timestamp])), journey, windowMs, step }) as { i: number }[],
    );
    for (const r of rows) recovered[judged[r.i]!.index] = true;
    return recovered;
  }

  async distinctCustomers(query: EventQuery): Promise<number> {
    const where = eventQueryWhere(query, () => '?');
    const sql = `SELECT COUNT(DISTINCT customer_id) AS n FROM events WHERE ${where.sql} AND customer_id IS NOT NULL AND customer_id <> ''`;
    return this.connection.guard(() => (this.connection.stmt(sql).get(...where.params) as { n: number }).n);
  }

  async eventBuckets(query: EventQuery, bucketMs: number): Promise<EventBucket[]> {
    checkedBucket(bucketMs);
    const where = eventQueryWhere(query, () => '?');
    // better-sqlite3 binds numbers as REAL: cast, for integer division.
    const b = '(ts - CAST(? AS INTEGER)) / CAST(? AS INTEGER)';
    const counts = `SELECT ${b} AS b, COUNT(*) AS events, COUNT(DISTINCT NULLIF(customer_id, '')) AS customers
      FROM events WHERE ${where.sql} GROUP BY 1`;
    const amounts = `SELECT ${b} AS b, currency, SUM(amount) AS amount, COUNT(*) AS events
      FROM events WHERE ${where.sql} AND amount IS NOT NULL GROUP BY 1, 2`;
    const params = [query.from, bucketMs, ...where.params];
    return this.connection.guard(() =>
      bucketsFromRows(
        query.from,
        bucketMs,
        this.connection.stmt(counts).all(...params) as BucketCountRow[],
        this.connection.stmt(amounts).all(...params) as BucketAmountRow[],
      ),
    );
  }

  async attributeValues(query: EventQuery, name: string, limit: number): Promise<string[]> {
    checkedAttribute(name, limit);
    const where = eventQueryWhere(query, () => '?');
    const path = `$."${name}"`;
    const sql = `SELECT DISTINCT json_extract(attributes, ?) AS v FROM events
      WHERE ${where.sql} AND attributes IS NOT NULL AND json_type(attributes, ?) = 'text' ORDER BY v LIMIT ?`;
    return this.connection.guard(() =>
      (this.connection.stmt(sql).all(path, ...where.params, path, limit) as { v: string }[]).map((r) => r.v),
    );
  }

  async retentionCounts(query: RetentionQuery): Promise<RetentionCount[]> {
    await this.writer.indexCustomers();
    const rows = this.connection.guard(
      () =>
        this.connection
          .stmt(RETENTION_SQL)
          .all({ journey: query.journey, from: query.from, to: query.to, nextFrom: query.nextFrom, nextTo: query.nextTo }) as Array<{
          failures: number;
          retained: number;
          customers: number;
        }>,
    );
    return rows.map((r) => ({ failures: r.failures, retained: r.retained === 1, customers: r.customers }));
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
}

/** Which thread runs each SQLite EventStore's writes: for tests and diagnostics, without widening EventStore. */
const WRITER_THREADS = new WeakMap<EventStore, 'writer thread' | 'calling thread'>();

/**
 * Where the writes of a SQLite EventStore run: 'writer thread' for a writable file, 'calling thread'
 * for `:memory:`, read-only stores and `writerThread: false`; undefined for another backend.
 * @example expect(sqliteWritesRunOn(store.events)).toBe('writer thread');
 */
export function sqliteWritesRunOn(events: EventStore): 'writer thread' | 'calling thread' | undefined {
  return WRITER_THREADS.get(events);
}

/** The events capability's SQLite module, registered in capabilities.ts. */
export const sqliteEvents: CapabilityBackend<SqliteConnection, EventStore> = {
  migrations: SQLITE_EVENTS_MIGRATIONS,
  open: (connection) => {
    const writer = connection.writerThread ? new SqliteWriterThread(connection.path) : inThreadWriter(connection);
    // The thread's queued writes commit and its connection closes before the store's own connection does.
    connection.beforeClose(() => writer.close());
    const events = new SqliteEvents(connection, writer);
    WRITER_THREADS.set(events, connection.writerThread ? 'writer thread' : 'calling thread');
    return events;
  },
};
