/**
 * Purging by age in small transactions (docs/storage.md ("Purging old data")): every purge deletes at most one batch
 * of rows per transaction and yields to the event loop between batches, so ingest and the API never wait long behind it.
 */

/** What one purge deleted and in how many transactions. */
export interface PurgeResult {
  rows: number;
  /** Transactions run; the last one deletes fewer rows than a batch (often none). */
  batches: number;
}

/** Rows deleted per transaction unless the caller says otherwise. */
export const PURGE_BATCH = 5_000;

/** A batch size as given, or a RangeError: a purge must make progress. */
export function checkedBatch(batch: number): number {
  if (!Number.isSafeInteger(batch) || batch < 1) throw new RangeError(`A purge batch is a whole number of rows above 0, got ${batch}`);
  return batch;
}

/**
 * Runs `deleteBatch` (one transaction deleting at most `batch` rows, returning how many it deleted) until a batch
 * comes back short, yielding to the event loop between batches.
 * @example await inBatches(5_000, () => db.prepare('DELETE … LIMIT ?').run(5_000).changes) // { rows: 12000, batches: 3 }
 */
export async function inBatches(batch: number, deleteBatch: () => number | Promise<number>): Promise<PurgeResult> {
  checkedBatch(batch);
  let rows = 0;
  let batches = 0;
  for (;;) {
    const deleted = await deleteBatch();
    rows += deleted;
    batches++;
    if (deleted < batch) return { rows, batches };
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
