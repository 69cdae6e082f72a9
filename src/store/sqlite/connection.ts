/** The SQLite connection every SQLite capability shares: the file, its pragmas, a statement cache and the error guard. */
import fs from 'node:fs';
import nodePath from 'node:path';
import Database from 'better-sqlite3';
import { VigilError } from '../../errors/catalogue.js';
import { driverUnavailable, unavailable } from './errors.js';

export interface SqliteConnectionOptions {
  /** Open with better-sqlite3's `readonly`: the file must exist, and any write fails with store_read_only. */
  readOnly?: boolean;
  /**
   * Run the events capability's writes on a worker thread with its own connection (docs/storage.md
   * ("Durability")). Default: true for a writable file; always false for `:memory:` (another
   * connection would open another, empty database) and for read-only opens.
   */
  writerThread?: boolean;
}

/**
 * One better-sqlite3 connection to a file (`:memory:` for throwaway stores). Capabilities prepare
 * their statements through `stmt` (cached per SQL text) and run every call through `guard`, so
 * "the file is busy, gone or full" is store_unavailable whichever capability hit it.
 * @example const connection = new SqliteConnection('./vigil.db'); connection.stmt('SELECT 1').get();
 */
export class SqliteConnection {
  readonly path: string;
  readonly readOnly: boolean;
  readonly db: Database.Database;
  /** Whether the events capability writes through a writer thread (see SqliteConnectionOptions.writerThread). */
  readonly writerThread: boolean;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly closeHooks: (() => Promise<void>)[] = [];

  constructor(path: string, options: SqliteConnectionOptions = {}) {
    this.path = path;
    this.readOnly = options.readOnly ?? false;
    const inMemory = path === ':memory:' || path === '' || /[?&]mode=memory\b/.test(path);
    this.writerThread = !this.readOnly && !inMemory && (options.writerThread ?? true);
    if (!inMemory && !path.startsWith('file:')) {
      const dir = nodePath.dirname(nodePath.resolve(path));
      if (!fs.existsSync(dir)) {
        throw new VigilError('store_unavailable', `Cannot open the SQLite database at ${path}: the directory ${dir} does not exist.`);
      }
    }
    let db: Database.Database | undefined;
    try {
      if (this.readOnly) {
        // No pragma that writes (journal_mode): the file is already in WAL mode if a writer ever opened it.
        // SQLite may still create the -shm/-wal beside it, which a WAL reader needs; the database file itself is never written.
        db = new Database(path, { readonly: true, fileMustExist: true });
        db.pragma('query_only = ON');
      } else {
        db = new Database(path);
        db.pragma('journal_mode = WAL');
        // FULL: the WAL is fsynced at every commit, so an acknowledged batch survives power loss, not just a crash.
        db.pragma('synchronous = FULL');
        db.pragma('foreign_keys = ON');
      }
      db.pragma('busy_timeout = 10000');
      this.db = db;
    } catch (cause) {
      db?.close();
      // The native module loads at the first `new Database`: a wrong ABI fails here, not at import.
      const driver = driverUnavailable(cause);
      if (driver) throw driver;
      throw new VigilError('store_unavailable', `Cannot open the SQLite database at ${path}: ${(cause as Error).message}`, { cause });
    }
  }

  /** The prepared statement for `sql`, prepared once per connection. */
  stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a database call, turning "the file is busy, gone, full or read-only" into a coded VigilError. */
  guard<R>(fn: () => R): R {
    try {
      return fn();
    } catch (cause) {
      throw unavailable(cause, this.path, this.readOnly);
    }
  }

  /** Registers what must finish before the connection closes (a capability's writer thread). */
  beforeClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  /** Runs the beforeClose hooks, then closes the file; safe to call more than once. */
  async shutdown(): Promise<void> {
    const hooks = this.closeHooks.splice(0);
    try {
      await Promise.all(hooks.map((hook) => hook()));
    } finally {
      this.close();
    }
  }

  /** Closes the file at once (no hook runs); safe to call more than once. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
