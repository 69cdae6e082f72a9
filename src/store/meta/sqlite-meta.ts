/** The MetaStore on SQLite. */
import type { CapabilityBackend } from '../capability.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { MetaStore } from './meta-store.js';
import { SQLITE_META_MIGRATIONS } from './schema.js';

class SqliteMeta implements MetaStore {
  constructor(private readonly connection: SqliteConnection) {}

  async getMeta(key: string): Promise<string | null> {
    return this.connection.guard(
      () => (this.connection.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null,
    );
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.connection.guard(() =>
      this.connection
        .stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(key, value),
    );
  }
}

/** The meta capability's SQLite module, registered in capabilities.ts. */
export const sqliteMeta: CapabilityBackend<SqliteConnection, MetaStore> = {
  migrations: SQLITE_META_MIGRATIONS,
  open: (connection) => new SqliteMeta(connection),
};
