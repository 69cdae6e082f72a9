/** The MetaStore on PostgreSQL. */
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import type { MetaStore } from './meta-store.js';
import { POSTGRES_META_MIGRATIONS } from './schema.js';

class PostgresMeta implements MetaStore {
  constructor(private readonly connection: PostgresConnection) {}

  async getMeta(key: string): Promise<string | null> {
    return (await this.connection.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.connection.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      value,
    ]);
  }
}

/** The meta capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresMeta: CapabilityBackend<PostgresConnection, MetaStore> = {
  migrations: POSTGRES_META_MIGRATIONS,
  open: (connection) => new PostgresMeta(connection),
};
