/**
 * Per-capability migrations, shared by both backends' runners: the table that records them, and how a
 * database from before them (one list, its count in meta.schema_version) is adopted in place.
 */
import { VigilError } from '../errors/catalogue.js';

/** A capability's name and its migrations on the backend being opened, in registration order. */
export interface CapabilityMigrations {
  name: string;
  migrations: readonly string[];
}

/**
 * Before per-capability migrations, meta.schema_version counted one list: 1 created the event tables
 * (and meta), 2 the alerting tables. Index n: what schema_version n had applied, per capability.
 */
const LEGACY_APPLIED: readonly Readonly<Record<string, number>>[] = [{}, { meta: 1, events: 1 }, { meta: 1, events: 1, alerting: 1 }];

/** The meta key the single-list schema kept its version under. */
export const LEGACY_VERSION_KEY = 'schema_version';

/**
 * Written to meta.schema_version once schema_migrations rules: a Vigil from before (which knows up to
 * version 2) then refuses the database as written by a newer Vigil instead of misreading it.
 */
export const LEGACY_SENTINEL = LEGACY_APPLIED.length;

/**
 * Capability versions a database with the given meta.schema_version (and no schema_migrations rows)
 * already has: {} for a new database. A version beyond the single list means a newer Vigil wrote it.
 * @example legacyApplied('2', 'vigil.db') // { meta: 1, events: 1, alerting: 1 }
 */
export function legacyApplied(version: string | null, where: string): Readonly<Record<string, number>> {
  const n = Number(version ?? 0);
  const applied = LEGACY_APPLIED[n];
  if (applied === undefined || !Number.isInteger(n)) {
    throw new VigilError(
      'store_unavailable',
      `The database at ${where} has schema version ${version}, unknown to this Vigil. Upgrade Vigil.`,
    );
  }
  return applied;
}

/**
 * The error for a capability whose recorded version is beyond what this Vigil knows.
 * @example throw newerSchema('vigil.db', 'events', 4, 1);
 */
export function newerSchema(where: string, capability: string, applied: number, known: number): VigilError {
  return new VigilError(
    'store_unavailable',
    `The database at ${where} has ${capability} schema version ${applied}; this Vigil knows up to ${known}. Upgrade Vigil.`,
  );
}

/**
 * For a read-only open: refuse a schema that is not exactly the code's (older: store_outdated, which
 * a read-only open cannot fix; newer: store_unavailable). `applied` maps capability → highest version.
 * @example checkApplied('vigil.db', capabilities, new Map([['events', 1]]));
 */
export function checkApplied(where: string, capabilities: readonly CapabilityMigrations[], applied: ReadonlyMap<string, number>): void {
  const behind: string[] = [];
  for (const { name, migrations } of capabilities) {
    const version = applied.get(name) ?? 0;
    if (version > migrations.length) throw newerSchema(where, name, version, migrations.length);
    if (version < migrations.length) behind.push(`${name} ${version} < ${migrations.length}`);
  }
  if (behind.length > 0) {
    throw new VigilError(
      'store_outdated',
      `The database at ${where} has an older schema than this Vigil (${behind.join(', ')}); a read-only open does not upgrade it. ` +
        'Run `vigil serve` on it once (it migrates at start), then read again.',
    );
  }
}
