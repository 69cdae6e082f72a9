import { describe, expect, it } from 'vitest';
import { type SliDefinition, sliContribution } from '../engine/sli.js';
import type { JourneyEvent } from '../model/event.js';
import { minuteOf, type ScopeMinute, type SliMinute } from '../model/minutes.js';
import { openStore } from '../store/open.js';
import { AppendEvents } from './append-events.js';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const SLI: SliDefinition = {
  source: 'events',
  key: 'pay|*|success|abandoned:ok',
  journey: 'pay',
  step: null,
  kind: 'success',
  abandonedIsBad: false,
};

class Memory {
  sli: SliMinute[] = [];
  scope: ScopeMinute[] = [];
  applySliMinutes(rows: readonly SliMinute[]) {
    this.sli.push(...rows);
  }
  applyScopeMinutes(rows: readonly ScopeMinute[]) {
    this.scope.push(...rows);
  }
}

const events: JourneyEvent[] = [
  { id: 'a', journey: 'pay', outcome: 'success', timestamp: T0 },
  { id: 'b', journey: 'pay', outcome: 'failure', timestamp: T0 + 1_000 },
  { id: 'a', journey: 'pay', outcome: 'success', timestamp: T0 },
];

describe('AppendEvents: the one append path', () => {
  it('stores durably, then applies exactly the stored increments in memory, then tells listeners', async () => {
    const store = await openStore(':memory:');
    const memory = new Memory();
    const append = new AppendEvents({ store: store.events, slis: [SLI], memory });
    const order: string[] = [];
    append.onAppended(async () => order.push(`listener saw ${await store.events.countEvents()} events, memory ${memory.sli.length} rows`));
    const result = await append.append(events, T0);
    expect(result.inserted).toEqual([true, true, false]);
    expect(sliContribution(SLI, events[1]!)).toEqual({ good: 0, total: 1 });
    expect(memory.sli).toEqual([{ key: SLI.key, minute: minuteOf(T0), good: 1, total: 2 }]);
    expect(memory.scope).toEqual([{ journey: 'pay', step: null, minute: minuteOf(T0), success: 1, failure: 1, rejected: 0, abandoned: 0 }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['listener saw 2 events, memory 1 rows']);
    await store.close();
  });

  it('leaves memory and listeners untouched when the store refuses the batch', async () => {
    const store = await openStore(':memory:');
    const memory = new Memory();
    const append = new AppendEvents({ store: store.events, slis: [SLI], memory });
    let told = 0;
    append.onAppended(() => told++);
    await store.close();
    await expect(append.append(events, T0)).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(memory.sli).toEqual([]);
    expect(memory.scope).toEqual([]);
    expect(told).toBe(0);
  });

  it('following the store (several nodes): adds nothing to memory itself, and answers once a refresh after the commit ran', async () => {
    const store = await openStore(':memory:');
    const memory = new Memory();
    const append = new AppendEvents({ store: store.events, slis: [SLI], memory });
    const seen: number[] = [];
    append.followStore(async () => {
      seen.push(await store.events.countEvents());
      throw new Error('the store did not answer the read');
    });
    // A failed refresh does not fail the append: the batch is durable, the next periodic read catches up.
    const result = await append.append(events, T0);
    expect(result.inserted).toEqual([true, true, false]);
    expect(seen).toEqual([2]);
    expect(memory.sli).toEqual([]);
    expect(memory.scope).toEqual([]);
    await store.close();
  });
});
