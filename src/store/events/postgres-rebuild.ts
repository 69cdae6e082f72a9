/** Recomputing one SLI from PostgreSQL's retained raw events (docs/storage.md, "Retention"), inside the caller's transaction. */
import type { PoolClient } from 'pg';
import type { SliDefinition } from '../../engine/sli.js';
import type { Outcome } from '../../model/config.js';
import { type EpochMinute, MS_PER_MINUTE, type SliMinute } from '../../model/minutes.js';
import { rebuildStart, SliRebuild } from './aggregate.js';

const FETCH_ROWS = 10_000;
const INSERT_ROWS = 10_000;
/** Meta key (the meta table) of the purge watermark: raw events before it may be gone. */
export const PURGE_WATERMARK = 'events_purged_before';
/** The cursor over raw rows a rebuild reads: amount and currency weigh amount-weighted SLIs. */
const DECLARE_SCAN = 'DECLARE vigil_rebuild NO SCROLL CURSOR FOR SELECT outcome, latency_ms, ts, amount, currency FROM events';

/**
 * Replaces the SLI's aggregates for every minute whose raw events are all retained, recomputed from
 * those events, and marks the SLI materialised. Runs in the caller's transaction.
 * @example await connection.inTransaction((client) => rebuildSliInTransaction(client, def));
 */
export async function rebuildSliInTransaction(client: PoolClient, def: SliDefinition): Promise<{ events: number; minutes: number }> {
  // Appends wait while this runs: each lands wholly before (and is recomputed) or wholly after (and adds on top).
  // Appends also lock sli_minutes before sli_keys, the order used here, so the two never deadlock.
  await client.query('LOCK TABLE sli_minutes IN SHARE ROW EXCLUSIVE MODE');
  const from = rebuildStart(await purgeWatermark(client));
  await client.query('DELETE FROM sli_minutes WHERE key = $1 AND minute >= $2', [def.key, from.minute]);
  const rebuild = await scan(client, def, from.ms, Number.MAX_SAFE_INTEGER);
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

/**
 * What rebuildSliInTransaction would leave for minutes in [fromMinute, toMinute), read without writing:
 * minutes before the rebuild start from the kept aggregates, the rest from raw events.
 * @example await connection.inTransaction((client) => sliMinutesFromEventsInTransaction(client, def, m0, m1), 'BEGIN READ ONLY');
 */
export async function sliMinutesFromEventsInTransaction(
  client: PoolClient,
  def: SliDefinition,
  fromMinute: EpochMinute,
  toMinute: EpochMinute,
): Promise<SliMinute[]> {
  const start = rebuildStart(await purgeWatermark(client));
  const { rows: kept } = await client.query<SliMinute>(
    'SELECT key, minute, good, total FROM sli_minutes WHERE key = $1 AND minute >= $2 AND minute < $3 ORDER BY minute',
    [def.key, fromMinute, Math.min(toMinute, start.minute)],
  );
  // Clamped: minute bounds such as Number.MAX_SAFE_INTEGER would overflow a BIGINT once in ms.
  const fromMs = Math.max(fromMinute * MS_PER_MINUTE, start.ms, Number.MIN_SAFE_INTEGER);
  const toMs = Math.min(toMinute * MS_PER_MINUTE, Number.MAX_SAFE_INTEGER);
  const computed = fromMs < toMs ? (await scan(client, def, fromMs, toMs)).rows() : [];
  return [...kept, ...computed];
}

async function purgeWatermark(client: PoolClient): Promise<number | null> {
  const { rows } = await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [PURGE_WATERMARK]);
  return rows[0] ? Number(rows[0].value) : null;
}

/** Streams the raw events of the SLI's scope with fromMs ≤ ts < toMs through a cursor into a rebuild. */
async function scan(client: PoolClient, def: SliDefinition, fromMs: number, toMs: number): Promise<SliRebuild> {
  await client.query(
    def.step === null
      ? `${DECLARE_SCAN} WHERE journey = $1 AND step IS NULL AND ts >= $2 AND ts < $3`
      : `${DECLARE_SCAN} WHERE journey = $1 AND step = $4 AND ts >= $2 AND ts < $3`,
    def.step === null ? [def.journey, fromMs, toMs] : [def.journey, fromMs, toMs, def.step],
  );
  const rebuild = new SliRebuild(def);
  for (;;) {
    const page = await client.query<[Outcome, number | null, number, number | null, string | null]>({
      text: `FETCH ${FETCH_ROWS} FROM vigil_rebuild`,
      rowMode: 'array',
    });
    for (const row of page.rows) rebuild.add(row[0], row[1], row[2], row[3], row[4]);
    if (page.rows.length < FETCH_ROWS) break;
  }
  await client.query('CLOSE vigil_rebuild');
  return rebuild;
}
