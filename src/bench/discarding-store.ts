/**
 * For the ingest bench's ceiling (docs/capacity.md ("The ceiling and the floor")): a real store whose event appends are
 * discarded. Never reachable from the CLI; src/bench/discarding-serve.ts is its only user.
 */
import type { EventStore } from '../store/events/event-store.js';
import type { Store } from '../store/store.js';

/**
 * `store` with one change: `events.appendEvents` stores nothing and answers every event inserted, with no aggregate
 * deltas. Every other method, of the events capability and of the others, is the real store's.
 * @example const store = discardingAppends(await openStore(path)); await store.events.appendEvents(events, slis, now);
 */
export function discardingAppends(store: Store): Store {
  const real = store.events;
  const appendEvents: EventStore['appendEvents'] = async (events) => ({
    inserted: events.map(() => true),
    sliDeltas: [],
    scopeDeltas: [],
  });
  const events = new Proxy(real, {
    get(target, key) {
      if (key === 'appendEvents') return appendEvents;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...store, events };
}
