/**
 * The reliability state of a configuration read from a store without writing to it: what the read
 * commands (`vigil status --database`) evaluate. Unlike VigilRuntime.start it never reconciles SLIs.
 */
import { MINUTES_PER_DAY } from '../engine/minute-series.js';
import { SloRegistry } from '../engine/slo-registry.js';
import type { VigilConfig } from '../model/config.js';
import { minuteOf } from '../model/minutes.js';
import type { EventStore, SourceStore } from '../store/store.js';
import { correctedMinutes } from '../engine/sli.js';

/** The reads loadReadModel makes; a read-only store provides them. */
export type ReadModelStore = {
  events: Pick<EventStore, 'materialisedSliKeys' | 'sliMinutes' | 'sliMinutesFromEvents' | 'scopeMinutes'>;
  /** Absent: SLIs read from Prometheus read as empty. */
  sources?: Pick<SourceStore, 'sourceMinutes'>;
};

/**
 * Loads the same history VigilRuntime.start loads, read-only. An SLI the store has materialised is
 * read from its aggregates; one it has not (the configuration given differs from the one the server
 * ran) is computed in memory from the retained raw events, exactly as a rebuild would compute it,
 * instead of being rebuilt and written.
 * @example const registry = await loadReadModel({ config, store: await openStore(file, { readOnly: true }) });
 */
export async function loadReadModel(options: { config: VigilConfig; store: ReadModelStore; clock?: () => number }): Promise<SloRegistry> {
  const { config, store } = options;
  const now = (options.clock ?? Date.now)();
  const registry = new SloRegistry(config);
  // The same window as VigilRuntime's load: up to a day ahead, as far back as the longest SLO needs.
  const toMinute = minuteOf(now) + MINUTES_PER_DAY;
  const fromMinute = minuteOf(now) - registry.historyMinutesNeeded();
  const materialised = new Set(await store.events.materialisedSliKeys());
  for (const def of registry.prometheusSlis) {
    if (store.sources) registry.setSliTotals(correctedMinutes(def, await store.sources.sourceMinutes(def.key, fromMinute, toMinute)));
  }
  for (const def of registry.eventSlis) {
    registry.applySliMinutes(
      materialised.has(def.key)
        ? await store.events.sliMinutes(def.key, fromMinute, toMinute)
        : await store.events.sliMinutesFromEvents(def, fromMinute, toMinute),
    );
  }
  registry.applyScopeMinutes(await store.events.scopeMinutes(fromMinute, toMinute));
  return registry;
}
