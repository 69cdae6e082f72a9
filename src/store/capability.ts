/**
 * What a store capability is (events, alerting, meta, …): an interface declared in its own folder,
 * built on each backend by a module that brings its own ordered migrations. capabilities.ts lists them.
 */
import type { PostgresConnection } from './postgres/connection.js';
import type { SqliteConnection } from './sqlite/connection.js';

/** A capability on one backend: its migrations and how to build it over that backend's connection. */
export interface CapabilityBackend<Connection, T> {
  /** Migration n (1-based) is migrations[n - 1]. Never edit a released migration: append a new one. */
  readonly migrations: readonly string[];
  /** Builds the capability; called after the migrations, and must not touch the database itself. */
  open(connection: Connection): T;
}

/**
 * A capability's registration: one loader per backend, so only the chosen backend's modules (and
 * driver) are ever loaded.
 */
export interface Capability<T> {
  readonly sqlite: () => Promise<CapabilityBackend<SqliteConnection, T>>;
  readonly postgres: () => Promise<CapabilityBackend<PostgresConnection, T>>;
}

/**
 * Declares a capability with the interface it provides, which the composed Store exposes under the
 * registration's name.
 * @example const meta = capability<MetaStore>({ sqlite: () => import('./meta/sqlite-meta.js').then((m) => m.sqliteMeta), postgres: … });
 */
export function capability<T>(registration: Capability<T>): Capability<T> {
  return registration;
}

/** The interface a registration provides. */
export type CapabilityInterface<C> = C extends Capability<infer T> ? T : never;
