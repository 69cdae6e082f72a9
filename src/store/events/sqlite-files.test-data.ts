/** For the SQLite event store's file tests: fresh database paths in one temporary directory, and a plain success SLI. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { SliDefinition } from '../../engine/sli.js';

/**
 * A temporary directory removed after the file's tests, and a new database path in it at each call.
 * @example const freshPath = sqliteFiles('vigil-writer-thread-'); const store = await openStore(freshPath());
 */
export function sqliteFiles(prefix: string): () => string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let files = 0;
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });
  return () => path.join(root, `store-${++files}.db`);
}

/** The success SLI of the journey `pay`, whole-journey events, abandoned events not bad. */
export const PAY_SUCCESS_SLI: SliDefinition = {
  key: 'pay|*|success|abandoned:ok',
  source: 'events',
  journey: 'pay',
  step: null,
  kind: 'success',
  abandonedIsBad: false,
};
