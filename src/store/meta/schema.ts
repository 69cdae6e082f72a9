/**
 * The meta table on each backend. IF NOT EXISTS: databases from before per-capability migrations
 * already have it. The events capability keeps its purge watermark here too (it is registered after meta).
 */

export const SQLITE_META_MIGRATIONS: readonly string[] = [
  'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT',
];

export const POSTGRES_META_MIGRATIONS: readonly string[] = ['CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)'];
