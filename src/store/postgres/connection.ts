/** The PostgreSQL connection every PostgreSQL capability shares: a pg Pool, its column types, transactions and error mapping. */
import pg from 'pg';
import { VigilError } from '../../errors/catalogue.js';
import { isConnectionError, isReadOnlyViolation, isRetryable, redactedUrl } from './errors.js';

const INT8_OID = 20;
const TRANSACTION_ATTEMPTS = 3;

/** The listener every checked-out client carries: the failure is reported by the query that meets it. */
function ignoreInUseError(): void {}

/** BIGINT columns (epoch ms, minutes, counts) come back as numbers: every value Vigil stores fits in 2^53. */
export const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresConnectionOptions {
  /** Schema to use (set as the connection's search_path); default: the role's search_path. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
  /** Every session runs with default_transaction_read_only=on: any write fails with store_read_only. */
  readOnly?: boolean;
}

/**
 * A pool of connections to one database (and schema). Connecting is lazy. Capabilities query through
 * `query` and `inTransaction`, which map an unreachable server to store_unavailable and a write on a
 * read-only pool to store_read_only.
 * @example const connection = new PostgresConnection('postgres://vigil@db/vigil'); await connection.query('SELECT 1');
 */
export class PostgresConnection {
  /** The URL without its password, for messages. */
  readonly where: string;
  readonly readOnly: boolean;
  private readonly pool: pg.Pool;
  private closing: Promise<void> | undefined;

  constructor(connectionString: string, options: PostgresConnectionOptions = {}) {
    this.where = redactedUrl(connectionString) + (options.schema ? ` (schema ${options.schema})` : '');
    this.readOnly = options.readOnly ?? false;
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
        // Set per session rather than in the startup options, which a URL's own ?options= would replace.
        if (this.readOnly) await client.query('SET default_transaction_read_only = on');
      },
    });
    // An idle connection dropped by the server must not crash the process; the next query reports the failure.
    this.pool.on('error', () => undefined);
    // Nor may one dropped while checked out (between two statements of a transaction, or before the
    // pool's own listener is back): pg emits 'error' on the client, and an unheard 'error' kills the
    // process. The failure still reaches the caller through its query, and the pool discards the
    // client on release because it is no longer queryable.
    this.pool.on('acquire', (client) => {
      if (!client.listeners('error').includes(ignoreInUseError)) client.on('error', ignoreInUseError);
    });
    this.pool.on('release', (_error, client) => {
      client.removeListener('error', ignoreInUseError);
    });
  }

  /** One statement on any pooled connection. */
  async query<R extends pg.QueryResultRow>(sql: string | pg.QueryConfig, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql as string, params);
    } catch (error) {
      throw this.mapped(error);
    }
  }

  /** A dedicated connection (release it); for work that must stay on one session, such as migrations. */
  async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw this.mapped(error);
    }
  }

  /** Runs fn in one transaction opened by `begin`, retrying whole-transaction on deadlock or serialization failure. */
  async inTransaction<R>(fn: (client: pg.PoolClient) => Promise<R>, begin = 'BEGIN'): Promise<R> {
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
        if (attempt < TRANSACTION_ATTEMPTS && isRetryable(error)) continue;
        throw this.mapped(error);
      } finally {
        client.release(broken);
      }
    }
  }

  /** Ends the pool; safe to call more than once. */
  async close(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
  }

  /** store_unavailable for an unreachable server, store_read_only for a write refused by a read-only session, else the error. */
  mapped(error: unknown): unknown {
    if (error instanceof VigilError) return error;
    if (isReadOnlyViolation(error)) {
      return new VigilError('store_read_only', `PostgreSQL at ${this.where} is open read-only: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!isConnectionError(error)) return error;
    return new VigilError('store_unavailable', `PostgreSQL at ${this.where} is unavailable: ${(error as Error).message}`, { cause: error });
  }
}
