/**
 * Fresh stores on each backend for the tests of one file: SQLite in a temporary directory always, PostgreSQL in a schema
 * of its own when VIGIL_TEST_DATABASE_URL is set (always under CI).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';

export const PG_URL = process.env.VIGIL_TEST_DATABASE_URL;
if (!PG_URL && process.env.CI === 'true') throw new Error('CI must provide VIGIL_TEST_DATABASE_URL for the PostgreSQL tests');

/** The backends the tests run on. */
export const BACKENDS = PG_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
export type Backend = (typeof BACKENDS)[number];

/**
 * Registers the file's clean-up hooks and returns how to open a fresh, migrated, empty store. What `afterTest` is given
 * runs after the test, the last given first, then the store's directory goes; schemas are dropped after the file.
 * @example const stores = freshStores('dora'); const store = await stores.open('postgres'); stores.afterTest(() => runtime.close());
 */
export function freshStores(name: string) {
  const admin = PG_URL ? new pg.Pool({ connectionString: PG_URL, max: 2 }) : undefined;
  const schemas: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => {
    for (const schema of schemas) await admin!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });
  return {
    async open(backend: Backend): Promise<Store> {
      if (backend === 'postgres') {
        const schema = `vigil_${name}_${process.pid}_${randomBytes(4).toString('hex')}`;
        await admin!.query(`CREATE SCHEMA ${schema}`);
        schemas.push(schema);
        return openStore(PG_URL!, { schema });
      }
      const dir = mkdtempSync(join(tmpdir(), `vigil-${name}-`));
      closers.push(async () => rmSync(dir, { recursive: true, force: true }));
      return openStore(join(dir, 'vigil.db'));
    },
    afterTest(close: () => Promise<void>): void {
      closers.unshift(close);
    },
  };
}
