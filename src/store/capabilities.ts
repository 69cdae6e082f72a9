/**
 * The store's capabilities, one registration line each. The composed Store exposes each under its
 * name, and migrations run in this order (meta first: events keeps its purge watermark in it).
 * A new capability is a folder (interface, contract suite, one module per backend with its
 * migrations) and a line here.
 */
import type { AlertingStore } from './alerting/alerting-store.js';
import { type Capability, type CapabilityInterface, capability } from './capability.js';
import type { EventStore } from './events/event-store.js';
import type { MetaStore } from './meta/meta-store.js';
import type { TokenStore } from './tokens/token-store.js';
import type { DeploymentStore } from './deployments/deployment-store.js';
import type { CorrectionStore } from './corrections/correction-store.js';
import type { SignalStore } from './signals/signal-store.js';
import type { BenchmarkStore } from './benchmarks/benchmark-store.js';
import type { DisruptionStore } from './disruptions/disruption-store.js';
import type { SourceStore } from './sources/source-store.js';

export const CAPABILITIES = {
  meta: capability<MetaStore>({
    sqlite: async () => (await import('./meta/sqlite-meta.js')).sqliteMeta,
    postgres: async () => (await import('./meta/postgres-meta.js')).postgresMeta,
  }),
  events: capability<EventStore>({
    sqlite: async () => (await import('./events/sqlite-events.js')).sqliteEvents,
    postgres: async () => (await import('./events/postgres-events.js')).postgresEvents,
  }),
  alerting: capability<AlertingStore>({
    sqlite: async () => (await import('./alerting/sqlite-alerting.js')).sqliteAlerting,
    postgres: async () => (await import('./alerting/postgres-alerting.js')).postgresAlerting,
  }),
  tokens: capability<TokenStore>({
    sqlite: async () => (await import('./tokens/sqlite-tokens.js')).sqliteTokens,
    postgres: async () => (await import('./tokens/postgres-tokens.js')).postgresTokens,
  }),
  deployments: capability<DeploymentStore>({
    sqlite: async () => (await import('./deployments/sqlite-deployments.js')).sqliteDeployments,
    postgres: async () => (await import('./deployments/postgres-deployments.js')).postgresDeployments,
  }),
  corrections: capability<CorrectionStore>({
    sqlite: async () => (await import('./corrections/sqlite-corrections.js')).sqliteCorrections,
    postgres: async () => (await import('./corrections/postgres-corrections.js')).postgresCorrections,
  }),
  signals: capability<SignalStore>({
    sqlite: async () => (await import('./signals/sqlite-signals.js')).sqliteSignals,
    postgres: async () => (await import('./signals/postgres-signals.js')).postgresSignals,
  }),
  benchmarks: capability<BenchmarkStore>({
    sqlite: async () => (await import('./benchmarks/sqlite-benchmarks.js')).sqliteBenchmarks,
    postgres: async () => (await import('./benchmarks/postgres-benchmarks.js')).postgresBenchmarks,
  }),
  disruptions: capability<DisruptionStore>({
    sqlite: async () => (await import('./disruptions/sqlite-disruptions.js')).sqliteDisruptions,
    postgres: async () => (await import('./disruptions/postgres-disruptions.js')).postgresDisruptions,
  }),
  sources: capability<SourceStore>({
    sqlite: async () => (await import('./sources/sqlite-sources.js')).sqliteSources,
    postgres: async () => (await import('./sources/postgres-sources.js')).postgresSources,
  }),
} satisfies Record<string, Capability<unknown>>;

export type CapabilityName = keyof typeof CAPABILITIES;

/** Each registered capability's interface, under its name. */
export type Capabilities = { readonly [K in CapabilityName]: CapabilityInterface<(typeof CAPABILITIES)[K]> };
