/** The SourceStore on PostgreSQL. */
import type { SliMinute } from '../../model/minutes.js';
import type { CapabilityBackend } from '../capability.js';
import type { PostgresConnection } from '../postgres/connection.js';
import { type MinuteRow, minuteFromRow, UPSERT_WATERMARK, type WatermarkRow, watermarkFromRow } from './source-rows.js';
import type { SourceRead, SourceStore, SourceWatermark } from './source-store.js';
import { POSTGRES_SOURCES_MIGRATIONS } from './schema.js';

/** `?` placeholders as `$1`, `$2`, …. */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

class PostgresSources implements SourceStore {
  constructor(private readonly connection: PostgresConnection) {}

  async saveSourceRead(read: SourceRead): Promise<void> {
    await this.connection.inTransaction(async (client) => {
      await client.query('DELETE FROM source_minutes WHERE sli_key = $1 AND minute >= $2 AND minute < $3', [
        read.key,
        read.fromMinute,
        read.toMinute,
      ]);
      if (read.minutes.length > 0) {
        await client.query(
          `INSERT INTO source_minutes (sli_key, minute, good, total)
           SELECT $1, m, g, t FROM unnest($2::bigint[], $3::float8[], $4::float8[]) AS u(m, g, t)`,
          [read.key, read.minutes.map((m) => m.minute), read.minutes.map((m) => m.good), read.minutes.map((m) => m.total)],
        );
      }
      await client.query(numbered(UPSERT_WATERMARK), [read.key, read.startMinute, read.watermark]);
    });
  }

  async sourceMinutes(key: string, fromMinute: number, toMinute: number): Promise<SliMinute[]> {
    const sql =
      'SELECT sli_key, minute, good, total FROM source_minutes WHERE sli_key = $1 AND minute >= $2 AND minute < $3 ORDER BY minute';
    return (await this.connection.query<MinuteRow>(sql, [key, fromMinute, toMinute])).rows.map(minuteFromRow);
  }

  async countSourceMinutes(key: string, fromMinute: number, toMinute: number): Promise<number> {
    const sql = 'SELECT count(*) AS n FROM source_minutes WHERE sli_key = $1 AND minute >= $2 AND minute < $3';
    return Number((await this.connection.query<{ n: string }>(sql, [key, fromMinute, toMinute])).rows[0]!.n);
  }

  async sourceWatermark(key: string): Promise<SourceWatermark | null> {
    const sql = 'SELECT sli_key, start_minute, watermark FROM source_watermarks WHERE sli_key = $1';
    const row = (await this.connection.query<WatermarkRow>(sql, [key])).rows[0];
    return row ? watermarkFromRow(row) : null;
  }

  async sourceWatermarks(): Promise<SourceWatermark[]> {
    const sql = 'SELECT sli_key, start_minute, watermark FROM source_watermarks ORDER BY sli_key';
    return (await this.connection.query<WatermarkRow>(sql)).rows.map(watermarkFromRow);
  }

  async dropSource(key: string): Promise<void> {
    await this.connection.inTransaction(async (client) => {
      await client.query('DELETE FROM source_minutes WHERE sli_key = $1', [key]);
      await client.query('DELETE FROM source_watermarks WHERE sli_key = $1', [key]);
    });
  }

  async purgeSourceMinutes(beforeMinute: number): Promise<number> {
    return (await this.connection.query('DELETE FROM source_minutes WHERE minute < $1', [beforeMinute])).rowCount ?? 0;
  }
}

/** The sources capability's PostgreSQL module, registered in capabilities.ts. */
export const postgresSources: CapabilityBackend<PostgresConnection, SourceStore> = {
  migrations: POSTGRES_SOURCES_MIGRATIONS,
  open: (connection) => new PostgresSources(connection),
};
