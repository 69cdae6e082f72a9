/**
 * The Store: what Vigil keeps durably, as capabilities (events, alerting, meta; see capabilities.ts)
 * over one connection. openStore (open.ts) composes it; every capability passes its contract suite on
 * both backends (docs/storage.md).
 */
import type { Capabilities } from './capabilities.js';

// The capabilities' own types, re-exported so callers can keep importing them from here.
export type { EpochMinute, ScopeMinute, SliMinute } from '../model/minutes.js';
export type { StoredEvent } from '../model/event.js';
export type { AlertingChanges, AlertingStore } from './alerting/alerting-store.js';
export type { AppendResult, EventQuery, EventStore } from './events/event-store.js';
export type { MetaStore } from './meta/meta-store.js';
export type { StoredToken, TokenStore } from './tokens/token-store.js';
export type { DeploymentStore } from './deployments/deployment-store.js';
export type { SignalStore } from './signals/signal-store.js';
export type { DisruptionStore } from './disruptions/disruption-store.js';
export type { SourceStore } from './sources/source-store.js';

export interface Store extends Capabilities {
  readonly backend: 'sqlite' | 'postgres';
  /** The SQLite file path, or the PostgreSQL URL without its password (and the schema): for messages. */
  readonly where: string;
  /** Opened with `readOnly`: never migrated, and every write fails with store_read_only. */
  readonly readOnly: boolean;
  /** Create or upgrade every capability's schema. Idempotent. A read-only store refuses (store_read_only). */
  migrate(): Promise<void>;
  /** Closes the connection; safe to call more than once. */
  close(): Promise<void>;
}
