/** Runs (or, read-only, checks) every capability's SQLite migrations, recorded per capability in schema_migrations. */
import { type CapabilityMigrations, checkApplied, LEGACY_SENTINEL, LEGACY_VERSION_KEY, legacyApplied, newerSchema } from '../migrations.js';
import type { SqliteConnection } from './connection.js';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  capability TEXT NOT NULL,
  version    INTEGER NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (capability, version)
) STRICT`;

/**
 * Brings the file up to every capability's last migration, in registration order. Each step is its
 * own IMMEDIATE transaction that re-reads what is applied, so two processes opening the same file
 * cannot both apply one. A file from before schema_migrations is adopted first (its tables kept).
 * Refuses a file written by a newer Vigil.
 * @example migrateSqlite(connection, [{ name: 'meta', migrations: ['CREATE TABLE …'] }]);
 */
export function migrateSqlite(connection: SqliteConnection, capabilities: readonly CapabilityMigrations[]): void {
  const { db, path } = connection;
  const hasTable = (name: string): boolean =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  const appliedVersion = (name: string): number =>
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE capability = ?').get(name) as { v: number | null }).v ?? 0;
  const record = {
    run: (name: string, version: number, at: number) =>
      db.prepare('INSERT INTO schema_migrations (capability, version, applied_at) VALUES (?, ?, ?)').run(name, version, at),
  };

  connection.guard(() => {
    db.transaction(() => {
      if (hasTable('schema_migrations')) return;
      db.exec(CREATE_TABLE);
      const legacy = hasTable('meta')
        ? ((db.prepare('SELECT value FROM meta WHERE key = ?').get(LEGACY_VERSION_KEY) as { value: string } | undefined)?.value ?? null)
        : null;
      const now = Date.now();
      for (const [name, version] of Object.entries(legacyApplied(legacy, path))) {
        for (let v = 1; v <= version; v++) record.run(name, v, now);
      }
    }).immediate();

    for (const { name, migrations } of capabilities) {
      const step = db.transaction(() => {
        const current = appliedVersion(name);
        if (current > migrations.length) throw newerSchema(path, name, current, migrations.length);
        if (current === migrations.length) return false;
        db.exec(migrations[current]!);
        record.run(name, current + 1, Date.now());
        return true;
      });
      while (step.immediate()) {
        // one migration per transaction until none is left
      }
    }

    if (hasTable('meta')) {
      db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value <> excluded.value',
      ).run(LEGACY_VERSION_KEY, String(LEGACY_SENTINEL));
    }
  });
}

/**
 * For a read-only connection: refuses (store_outdated) a file whose schema is behind the code, and
 * one written by a newer Vigil; writes nothing.
 * @example checkSqlite(readOnlyConnection, capabilities);
 */
export function checkSqlite(connection: SqliteConnection, capabilities: readonly CapabilityMigrations[]): void {
  const { db, path } = connection;
  connection.guard(() => {
    const recorded = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
    const rows = recorded
      ? (db.prepare('SELECT capability, MAX(version) AS version FROM schema_migrations GROUP BY capability').all() as {
          capability: string;
          version: number;
        }[])
      : [];
    checkApplied(path, capabilities, new Map(rows.map((r) => [r.capability, r.version])));
  });
}
