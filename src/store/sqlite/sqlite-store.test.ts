/** SqliteStore on real temp files: the Store contract plus what only SQLite has (pragmas, the file itself). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { SliDefinition } from '../../engine/sli.js';
import { VigilError } from '../../errors/catalogue.js';
import { runStoreContract } from '../contract.test-suite.js';
import { MIGRATIONS } from './schema.js';
import { SqliteStore } from './sqlite-store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sqlite-store-'));
let files = 0;
const freshPath = (): string => path.join(root, `store-${++files}.db`);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

runStoreContract('sqlite', async () => {
  const file = freshPath();
  const opened = [new SqliteStore(file)];
  await opened[0]!.migrate();
  return {
    store: opened[0]!,
    reopen: async () => {
      const store = new SqliteStore(file);
      opened.push(store);
      await store.migrate();
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    },
  };
});

const SLI: SliDefinition = {
  key: 'pay|*|success|abandoned:ok',
  source: 'events',
  journey: 'pay',
  step: null,
  kind: 'success',
  abandonedIsBad: false,
};
const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

describe('SqliteStore specifics', () => {
  it('runs in WAL mode with synchronous=FULL, foreign keys and a busy timeout', async () => {
    const store = new SqliteStore(freshPath());
    await store.migrate();
    await store.close();
    // A second connection sees the persistent journal mode; the per-connection pragmas are checked on the store's own.
    const db = new Database(store.path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const inspect = new SqliteStore(store.path) as unknown as { db: Database.Database; closeSync(): void };
    expect(inspect.db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(inspect.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(inspect.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    inspect.closeSync();
  });

  it('keeps events, aggregates and meta when the file is reopened', async () => {
    const file = freshPath();
    const first = new SqliteStore(file);
    await first.migrate();
    await first.appendEvents(
      [
        { id: 'a', journey: 'pay', outcome: 'success', timestamp: T0 },
        { id: 'b', journey: 'pay', outcome: 'failure', timestamp: T0 + 1 },
      ],
      [SLI],
      T0,
    );
    await first.setMeta('k', 'v');
    await first.close();
    await first.close(); // closing twice is harmless

    const second = new SqliteStore(file);
    await second.migrate();
    expect(await second.countEvents()).toBe(2);
    expect(await second.getMeta('k')).toBe('v');
    expect(await second.materialisedSliKeys()).toEqual([SLI.key]);
    const again = await second.appendEvents([{ id: 'a', journey: 'pay', outcome: 'failure', timestamp: T0 }], [SLI], T0);
    expect(again.inserted).toEqual([false]);
    expect(await second.sliMinutes(SLI.key, 0, Number.MAX_SAFE_INTEGER)).toEqual([
      { key: SLI.key, minute: T0 / 60_000, good: 1, total: 2 },
    ]);
    await second.close();
  });

  it('upgrades a file written at schema version 1: its events stay, the alerting tables arrive', async () => {
    const file = freshPath();
    const v1 = new Database(file);
    v1.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
    v1.exec(MIGRATIONS[0]!);
    v1.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', '1')").run();
    v1.prepare("INSERT INTO events (id, journey, outcome, ts, received_at) VALUES ('old', 'pay', 'success', ?, ?)").run(T0, T0);
    v1.close();

    const store = new SqliteStore(file);
    await store.migrate();
    expect(await store.getMeta('schema_version')).toBe(String(MIGRATIONS.length));
    expect((await store.events({ from: T0, to: T0 + 1 })).map((e) => e.id)).toEqual(['old']);
    const message = {
      id: 'm',
      target: 't',
      dedupKey: 'd',
      payload: '{}',
      createdAt: T0,
      attempts: 0,
      nextAttemptAt: T0,
      deliveredAt: null,
      lastError: null,
    };
    await store.saveAlerting({ alerts: [], incidents: [], outbox: [message] });
    expect(await store.outboxDue(T0, 1)).toEqual([message]);
    await store.close();
  });

  it('reports a missing directory as store_unavailable naming the path', () => {
    const missing = path.join(root, 'no-such-dir', 'vigil.db');
    expect(() => new SqliteStore(missing)).toThrow(VigilError);
    try {
      new SqliteStore(missing);
    } catch (error) {
      expect((error as VigilError).code).toBe('store_unavailable');
      expect((error as VigilError).message).toContain(missing);
    }
  });

  it('reports a file that is not a database as store_unavailable', () => {
    const junk = freshPath();
    fs.writeFileSync(junk, 'this is not a database, it is a shopping list '.repeat(200));
    expect(() => new SqliteStore(junk)).toThrow(
      expect.objectContaining({ code: 'store_unavailable', message: expect.stringContaining(junk) }),
    );
  });

  it('refuses a file written by a newer schema version', async () => {
    const file = freshPath();
    const store = new SqliteStore(file);
    await store.migrate();
    await store.setMeta('schema_version', '999');
    await expect(store.migrate()).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('999') });
    await store.close();
  });

  it('answers store_unavailable once closed', async () => {
    const store = new SqliteStore(freshPath());
    await store.migrate();
    await store.close();
    await expect(store.countEvents()).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('works in memory for throwaway stores', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    await store.appendEvents([{ journey: 'pay', outcome: 'success', timestamp: T0 }], [SLI], T0);
    expect(await store.countEvents()).toBe(1);
    await store.close();
  });
});
