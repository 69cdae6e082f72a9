/**
 * The SQLite customer index (docs/storage.md ("The customer index")): filled off the append path, up to a watermark,
 * and read with the unindexed tail, so retention counts and recoveries stay exact: after the migration from the
 * events_customer_ts index, after a stop before indexing, under appends and index steps interleaved, and across purges
 * (which take the index entries with them, and may free the highest seqs).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../model/config.js';
import type { JourneyEvent } from '../../model/event.js';
import { openStore } from '../open.js';
import { SqliteConnection } from '../sqlite/connection.js';
import type { RetentionCount } from './event-store.js';
import { SqliteEventWrites } from './sqlite-event-writes.js';
import { PAY_SUCCESS_SLI, sqliteFiles } from './sqlite-files.test-data.js';

const freshPath = sqliteFiles('vigil-customer-index-');
const SLI = PAY_SUCCESS_SLI;
const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const H = 3_600_000;
const RETENTION = { journey: 'pay', from: T0, to: T0 + H, nextFrom: T0 + H, nextTo: T0 + 2 * H };

const ev = (id: string, journey: string, outcome: Outcome, timestamp: number, customerId?: string): JourneyEvent => ({
  id,
  journey,
  outcome,
  timestamp,
  ...(customerId !== undefined && { customerId }),
});

/**
 * By hand: in N, alice has 1 pay failure and comes back (card, N+1); bob 2 failures, gone; carol none, back (pay, N+1);
 * dave none, gone. The failure without a customer and the one with '' count for nobody.
 */
const EVENTS: JourneyEvent[] = [
  ev('a1', 'pay', 'failure', T0 + 1, 'alice'),
  ev('a2', 'pay', 'success', T0 + 2, 'alice'),
  ev('a3', 'card', 'success', T0 + H + 5, 'alice'),
  ev('b1', 'pay', 'failure', T0 + 10, 'bob'),
  ev('b2', 'pay', 'failure', T0 + 11, 'bob'),
  ev('c1', 'pay', 'success', T0 + 20, 'carol'),
  ev('c2', 'pay', 'success', T0 + H + 1, 'carol'),
  ev('d1', 'pay', 'success', T0 + 30, 'dave'),
  ev('n1', 'pay', 'failure', T0 + 40),
  ev('e1', 'pay', 'failure', T0 + 50, ''),
];
const EXPECTED_RETENTION: RetentionCount[] = [
  { failures: 0, retained: false, customers: 1 },
  { failures: 0, retained: true, customers: 1 },
  { failures: 1, retained: true, customers: 1 },
  { failures: 2, retained: false, customers: 1 },
];
/** alice recovers at T0 + 2; bob never; carol's T0 + 19 by T0 + 20; no customer never; carol after T0 + H + 1 never. */
const FAILURES = [
  { customerId: 'alice', timestamp: T0 + 1 },
  { customerId: 'bob', timestamp: T0 + 10 },
  { customerId: 'carol', timestamp: T0 + 19 },
  { timestamp: T0 + 40 },
  { customerId: 'carol', timestamp: T0 + H + 1 },
];
const EXPECTED_RECOVERIES = [true, false, true, false, false];

interface IndexState {
  watermark: number;
  topSeq: number;
  entries: number;
}

function indexState(file: string): IndexState {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT (SELECT seq FROM customer_index) AS watermark, (SELECT COALESCE(MAX(seq), 0) FROM events) AS topSeq, ' +
          '(SELECT COUNT(*) FROM customer_events) AS entries',
      )
      .get() as IndexState;
  } finally {
    db.close();
  }
}

/** The index's invariant: exactly one entry per event at or below the watermark with a customer, and the watermark never above the top seq. */
function checkInvariant(db: Database.Database): void {
  const wrong = db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM (
                 SELECT customer_id, ts, seq FROM events
                 WHERE seq <= (SELECT seq FROM customer_index) AND customer_id IS NOT NULL AND customer_id <> ''
                 EXCEPT SELECT customer_id, ts, event_seq FROM customer_events)) AS missing,
              (SELECT COUNT(*) FROM (
                 SELECT customer_id, ts, event_seq FROM customer_events
                 EXCEPT SELECT customer_id, ts, seq FROM events WHERE seq <= (SELECT seq FROM customer_index))) AS extra,
              (SELECT seq FROM customer_index) > (SELECT COALESCE(MAX(seq), 0) FROM events) AS above`,
    )
    .get();
  expect(wrong).toEqual({ missing: 0, extra: 0, above: 0 });
}

describe('SQLite customer index', () => {
  it('migration 3 fills customer_events from a file indexed by events_customer_ts, and the answers stay the same', async () => {
    const file = freshPath();
    const store = await openStore(file, { writerThread: false });
    await store.events.appendEvents(EVENTS, [SLI], T0);
    await store.close();
    // Back to events version 2, as a file written before this migration: the old index, none of the new tables.
    const db = new Database(file);
    db.exec(`DROP TRIGGER events_customer_delete; DROP TRIGGER events_customer_watermark;
      DROP TABLE customer_events; DROP TABLE customer_index;
      CREATE INDEX events_customer_ts ON events (customer_id, ts) WHERE customer_id IS NOT NULL;
      DELETE FROM schema_migrations WHERE capability = 'events' AND version = 3;`);
    db.close();

    const migrated = await openStore(file);
    const state = indexState(file);
    // 8 events with a non-empty customer, all indexed; the old index is gone.
    expect(state).toEqual({ watermark: 10, topSeq: 10, entries: 8 });
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'events_customer_ts'").all()).toEqual([]);
    checkInvariant(check);
    check.close();
    expect(await migrated.events.retentionCounts(RETENTION)).toEqual(EXPECTED_RETENTION);
    expect(await migrated.events.recoveries('pay', null, FAILURES, 60_000)).toEqual(EXPECTED_RECOVERIES);
    await migrated.close();
  });

  it('answers exactly when the writer stopped before indexing: read-only from the tail, then caught up by the next writer', async () => {
    const file = freshPath();
    await (await openStore(file)).close();
    // Appends committed by a connection that never indexes and closes without the store's hooks: as after a crash.
    const connection = new SqliteConnection(file, { writerThread: false });
    const writes = new SqliteEventWrites(connection);
    writes.appendEvents(EVENTS.slice(0, 5), [SLI], T0);
    writes.indexCustomers();
    writes.appendEvents(EVENTS.slice(5), [SLI], T0);
    connection.close();
    expect(indexState(file)).toEqual({ watermark: 5, topSeq: 10, entries: 5 });

    const reader = await openStore(file, { readOnly: true });
    expect(await reader.events.retentionCounts(RETENTION)).toEqual(EXPECTED_RETENTION);
    expect(await reader.events.recoveries('pay', null, FAILURES, 60_000)).toEqual(EXPECTED_RECOVERIES);
    await reader.close();
    expect(indexState(file)).toEqual({ watermark: 5, topSeq: 10, entries: 5 });

    const writer = await openStore(file);
    expect(await writer.events.retentionCounts(RETENTION)).toEqual(EXPECTED_RETENTION);
    // The query asked the writer thread to catch up first.
    expect(indexState(file)).toEqual({ watermark: 10, topSeq: 10, entries: 8 });
    expect(await writer.events.recoveries('pay', null, FAILURES, 60_000)).toEqual(EXPECTED_RECOVERIES);
    await writer.close();
  });

  it('the writer thread leaves the tail to its timer, and indexes it when the store closes', async () => {
    const file = freshPath();
    const store = await openStore(file);
    await store.events.appendEvents(EVENTS, [SLI], T0);
    expect(await store.events.countEvents()).toBe(10);
    await store.close();
    expect(indexState(file)).toEqual({ watermark: 10, topSeq: 10, entries: 8 });
  });

  it('purging takes the entries of the purged events, and a freed top seq is indexed when it is used again', async () => {
    const file = freshPath();
    const store = await openStore(file, { writerThread: false });
    await store.events.appendEvents(EVENTS, [SLI], T0);
    // Indexed (the query catches up), then the newest two events by seq are old ones: purged, seqs 11 and 12 are free.
    expect(await store.events.retentionCounts(RETENTION)).toEqual(EXPECTED_RETENTION);
    await store.events.appendEvents(
      [ev('o1', 'pay', 'success', T0 - 2 * H, 'zoe'), ev('o2', 'pay', 'success', T0 - 2 * H, 'zoe')],
      [SLI],
      T0,
    );
    expect(await store.events.retentionCounts({ ...RETENTION, from: T0 - 3 * H })).toHaveLength(4);
    expect(indexState(file)).toEqual({ watermark: 12, topSeq: 12, entries: 10 });
    expect((await store.events.purge(T0 - H, 0)).events).toBe(2);
    expect(indexState(file)).toEqual({ watermark: 10, topSeq: 10, entries: 8 });
    // The next append takes seq 11 again, above the watermark: read from the tail, then indexed.
    await store.events.appendEvents([ev('z1', 'card', 'success', T0 + H + 9, 'dave')], [SLI], T0);
    expect(indexState(file)).toEqual({ watermark: 10, topSeq: 11, entries: 8 });
    const daveBack = [
      { failures: 0, retained: true, customers: 2 },
      { failures: 1, retained: true, customers: 1 },
      { failures: 2, retained: false, customers: 1 },
    ];
    expect(await store.events.retentionCounts(RETENTION)).toEqual(daveBack);
    expect(indexState(file)).toEqual({ watermark: 11, topSeq: 11, entries: 9 });
    // Everything of N purged: the entries go with the events.
    expect((await store.events.purge(T0 + H, 0)).events).toBe(8);
    expect(indexState(file)).toEqual({ watermark: 11, topSeq: 11, entries: 3 });
    await store.close();
  });

  it('stays exact under appends, index steps and purges interleaved (seeded)', async () => {
    const file = freshPath();
    await (await openStore(file)).close();
    const connection = new SqliteConnection(file, { writerThread: false });
    const writes = new SqliteEventWrites(connection);
    const reader = await openStore(file, { readOnly: true });
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const customers = ['', 'k1', 'k2', 'k3', 'k4', 'k5'];
    let id = 0;
    for (let op = 0; op < 120; op++) {
      const kind = random(10);
      if (kind < 6) {
        const events = Array.from({ length: 1 + random(6) }, () => {
          const customer = random(7);
          return ev(
            `r${++id}`,
            random(3) === 0 ? 'card' : 'pay',
            random(2) === 0 ? 'failure' : 'success',
            T0 - H + random(3 * H),
            customers[customer],
          );
        });
        writes.appendEvents(events, [SLI], T0);
      } else if (kind < 9) {
        writes.indexCustomers(1 + random(7));
      } else {
        writes.purge(T0 - H + random(2 * H), 0);
      }
      checkInvariant(connection.db);
      const all = connection.db.prepare('SELECT journey, outcome, ts, customer_id FROM events').all() as {
        journey: string;
        outcome: Outcome;
        ts: number;
        customer_id: string | null;
      }[];
      expect(await reader.events.retentionCounts(RETENTION)).toEqual(referenceRetention(all));
      const failures = all
        .filter((e) => e.outcome === 'failure')
        .map((e) => ({ ...(e.customer_id !== null && { customerId: e.customer_id }), timestamp: e.ts }));
      expect(await reader.events.recoveries('pay', null, failures, 30 * 60_000)).toEqual(referenceRecoveries(all, failures, 30 * 60_000));
    }
    await reader.close();
    connection.close();
  });
});

type Row = { journey: string; outcome: Outcome; ts: number; customer_id: string | null };

function referenceRetention(all: Row[]): RetentionCount[] {
  const inN = new Map<string, number>();
  for (const e of all) {
    if (e.journey !== RETENTION.journey || e.ts < RETENTION.from || e.ts >= RETENTION.to || !e.customer_id) continue;
    inN.set(e.customer_id, (inN.get(e.customer_id) ?? 0) + (e.outcome === 'failure' ? 1 : 0));
  }
  const back = new Set(all.filter((e) => e.customer_id && e.ts >= RETENTION.nextFrom && e.ts < RETENTION.nextTo).map((e) => e.customer_id));
  const counts = new Map<string, RetentionCount>();
  for (const [customer, failures] of inN) {
    const retained = back.has(customer);
    const key = `${failures}|${retained ? 1 : 0}`;
    const c = counts.get(key) ?? { failures, retained, customers: 0 };
    c.customers++;
    counts.set(key, c);
  }
  return [...counts.values()].sort((a, b) => a.failures - b.failures || Number(a.retained) - Number(b.retained));
}

function referenceRecoveries(all: Row[], failures: { customerId?: string; timestamp: number }[], windowMs: number): boolean[] {
  return failures.map(
    (f) =>
      f.customerId !== undefined &&
      f.customerId !== '' &&
      all.some(
        (e) =>
          e.journey === 'pay' &&
          e.outcome === 'success' &&
          e.customer_id === f.customerId &&
          e.ts > f.timestamp &&
          e.ts <= f.timestamp + windowMs,
      ),
  );
}
