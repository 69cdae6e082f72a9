/** Recomputing one SLI from PostgreSQL's retained raw events (docs/slo-maths.md ("Changing an SLO")), inside the caller's transaction. */
import type { PoolClient } from 'pg';
import type { SliDefinition } from '../../engine/sli.js';
import type { Outcome } from '../../model/config.js';
import { rebuildStart, SliRebuild } from '../aggregate.js';

const FETCH_ROWS = 10_000;
const INSERT_ROWS = 10_000;
export const PURGE_WATERMARK = 'events_purged_before';

/**
 * Replaces the SLI's aggregates for every minute whose raw events are all retained, recomputed from
 * those events, and marks the SLI materialised. Runs in the caller's transaction.
 */
export async function rebuildSliInTransaction(client: PoolClient, def: SliDefinition): Promise<{ events: number; minutes: number }> {
  // Appends wait while this runs: each lands wholly before (and is recomputed) or wholly after (and adds on top).
  // Appends also lock sli_minutes before sli_keys, the order used here, so the two never deadlock.
  await client.query('LOCK TABLE sli_minutes IN SHARE ROW EXCLUSIVE MODE');
  const watermark = await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [PURGE_WATERMARK]);
  const from = rebuildStart(watermark.rows[0] ? Number(watermark.rows[0].value) : null);
  await client.query('DELETE FROM sli_minutes WHERE key = $1 AND minute >= $2', [def.key, from.minute]);
  await client.query(
    def.step === null
      ? 'DECLARE vigil_rebuild NO SCROLL CURSOR FOR SELECT outcome, latency_ms, ts FROM events WHERE journey = $1 AND step IS NULL AND ts >= $2'
      : 'DECLARE vigil_rebuild NO SCROLL CURSOR FOR SELECT outcome, latency_ms, ts FROM events WHERE journey = $1 AND step = $3 AND ts >= $2',
    def.step === null ? [def.journey, from.ms] : [def.journey, from.ms, def.step],
  );
  const rebuild = new SliRebuild(def);
  for (;;) {
    const page = await client.query<[Outcome, number | null, number]>({ text: `FETCH ${FETCH_ROWS} FROM vigil_rebuild`, rowMode: 'array' });
    for (const row of page.rows) rebuild.add(row[0], row[1], row[2]);
    if (page.rows.length < FETCH_ROWS) break;
  }
  await client.query('CLOSE vigil_rebuild');
  const rows = rebuild.rows();
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    await client.query(
      'INSERT INTO sli_minutes (key, minute, good, total) SELECT key, minute, good, total ' +
        'FROM json_to_recordset($1::json) AS t(key text, minute int8, good int8, total int8)',
      [JSON.stringify(rows.slice(i, i + INSERT_ROWS))],
    );
  }
  await client.query(
    'INSERT INTO sli_keys (key, definition, materialised_at) VALUES ($1, $2, $3) ' +
      'ON CONFLICT (key) DO UPDATE SET definition = excluded.definition, materialised_at = excluded.materialised_at',
    [def.key, JSON.stringify(def), Date.now()],
  );
  return { events: rebuild.scanned, minutes: rows.length };
}
