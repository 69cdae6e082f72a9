/** The production Store on PostgreSQL through a pg Pool: one transaction per batch, aggregates upserted per minute. */
import pg from 'pg';
import type { SliDefinition } from '../../engine/sli.js';
import { VigilError } from '../../errors/catalogue.js';
import type { JourneyEvent } from '../../model/event.js';
import { BatchAggregator, definitionsByJourney } from '../aggregate.js';
import { checkedLimit, EVENT_COLUMNS, type EventRow, eventQueryWhere, storedEventFromRow } from '../event-rows.js';
import type { Alert } from '../../model/alert.js';
import type { Incident, IncidentQuery } from '../../model/incident.js';
import type { OutboxMessage } from '../../model/notification.js';
import type { AlertingChanges, AppendResult, EpochMinute, EventQuery, ScopeMinute, SliMinute, Store, StoredEvent } from '../store.js';
import { PostgresAlerting } from './alerting.js';
import { PURGE_WATERMARK, rebuildSliInTransaction } from './rebuild.js';
import { migratePostgres } from './schema.js';
import { isConnectionError, isRetryable, redactedUrl } from './errors.js';
import { INSERT_EVENTS, REGISTER_KEYS, types, UNMARK_STALE_KEYS, UPSERT_SCOPE, UPSERT_SLI } from './statements.js';

const PURGE_CHUNK = 5_000;
const APPEND_ATTEMPTS = 3;

export interface PostgresStoreOptions {
  /** Schema to use (set as the connection's search_path); default: the role's search_path. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
}

/**
 * A Store in a PostgreSQL database. Opening connects lazily: call `migrate()` (openStore does).
 * @example const store = new PostgresStore('postgres://vigil@db/vigil'); await store.migrate();
 */
export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  /** The URL without its password, for messages. */
  readonly where: string;
  private readonly pool: pg.Pool;
  private readonly knownSliKeys = new Set<string>();
  private readonly alerting = new PostgresAlerting({
    query: (sql, params) => this.query(sql, params),
    inTransaction: (fn, begin) => this.inTransaction(fn, begin),
  });
  private closing: Promise<void> | undefined;

  constructor(connectionString: string, options: PostgresStoreOptions = {}) {
    this.where = redactedUrl(connectionString) + (options.schema ? ` (schema ${options.schema})` : '');
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
      throw new VigilError('store_unavailable', `Invalid PostgreSQL schema name ${JSON.stringify(options.schema)}: use [a-z_][a-z0-9_]*.`);
    }
    this.pool = new pg.Pool({
      connectionString,
      max: options.maxConnections ?? 10,
      types,
      connectionTimeoutMillis: 10_000,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
      // A server configured with synchronous_commit=off could lose acknowledged batches; Vigil's sessions insist on it.
      onConnect: async (client) => {
        await client.query("SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'");
      },
    });
    // An idle connection dropped by the server must not crash the process; the next query reports the failure.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    const client = await this.connect();
    try {
      await migratePostgres(client, this.where);
    } catch (error) {
      throw this.unavailable(error);
    } finally {
      client.release();
    }
  }

  /** Ends the pool; safe to call more than once. */
  async close(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
  }

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
    const result = await this.inTransaction(async (client) => {
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
    const { rows } = await this.query<{ key: string }>('SELECT key FROM sli_keys WHERE materialised_at IS NOT NULL ORDER BY key');
    return rows.map((r) => r.key);
  }

  async rebuildSli(def: SliDefinition): Promise<{ events: number; minutes: number }> {
    const result = await this.inTransaction((client) => rebuildSliInTransaction(client, def));
    this.knownSliKeys.add(def.key);
    return result;
  }

  async dropSli(key: string): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('DELETE FROM sli_minutes WHERE key = $1', [key]);
      await client.query('DELETE FROM sli_keys WHERE key = $1', [key]);
    });
    this.knownSliKeys.delete(key);
  }

  async sliMinutes(key: string, fromMinute: EpochMinute, toMinute: EpochMinute): Promise<SliMinute[]> {
    const sql = 'SELECT key, minute, good, total FROM sli_minutes WHERE key = $1 AND minute >= $2 AND minute < $3 ORDER BY minute';
    return (await this.query<SliMinute>(sql, [key, fromMinute, toMinute])).rows;
  }

  async scopeMinutes(fromMinute: EpochMinute, toMinute: EpochMinute, journey?: string): Promise<ScopeMinute[]> {
    const columns = "journey, NULLIF(step, '') AS step, minute, success, failure, rejected, abandoned";
    const { rows } =
      journey === undefined
        ? await this.query<ScopeMinute>(
            `SELECT ${columns} FROM scope_minutes WHERE minute >= $1 AND minute < $2 ORDER BY minute, journey, scope_minutes.step`,
            [fromMinute, toMinute],
          )
        : await this.query<ScopeMinute>(
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
    return (await this.query<EventRow>(sql, params)).rows.map(storedEventFromRow);
  }

  async distinctCustomers(query: EventQuery): Promise<number> {
    const where = eventQueryWhere(query, (n) => `$${n}`);
    const sql = `SELECT COUNT(DISTINCT customer_id) AS n FROM events WHERE ${where.sql} AND customer_id IS NOT NULL AND customer_id <> ''`;
    return (await this.query<{ n: number }>(sql, where.params)).rows[0]!.n;
  }

  async newestEventTimestamp(): Promise<number | null> {
    return (await this.query<{ ts: number | null }>('SELECT MAX(ts) AS ts FROM events')).rows[0]!.ts;
  }

  async countEvents(): Promise<number> {
    return (await this.query<{ n: number }>('SELECT COUNT(*) AS n FROM events')).rows[0]!.n;
  }

  async purge(eventsBefore: number, aggregatesBefore: EpochMinute): Promise<{ events: number; sliMinutes: number; scopeMinutes: number }> {
    // The watermark goes first: if the purge is interrupted, rebuilds already know which minutes may be incomplete.
    await this.query(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value::bigint, excluded.value::bigint)::text',
      [PURGE_WATERMARK, String(eventsBefore)],
    );
    const events = await this.deleteInChunks(
      'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE ts < $1 LIMIT $2)',
      eventsBefore,
    );
    const sliMinutes = await this.deleteInChunks(
      'DELETE FROM sli_minutes WHERE (key, minute) IN (SELECT key, minute FROM sli_minutes WHERE minute < $1 LIMIT $2)',
      aggregatesBefore,
    );
    const scopeMinutes = await this.deleteInChunks(
      'DELETE FROM scope_minutes WHERE (journey, step, minute) IN (SELECT journey, step, minute FROM scope_minutes WHERE minute < $1 LIMIT $2)',
      aggregatesBefore,
    );
    return { events, sliMinutes, scopeMinutes };
  }

  async getMeta(key: string): Promise<string | null> {
    return (await this.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
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

  /** Each chunk commits on its own, so a long purge never holds locks for long. */
  private async deleteInChunks(sql: string, before: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await this.query(sql, [before, PURGE_CHUNK]);
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < PURGE_CHUNK) return deleted;
    }
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** Runs fn in one transaction opened by `begin`, retrying whole-transaction on deadlock or serialization failure. */
  private async inTransaction<R>(fn: (client: pg.PoolClient) => Promise<R>, begin = 'BEGIN'): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (isConnectionError(error)) broken = error as Error;
        else await client.query('ROLLBACK').catch(() => undefined);
        if (attempt < APPEND_ATTEMPTS && isRetryable(error)) continue;
        throw this.unavailable(error);
      } finally {
        client.release(broken);
      }
    }
  }

  private unavailable(error: unknown): unknown {
    if (error instanceof VigilError || !isConnectionError(error)) return error;
    return new VigilError('store_unavailable', `PostgreSQL at ${this.where} is unavailable: ${(error as Error).message}`, { cause: error });
  }
}
