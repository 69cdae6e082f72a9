/** Opens the configured Store: a PostgreSQL URL, or else a SQLite file path (docs/storage.md ("Storage")). */
import type { Store } from './store.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * Opens and migrates the store at `location`: a `postgres://` or `postgresql://` URL, or a SQLite file
 * (created if missing; its directory must exist). Failures are VigilError('store_unavailable').
 * @example const store = await openStore(process.env.VIGIL_DATABASE_URL ?? './vigil.db');
 */
export async function openStore(location: string): Promise<Store> {
  // Each backend is loaded only when chosen, so a SQLite user never loads pg, and vice versa.
  let store: Store;
  if (POSTGRES_URL.test(location)) {
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    store = new PostgresStore(location);
  } else {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    store = new SqliteStore(location);
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
