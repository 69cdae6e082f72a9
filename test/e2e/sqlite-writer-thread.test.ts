/**
 * The SQLite writer thread from dist/ (docs/storage.md ("Durability")): `vigil serve` answers reads that see every acknowledged
 * batch while it ingests, closes the thread on SIGTERM, and a script that never closes its store still exits.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { E2E_CONFIG, getJson, postEvents, ROOT, startVigil, tempDir } from '../helpers/vigil-process.js';

const MINUTE = 60_000;

describe('SQLite writer thread, compiled', () => {
  let temp = tempDir();
  afterEach(() => {
    temp.cleanup();
    temp = tempDir();
  });
  afterAll(() => temp.cleanup());

  it('vigil serve: each acknowledged batch is read back at once, ingest and reads interleave, SIGTERM closes every connection', async () => {
    const database = join(temp.dir, 'vigil.db');
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
    const batch = (b: number) =>
      Array.from({ length: 200 }, (_, i) =>
        JSON.stringify({
          id: `b${b}-e${i}`,
          journey: 'wire-transfer',
          outcome: 'success',
          latencyMs: 100,
          timestamp: new Date(base + i).toISOString(),
        }),
      ).join('\n');
    const vigil = await startVigil(['--config', E2E_CONFIG, '--database', database]);
    const at = new Date(base + 20 * MINUTE).toISOString();
    const status = `${vigil.url}/api/v1/journeys/wire-transfer/slos/success/status?at=${at}`;
    try {
      // Two writers and a reader at once; after each acknowledgement the count read is at least what was acknowledged.
      let acknowledged = 0;
      const writer = async (from: number) => {
        for (let b = from; b < from + 10; b++) {
          const answer = await postEvents(vigil.url, batch(b), 'application/x-ndjson');
          expect(answer).toMatchObject({ status: 200, body: { accepted: 200 } });
          acknowledged += 200;
          const seen = acknowledged;
          expect((await getJson(status)).body.total).toBeGreaterThanOrEqual(seen);
        }
      };
      const reader = async () => {
        for (let n = 0; n < 20; n++) expect((await getJson(`${vigil.url}/api/v1/journeys`)).status).toBe(200);
      };
      await Promise.all([writer(0), writer(10), reader()]);
      expect((await getJson(status)).body.total).toBe(4000);
    } finally {
      expect(await vigil.stop('SIGTERM')).toBe(0);
    }
    // The last connection to close removes the WAL: the writer thread's was closed too, before the store's.
    expect(existsSync(`${database}-wal`)).toBe(false);
    const db = new Database(database, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 4000 });
    db.close();
  });

  it('a script that appends and never closes its store exits by itself, with the batch stored', async () => {
    const database = join(temp.dir, 'script.db');
    const script = `
      const { openStore } = await import(${JSON.stringify(join(ROOT, 'dist', 'store', 'open.js'))});
      const store = await openStore(${JSON.stringify(database)});
      const slis = [{ key: 'pay', source: 'events', journey: 'pay', step: null, kind: 'success', abandonedIsBad: false }];
      const result = await store.events.appendEvents([{ id: 'a', journey: 'pay', outcome: 'success', timestamp: Date.now() }], slis, Date.now());
      process.stdout.write(JSON.stringify(result.inserted));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, out }).toEqual({ code: 0, out: '[true]' });
    const db = new Database(database, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
    db.close();
  });
});
