/** The bench's ceiling store and floor schema (docs/capacity.md ("The ceiling and the floor")), on real SQLite files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { JourneyEvent } from '../model/event.js';
import { openStore } from '../store/open.js';
import { discardingAppends } from './discarding-store.js';
import { floorSchema } from './sqlite-floor.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-discarding-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const events: JourneyEvent[] = Array.from({ length: 5 }, (_, i) => ({
  id: `e-${i}`,
  journey: 'checkout',
  outcome: i === 0 ? 'failure' : 'success',
  timestamp: T0 + i * 1000,
  customerId: `c-${i}`,
}));

describe('discardingAppends', () => {
  it('answers every event inserted with no deltas, and stores nothing: the same events are new to the real store after it', async () => {
    const real = await openStore(path.join(dir, 'discard.db'));
    try {
      const store = discardingAppends(real);
      const answer = await store.events.appendEvents(events, [], T0);
      expect(answer).toEqual({ inserted: [true, true, true, true, true], sliDeltas: [], scopeDeltas: [] });
      // The other methods are the real store's, reading the same file.
      expect(await store.events.countEvents()).toBe(0);
      expect(await store.events.newestEventTimestamp()).toBeNull();
      const stored = await real.events.appendEvents(events, [], T0);
      expect(stored.inserted).toEqual([true, true, true, true, true]);
      expect(await store.events.countEvents()).toBe(5);
    } finally {
      await real.close();
    }
  });
});

describe('floorSchema', () => {
  const shape = (db: Database.Database) => ({
    columns: db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid').all('events'),
    indexes: db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").all() as {
      name: string;
      sql: string | null;
    }[],
  });

  it("has the events table's columns, and with indexes exactly the indexes a migrated store's events table has", async () => {
    const file = path.join(dir, 'migrated.db');
    await (await openStore(file)).close();
    const migrated = new Database(file, { readonly: true });
    const indexed = new Database(':memory:');
    const bare = new Database(':memory:');
    try {
      for (const ddl of floorSchema(true)) indexed.exec(ddl);
      for (const ddl of floorSchema(false)) bare.exec(ddl);
      expect(shape(indexed)).toEqual(shape(migrated));
      expect(shape(bare).columns).toEqual(shape(migrated).columns);
      expect(shape(bare).indexes).toEqual([]);
    } finally {
      migrated.close();
      indexed.close();
      bare.close();
    }
  });
});
