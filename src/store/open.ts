/** Opens the configured Store (docs/storage.md): a PostgreSQL URL, or else a SQLite file path, composed from capabilities.ts. */
import { VigilError } from '../errors/catalogue.js';
import { CAPABILITIES, type Capabilities, type CapabilityName } from './capabilities.js';
import type { CapabilityBackend } from './capability.js';
import type { CapabilityMigrations } from './migrations.js';
import type { Store } from './store.js';
import { driverUnavailable } from './sqlite/errors.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export interface OpenStoreOptions {
  /**
   * Open for reading only (the read commands): the schema is checked, never migrated (store_outdated
   * when it is older than this Vigil), and every write fails with store_read_only.
   */
  readOnly?: boolean;
  /** PostgreSQL only: the schema to use (search_path); default: the role's search_path. */
  schema?: string;
  /** PostgreSQL only: the pool size; default 10. */
  maxConnections?: number;
  /**
   * SQLite only: run event writes on a writer thread (default true for a writable file; docs/storage.md
   * ("Durability")). False keeps them on the calling thread, as `:memory:` always does.
   */
  writerThread?: boolean;
}

/** What composing needs from a backend's connection. */
interface Opened<Connection> {
  connection: Connection;
  backends: { [K in CapabilityName]: CapabilityBackend<Connection, Capabilities[K]> };
  migrate(capabilities: readonly CapabilityMigrations[]): Promise<void>;
  check(capabilities: readonly CapabilityMigrations[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the store at `location`: a `postgres://` or `postgresql://` URL, or a SQLite file (created if
 * missing unless read-only; its directory must exist). A writable store is migrated. Failures are
 * VigilError('store_unavailable'), or store_outdated for a read-only open of an older schema.
 * @example const store = await openStore(process.env.VIGIL_DATABASE_URL ?? './vigil.db');
 * @example const store = await openStore('./vigil.db', { readOnly: true }); await store.events.countEvents();
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  const names = Object.keys(CAPABILITIES) as CapabilityName[];
  // Each backend (and its driver) is loaded only when chosen, so a SQLite user never loads pg, and vice versa.
  if (POSTGRES_URL.test(location)) {
    const [{ PostgresConnection }, { migratePostgres, checkPostgres }] = await Promise.all([
      import('./postgres/connection.js'),
      import('./postgres/migrate.js'),
    ]);
    const connection = new PostgresConnection(location, options);
    const backends = await loadBackends(names, (name) => CAPABILITIES[name].postgres());
    return compose('postgres', connection.where, readOnly, {
      connection,
      backends,
      migrate: (capabilities) => migratePostgres(connection, capabilities),
      check: (capabilities) => checkPostgres(connection, capabilities),
      close: () => connection.close(),
    });
  }
  // Without better-sqlite3 installed these imports are what fail: one coded line instead of a stack trace.
  const [{ SqliteConnection }, { migrateSqlite, checkSqlite }] = await Promise.all([
    import('./sqlite/connection.js'),
    import('./sqlite/migrate.js'),
  ]).catch((cause: unknown) => Promise.reject(driverUnavailable(cause) ?? cause));
  const backends = await loadBackends(names, (name) => CAPABILITIES[name].sqlite());
  const connection = new SqliteConnection(location, { readOnly, writerThread: options.writerThread });
  return compose('sqlite', location, readOnly, {
    connection,
    backends,
    migrate: async (capabilities) => migrateSqlite(connection, capabilities),
    check: async (capabilities) => checkSqlite(connection, capabilities),
    close: () => connection.shutdown(),
  });
}

async function loadBackends<Connection>(
  names: readonly CapabilityName[],
  load: (name: CapabilityName) => Promise<CapabilityBackend<Connection, unknown>>,
): Promise<Opened<Connection>['backends']> {
  const loaded = await Promise.all(names.map(async (name) => [name, await load(name)] as const));
  return Object.fromEntries(loaded) as Opened<Connection>['backends'];
}

/** Migrates (or, read-only, checks) every capability in registration order, then builds each over the one connection. */
async function compose<Connection>(
  backend: Store['backend'],
  where: string,
  readOnly: boolean,
  opened: Opened<Connection>,
): Promise<Store> {
  const names = Object.keys(opened.backends) as CapabilityName[];
  const migrations = names.map((name) => ({ name, migrations: opened.backends[name].migrations }));
  const migrate = async (): Promise<void> => {
    if (readOnly) throw new VigilError('store_read_only', `The store at ${where} is open read-only: it cannot be migrated.`);
    await opened.migrate(migrations);
  };
  try {
    if (readOnly) await opened.check(migrations);
    else await migrate();
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
  const capabilities = Object.fromEntries(names.map((name) => [name, opened.backends[name].open(opened.connection)])) as Capabilities;
  return { ...capabilities, backend, where, readOnly, migrate, close: opened.close };
}
