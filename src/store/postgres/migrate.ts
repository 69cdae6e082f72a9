/** Runs (or, read-only, checks) every capability's PostgreSQL migrations, recorded per capability in schema_migrations. */
import { type CapabilityMigrations, checkApplied, LEGACY_SENTINEL, LEGACY_VERSION_KEY, legacyApplied, newerSchema } from '../migrations.js';
import type { PostgresConnection } from './connection.js';

/** Serialises concurrent migrations of the same schema (several Vigil processes starting at once). */
const MIGRATION_LOCK = "pg_advisory_xact_lock(hashtext(current_schema() || '.vigil.migrate'))";

const CREATE_TABLE = `CREATE TABLE schema_migrations (
  capability TEXT COLLATE "C" NOT NULL,
  version    INTEGER NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (capability, version)
)`;

const RECORD = 'INSERT INTO schema_migrations (capability, version, applied_at) VALUES ($1, $2, $3)';

/**
 * Brings the schema up to every capability's last migration, in registration order, all in one
 * transaction under an advisory lock. A schema from before schema_migrations is adopted first (its
 * tables kept). Refuses a schema written by a newer Vigil.
 * @example await migratePostgres(connection, [{ name: 'meta', migrations: ['CREATE TABLE …'] }]);
 */
export async function migratePostgres(connection: PostgresConnection, capabilities: readonly CapabilityMigrations[]): Promise<void> {
  const client = await connection.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT ${MIGRATION_LOCK}`);
    const exists = async (table: string): Promise<boolean> =>
      (await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0]!.found;
    if (!(await exists('schema_migrations'))) {
      await client.query(CREATE_TABLE);
      const legacy = (await exists('meta'))
        ? ((await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [LEGACY_VERSION_KEY])).rows[0]?.value ?? null)
        : null;
      const now = Date.now();
      for (const [name, version] of Object.entries(legacyApplied(legacy, connection.where))) {
        for (let v = 1; v <= version; v++) await client.query(RECORD, [name, v, now]);
      }
    }
    for (const { name, migrations } of capabilities) {
      const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations WHERE capability = $1', [
        name,
      ]);
      const current = rows[0]!.v ?? 0;
      if (current > migrations.length) throw newerSchema(connection.where, name, current, migrations.length);
      for (let version = current; version < migrations.length; version++) {
        await client.query(migrations[version]!);
        await client.query(RECORD, [name, version + 1, Date.now()]);
      }
    }
    if (await exists('meta')) {
      await client.query(
        'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE meta.value <> excluded.value',
        [LEGACY_VERSION_KEY, String(LEGACY_SENTINEL)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw connection.mapped(error);
  } finally {
    client.release();
  }
}

/**
 * For a read-only connection: refuses (store_outdated) a schema behind the code, and one written by a
 * newer Vigil; writes nothing.
 * @example await checkPostgres(readOnlyConnection, capabilities);
 */
export async function checkPostgres(connection: PostgresConnection, capabilities: readonly CapabilityMigrations[]): Promise<void> {
  const { rows: found } = await connection.query<{ found: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS found");
  const rows = found[0]!.found
    ? (
        await connection.query<{ capability: string; version: number }>(
          'SELECT capability, MAX(version) AS version FROM schema_migrations GROUP BY capability',
        )
      ).rows
    : [];
  checkApplied(connection.where, capabilities, new Map(rows.map((r) => [r.capability, r.version])));
}
