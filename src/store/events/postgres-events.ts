/** The EventStore on PostgreSQL: one transaction per batch on the shared pool, aggregates upserted per minute. */
import type { SliDefinition } from '../../engine/sli.js';
import type { JourneyEvent, StoredEvent } from '../../model/event.js';
import type { EpochMinute, ScopeMinute, SliMinute } from '../../model/minutes.js';
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import { BatchAggregator, definitionsByJourney } from './aggregate.js';
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
import { PURGE_WATERMARK, rebuildSliInTransaction, sliMinutesFromEventsInTransaction } from './postgres-rebuild.js';
import { INSERT_EVENTS, REGISTER_KEYS, UNMARK_STALE_KEYS, UPSERT_SCOPE, UPSERT_SLI } from './postgres-statements.js';
import { POSTGRES_EVENTS_MIGRATIONS } from './schema.js';

const PURGE_CHUNK = 5_000;

class PostgresEvents implements EventStore {
  private readonly knownSliKeys = new Set<string>();

  constructor(private readonly connection: PostgresConnection) {}

  async appendEvents(events: readonly JourneyEvent[], slis: readonly SliDefinition[], receivedAt: number): Promise<AppendResult> {
    // Repeats of an id inside the batch are settled here, so the database sees each id once and RETURNING maps back.
    const sent: JourneyEvent[] = [];
    const sentIndex: number[] = [];
    const ids = new Set<string>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.id !== undefined) {
        if (ids.has(e.id)) continue;
        ids.add(e.id);
      }
      sent.push(e);
      sentIndex.push(i);
    }
    const newDefs = slis.filter((def) => !this.knownSliKeys.has(def.key));
    const result = await this.connection.inTransaction(async (client) => {
      // Built inside: a transaction retried after a deadlock starts from scratch.
      const inserted = new Array<boolean>(events.length).fill(false);
      let storeWasEmpty = false;
      if (newDefs.length > 0) {
        const { rows } = await client.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM events) AS empty');
        storeWasEmpty = rows[0]!.empty;
      }
      const returned =
        sent.length === 0 ? [] : (await client.query<{ id: string | null }>(INSERT_EVENTS, [JSON.stringify(sent), receivedAt])).rows;
      const storedIds = new Set<string>();
      for (const row of returned) if (row.id !== null) storedIds.add(row.id);

      const defsByJourney = definitionsByJourney(slis);
      const aggregator = new BatchAggregator();
      const journeysTouched = new Set<string>();
      for (let k = 0; k < sent.length; k++) {
        const e = sent[k]!;
        if (e.id !== undefined && !storedIds.has(e.id)) continue;
        inserted[sentIndex[k]!] = true;
        aggregator.add(e, defsByJourney.get(e.journey));
        journeysTouched.add(e.journey);
      }
      // Lock order sli_minutes → sli_keys, the same as rebuildSli, so the two never deadlock.
      const sliDeltas = aggregator.sliDeltas();
      if (sliDeltas.length > 0) await client.query(UPSERT_SLI, [JSON.stringify(sliDeltas)]);
      const scopeDeltas = aggregator.scopeDeltas();
      if (scopeDeltas.length > 0) await client.query(UPSERT_SCOPE, [JSON.stringify(scopeDeltas)]);
      if (newDefs.length > 0) {
        // A key born into an empty store is complete by construction; otherwise only rebuildSli may vouch for it.
        const keys = newDefs.map((def) => ({ key: def.key, definition: def }));
        await client.query(REGISTER_KEYS, [JSON.stringify(keys), storeWasEmpty ? receivedAt : null]);
      }
      if (journeysTouched.size > 0) {
        // A materialised SLI of a touched journey that this batch did not aggregate is no longer up to date.
        await client.query(UNMARK_STALE_KEYS, [[...journeysTouched], slis.map((d) => d.key)]);
      }
      return { inserted, sliDeltas, scopeDeltas };
    });
    for (const def of newDefs) this.knownSliKeys.add(def.key);
    return result;
  }

  async materialisedSliKeys(): Promise<string[]> {
    const { rows } = await this.connection.query<{ key: string }>(
      'SELECT key FROM sli_keys WHERE materialised_at IS NOT NULL ORDER BY key',
    );
    return rows.map((r) => r.key);
  }

  async rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }> {
    const result = await this.connection.inTransaction((client) => rebuildSliInTransaction(client, def));
    this.knownSliKeys.add(def.key);
    return result;
  }

  async sliMinutesFromEvents(def: SliDefinition, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]> {
    // One read-only snapshot for the watermark, the kept aggregates and the raw events.
    return this.connection.inTransaction(
      (client) => sliMinutesFromEventsInTransaction(client, def, fromMinute, toMinute),
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async dropSli(key: string): Promise<void> {
    await this.connection.inTransaction(async (client) => {
      await client.query('DELETE FROM sli_minutes WHERE key = $1', [key]);
      await client.query('DELETE FROM sli_keys WHERE key = $1', [key]);
    });
    this.knownSliKeys.delete(key);
  }

  async sliMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]> {
    const sql = 'SELECT key, minute, good, total FROM sli_minutes WHERE key = $1 AND minute >= $2 AND minute < $3 ORDER BY minute';
    return (await this.connection.query<SliMinute>(sql, [key, fromMinute, toMinute])).rows;
  }

  async scopeMinutes(fromMinute: EpochMinute, toMinute: EpochMinute, journey?: string): Promise<ScopeMinute[]> {
    const columns = "journey, NULLIF(step, '') AS step, minute, success, failure, rejected, abandoned";
    const { rows } =
      journey === undefined
        ? await this.connection.query<ScopeMinute>(
            `SELECT ${columns} FROM scope_minutes WHERE minute >= $1 AND minute < $2 ORDER BY minute, journey, scope_minutes.step`,
            [fromMinute, toMinute],
          )
        : await this.connection.query<ScopeMinute>(
            `SELECT ${columns} FROM scope_minutes WHERE journey = $3 AND minute >= $1 AND minute < $2 ORDER BY minute, scope_minutes.step`,
            [fromMinute, toMinute, journey],
          );
    return rows;
  }

  async events(query: EventQuery): Promise<StoredEvent[]> {
    const where = eventQueryWhere(query, (n) => `$${n}`);
    const limit = checkedLimit(query.limit);
    const params = limit === undefined ? where.params : [...where.params, limit];
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.sql} ORDER BY ts, seq${limit === undefined ? '' : ` LIMIT $${params.length}`}`;
    return (await this.connection.query<EventRow>(sql, params)).rows.map(storedEventFromRow);
  }

  async recoveries(journey: string, step: string | null, failures: readonly FailureToJudge[], windowMs: number): Promise<boolean[]> {
    const judged = judgeable(failures);
    const recovered = new Array<boolean>(failures.length).fill(false);
    if (judged.length === 0) return recovered;
    // WITH ORDINALITY numbers the list sent from 1; each EXISTS is a seek on events_customer_ts.
    const sql = `SELECT f.i FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS f(customer_id, ts, i) WHERE EXISTS (
      SELECT 1 FROM events e WHERE e.journey = $3 AND e.customer_id = f.customer_id AND e.ts > f.ts AND e.ts <= f.ts + $4
        AND e.outcome = 'success' AND e.step IS NOT DISTINCT FROM $5::text)`;
    const { rows } = await this.connection.query<{ i: string }>(sql, [
      judged.map((j) => j.customerId),
      judged.map((j) => j.timestamp),
      journey,
      windowMs,
      step,
    ]);
    for (const r of rows) recovered[judged[Number(r.i) - 1]!.index] = true;
    return recovered;
  }

  async distinctCustomers(query: EventQuery): Promise<number> {
    const where = eventQueryWhere(query, (n) => `$${n}`);
    const sql = `SELECT COUNT(DISTINCT customer_id) AS n FROM events WHERE ${where.sql} AND customer_id IS NOT NULL AND customer_id <> ''`;
    return (await this.connection.query<{ n: number }>(sql, where.params)).rows[0]!.n;
  }

  async eventBuckets(query: EventQuery, bucketMs: number): Promise<EventBucket[]> {
    checkedBucket(bucketMs);
    const where = eventQueryWhere(query, (n) => `$${n + 2}`);
    const b = '(ts - $1::bigint) / $2::bigint';
    const counts = `SELECT ${b} AS b, COUNT(*) AS events, COUNT(DISTINCT NULLIF(customer_id, '')) AS customers
      FROM events WHERE ${where.sql} GROUP BY 1`;
    const amounts = `SELECT ${b} AS b, currency, SUM(amount) AS amount, COUNT(*) AS events
      FROM events WHERE ${where.sql} AND amount IS NOT NULL GROUP BY 1, 2`;
    const params = [query.from, bucketMs, ...where.params];
    const [c, a] = await Promise.all([
      this.connection.query<BucketCountRow>(counts, params),
      this.connection.query<BucketAmountRow>(amounts, params),
    ]);
    return bucketsFromRows(query.from, bucketMs, c.rows, a.rows);
  }

  async attributeValues(query: EventQuery, name: string, limit: number): Promise<string[]> {
    checkedAttribute(name, limit);
    const where = eventQueryWhere(query, (n) => `$${n + 1}`);
    const sql = `SELECT DISTINCT attributes->>$1::text AS v FROM events
      WHERE ${where.sql} AND jsonb_typeof(attributes->$1::text) = 'string' ORDER BY v LIMIT $${where.params.length + 2}`;
    const { rows } = await this.connection.query<{ v: string }>(sql, [name, ...where.params, limit]);
    return rows.map((r) => r.v);
  }

  async retentionCounts(query: RetentionQuery): Promise<RetentionCount[]> {
    // The journey's customers of N from (journey, ts), then one probe of (customer_id, ts) each for N+1 (docs/retention.md ("Cost")).
    const sql = `
      SELECT failures, retained, COUNT(*) AS customers
      FROM (SELECT a.failures AS failures,
                   EXISTS (SELECT 1 FROM events n WHERE n.customer_id = a.customer_id AND n.ts >= $1 AND n.ts < $2) AS retained
            FROM (SELECT customer_id, COUNT(*) FILTER (WHERE outcome = 'failure') AS failures
                  FROM events
                  WHERE journey = $3 AND ts >= $4 AND ts < $5 AND customer_id IS NOT NULL AND customer_id <> ''
                  GROUP BY customer_id) a) c
      GROUP BY failures, retained
      ORDER BY failures, retained`;
    const params = [query.nextFrom, query.nextTo, query.journey, query.from, query.to];
    return (await this.connection.query<RetentionCount>(sql, params)).rows;
  }

  async newestEventTimestamp(): Promise<number | null> {
    return (await this.connection.query<{ ts: number | null }>('SELECT MAX(ts) AS ts FROM events')).rows[0]!.ts;
  }

  async countEvents(): Promise<number> {
    return (await this.connection.query<{ n: number }>('SELECT COUNT(*) AS n FROM events')).rows[0]!.n;
  }

  async purge(
    eventsBefore: number,
    aggregatesBefore: EpochMinute,
  ): Promise<{ events: number; sliMinutes: number; scopeMinutes: number; batches: number }> {
    const counted = { batches: 0 };
    // The watermark goes first: if the purge is interrupted, rebuilds already know which minutes may be incomplete.
    await this.connection.query(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value::bigint, excluded.value::bigint)::text',
      [PURGE_WATERMARK, String(eventsBefore)],
    );
    const events = await this.deleteInChunks(
      counted,
      'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE ts < $1 LIMIT $2)',
      eventsBefore,
    );
    const sliMinutes = await this.deleteInChunks(
      counted,
      'DELETE FROM sli_minutes WHERE (key, minute) IN (SELECT key, minute FROM sli_minutes WHERE minute < $1 LIMIT $2)',
      aggregatesBefore,
    );
    const scopeMinutes = await this.deleteInChunks(
      counted,
      'DELETE FROM scope_minutes WHERE (journey, step, minute) IN (SELECT journey, step, minute FROM scope_minutes WHERE minute < $1 LIMIT $2)',
      aggregatesBefore,
    );
    return { events, sliMinutes, scopeMinutes, batches: counted.batches };
  }

  /** Each chunk commits on its own, so a long purge never holds locks for long. */
  private async deleteInChunks(counted: { batches: number }, sql: string, before: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await this.connection.query(sql, [before, PURGE_CHUNK]);
      deleted += rowCount ?? 0;
      counted.batches++;
      if ((rowCount ?? 0) < PURGE_CHUNK) return deleted;
    }
  }
}

/** The events capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresEvents: CapabilityBackend<PostgresConnection, EventStore> = {
  migrations: POSTGRES_EVENTS_MIGRATIONS,
  open: (connection) => new PostgresEvents(connection),
};
