/** The SQLite writer thread on real files: reads see every resolved append, order, errors with their codes, crashes, close, and other writers. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { VigilError } from '../../errors/catalogue.js';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent } from '../../model/event.js';
import { openStore } from '../open.js';
import { SqliteConnection } from '../sqlite/connection.js';
import { SqliteEventWrites } from './sqlite-event-writes.js';
import { PAY_SUCCESS_SLI, sqliteFiles } from './sqlite-files.test-data.js';
import { sqliteWritesRunOn } from './sqlite-events.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

const freshPath = sqliteFiles('vigil-writer-thread-');
const SLI = PAY_SUCCESS_SLI;
const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const M0 = T0 / 60_000;

function batch(prefix: string, size: number, outcome: Outcome = 'success'): JourneyEvent[] {
  return Array.from({ length: size }, (_, i) => ({ id: `${prefix}-${i}`, journey: 'pay', outcome, timestamp: T0 + i }));
}

describe('where SQLite event writes run', () => {
  it('on the writer thread for a writable file (the store contract suite runs this path), else in the calling thread', async () => {
    const file = freshPath();
    const store = await openStore(file);
    expect(sqliteWritesRunOn(store.events)).toBe('writer thread');
    await store.events.appendEvents(batch('a', 1), [SLI], T0);
    const reader = await openStore(file, { readOnly: true });
    expect(sqliteWritesRunOn(reader.events)).toBe('calling thread');
    const inThread = await openStore(freshPath(), { writerThread: false });
    expect(sqliteWritesRunOn(inThread.events)).toBe('calling thread');
    const memory = await openStore(':memory:');
    expect(sqliteWritesRunOn(memory.events)).toBe('calling thread');
    await memory.events.appendEvents(batch('m', 2), [SLI], T0);
    expect(await memory.events.countEvents()).toBe(2);
    for (const s of [store, reader, inThread, memory]) await s.close();
  });
});

describe('SQLite writer thread', () => {
  it('a read on the store’s connection after an append resolved sees the whole batch and its aggregates', async () => {
    const store = await openStore(freshPath());
    for (let n = 1; n <= 30; n++) {
      const result = await store.events.appendEvents(batch(`b${n}`, 50, n % 3 === 0 ? 'failure' : 'success'), [SLI], T0);
      expect(result.inserted.every(Boolean)).toBe(true);
      expect(result.sliDeltas).toEqual([{ key: SLI.key, minute: M0, good: n % 3 === 0 ? 0 : 50, total: 50 }]);
      expect(await store.events.countEvents()).toBe(50 * n);
      const good = 50 * (n - Math.floor(n / 3));
      expect(await store.events.sliMinutes(SLI.key, M0, M0 + 1)).toEqual([{ key: SLI.key, minute: M0, good, total: 50 * n }]);
      expect(await store.events.distinctCustomers({ from: T0, to: T0 + 50 })).toBe(0);
    }
    await store.close();
  });

  it('runs concurrent appends in call order: the first batch holding an id stores it, later ones see a duplicate', async () => {
    const store = await openStore(freshPath());
    const calls = Array.from({ length: 12 }, (_, n) =>
      store.events.appendEvents(
        [{ id: 'shared', journey: 'pay', outcome: n === 0 ? 'failure' : 'success', timestamp: T0 }, ...batch(`c${n}`, 100)],
        [SLI],
        T0,
      ),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.inserted[0])).toEqual([true, ...Array(11).fill(false)]);
    expect(results.every((r) => r.inserted.slice(1).every(Boolean))).toBe(true);
    expect(await store.events.events({ from: T0, to: T0 + 1, outcomes: ['failure'] })).toHaveLength(1);
    // The deltas each call reported add up to what is stored.
    const total = results.reduce((sum, r) => sum + r.sliDeltas.reduce((s, d) => s + d.total, 0), 0);
    expect(await store.events.sliMinutes(SLI.key, M0, M0 + 1)).toEqual([{ key: SLI.key, minute: M0, good: total - 1, total }]);
    await store.close();
  });

  it('rejects a batch the database refuses with the SQLite error and its code, and stores nothing of it', async () => {
    const store = await openStore(freshPath());
    const bad = [...batch('ok', 3), { id: 'bad', journey: 'pay', outcome: 'exploded' as Outcome, timestamp: T0 }];
    const error = await store.events.appendEvents(bad, [SLI], T0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
    expect(await store.events.countEvents()).toBe(0);
    expect((await store.events.appendEvents(bad.slice(0, 3), [SLI], T0)).inserted).toEqual([true, true, true]);
    await store.close();
  });

  it('reports a file the thread cannot open as store_unavailable, a VigilError naming the path with its cause', async () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(freshPath()), 'gone-'));
    const file = path.join(dir, 'vigil.db');
    const store = await openStore(file);
    fs.rmSync(dir, { recursive: true, force: true });
    const error = await store.events.appendEvents(batch('x', 1), [SLI], T0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toMatchObject({ code: 'store_unavailable', status: 503, message: expect.stringContaining(dir) });
    await store.close();
  });

  it('fails the writes pending when the thread dies with store_unavailable, stores all or nothing of each, and restarts', async () => {
    const file = freshPath();
    const store = await openStore(file);
    const writer = new SqliteWriterThread(file);
    await writer.appendEvents(batch('first', 1), [SLI], T0);
    expect(writer.running).toBe(true);
    const pending = [writer.appendEvents(batch('big', 20_000), [SLI], T0), writer.appendEvents(batch('next', 20_000), [SLI], T0)];
    const settled = Promise.allSettled(pending);
    await writer.kill();
    const outcomes = await settled;
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed)
      expect((f as PromiseRejectedResult).reason).toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('stopped') });
    expect(writer.running).toBe(false);
    const stored = await store.events.countEvents();
    expect([1, 20_001, 40_001]).toContain(stored);
    // The next write starts a new thread, which knows the stored ids.
    const again = await writer.appendEvents(batch('first', 1), [SLI], T0);
    expect(again.inserted).toEqual([false]);
    expect(writer.running).toBe(true);
    await writer.close();
    expect(writer.running).toBe(false);
    await store.close();
  });

  it('close lets the queued appends commit, then later writes fail with store_unavailable', async () => {
    const file = freshPath();
    const store = await openStore(file);
    const queued = Array.from({ length: 5 }, (_, n) => store.events.appendEvents(batch(`q${n}`, 1000), [SLI], T0));
    await store.close();
    await expect(Promise.all(queued)).resolves.toHaveLength(5);
    await expect(store.events.appendEvents(batch('late', 1), [SLI], T0)).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(store.events.purge(T0, M0)).rejects.toMatchObject({ code: 'store_unavailable' });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 5000 });
    db.close();
  });

  it('lets appends asked for during a purge through between its batches (docs/storage.md ("Purging old data"))', async () => {
    const store = await openStore(freshPath());
    await store.events.appendEvents(batch('old', 12_000), [SLI], T0);
    const settled: string[] = [];
    // Cut-off after every old event: 12,000 go in chunks of 5,000, one chunk per request to the thread.
    const purge = store.events.purge(T0 + 60_000, M0 - 1).then((counts) => {
      settled.push('purge');
      return counts;
    });
    const later = [T0 + 120_000, T0 + 180_000].map((at) => ({
      id: `new-${at}`,
      journey: 'pay',
      outcome: 'success' as const,
      timestamp: at,
    }));
    const append = store.events.appendEvents(later, [SLI], T0).then(() => settled.push('append'));
    await Promise.all([purge, append]);
    // The append, queued behind the purge's first chunk, was written before the purge's last one.
    expect(settled).toEqual(['append', 'purge']);
    // 5,000 + 5,000 + 2,000 raw events, then one short chunk each of sli and scope minutes (none older than M0 - 1).
    expect(await purge).toEqual({ events: 12_000, sliMinutes: 0, scopeMinutes: 0, batches: 3 + 1 + 1 });
    expect(await store.events.countEvents()).toBe(2);
    await store.close();
  });

  it('does not deadlock with writes on the store’s own connection and another process’s, and purge and rebuild run in order', async () => {
    const file = freshPath();
    const store = await openStore(file);
    const other = new Database(file);
    other.pragma('busy_timeout = 10000');
    const work: Promise<unknown>[] = [];
    for (let n = 0; n < 20; n++) {
      work.push(store.events.appendEvents(batch(`w${n}`, 500), [SLI], T0 + n * 60_000));
      work.push(store.meta.setMeta(`k${n}`, String(n)));
      work.push(store.alerting.saveAlerting({ alerts: [], incidents: [], outbox: [] }));
      other.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(`o${n}`, 'x');
      if (n === 10) work.push(store.events.rebuildSli(SLI));
    }
    // Queued after the 20 appends: the rebuild saw 11 batches, the purge removes none (every event is newer).
    work.push(store.events.purge(T0 - 1, M0 - 1));
    const results = await Promise.all(work);
    expect(results.at(-1)).toEqual({ events: 0, sliMinutes: 0, scopeMinutes: 0, batches: 3 });
    expect(await store.events.countEvents()).toBe(10_000);
    expect(await store.meta.getMeta('k19')).toBe('19');
    expect(await store.events.materialisedSliKeys()).toEqual([SLI.key]);
    expect((await store.events.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER)).reduce((s, m) => s + m.total, 0)).toBe(10_000);
    other.close();
    await store.close();
  });
});

describe('group commit (SqliteEventWrites.appendGroup, what the writer thread does with appends queued together)', () => {
  const open = async (): Promise<{ connection: SqliteConnection; writes: SqliteEventWrites; close(): Promise<void> }> => {
    const file = freshPath();
    await (await openStore(file)).close(); // migrated
    const connection = new SqliteConnection(file, { writerThread: false });
    return { connection, writes: new SqliteEventWrites(connection), close: async () => connection.close() };
  };
  const count = (c: SqliteConnection): number => (c.stmt('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

  it('answers each append of a group exactly as the same appends one after another do, duplicates across them included', async () => {
    const appends = [
      {
        events: [...batch('g', 3), { id: 'g-1', journey: 'pay', outcome: 'failure' as Outcome, timestamp: T0 }],
        slis: [SLI],
        receivedAt: T0,
      },
      { events: [...batch('g', 2, 'failure'), ...batch('h', 2)], slis: [SLI], receivedAt: T0 + 1 },
      {
        events: [{ journey: 'pay', outcome: 'failure' as Outcome, timestamp: T0 + 60_000 }, ...batch('h', 1)],
        slis: [SLI],
        receivedAt: T0 + 2,
      },
    ];
    const grouped = await open();
    const one = await open();
    const together = grouped.writes.appendGroup(appends);
    const apart = appends.map((a) => one.writes.appendEvents(a.events, a.slis, a.receivedAt));
    expect(together).toEqual(apart.map((value) => ({ ok: true, value })));
    // Hand-computed: g-0..g-2 stored, g-1 again a duplicate; g-0, g-1 duplicates, h-0, h-1 stored; an id-less event, h-0 a duplicate.
    expect(apart.map((r) => r.inserted)).toEqual([
      [true, true, true, false],
      [false, false, true, true],
      [true, false],
    ]);
    expect(count(grouped.connection)).toBe(6);
    expect(grouped.connection.stmt('SELECT key, minute, good, total FROM sli_minutes ORDER BY minute').all()).toEqual([
      { key: SLI.key, minute: M0, good: 5, total: 5 },
      { key: SLI.key, minute: M0 + 1, good: 0, total: 1 },
    ]);
    await grouped.close();
    await one.close();
  });

  it('when one append of a group is refused, stores the others and fails only that one, with its own error', async () => {
    const { connection, writes, close } = await open();
    const bad = [...batch('b', 2), { id: 'bad', journey: 'pay', outcome: 'exploded' as Outcome, timestamp: T0 }];
    const outcomes = writes.appendGroup([
      { events: batch('a', 2), slis: [SLI], receivedAt: T0 },
      { events: bad, slis: [SLI], receivedAt: T0 },
      { events: batch('b', 2), slis: [SLI], receivedAt: T0 },
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ error: { code: expect.stringMatching(/^SQLITE_CONSTRAINT/) } });
    // b-0 and b-1 were not used up by the refused batch: the third stores them.
    expect(outcomes[2]).toMatchObject({ value: { inserted: [true, true] } });
    expect(count(connection)).toBe(4);
    await close();
  });

  it('through the thread: appends queued together, one of them refused, settle each on its own, in call order', async () => {
    const store = await openStore(freshPath());
    const bad = [{ id: 'bad', journey: 'pay', outcome: 'exploded' as Outcome, timestamp: T0 }];
    const calls = Array.from({ length: 9 }, (_, n) => store.events.appendEvents(n === 4 ? bad : batch(`t${n % 3}`, 100), [SLI], T0));
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      ...Array(4).fill('fulfilled'),
    ]);
    const stored = settled.map((s) => (s.status === 'fulfilled' ? s.value.inserted.filter(Boolean).length : -1));
    expect(stored).toEqual([100, 100, 100, 0, -1, 0, 0, 0, 0]);
    expect(await store.events.countEvents()).toBe(300);
    await store.close();
  });
});
